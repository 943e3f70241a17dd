import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** What a caller may send as its own request id (a proxy's, a vendor's): short, printable, no spaces. */
const ACCEPTABLE = /^[A-Za-z0-9._:@-]{1,128}$/;

/**
 * The request id of an HTTP request: the caller's X-Request-Id when it is a sane token, else a new
 * uuid; echoed in the answer so a vendor can quote it. Pushed batches carry it into the worker's job.
 */
export function assignRequestId(request: IncomingMessage, response: ServerResponse): string {
  const sent = request.headers[REQUEST_ID_HEADER];
  const id = typeof sent === 'string' && ACCEPTABLE.test(sent) ? sent : randomUUID();
  response.setHeader('X-Request-Id', id);
  return id;
}

/** The id pino-http gave the request (set on `request.id`). */
export function requestIdOf(request: IncomingMessage): string | undefined {
  const id = (request as IncomingMessage & { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

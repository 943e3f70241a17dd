import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureReply {
  status?: number;
  headers?: Record<string, string>;
  /** A string or Buffer is sent as is; anything else as JSON. */
  body?: unknown;
}

export interface RecordedRequest {
  method: string;
  /** Path with query string, as received. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type FixtureHandler = (request: RecordedRequest, url: URL) => FixtureReply | Promise<FixtureReply>;

export interface FixtureServer {
  baseUrl: string;
  /** Every request received, in order. */
  requests: RecordedRequest[];
  /** Replaces the handler (a test may change what the remote answers between runs). */
  handle(handler: FixtureHandler): void;
  /** The next `count` requests answer with this instead (a remote failure in the middle of a run). */
  failNext(count: number, reply?: FixtureReply): void;
  close(): Promise<void>;
}

/**
 * A small real HTTP server standing in for a remote API in connector tests: it serves recorded
 * payloads (fixtures in the repo) through a handler, records requests, and can fail on demand.
 */
export async function startFixtureServer(handler: FixtureHandler): Promise<FixtureServer> {
  let current = handler;
  const failures: FixtureReply[] = [];
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const request: RecordedRequest = { method: incoming.method ?? 'GET', url: incoming.url ?? '/', headers: incoming.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(request);
      let reply: FixtureReply;
      try {
        reply = failures.shift() ?? (await current(request, new URL(request.url, 'http://fixture.local')));
      } catch (error) {
        reply = { status: 500, body: { error: (error as Error).message } };
      }
      const body = reply.body === undefined ? '' : typeof reply.body === 'string' || Buffer.isBuffer(reply.body) ? reply.body : JSON.stringify(reply.body);
      const isJson = reply.body !== undefined && typeof reply.body !== 'string' && !Buffer.isBuffer(reply.body);
      outgoing.writeHead(reply.status ?? 200, { ...(isJson ? { 'content-type': 'application/json' } : {}), ...reply.headers });
      outgoing.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      current = next;
    },
    failNext(count, reply = { status: 503, body: { error: 'unavailable' } }) {
      for (let index = 0; index < count; index++) failures.push(reply);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

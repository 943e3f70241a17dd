import type { IncomingMessage, ServerResponse } from 'node:http';
import pLimit from 'p-limit';
import type { PlatformMetrics } from '@platform/observability';

/** Not admitted through the gate: probes and scrapes must answer under load, event streams stay open for hours. */
const UNGATED = /^\/(health|metrics)(\/|$)|^\/v1\/events\//;

/**
 * Load shedding before memory grows: at most `concurrent` requests are handled at once, `queued` more wait their
 * turn in arrival order, and any request beyond that is answered 503 `overloaded` with Retry-After at once, before
 * its body is read. A request whose client went away while it waited is dropped when its turn comes.
 */
export function admissionMiddleware(metrics: PlatformMetrics, options: { concurrent: number; queued: number }) {
  const limit = pLimit(options.concurrent);
  const update = () => {
    metrics.httpInFlight.set(limit.activeCount);
    metrics.httpQueued.set(limit.pendingCount);
  };
  return (request: IncomingMessage, response: ServerResponse, next: () => void): void => {
    if (UNGATED.test(request.url ?? '/')) {
      next();
      return;
    }
    if (limit.activeCount >= options.concurrent && limit.pendingCount >= options.queued) {
      const body = JSON.stringify({
        error: {
          code: 'overloaded',
          message: {
            nl: 'De server is nu overbelast; probeer het over enkele seconden opnieuw (zie Retry-After).',
            en: 'The server is overloaded right now; try again in a few seconds (see Retry-After).',
          },
          where: 'request',
        },
      });
      response.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': '2', 'Content-Length': Buffer.byteLength(body) });
      response.end(body);
      return;
    }
    void limit(
      () =>
        new Promise<void>((resolve) => {
          update();
          if (response.destroyed || request.socket.destroyed) {
            resolve();
            return;
          }
          response.once('close', resolve);
          next();
        }),
    ).finally(update);
    update();
  };
}

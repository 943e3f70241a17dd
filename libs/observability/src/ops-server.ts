import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import { PlatformHealth } from './platform-health.js';
import { PlatformMetrics } from './platform-metrics.js';

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * /metrics, /health/live and /health/ready of a process without an HTTP api (the worker), on its own
 * port, so an orchestrator probes and Prometheus scrapes workers the same way as the api.
 */
export async function startOpsServer(app: INestApplicationContext, port: number, host = '0.0.0.0'): Promise<OpsServer> {
  const metrics = app.get(PlatformMetrics);
  const health = app.get(PlatformHealth);
  const server: Server = createServer((request, response) => {
    const answer = async () => {
      const path = (request.url ?? '/').split('?')[0];
      if (request.method !== 'GET' && request.method !== 'HEAD') return { status: 405, type: 'application/json', body: JSON.stringify({ error: 'GET only' }) };
      if (path === '/metrics') {
        const exposition = await metrics.exposition();
        return { status: 200, type: exposition.contentType, body: exposition.body };
      }
      if (path === '/health/live' || path === '/health/ready') {
        const result = path === '/health/live' ? health.live() : await health.ready();
        return { status: result.status, type: 'application/json', body: JSON.stringify(result.body) };
      }
      return { status: 404, type: 'application/json', body: JSON.stringify({ error: 'not found: /metrics, /health/live, /health/ready' }) };
    };
    answer().then(
      ({ status, type, body }) => response.writeHead(status, { 'content-type': type }).end(body),
      (error: unknown) => response.writeHead(500, { 'content-type': 'application/json' }).end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) })),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

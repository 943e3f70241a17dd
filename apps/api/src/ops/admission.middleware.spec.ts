import { afterEach, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { PlatformMetrics } from '@platform/observability';
import { admissionMiddleware } from './admission.middleware.js';

/** A real HTTP server whose `/slow` answers only when the test releases it. */
async function serve(options: { concurrent: number; queued: number }) {
  const metrics = new PlatformMetrics();
  const app = express();
  const waiting: Array<() => void> = [];
  const order: number[] = [];
  app.use(admissionMiddleware(metrics, options));
  app.get('/slow/:n', (request, response) => {
    order.push(Number(request.params.n));
    waiting.push(() => response.json({ n: Number(request.params.n) }));
  });
  app.get('/health/live', (_request, response) => response.json({ status: 'ok' }));
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const gauge = async (name: 'httpInFlight' | 'httpQueued') => (await metrics[name].get()).values[0]?.value ?? 0;
  return { server, base, waiting, order, gauge };
}

const until = async (condition: () => boolean | Promise<boolean>) => {
  for (let attempt = 0; attempt < 200 && !(await condition()); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('admission gate (load shedding)', () => {
  let server: Server | undefined;
  afterEach(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('handles `concurrent` at once, queues `queued` in arrival order, and answers 503 overloaded beyond that', async () => {
    const platform = await serve({ concurrent: 2, queued: 2 });
    server = platform.server;
    const answers: Array<Promise<Response>> = [];
    for (let n = 0; n < 4; n += 1) {
      answers.push(fetch(`${platform.base}/slow/${n}`));
      // In order: the gate sees them one after the other.
      await until(async () => (await platform.gauge('httpInFlight')) + (await platform.gauge('httpQueued')) === n + 1);
    }
    expect(await platform.gauge('httpInFlight')).toBe(2);
    expect(await platform.gauge('httpQueued')).toBe(2);
    expect(platform.order).toEqual([0, 1]);

    const refused = await fetch(`${platform.base}/slow/4`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('2');
    const body = (await refused.json()) as { error: { code: string; message: { nl: string; en: string } } };
    expect(body.error.code).toBe('overloaded');
    expect(body.error.message.nl).toMatch(/overbelast/);
    expect(body.error.message.en).toMatch(/overloaded/);
    // Probes are never gated.
    expect((await fetch(`${platform.base}/health/live`)).status).toBe(200);

    // Releasing the first two admits the queued ones, first come first served.
    platform.waiting.shift()!();
    platform.waiting.shift()!();
    await until(() => platform.order.length === 4);
    expect(platform.order).toEqual([0, 1, 2, 3]);
    platform.waiting.splice(0).forEach((release) => release());
    expect(await Promise.all(answers.map(async (answer) => (await answer).status))).toEqual([200, 200, 200, 200]);
    await until(async () => (await platform.gauge('httpInFlight')) === 0);
    expect(await platform.gauge('httpQueued')).toBe(0);
  });

  it('a request whose client left while it waited is dropped when its turn comes, and frees its slot', async () => {
    const platform = await serve({ concurrent: 1, queued: 5 });
    server = platform.server;
    const first = fetch(`${platform.base}/slow/0`);
    await until(() => platform.order.length === 1);
    const gone = new AbortController();
    const abandoned = fetch(`${platform.base}/slow/1`, { signal: gone.signal }).catch(() => 'aborted');
    await until(async () => (await platform.gauge('httpQueued')) === 1);
    gone.abort();
    expect(await abandoned).toBe('aborted');
    const third = fetch(`${platform.base}/slow/2`);
    await until(async () => (await platform.gauge('httpQueued')) === 2);
    platform.waiting.shift()!();
    await until(() => platform.order.length === 2);
    // Request 1 never reached its handler.
    expect(platform.order).toEqual([0, 2]);
    platform.waiting.shift()!();
    expect((await first).status).toBe(200);
    expect((await third).status).toBe(200);
  });
});

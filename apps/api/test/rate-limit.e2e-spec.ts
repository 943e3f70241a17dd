import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import type { Request, Response } from 'express';
import type { Redis } from 'ioredis';
import { createClient } from 'graphql-ws';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import WebSocket from 'ws';
import type { AppConfig } from '@platform/config';
import { createFailFastRedis, dropRedisPrefix, LiveChangesPublisher } from '@platform/queue';
import type { SourceStore } from '@platform/storage';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../../test/support/test-app.js';
import { TEST_REDIS_URL } from '../../../test/support/test-database.js';
import { RateLimitGuard } from '../src/auth/rate-limit.guard.js';
import { http } from './http.js';

const ACTIVITIES = '{ activities(first: 1) { totalCount } }';
const outageEvent = {
  seq: '1',
  performanceId: 'p',
  performanceExternalId: 'p',
  activityId: 'a',
  placeId: 'l',
  sourceId: 's',
  capacity: 1,
  remaining: 0,
  level: 'OutOfStock' as const,
  changedAt: new Date().toISOString(),
};

describe('rate limit (e2e, RATE_LIMIT_PER_MINUTE=3)', () => {
  let platform: TestApp;
  // trust proxy is 'loopback': each test is its own client IP, so budgets do not carry over between tests.
  let lastIp = 0;
  const newClientIp = () => `203.0.113.${++lastIp}`;

  beforeAll(async () => {
    platform = await startTestApp({ worker: false, overrides: { RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(async () => {
    await platform.close();
  });

  const get = (ip: string, token?: string) =>
    http(platform.baseUrl, 'GET', '/id/activiteit/not-a-uuid', { token, headers: { 'x-forwarded-for': ip } });
  const query = (ip: string, body: string, token?: string) =>
    http(platform.baseUrl, 'POST', '/graphql', { token, body: { query: body }, headers: { 'x-forwarded-for': ip } });

  it('answers 429 with Retry-After past the limit', async () => {
    const ip = newClientIp();
    const statuses: number[] = [];
    for (let index = 0; index < 3; index++) statuses.push((await get(ip)).status);
    const limited = await get(ip);
    expect(statuses).toEqual([404, 404, 404]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited.body.error.code).toBe('rate-limited');
    expect(limited.body.error.message.nl).toMatch(/Te veel verzoeken/);
  });

  it('does not give a made-up bearer token a fresh budget', async () => {
    const ip = newClientIp();
    const statuses: number[] = [];
    for (let index = 0; index < 4; index++) statuses.push((await get(ip, `made-up-${index}-${Math.random()}`)).status);
    expect(statuses).toEqual([404, 404, 404, 429]);
  });

  it('gives a live vendor key its own budget, and a revoked one none', async () => {
    const ip = newClientIp();
    for (let index = 0; index < 3; index++) await get(ip);
    expect((await get(ip)).status).toBe(429);

    const key = await platform.createSource('own-budget');
    const keyed: number[] = [];
    for (let index = 0; index < 4; index++) keyed.push((await get(ip, key)).status);
    expect(keyed).toEqual([404, 404, 404, 429]);

    const admin = { token: TEST_ADMIN_TOKEN, headers: { 'x-forwarded-for': newClientIp() } };
    const other = await http(platform.baseUrl, 'POST', '/v1/admin/sources', { ...admin, body: { id: 'revoked-budget', name: 'Revoked' } });
    expect(other.status).toBe(201);
    const revoked = await http(platform.baseUrl, 'DELETE', `/v1/admin/sources/revoked-budget/keys/${other.body.keyId}`, admin);
    expect(revoked.status).toBe(204);
    expect((await get(ip, other.body.key)).status).toBe(429);
  });

  it('limits GraphQL over HTTP, one point per request however many root fields', async () => {
    const ip = newClientIp();
    for (let index = 0; index < 3; index++) {
      const answer = await query(ip, `{ a: activities(first: 1) { totalCount } b: activities(first: 1) { totalCount } }`);
      expect(answer.status).toBe(200);
      expect(answer.body.errors).toBeUndefined();
    }
    const limited = await query(ip, ACTIVITIES);
    expect(limited.body.errors?.[0].message).toMatch(/Te veel verzoeken.*Too many requests/);
    expect(limited.body.errors?.[0].extensions.code).toBe('RATE_LIMITED');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('counts REST and GraphQL in one budget', async () => {
    const ip = newClientIp();
    await get(ip);
    await get(ip);
    expect((await query(ip, ACTIVITIES)).body.errors).toBeUndefined();
    expect((await query(ip, ACTIVITIES)).body.errors?.[0].extensions.code).toBe('RATE_LIMITED');
  });

  it('leaves graphql-ws operations alone (no HTTP request per operation)', async () => {
    const client = createClient({ url: `${platform.baseUrl.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0 });
    try {
      // One result of the first operation, or its error: enough to tell that the guard let it through.
      const first = (query: string) =>
        new Promise<unknown>((resolve, reject) => {
          const dispose = client.subscribe({ query }, { next: (value) => (dispose(), resolve(value)), error: reject, complete: () => undefined });
        });
      for (let index = 0; index < 4; index++) expect(await first(ACTIVITIES)).toEqual({ data: { activities: { totalCount: 0 } } });
      const event = first('subscription { availabilityChanged { performanceExternalId remaining } }');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await platform.app.get(LiveChangesPublisher).publishAvailability([outageEvent]);
      await expect(event).resolves.toEqual({ data: { availabilityChanged: { performanceExternalId: 'p', remaining: 0 } } });
    } finally {
      await client.dispose();
    }
  });
});

/** A TCP hop in front of the test Redis that can be cut, as when Redis restarts or the network drops. */
async function cuttableRedis(): Promise<{ url: string; cut(): Promise<void> }> {
  const target = new URL(TEST_REDIS_URL);
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 6379), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `redis://127.0.0.1:${port}`,
    cut: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

describe('Redis outage (fail fast, fail open)', () => {
  const config = { get: (name: string) => (name === 'RATE_LIMIT_PER_MINUTE' ? 100 : 'test-outage') } as unknown as ConfigService<AppConfig, true>;
  const sources = { authenticate: async () => null } as unknown as SourceStore;
  const request = { headers: {}, ip: '198.51.100.1' } as Request;
  const response = { setHeader: () => response } as unknown as Response;
  let redis: Redis | undefined;
  const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

  afterEach(() => {
    redis?.disconnect();
    redis = undefined;
    warn.mockClear();
  });
  afterAll(async () => {
    warn.mockRestore();
    // The guard counted one request before the relay was cut: leave Redis as found.
    await dropRedisPrefix(TEST_REDIS_URL, 'test-outage');
  });

  /** Resolves with what the promise gave, or 'hung' after the time a request may reasonably wait. */
  const within = <T>(promise: Promise<T>, ms = 1500) =>
    Promise.race([promise, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), ms).unref())]);

  it('lets requests through and skips live publishes at once when Redis goes away', async () => {
    const hop = await cuttableRedis();
    redis = await createFailFastRedis(hop.url);
    const guard = new RateLimitGuard(redis, config, sources);
    const publisher = new LiveChangesPublisher(redis, 'test-outage');
    // Ready at start: the first command works although there is no offline queue.
    await expect(guard.canActivate(new ExecutionContextHost([request, response]))).resolves.toBe(true);
    expect(warn).not.toHaveBeenCalled();

    await hop.cut();
    await expect(within(guard.canActivate(new ExecutionContextHost([request, response])))).resolves.toBe(true);
    await expect(within(publisher.publishAvailability([outageEvent]))).resolves.toBeUndefined();
    const warnings = warn.mock.calls.map(([message]) => String(message));
    expect(warnings).toEqual([expect.stringMatching(/rate limit not checked/), expect.stringMatching(/1 of 1 availability change\(s\) not published live/)]);
  }, 5000);

  it('fails start-up at once rather than hanging when Redis is not there', async () => {
    await expect(within(createFailFastRedis('redis://127.0.0.1:1'))).rejects.toThrow('Redis at 127.0.0.1:1 is not reachable');
  }, 5000);
});

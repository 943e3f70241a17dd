import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import { validateConfig } from '@platform/config';
import { SourceStore } from '@platform/storage';
import { AppModule } from '../../apps/api/src/app.module.js';
import { configureApp } from '../../apps/api/src/configure-app.js';
import { WorkerModule } from '../../apps/worker/src/worker.module.js';
import { dropRedisPrefix } from '@platform/queue';
import { createTestDatabase, testRedisPrefix, TEST_REDIS_URL, type TestDatabase } from './test-database.js';
import { freePort } from './throwaway-services.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  database: TestDatabase;
  redisPrefix: string;
  /** Creates a source and returns its vendor key. */
  createSource(id: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * The whole platform (api + worker) on a fresh Postgres database and its own Redis prefix, listening
 * on a free port: what e2e and integration tests talk to over real HTTP and WebSocket.
 * `ownBaseUrl`: PUBLIC_BASE_URL is the app's own address, so the absolute links it publishes (feed
 * `next` URLs, TREE relations) can be followed by a real client.
 */
export async function startTestApp(
  options: { worker?: boolean; overrides?: Record<string, string>; database?: TestDatabase; ownBaseUrl?: boolean } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const listenPort = options.ownBaseUrl ? await freePort() : 0;
  const redisPrefix = options.overrides?.REDIS_PREFIX ?? testRedisPrefix();
  const overrides = {
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: redisPrefix,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    PUBLIC_BASE_URL: options.ownBaseUrl ? `http://127.0.0.1:${listenPort}` : 'http://data.test.local',
    // pino-http logs every request at info: keep test output to warnings and errors.
    LOG_LEVEL: 'warn',
    ...options.overrides,
  };
  const moduleRef = await Test.createTestingModule({
    imports: [AppModule.create(options.worker === false ? [] : [WorkerModule], overrides)],
  }).compile();
  const app = moduleRef.createNestApplication({ bodyParser: false, logger: ['error', 'warn'] });
  configureApp(app, validateConfig({ ...process.env, ...overrides }));
  await app.listen(listenPort, '127.0.0.1');
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
    database,
    redisPrefix,
    async createSource(id: string) {
      const sources = app.get(SourceStore);
      await sources.create({ id, name: `Test ${id}`, kind: 'push' });
      return (await sources.issueKey(id)).key;
    },
    async close() {
      await app.close();
      if (!options.database) await database.drop();
      if (!options.overrides?.REDIS_PREFIX) await dropRedisPrefix(TEST_REDIS_URL, redisPrefix);
    },
  };
}

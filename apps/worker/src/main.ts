import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, validateConfig } from '@platform/config';
import { processLogger } from '@platform/runtime';
import { WorkerProcessModule } from './worker-process.module.js';

/** The worker process: queue consumers only, no HTTP. Needs DATABASE_URL and REDIS_URL (no embedded mode). */
async function bootstrap(): Promise<void> {
  const config = validateConfig(process.env);
  if (!config.REDIS_URL || !config.DATABASE_URL) {
    throw new Error('The worker process needs DATABASE_URL and REDIS_URL; for a single process on embedded storage run `npm start`.');
  }
  const app = await NestFactory.createApplicationContext(WorkerProcessModule.create(), { logger: processLogger(config.LOG_LEVEL) });
  app.enableShutdownHooks();
  Logger.log(`worker started (concurrency ${config.WORKER_CONCURRENCY})`, 'Worker');
  if (!config.CREDENTIALS_KEY) Logger.warn('CREDENTIALS_KEY is not set: connector credentials are read unsealed (set the same key on every api and worker process)', 'Worker');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});

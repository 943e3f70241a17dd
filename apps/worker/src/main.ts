import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, validateConfig } from '@platform/config';
import { exitAfterShutdownTimeout, QuietPinoLogger, startOpsServer } from '@platform/observability';
import { WorkerProcessModule } from './worker-process.module.js';

/** The worker process: queue consumers only, no HTTP. Needs DATABASE_URL and REDIS_URL (no embedded mode). */
async function bootstrap(): Promise<void> {
  const config = validateConfig(process.env);
  if (!config.REDIS_URL || !config.DATABASE_URL) {
    throw new Error('The worker process needs DATABASE_URL and REDIS_URL; for a single process on embedded storage run `npm start`.');
  }
  const app = await NestFactory.createApplicationContext(WorkerProcessModule.create(), { bufferLogs: true });
  app.useLogger(app.get(QuietPinoLogger));
  // SIGTERM: readiness turns 503, workers take no new job, running batches finish and a connector run
  // stops after its page in hand (handed back to the queue); then the process exits.
  app.enableShutdownHooks();
  exitAfterShutdownTimeout(config.SHUTDOWN_TIMEOUT_MS);
  const ops = config.METRICS_PORT > 0 ? await startOpsServer(app, config.METRICS_PORT) : undefined;
  Logger.log(`worker started (concurrency ${config.WORKER_CONCURRENCY})${ops ? `; /metrics and /health/* on port ${ops.port}` : ''}`, 'Worker');
  if (!config.CREDENTIALS_KEY) Logger.warn('CREDENTIALS_KEY is not set: connector credentials are read unsealed (set the same key on every api and worker process)', 'Worker');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});

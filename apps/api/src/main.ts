import 'reflect-metadata';
import { Logger, type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, validateConfig } from '@platform/config';
import { exitAfterShutdownTimeout, QuietPinoLogger } from '@platform/observability';
import { localSecret, seedDemo, seedDemoParticipation, startEmbeddedRedis, type EmbeddedRedis } from '@platform/runtime';
import { AppModule } from './app.module.js';
import { configureApp } from './configure-app.js';

/**
 * `npm start`: the api, and with ROLE=all (default) the worker too, in one process. Without
 * DATABASE_URL it runs on embedded PGlite in DATA_DIR; without REDIS_URL it starts a local
 * redis-server. Prints where everything is.
 */
async function bootstrap(): Promise<void> {
  const initial = validateConfig(process.env);
  const embeddedDatabase = !initial.DATABASE_URL;
  let redis: EmbeddedRedis | undefined;
  if (!initial.REDIS_URL) {
    redis = await startEmbeddedRedis(initial.DATA_DIR);
    process.env.REDIS_URL = redis.url;
  }
  process.env.ADMIN_TOKEN ??= localSecret(initial.DATA_DIR, 'admin-token', 'adm_');
  // One process owns the embedded database: its connector credentials are sealed with a key kept beside it.
  if (embeddedDatabase) process.env.CREDENTIALS_KEY ??= localSecret(initial.DATA_DIR, 'credentials-key', 'ck_');
  if (embeddedDatabase) process.env.PSEUDONYM_KEY ??= localSecret(initial.DATA_DIR, 'pseudonym-key', 'pk_');
  const demoEnabled = initial.DEMO_DATA ?? embeddedDatabase;
  const demoKey = initial.DEMO_API_KEY ?? (demoEnabled ? localSecret(initial.DATA_DIR, 'demo-api-key', 'cdp_demo_') : undefined);
  const config = validateConfig(process.env);

  const extra: Array<Type | DynamicModule> = [];
  if (config.ROLE === 'all') {
    // The single-process start composes the worker's module into the api process.
    const { WorkerModule } = await import('../../worker/src/worker.module.js');
    extra.push(WorkerModule);
  }
  // Logs are JSON lines (pino) from the first one on; the banner below is for the person who started it.
  const app = await NestFactory.create(AppModule.create(extra), { bodyParser: false, bufferLogs: true });
  app.useLogger(app.get(QuietPinoLogger));
  configureApp(app, config);
  app.enableShutdownHooks();
  exitAfterShutdownTimeout(config.SHUTDOWN_TIMEOUT_MS);
  if (redis) {
    // Nest's shutdown hooks re-raise the signal, after which 'exit' handlers do not run.
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void redis!.stop());
  }
  await app.listen(config.PORT, '0.0.0.0');

  let demoLine = 'demo data: off (DEMO_DATA=true to load it)';
  if (demoEnabled && demoKey) {
    const seeded = await seedDemo(app, demoKey);
    demoLine = `demo data: source "demo", batch ${seeded.batchId}: ${seeded.result.accepted} accepted, ${seeded.result.unchanged} unchanged, ${seeded.result.rejected} rejected`;
    if (config.PSEUDONYM_KEY && config.DEMO_PARTICIPATION_TICKETS > 0) {
      // In the background: the first load takes tens of seconds on PGlite, the start must not wait for it
      // (a restart finds the tickets stored and skips in one count query).
      demoLine += `; ${config.DEMO_PARTICIPATION_TICKETS} synthetic tickets (participation) loading in the background`;
      void seedDemoParticipation(app, { tickets: config.DEMO_PARTICIPATION_TICKETS }).then(
        (loaded) =>
          Logger.log(
            loaded.skipped
              ? `demo participation: ${loaded.unchanged} synthetic tickets already loaded`
              : `demo participation: ${loaded.accepted} synthetic tickets loaded, ${loaded.unchanged} unchanged, ${loaded.rejected} rejected, in ${(loaded.milliseconds / 1000).toFixed(1)} s`,
            'Start',
          ),
        (error: unknown) => Logger.warn(`demo participation not (fully) loaded: ${(error as Error).message}; the next start loads it again`, 'Start'),
      );
    }
  }
  const base = config.PUBLIC_BASE_URL;
  const local = `http://localhost:${config.PORT}`;
  const lines = [
    '',
    `Cultuurdata platform is running (${config.ROLE === 'all' ? 'api + worker' : 'api only'})`,
    `  Console        ${local}/console/   (sign in with the admin token or a vendor key)`,
    `  Research page  ${local}/research/   (map, charts and peer comparison; sign in with a researcher key)`,
    `  GraphQL        ${local}/graphql   (GraphiQL in a browser; subscriptions: ws://localhost:${config.PORT}/graphql)`,
    `  JSON-LD        ${base}/id/activiteit/{uuid}   (context: ${base}/ns/context.jsonld; Accept: text/html for the page)`,
    `  Search         GET  ${local}/v1/activities?text=concert   (Hydra collection of schema.org Events)`,
    `  RPDE feeds     GET  ${local}/feeds/activities   (also /feeds/places, /feeds/organizers)`,
    `  LDES           GET  ${local}/ldes/activities   (Turtle or JSON-LD)`,
    `  Push API       POST ${local}/v1/sources/{sourceId}/activities`,
    `  Participation  POST ${local}/v1/sources/{sourceId}/participation   (stripped of personal data before storage)`,
    `  Research       GET  ${local}/v1/research/participation?groupBy=homeMunicipality   (researcher key: POST /v1/admin/researcher-keys)`,
    `                 GET  ${local}/v1/research/comparators?organizer={code}&peers=province, .../trends?period=month, .../organizers`,
    `  Datasets       GET  ${local}/datasets   (DCAT-AP catalogue, Turtle or JSON-LD)`,
    `  Batches        GET  ${local}/v1/batches/{batchId}`,
    `  Validate       POST ${local}/v1/validate`,
    `  Connectors     PUT  ${local}/v1/admin/sources/{sourceId}/connector, POST .../runs (reports: GET .../runs)`,
    `  Review list    GET  ${local}/v1/admin/reconciliation/candidates`,
    `  Webhooks       POST ${local}/v1/webhooks (consumer key: POST ${local}/v1/admin/consumers)`,
    `  Events (SSE)   GET  ${local}/v1/events/changes, ${local}/v1/events/availability`,
    `  OpenAPI docs   ${local}/docs   (JSON: ${local}/docs/openapi.json)   Guides: docs/for-*.md`,
    `  Health         ${local}/health/live, ${local}/health/ready   Metrics: ${local}/metrics`,
    `  Database       ${embeddedDatabase ? `embedded PGlite in ${config.DATA_DIR}/pglite` : 'DATABASE_URL'}`,
    `  Redis          ${redis ? `${redis.url} (local redis-server started for this process)` : 'REDIS_URL'}`,
    `  ${demoLine}`,
    ...(demoKey ? [`  Demo vendor key  ${demoKey}`] : []),
    `  Admin token      ${initial.ADMIN_TOKEN ? '(ADMIN_TOKEN from the environment)' : `${process.env.ADMIN_TOKEN} (kept in ${config.DATA_DIR}/admin-token)`}`,
    '',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (!config.CREDENTIALS_KEY) Logger.warn('CREDENTIALS_KEY is not set: connector credentials are stored unsealed in the database', 'Start');
}

bootstrap().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});

import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { MIGRATIONS } from './migrations/index.js';

export interface DatabaseSettings {
  /** postgres:// URL; absent: embedded PGlite in `dataDir`/pglite. */
  url?: string;
  dataDir: string;
  /** Log SQL (debugging only). */
  logging?: boolean;
  /** A new Postgres connection fails after this long (DATABASE_CONNECT_TIMEOUT_MS); default 10 s. */
  connectTimeoutMs?: number;
}

/** One set of entities and migrations for both dialects: PGlite is Postgres compiled to WASM. */
export async function dataSourceOptions(settings: DatabaseSettings): Promise<DataSourceOptions> {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    // Run by migrate() under a lock instead: replicas that start together must not race on DDL.
    migrationsRun: false,
    synchronize: false,
    logging: settings.logging ?? false,
  };
  if (settings.url) {
    // A connect that hangs fails in bounded time; TCP keep-alive finds a connection whose server went away quietly.
    return { ...common, url: settings.url, extra: { max: 10, connectionTimeoutMillis: settings.connectTimeoutMs ?? 10_000, keepAlive: true } };
  }
  const directory = path.resolve(settings.dataDir, 'pglite');
  mkdirSync(directory, { recursive: true });
  // typeorm-pglite is loaded only in embedded mode, so a production image need not load the WASM.
  const { PGliteDriver } = await import('typeorm-pglite');
  return {
    ...common,
    driver: new PGliteDriver({ dataDir: directory }).driver,
    // PGlite has no uuid-ossp; uuids are generated in code anyway.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
  } as DataSourceOptions;
}

// Any constant works; it only has to be the same for every process migrating this database.
const MIGRATION_LOCK = 7_300_002;

/** Applies pending migrations; concurrent callers (api and workers starting at once) wait for each other. */
export async function migrate(dataSource: DataSource): Promise<void> {
  const lockHolder = dataSource.createQueryRunner();
  await lockHolder.connect();
  try {
    await lockHolder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lockHolder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lockHolder.release();
  }
}

/** An initialised data source with every migration applied. */
export async function initializeDataSource(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = new DataSource(options);
  await dataSource.initialize();
  await migrate(dataSource);
  return dataSource;
}

export async function openDataSource(settings: DatabaseSettings): Promise<DataSource> {
  return initializeDataSource(await dataSourceOptions(settings));
}

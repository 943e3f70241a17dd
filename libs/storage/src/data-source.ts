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
}

/** One set of entities and migrations for both dialects: PGlite is Postgres compiled to WASM. */
export async function dataSourceOptions(settings: DatabaseSettings): Promise<DataSourceOptions> {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    logging: settings.logging ?? false,
  };
  if (settings.url) {
    return { ...common, url: settings.url, extra: { max: 10 } };
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

export async function openDataSource(settings: DatabaseSettings): Promise<DataSource> {
  const dataSource = new DataSource(await dataSourceOptions(settings));
  await dataSource.initialize();
  return dataSource;
}

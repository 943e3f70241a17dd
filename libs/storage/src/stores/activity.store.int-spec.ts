import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { checkActivityWrites } from '../../../../test/support/activity-write-scenario.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { openDataSource } from '../data-source.js';

describe('activity writes (integration, real Postgres)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource({ url: database.url, dataDir: './data' });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('stores activities, performances and reports with one statement per table, as the entities read them', async () => {
    await checkActivityWrites(dataSource, 'bulk');
  });
});

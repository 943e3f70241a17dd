import { afterAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { openDataSource } from './data-source.js';
import { MIGRATIONS } from './migrations/index.js';

describe('migrations (integration, real Postgres)', () => {
  let database: TestDatabase;
  const opened: DataSource[] = [];

  afterAll(async () => {
    await Promise.all(opened.map((dataSource) => dataSource.destroy()));
    await database?.drop();
  });

  it('lets processes that start together migrate one fresh database without racing', async () => {
    database = await createTestDatabase();
    opened.push(...(await Promise.all([1, 2, 3].map(() => openDataSource({ url: database.url, dataDir: './data' })))));
    const applied: Array<{ name: string }> = await opened[0].query('SELECT name FROM migrations');
    expect(applied.map((row) => row.name)).toEqual(MIGRATIONS.map((migration) => new migration().name));
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { anActivity } from '../../../../test/support/factories.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { openDataSource } from '../data-source.js';
import { SourceEntity } from '../entities/index.js';
import { ActivityStore } from './activity.store.js';
import { AvailabilityStore } from './availability.store.js';
import { appendChanges, ChangeLogStore } from './change-log.store.js';

describe('availability fast lane (integration, real Postgres)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: AvailabilityStore;
  const activity = anActivity();
  const performanceIds = activity.performances.map((performance) => performance.externalId);

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource({ url: database.url, dataDir: './data' });
    await dataSource.getRepository(SourceEntity).insert({ id: 'lane', name: 'Lane', kind: 'push' });
    await dataSource.transaction(async (manager) => {
      const result = await new ActivityStore(dataSource).upsert(manager, 'lane', [{ activity, contentHash: 'h1' }]);
      await appendChanges(manager, result.changes);
    });
    store = new AvailabilityStore(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('applies a capacity read earlier only if it is still the stored one', async () => {
    const [stored] = await store.current('lane', [performanceIds[0]]);
    const stale = await store.write('lane', [
      { externalId: performanceIds[0], capacity: (stored.capacity ?? 0) + 1, remaining: 1, level: 'LimitedAvailability', expectedCapacity: (stored.capacity ?? 0) + 1 },
    ]);
    expect(stale.conflicts).toEqual([performanceIds[0]]);
    const fresh = await store.write('lane', [
      { externalId: performanceIds[0], capacity: stored.capacity, remaining: 1, level: 'LimitedAvailability', expectedCapacity: stored.capacity },
    ]);
    expect(fresh.changes.map((change) => change.performanceExternalId)).toEqual([performanceIds[0]]);
    expect(fresh.changes[0].seq).toMatch(/^\d+$/);
    const unknown = await store.write('lane', [{ externalId: 'nope', capacity: 1, remaining: 1, level: 'InStock' }]);
    expect(unknown.unknown).toEqual(['nope']);
  });

  it('makes every fast-lane change visible to a reader following seq, in order, under concurrent writers', async () => {
    const changeLog = new ChangeLogStore(dataSource);
    const start = (await changeLog.read('0', 100000)).at(-1)?.seq ?? '0';
    let writing = true;
    const writers = performanceIds.map(async (externalId, writer) => {
      for (let round = 0; round < 40; round++) {
        await store.write('lane', [{ externalId, capacity: 500, remaining: (round * 7 + writer) % 500, level: 'InStock' }]);
      }
    });
    const seen: string[] = [];
    const reader = (async () => {
      let cursor = start;
      while (writing) {
        for (const row of await changeLog.read(cursor, 50)) {
          seen.push(row.seq);
          cursor = row.seq;
        }
      }
      for (const row of await changeLog.read(cursor, 100000)) seen.push(row.seq);
    })();
    await Promise.all(writers);
    writing = false;
    await reader;
    const committed = (await changeLog.read(start, 100000)).map((row) => row.seq);
    expect(committed.length).toBeGreaterThan(50);
    expect(seen).toEqual(committed);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { openDataSource } from '../data-source.js';
import { SourceEntity } from '../entities/index.js';
import { appendChanges, ChangeLogStore } from './change-log.store.js';

const entry = () => ({ entityType: 'activity' as const, entityId: randomUUID(), sourceId: 'feed-test', operation: 'upsert' as const });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('change log (integration, real Postgres)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource({ url: database.url, dataDir: './data' });
    await dataSource.getRepository(SourceEntity).insert({ id: 'feed-test', name: 'Feed test', kind: 'push' });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('makes a later writer wait until an earlier one commits, so a smaller sequence never appears late', async () => {
    const first = dataSource.createQueryRunner();
    const second = dataSource.createQueryRunner();
    await first.startTransaction();
    await second.startTransaction();
    try {
      const [firstSeq] = await appendChanges(first.manager, [entry()]);
      let secondDone = false;
      const secondAppend = appendChanges(second.manager, [entry()]).then((sequences) => {
        secondDone = true;
        return sequences;
      });
      await sleep(300);
      expect(secondDone).toBe(false);
      await first.commitTransaction();
      const [secondSeq] = await secondAppend;
      await second.commitTransaction();
      expect(BigInt(secondSeq)).toBeGreaterThan(BigInt(firstSeq));
    } finally {
      await first.release();
      await second.release();
    }
  });

  it('lets a reader following seq see every committed change exactly once, in order, under concurrent writers', async () => {
    const store = new ChangeLogStore(dataSource);
    const start = (await store.read('0', 100000)).at(-1)?.seq ?? '0';
    let writing = true;
    const writers = Array.from({ length: 6 }, async (_, writer) => {
      for (let transaction = 0; transaction < 15; transaction++) {
        await dataSource.transaction(async (manager) => {
          await appendChanges(manager, Array.from({ length: 1 + ((writer + transaction) % 3) }, entry));
          // Hold the transaction open a little after taking sequence numbers: the dangerous window.
          await sleep(Math.random() * 8);
          if ((writer + transaction) % 7 === 0) throw new Error('rolled back on purpose');
        }).catch((error: Error) => {
          if (error.message !== 'rolled back on purpose') throw error;
        });
      }
    });
    const seen: string[] = [];
    const reader = (async () => {
      let cursor = start;
      while (writing) {
        for (const row of await store.read(cursor, 50)) {
          seen.push(row.seq);
          cursor = row.seq;
        }
        await sleep(1);
      }
      for (const row of await store.read(cursor, 100000)) seen.push(row.seq);
    })();
    await Promise.all(writers);
    writing = false;
    await reader;
    const committed = (await store.read(start, 100000)).map((row) => row.seq);
    expect(committed.length).toBeGreaterThan(100);
    expect(seen).toEqual(committed);
  });
});

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { entityId, type Activity } from '@platform/domain';
import { aPerformance, anActivity } from '../../../../test/support/factories.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { openDataSource } from '../data-source.js';
import { SourceEntity } from '../entities/index.js';
import { ActivitySearchStore, type ActivitySearchQuery, type SearchSort } from './activity-search.store.js';
import { ActivityStore } from './activity.store.js';
import { appendChanges } from './change-log.store.js';

/** Five instants, so many activities tie on their start (the keyset's tie-break is the id). */
const STARTS = ['2027-02-01T20:00:00+01:00', '2027-02-01T20:00:00.000250+01:00', '2027-03-10T15:00:00+01:00', '2027-05-01T00:00:00+02:00', '2028-01-01T10:00:00Z'];

/** A catalogue of ties, activities without performances (they sort last), periods by opening hours, and clusters. */
function catalogue(): Activity[] {
  const activities: Activity[] = [];
  for (let index = 0; index < 36; index += 1) {
    const kind = index % 6;
    const start = STARTS[(index * 7) % STARTS.length];
    if (kind === 4) {
      activities.push(
        anActivity({
          externalId: `period-${index}`,
          calendarType: 'periodic',
          period: { start, end: '2028-12-31T23:59:59+01:00' },
          openingHours: [{ opens: '10:00', closes: '18:00', daysOfWeek: ['saturday'] }],
          performances: [],
        }),
      );
    } else if (kind === 5) {
      activities.push(anActivity({ externalId: `unscheduled-${index}`, calendarType: 'permanent', openingHours: [], performances: [] }));
    } else {
      const performances = [aPerformance(`p-${index}-a`, { start, end: undefined })];
      if (kind === 2) performances.push(aPerformance(`p-${index}-b`, { start: STARTS[(index + 1) % STARTS.length], end: undefined }));
      activities.push(anActivity({ externalId: `event-${index}`, performances }));
    }
  }
  return activities;
}

/**
 * Unfiltered and audience-only pages sorted by start or modified come in index order (pageInIndexOrder); any other
 * condition pages by grouping every match (pageByGrouping). `minAge: 0` holds for every activity, so it walks the same
 * set by grouping: both walks must give the same ids in the same order, with the same total, for every page size.
 */
describe('activity search in index order (integration, real Postgres)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let search: ActivitySearchStore;
  const store = () => new ActivityStore(dataSource);

  const write = (sourceId: string, activities: Activity[], at: Date) =>
    dataSource.transaction(async (manager) => {
      const result = await store().upsert(manager, sourceId, activities.map((activity, index) => ({ activity, contentHash: `${at.getTime()}-${index}` })), at);
      await appendChanges(manager, result.changes);
    });

  const walk = async (query: ActivitySearchQuery, sort: SearchSort, size: number) => {
    const ids: string[] = [];
    const totals = new Set<number>();
    let after: string | undefined;
    for (let page = 0; page < 200; page += 1) {
      const result = await search.search(query, sort, size, after);
      totals.add(result.totalCount);
      ids.push(...result.hits.map((hit) => hit.id));
      if (!result.hasNextPage) break;
      after = result.endCursor!;
    }
    return { ids, totals: [...totals] };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource({ url: database.url, dataDir: './data' });
    await dataSource.getRepository(SourceEntity).insert([
      { id: 'house', name: 'House', kind: 'push' },
      { id: 'other', name: 'Other', kind: 'push' },
    ]);
    const all = catalogue();
    // Three moments of modification, so the modified sort ties too.
    await write('house', all.slice(0, 12), new Date('2026-11-01T10:00:00Z'));
    await write('house', all.slice(12, 24), new Date('2026-11-02T10:00:00Z'));
    await write('other', all.slice(24), new Date('2026-11-01T10:00:00Z'));
    // Clusters: a cluster lists once, as its published id, at the best position of its records.
    const house = (externalId: string) => entityId('activiteit', 'house', externalId);
    const other = (externalId: string) => entityId('activiteit', 'other', externalId);
    await dataSource.query(
      `INSERT INTO activity_link (activity_id, cluster_id, method) VALUES
         ($1, $1, 'declared'), ($2, $1, 'declared'), ($3, $1, 'declared'),
         ($4, $4, 'declared'), ($5, $4, 'declared')`,
      [house('event-0'), house('event-13'), other('event-26'), house('unscheduled-5'), other('period-28')],
    );
    await appendChanges(dataSource.manager, [{ entityType: 'activity', entityId: house('event-0'), sourceId: 'house', operation: 'upsert' }]);
    search = new ActivitySearchStore(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const sorts: SearchSort[] = [
    { by: 'start', order: 'asc' },
    { by: 'start', order: 'desc' },
    { by: 'modified', order: 'asc' },
    { by: 'modified', order: 'desc' },
  ];

  it.each(sorts)('sort %o: the ordered walk and the grouping walk list the same ids in the same order', async (sort) => {
    const ordered = jest.spyOn(ActivitySearchStore.prototype as unknown as { pageInIndexOrder: () => Promise<unknown> }, 'pageInIndexOrder');
    try {
      const reference = await walk({ minAge: 0 }, sort, 100);
      expect(ordered).not.toHaveBeenCalled();
      // 36 records, 5 of them in 2 clusters: 33 published activities.
      expect(reference.ids).toHaveLength(33);
      expect(new Set(reference.ids).size).toBe(33);
      expect(reference.totals).toEqual([33]);
      for (const size of [1, 3, 7, 50]) {
        const grouped = await walk({ minAge: 0 }, sort, size);
        expect(grouped).toEqual(reference);
        const unfiltered = await walk({}, sort, size);
        expect(unfiltered).toEqual(reference);
        expect(await walk({ audienceType: '*' }, sort, size)).toEqual(reference);
      }
      expect(ordered).toHaveBeenCalled();
    } finally {
      ordered.mockRestore();
    }
  });

  it('the modified sort keeps its own range in index order', async () => {
    const query = { modifiedFrom: new Date('2026-11-02T00:00:00Z') };
    for (const sort of sorts.filter((entry) => entry.by === 'modified')) {
      expect(await walk(query, sort, 4)).toEqual(await walk({ ...query, minAge: 0 }, sort, 4));
    }
    expect((await walk(query, { by: 'modified', order: 'asc' }, 100)).ids).toHaveLength(12);
  });

  it('the total is counted again once a write moves the change log, and kept while it does not', async () => {
    const before = await search.search({}, { by: 'start', order: 'asc' }, 5);
    expect(before.totalCount).toBe(33);
    await write('other', [anActivity({ externalId: 'late-addition' })], new Date('2026-11-03T10:00:00Z'));
    expect((await search.search({}, { by: 'start', order: 'asc' }, 5)).totalCount).toBe(34);
    expect((await search.search({ minAge: 0 }, { by: 'start', order: 'asc' }, 5)).totalCount).toBe(34);
    // A change the platform did not make (no change-log entry) is not seen by the kept total: it only moves with the log.
    const query = async () => (await search.search({}, { by: 'start', order: 'asc' }, 5)).totalCount;
    await dataSource.query(`DELETE FROM activity WHERE external_id = 'late-addition'`);
    expect(await query()).toBe(34);
    await appendChanges(dataSource.manager, [{ entityType: 'activity', entityId: entityId('activiteit', 'other', 'late-addition'), sourceId: 'other', operation: 'delete' }]);
    expect(await query()).toBe(33);
  });
});

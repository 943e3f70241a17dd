import { expect } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { entityId } from '@platform/domain';
import { ActivityEntity, OrganizerEntity, PerformanceEntity, PlaceEntity, SourceEntity, ValidationReportEntity } from '../../libs/storage/src/entities/index.js';
import { ActivityStore } from '../../libs/storage/src/stores/activity.store.js';
import { ArchiveStore } from '../../libs/storage/src/stores/archive.store.js';
import { BatchStore } from '../../libs/storage/src/stores/batch.store.js';
import { anActivity, aPerformance } from './factories.js';

/**
 * The bulk write path (one multi-row statement per table) read back through the ORM's entities, so the
 * same columns come back as before: run on the real Postgres and on the embedded PGlite.
 */
export async function checkActivityWrites(dataSource: DataSource, sourceId: string): Promise<void> {
  await dataSource.getRepository(SourceEntity).insert({ id: sourceId, name: sourceId, kind: 'push' });
  const store = new ActivityStore(dataSource);
  const first = anActivity({ externalId: 'bulk-1' });
  const second = anActivity({ externalId: 'bulk-2', performances: [aPerformance('bulk-2-p1')] });
  const created = new Date('2026-12-01T10:00:00.000Z');
  const written = await dataSource.transaction((manager) =>
    store.upsert(manager, sourceId, [
      { activity: first, contentHash: 'h1' },
      { activity: second, contentHash: 'h2' },
    ], created),
  );
  const firstId = entityId('activiteit', sourceId, 'bulk-1');
  expect(written.outcomes).toEqual([
    { activityId: firstId, status: 'accepted' },
    { activityId: entityId('activiteit', sourceId, 'bulk-2'), status: 'accepted' },
  ]);
  expect(written.changes.map((change) => change.entityType).sort()).toEqual(['activity', 'activity', 'organizer', 'place']);
  expect(written.availabilityChanges).toHaveLength(3);

  const row = await dataSource.getRepository(ActivityEntity).findOneByOrFail({ id: firstId });
  // Seat counts live in the performance table only.
  expect(row.document).toEqual({ ...first, performances: first.performances.map(({ availability: _live, ...rest }) => rest) });
  expect(row).toMatchObject({
    sourceId,
    externalId: 'bulk-1',
    contentHash: 'h1',
    placeId: entityId('locatie', sourceId, 'venue-1'),
    organizerId: entityId('organisator', sourceId, 'org-1'),
    postalCode: '9000',
    typeIri: first.type!.iri,
    themeIri: null,
  });
  expect(row.firstStart!.toISOString()).toBe('2027-02-01T19:00:00.000Z');
  expect(row.lastEnd!.toISOString()).toBe('2027-02-02T21:00:00.000Z');
  expect(row.createdAt.toISOString()).toBe(created.toISOString());
  expect(row.searchText).toContain('Concert');
  expect((await dataSource.getRepository(PlaceEntity).findOneByOrFail({ id: row.placeId! })).document).toEqual(first.place);
  expect((await dataSource.getRepository(OrganizerEntity).findOneByOrFail({ id: row.organizerId! })).name).toEqual(first.organizer!.name);
  const performances = await dataSource.getRepository(PerformanceEntity).find({ where: { activityId: firstId }, order: { position: 'ASC' } });
  expect(performances.map((performance) => [performance.externalId, performance.position, performance.capacity, performance.remaining, performance.availabilityLevel])).toEqual([
    ['bulk-1-p1', 0, 500, 200, 'InStock'],
    ['bulk-1-p2', 1, 500, 200, 'InStock'],
  ]);
  expect(performances[0].availabilityChangedAt!.toISOString()).toBe('2026-11-20T10:00:00.000Z');

  // Changed: the second performance dropped, the first without seat counts (keeps the stored ones), a new third.
  const changed = { ...first, title: { nl: 'Ander concert' }, performances: [{ ...first.performances[0], availability: undefined }, aPerformance('bulk-1-p3', { availability: { capacity: 10, remaining: 0, level: 'OutOfStock', changedAt: '2026-12-01T09:00:00Z' } })] };
  const later = new Date('2026-12-01T11:00:00.000Z');
  const again = await dataSource.transaction((manager) =>
    store.upsert(manager, sourceId, [
      { activity: changed, contentHash: 'h1b' },
      { activity: second, contentHash: 'h2' },
    ], later),
  );
  expect(again.outcomes.map((outcome) => outcome.status)).toEqual(['accepted', 'unchanged']);
  // Place and organizer did not change: only the activity is change-logged.
  expect(again.changes).toEqual([{ entityType: 'activity', entityId: firstId, sourceId, operation: 'upsert' }]);
  expect(again.availabilityChanges.map((change) => [change.performanceExternalId, change.remaining, change.level, change.changedAt])).toEqual([
    ['bulk-1-p3', 0, 'OutOfStock', '2026-12-01T09:00:00.000Z'],
  ]);
  const updated = await dataSource.getRepository(ActivityEntity).findOneByOrFail({ id: firstId });
  expect(updated.createdAt.toISOString()).toBe(created.toISOString());
  expect(updated.modifiedAt.toISOString()).toBe(later.toISOString());
  expect(updated.document.title).toEqual({ nl: 'Ander concert' });
  const after = await dataSource.getRepository(PerformanceEntity).find({ where: { activityId: firstId }, order: { position: 'ASC' } });
  expect(after.map((performance) => [performance.externalId, performance.capacity, performance.remaining, performance.availabilityChangedAt?.toISOString()])).toEqual([
    ['bulk-1-p1', 500, 200, '2026-11-20T10:00:00.000Z'],
    ['bulk-1-p3', 10, 0, '2026-12-01T09:00:00.000Z'],
  ]);

  // The per-item report: results kept as JSON, a retried batch replaces its report.
  const batches = new BatchStore(dataSource);
  const payloadId = await new ArchiveStore(dataSource).archive({ sourceId, kind: 'activities', contentType: 'application/json', body: Buffer.from('[]') });
  const batchId = await batches.create(sourceId, payloadId);
  const results = [{ focusNode: '/', path: '/title', severity: 'Violation', message: { nl: 'Geen "titel"', en: 'No \\ title' }, constraint: 'x' }];
  for (let attempt = 0; attempt < 2; attempt++) {
    await dataSource.transaction((manager) =>
      batches.finish(manager, { id: batchId, sourceId }, [
        { position: 0, externalId: 'bulk-1', status: 'accepted', activityId: firstId, results: [] },
        { position: 1, externalId: null, status: 'rejected', activityId: null, results },
      ]),
    );
  }
  const view = await batches.view(batchId);
  expect(view!.batch).toMatchObject({ status: 'done', itemCount: 2, accepted: 1, rejected: 1 });
  expect(view!.items).toEqual([
    { position: 0, externalId: 'bulk-1', status: 'accepted', activityId: firstId, results: [] },
    { position: 1, externalId: null, status: 'rejected', activityId: null, results },
  ]);
  expect((await dataSource.getRepository(ValidationReportEntity).findOneByOrFail({ batchId, position: 1 })).createdAt).toBeInstanceOf(Date);
}

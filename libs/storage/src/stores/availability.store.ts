import type { DataSource } from 'typeorm';
import { In } from 'typeorm';
import type { AvailabilityLevel } from '@platform/domain';
import { ActivityEntity, PerformanceEntity } from '../entities/index.js';
import type { AvailabilityChange } from './activity.store.js';
import { appendChanges } from './change-log.store.js';

/** A resolved availability update: the pipeline has already checked bounds and derived the level. */
export interface AvailabilityWrite {
  externalId: string;
  capacity: number | null;
  remaining: number | null;
  level: AvailabilityLevel;
}

export interface AvailabilityWriteResult {
  changes: AvailabilityChange[];
  /** External ids with no performance in this source. */
  unknown: string[];
  /** External ids whose state was already exactly this. */
  unchanged: string[];
}

/** The fast lane: one small transaction touching only performance rows and the change log. */
export class AvailabilityStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Current seat state of performances, to resolve partial updates ({remaining} alone). */
  current(sourceId: string, externalIds: string[]): Promise<PerformanceEntity[]> {
    return this.dataSource.getRepository(PerformanceEntity).find({ where: { sourceId, externalId: In(externalIds) } });
  }

  async write(sourceId: string, updates: AvailabilityWrite[], now = new Date()): Promise<AvailabilityWriteResult> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await manager
        .getRepository(PerformanceEntity)
        .createQueryBuilder('performance')
        .setLock('pessimistic_write')
        .where('performance.source_id = :sourceId AND performance.external_id IN (:...externalIds)', {
          sourceId,
          externalIds: updates.map((update) => update.externalId),
        })
        .getMany();
      const byExternalId = new Map(rows.map((row) => [row.externalId, row]));
      const places = new Map(
        (
          await manager.getRepository(ActivityEntity).find({
            where: { id: In([...new Set(rows.map((row) => row.activityId))]) },
            select: { id: true, placeId: true },
          })
        ).map((row) => [row.id, row.placeId]),
      );
      const result: AvailabilityWriteResult = { changes: [], unknown: [], unchanged: [] };
      for (const update of updates) {
        const row = byExternalId.get(update.externalId);
        if (!row) {
          result.unknown.push(update.externalId);
          continue;
        }
        if (row.capacity === update.capacity && row.remaining === update.remaining && row.availabilityLevel === update.level) {
          result.unchanged.push(update.externalId);
          continue;
        }
        await manager.getRepository(PerformanceEntity).update(
          { id: row.id },
          { capacity: update.capacity, remaining: update.remaining, availabilityLevel: update.level, availabilityChangedAt: now },
        );
        result.changes.push({
          performanceId: row.id,
          performanceExternalId: row.externalId,
          activityId: row.activityId,
          placeId: places.get(row.activityId)!,
          sourceId,
          capacity: update.capacity,
          remaining: update.remaining,
          level: update.level,
          changedAt: now.toISOString(),
        });
      }
      const sequences = await appendChanges(
        manager,
        result.changes.map((change) => ({
          entityType: 'activity',
          entityId: change.activityId,
          sourceId,
          operation: 'availability',
          detail: { performanceId: change.performanceId, capacity: change.capacity, remaining: change.remaining, level: change.level },
        })),
      );
      result.changes.forEach((change, index) => (change.seq = sequences[index]));
      return result;
    });
  }
}

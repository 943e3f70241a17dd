import type { DataSource } from 'typeorm';
import type { AvailabilityChange, AvailabilityLevel } from '@platform/domain';
import { PerformanceEntity } from '../entities/index.js';
import { CHANGE_LOG_LOCK, changeLogInsert } from './change-log.store.js';

/** A resolved availability update: the pipeline has already checked bounds and derived the level. */
export interface AvailabilityWrite {
  externalId: string;
  capacity: number | null;
  remaining: number | null;
  level: AvailabilityLevel;
  /**
   * Set when `capacity` was read from the store rather than sent: the write applies only if the stored
   * capacity is still this (optimistic check against a concurrent capacity change).
   */
  expectedCapacity?: number | null;
  /** The same for `remaining` when only capacity was sent (a planning system knows the hall, not the sales). */
  expectedRemaining?: number | null;
}

export interface AvailabilityWriteResult {
  /** Each with the sequence number of its change-log entry. */
  changes: Array<AvailabilityChange & { seq: string }>;
  /** External ids with no performance in this source. */
  unknown: string[];
  /** External ids whose state was already exactly this. */
  unchanged: string[];
  /** External ids whose stored capacity changed between read and write: the caller should retry. */
  conflicts: string[];
}

/** What the fast lane reads of a performance's stored seats. */
export type StoredSeats = Pick<PerformanceEntity, 'externalId' | 'capacity' | 'remaining' | 'availabilityLevel'>;

/** The fast lane: one small transaction touching only performance rows and the change log. */
export class AvailabilityStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Current seat state of performances, to resolve partial updates ({remaining} alone). */
  async current(sourceId: string, externalIds: string[]): Promise<StoredSeats[]> {
    // A plain statement: on the fast lane typeorm's find builder costs more than the query.
    const rows: Array<{ external_id: string; capacity: number | null; remaining: number | null; availability_level: AvailabilityLevel | null }> = await this.dataSource.query(
      'SELECT external_id, capacity, remaining, availability_level FROM performance WHERE source_id = $1 AND external_id = ANY($2::text[])',
      [sourceId, externalIds],
    );
    return rows.map((row) => ({ externalId: row.external_id, capacity: row.capacity, remaining: row.remaining, availabilityLevel: row.availability_level }));
  }

  /**
   * One autocommit statement: updates the rows whose state differs and appends their change-log
   * entries atomically (the fast lane's whole write is one round trip).
   */
  async write(sourceId: string, updates: AvailabilityWrite[], now = new Date()): Promise<AvailabilityWriteResult> {
    const changed: Array<{ id: string; external_id: string; activity_id: string; place_id: string; seq: string }> = await this.dataSource.query(
      `WITH input AS (
         SELECT * FROM unnest($2::text[], $3::int[], $4::int[], $5::text[], $8::boolean[], $9::int[], $10::boolean[], $11::int[])
           AS input(external_id, capacity, remaining, level, check_capacity, expected_capacity, check_remaining, expected_remaining)
       ), updated AS (
         UPDATE performance
            SET capacity = input.capacity, remaining = input.remaining,
                availability_level = input.level, availability_changed_at = $6
           FROM input
          WHERE performance.source_id = $1 AND performance.external_id = input.external_id
            AND (NOT input.check_capacity OR performance.capacity IS NOT DISTINCT FROM input.expected_capacity)
            AND (NOT input.check_remaining OR performance.remaining IS NOT DISTINCT FROM input.expected_remaining)
            AND (performance.capacity IS DISTINCT FROM input.capacity
              OR performance.remaining IS DISTINCT FROM input.remaining
              OR performance.availability_level IS DISTINCT FROM input.level)
         RETURNING performance.id, performance.external_id, performance.activity_id,
                   performance.capacity, performance.remaining, performance.availability_level
       ), logged AS (
         ${changeLogInsert(
           `(SELECT 'activity' AS entity_type, updated.activity_id AS entity_id, $1::text AS source_id, 'availability' AS operation,
                    jsonb_build_object('performanceId', updated.id, 'capacity', updated.capacity,
                                       'remaining', updated.remaining, 'level', updated.availability_level) AS detail
               FROM updated
             UNION ALL
             -- the published activity of a reconciled record changes with it (see appendChanges)
             SELECT 'activity', link.cluster_id, $1::text, 'availability',
                    jsonb_build_object('performanceId', updated.id, 'capacity', updated.capacity,
                                       'remaining', updated.remaining, 'level', updated.availability_level,
                                       'member', updated.activity_id)
               FROM updated JOIN activity_link link ON link.activity_id = updated.activity_id AND link.cluster_id <> updated.activity_id)`,
           '$7',
         )}
       )
       SELECT updated.id, updated.external_id, updated.activity_id, activity.place_id, logged.seq
         FROM updated
         JOIN activity ON activity.id = updated.activity_id
         JOIN logged ON logged.detail->>'performanceId' = updated.id::text AND logged.entity_id = updated.activity_id`,
      [
        sourceId,
        updates.map((update) => update.externalId),
        updates.map((update) => update.capacity),
        updates.map((update) => update.remaining),
        updates.map((update) => update.level),
        now,
        CHANGE_LOG_LOCK,
        updates.map((update) => update.expectedCapacity !== undefined),
        updates.map((update) => update.expectedCapacity ?? null),
        updates.map((update) => update.expectedRemaining !== undefined),
        updates.map((update) => update.expectedRemaining ?? null),
      ],
    );
    const byExternalId = new Map(changed.map((row) => [row.external_id, row]));
    // Rare: something was not written; tell "already so" from "changed meanwhile" from "no such performance".
    const current =
      byExternalId.size === updates.length
        ? new Map<string, StoredSeats>()
        : new Map((await this.current(sourceId, updates.map((update) => update.externalId))).map((row) => [row.externalId, row]));
    const result: AvailabilityWriteResult = { changes: [], unknown: [], unchanged: [], conflicts: [] };
    for (const update of updates) {
      const row = byExternalId.get(update.externalId);
      if (!row) {
        const stored = current.get(update.externalId);
        if (!stored) result.unknown.push(update.externalId);
        else if (stored.capacity === update.capacity && stored.remaining === update.remaining && stored.availabilityLevel === update.level) {
          result.unchanged.push(update.externalId);
        } else result.conflicts.push(update.externalId);
        continue;
      }
      result.changes.push({
        performanceId: row.id,
        performanceExternalId: row.external_id,
        activityId: row.activity_id,
        placeId: row.place_id,
        sourceId,
        capacity: update.capacity,
        remaining: update.remaining,
        level: update.level,
        changedAt: now.toISOString(),
        seq: String(row.seq),
      });
    }
    return result;
  }
}

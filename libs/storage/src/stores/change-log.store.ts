import type { DataSource, EntityManager } from 'typeorm';
import { ChangeLogEntity, type ChangeEntityType, type ChangeOperation } from '../entities/index.js';

export interface ChangeEntry {
  entityType: ChangeEntityType;
  entityId: string;
  sourceId: string;
  operation: ChangeOperation;
  detail?: object | null;
}

// Any constant works; it only has to be the same for every writer of the change log.
const CHANGE_LOG_LOCK = 7_300_001;

/**
 * Appends to the change log as the last step of a write transaction. The transaction-level advisory
 * lock serialises appends until commit, so a sequence number is never visible before a smaller one:
 * a feed reader following `seq` cannot skip a row that commits later (DESIGN.md, change feed guarantees).
 */
/**
 * The one way rows enter the change log: `rows` is a FROM item yielding (entity_type, entity_id,
 * source_id, operation, detail); `lock` the parameter holding CHANGE_LOG_LOCK. The lock CTE is joined
 * in, so it is taken before the first row, and with it the first sequence number, is produced.
 */
export function changeLogInsert(rows: string, lock: string): string {
  return `INSERT INTO change_log (entity_type, entity_id, source_id, operation, detail)
    SELECT entry.entity_type, entry.entity_id, entry.source_id, entry.operation, entry.detail
      FROM (SELECT pg_advisory_xact_lock(${lock})) AS change_log_lock, ${rows} AS entry
    RETURNING seq, entity_id, detail`;
}

export { CHANGE_LOG_LOCK };

export async function appendChanges(manager: EntityManager, entries: ChangeEntry[]): Promise<string[]> {
  if (entries.length === 0) return [];
  const sequences: string[] = [];
  for (let offset = 0; offset < entries.length; offset += 5000) {
    const chunk = entries.slice(offset, offset + 5000);
    const rows: Array<{ seq: string }> = await manager.query(
      changeLogInsert(
        `(SELECT * FROM unnest($2::text[], $3::uuid[], $4::text[], $5::text[], $6::jsonb[])
            AS input(entity_type, entity_id, source_id, operation, detail))`,
        '$1',
      ),
      [
        CHANGE_LOG_LOCK,
        chunk.map((entry) => entry.entityType),
        chunk.map((entry) => entry.entityId),
        chunk.map((entry) => entry.sourceId),
        chunk.map((entry) => entry.operation),
        chunk.map((entry) => (entry.detail ? JSON.stringify(entry.detail) : null)),
      ],
    );
    // Sequence numbers are drawn in row order: ascending seq is the order of `entries`.
    sequences.push(...rows.map((row) => String(row.seq)).sort((left, right) => (BigInt(left) < BigInt(right) ? -1 : 1)));
  }
  return sequences;
}

export class ChangeLogStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Changes after `afterSeq`, oldest first. */
  read(afterSeq: string, limit: number): Promise<ChangeLogEntity[]> {
    return this.dataSource
      .getRepository(ChangeLogEntity)
      .createQueryBuilder('change')
      .where('change.seq > :afterSeq', { afterSeq })
      .orderBy('change.seq', 'ASC')
      .limit(limit)
      .getMany();
  }
}

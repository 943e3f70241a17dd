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

/**
 * A change of a record inside a reconciled cluster changes the published activity (the cluster root)
 * too: the root gets its own entry, so every feed item has its own change number. Read after the
 * change-log lock is taken, so a link committed by another transaction before ours is always seen
 * (that transaction logged its members before releasing the lock; one committing later logs them after us).
 */
async function withClusterRoots(manager: EntityManager, entries: ChangeEntry[]): Promise<ChangeEntry[]> {
  const activityIds = [...new Set(entries.filter((entry) => entry.entityType === 'activity' && entry.operation !== 'delete').map((entry) => entry.entityId))];
  if (activityIds.length === 0) return entries;
  const links: Array<{ activity_id: string; cluster_id: string }> = await manager.query(
    'SELECT activity_id, cluster_id FROM activity_link WHERE activity_id = ANY($1::uuid[]) AND cluster_id <> activity_id',
    [activityIds],
  );
  if (links.length === 0) return entries;
  const logged = new Set(entries.filter((entry) => entry.entityType === 'activity').map((entry) => entry.entityId));
  const rootOf = new Map(links.map((link) => [link.activity_id, link.cluster_id]));
  const roots: ChangeEntry[] = [];
  for (const entry of entries) {
    const root = entry.entityType === 'activity' && entry.operation !== 'delete' ? rootOf.get(entry.entityId) : undefined;
    if (!root || logged.has(root)) continue;
    logged.add(root);
    roots.push({ entityType: 'activity', entityId: root, sourceId: entry.sourceId, operation: entry.operation, detail: { ...(entry.detail ?? {}), member: entry.entityId } });
  }
  return [...entries, ...roots];
}

export async function appendChanges(manager: EntityManager, given: ChangeEntry[]): Promise<string[]> {
  if (given.length === 0) return [];
  await manager.query('SELECT pg_advisory_xact_lock($1)', [CHANGE_LOG_LOCK]);
  const entries = await withClusterRoots(manager, given);
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

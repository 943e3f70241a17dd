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
export async function appendChanges(manager: EntityManager, entries: ChangeEntry[]): Promise<string[]> {
  if (entries.length === 0) return [];
  await manager.query('SELECT pg_advisory_xact_lock($1)', [CHANGE_LOG_LOCK]);
  const sequences: string[] = [];
  for (let offset = 0; offset < entries.length; offset += 1000) {
    const result = await manager
      .createQueryBuilder()
      .insert()
      .into(ChangeLogEntity)
      .values(entries.slice(offset, offset + 1000).map((entry) => ({ ...entry, detail: entry.detail ?? null })))
      .returning(['seq'])
      .execute();
    sequences.push(...(result.raw as Array<{ seq: string }>).map((row) => String(row.seq)));
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

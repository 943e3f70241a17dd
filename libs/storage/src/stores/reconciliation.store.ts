import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { Activity } from '@platform/domain';
import type { ChangeEntry } from './change-log.store.js';

export type LinkMethod = 'declared' | 'matched' | 'confirmed' | 'manual';
export type CandidateStatus = 'open' | 'confirmed' | 'rejected';

export interface MatchCandidate {
  id: string;
  activityId: string;
  otherActivityId: string;
  score: number;
  reasons: Record<string, unknown>;
  status: CandidateStatus;
  createdAt: Date;
  decidedAt: Date | null;
}

/** A member of a cluster as the read side needs it. */
export interface ClusterMemberRow {
  clusterId: string;
  activityId: string;
  sourceId: string;
  sourceKind: string;
  externalId: string;
  createdAt: Date;
  modifiedAt: Date;
  contentHash: string;
  placeId: string;
  organizerId: string | null;
  document: Activity;
  method: LinkMethod;
}

// Any constant of its own (not the change log's 7_300_001, not the migration lock's 7_300_002, which a process
// holds for the whole of its migrations): every writer of clusters takes it, so two merges never interleave.
const RECONCILIATION_LOCK = 7_300_003;

type Queryable = Pick<EntityManager, 'query'> | DataSource;

/** Serialises every change of clusters (reconcile, link, unlink, delete of a member) until commit. */
export async function lockClusters(manager: Pick<EntityManager, 'query'>): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1)', [RECONCILIATION_LOCK]);
}

/**
 * Takes an activity out of its cluster (unlinked, or about to be deleted): the other members get the
 * oldest remaining one as their root, or stand alone when one is left. Answers the change-log entries
 * of the others (their published view changed).
 */
export async function detachFromCluster(manager: Pick<EntityManager, 'query'>, activityId: string): Promise<ChangeEntry[]> {
  const rows: Array<{ cluster_id: string }> = await manager.query('SELECT cluster_id FROM activity_link WHERE activity_id = $1', [activityId]);
  const clusterId = rows[0]?.cluster_id;
  if (!clusterId) return [];
  await lockClusters(manager);
  await manager.query('DELETE FROM activity_link WHERE activity_id = $1', [activityId]);
  const remaining: Array<{ activity_id: string; source_id: string }> = await manager.query(
    'SELECT link.activity_id, activity.source_id FROM activity_link link JOIN activity ON activity.id = link.activity_id WHERE link.cluster_id = $1',
    [clusterId],
  );
  const changes: ChangeEntry[] = remaining.map((row) => ({ entityType: 'activity', entityId: row.activity_id, sourceId: row.source_id, operation: 'upsert', detail: { reconciled: true } }));
  if (remaining.length <= 1) {
    await manager.query('DELETE FROM activity_link WHERE cluster_id = $1', [clusterId]);
    return changes;
  }
  if (clusterId === activityId) {
    const [root]: Array<{ id: string }> = await manager.query('SELECT id FROM activity WHERE id = ANY($1::uuid[]) ORDER BY created_at, id LIMIT 1', [
      remaining.map((row) => row.activity_id),
    ]);
    await manager.query('UPDATE activity_link SET cluster_id = $1 WHERE cluster_id = $2', [root.id, clusterId]);
  }
  return changes;
}

/**
 * Clusters of activities that are one published activity. Every member has a row; its cluster id is
 * the oldest member's id (the published identity). Activities on their own have no row.
 */
export class ReconciliationStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Taken first by every transaction that reads clusters to change them (re-entrant within it). */
  lock(manager: EntityManager): Promise<void> {
    return lockClusters(manager);
  }

  async clusterIdOf(queryable: Queryable, activityId: string): Promise<string | null> {
    const rows: Array<{ cluster_id: string }> = await queryable.query('SELECT cluster_id FROM activity_link WHERE activity_id = $1', [activityId]);
    return rows[0]?.cluster_id ?? null;
  }

  /** Every member of the cluster an activity is in (the activity alone when it is in none). */
  async clusterMemberIds(activityId: string): Promise<string[]> {
    return (await this.clusterMemberKinds(activityId)).map((member) => member.activityId);
  }

  /** The members with their source kinds, oldest first (the activity alone when it is in no cluster). */
  async clusterMemberKinds(activityId: string): Promise<Array<{ activityId: string; sourceKind: string; createdAt: Date }>> {
    const rows: Array<{ id: string; kind: string; created_at: Date }> = await this.dataSource.query(
      `SELECT activity.id, source.kind, activity.created_at FROM activity JOIN source ON source.id = activity.source_id
        WHERE activity.id IN (SELECT activity_id FROM activity_link WHERE cluster_id = (SELECT cluster_id FROM activity_link WHERE activity_id = $1))
           OR activity.id = $1
        ORDER BY activity.created_at, activity.id`,
      [activityId],
    );
    return rows.map((row) => ({ activityId: row.id, sourceKind: row.kind, createdAt: new Date(row.created_at) }));
  }

  /** The published identity of each activity: its cluster's id, or itself. */
  async publishedIds(activityIds: string[]): Promise<Map<string, string>> {
    const result = new Map(activityIds.map((id) => [id, id]));
    if (activityIds.length === 0) return result;
    const rows: Array<{ activity_id: string; cluster_id: string }> = await this.dataSource.query(
      'SELECT activity_id, cluster_id FROM activity_link WHERE activity_id = ANY($1::uuid[])',
      [activityIds],
    );
    for (const row of rows) result.set(row.activity_id, row.cluster_id);
    return result;
  }

  private async memberIds(manager: Queryable, clusterId: string): Promise<string[]> {
    const rows: Array<{ activity_id: string }> = await manager.query('SELECT activity_id FROM activity_link WHERE cluster_id = $1', [clusterId]);
    return rows.map((row) => row.activity_id);
  }

  /**
   * Puts a and b (and the clusters they are in) into one cluster. Answers the cluster and its members,
   * or null when they were one already. The caller appends the change-log entries.
   */
  async link(manager: EntityManager, a: string, b: string, method: LinkMethod, score: number | null): Promise<{ clusterId: string; members: string[] } | null> {
    await this.lock(manager);
    const [clusterA, clusterB] = [await this.clusterIdOf(manager, a), await this.clusterIdOf(manager, b)];
    if (clusterA && clusterA === clusterB) return null;
    const members = new Set<string>([a, b]);
    for (const cluster of [clusterA, clusterB]) if (cluster) for (const id of await this.memberIds(manager, cluster)) members.add(id);
    const ids = [...members];
    const [root]: Array<{ id: string }> = await manager.query(
      'SELECT id FROM activity WHERE id = ANY($1::uuid[]) ORDER BY created_at, id LIMIT 1',
      [ids],
    );
    await manager.query(
      `INSERT INTO activity_link (activity_id, cluster_id, method, score)
       SELECT id, $2, $3, $4 FROM unnest($1::uuid[]) AS id
       ON CONFLICT (activity_id) DO UPDATE SET cluster_id = EXCLUDED.cluster_id`,
      [ids, root.id, method, score],
    );
    return { clusterId: root.id, members: ids };
  }

  /**
   * Takes an activity out of its cluster: it is published on its own again, and the pair is remembered as
   * rejected so matching does not link it back. Answers the cluster's remaining members, or null.
   */
  async unlink(manager: EntityManager, activityId: string): Promise<{ clusterId: string; remaining: string[] } | null> {
    await this.lock(manager);
    const clusterId = await this.clusterIdOf(manager, activityId);
    if (!clusterId) return null;
    const remaining = (await this.memberIds(manager, clusterId)).filter((id) => id !== activityId);
    // The caller logs the change of every member (this one and the remaining).
    await detachFromCluster(manager, activityId);
    for (const other of remaining) await this.decide(manager, activityId, other, 'rejected', { unlinked: true });
    return { clusterId, remaining };
  }

  /** Members of these clusters, with what the read side merges. */
  async members(clusterIds: string[]): Promise<Map<string, ClusterMemberRow[]>> {
    const result = new Map<string, ClusterMemberRow[]>();
    if (clusterIds.length === 0) return result;
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT link.cluster_id, link.method, activity.id, activity.source_id, source.kind, activity.external_id, activity.created_at,
              activity.modified_at, activity.content_hash, activity.place_id, activity.organizer_id, activity.document
         FROM activity_link link JOIN activity ON activity.id = link.activity_id JOIN source ON source.id = activity.source_id
        WHERE link.cluster_id = ANY($1::uuid[])
        ORDER BY activity.created_at, activity.id`,
      [clusterIds],
    );
    for (const row of rows) {
      const member: ClusterMemberRow = {
        clusterId: row.cluster_id as string,
        activityId: row.id as string,
        sourceId: row.source_id as string,
        sourceKind: row.kind as string,
        externalId: row.external_id as string,
        createdAt: new Date(row.created_at as string),
        modifiedAt: new Date(row.modified_at as string),
        contentHash: row.content_hash as string,
        placeId: row.place_id as string,
        organizerId: (row.organizer_id as string | null) ?? null,
        document: (typeof row.document === 'string' ? JSON.parse(row.document) : row.document) as Activity,
        method: row.method as LinkMethod,
      };
      result.set(member.clusterId, [...(result.get(member.clusterId) ?? []), member]);
    }
    return result;
  }

  /** Change-log entries for the clusters (their published ids) that these changed records belong to. */
  async clusterChanges(manager: EntityManager, activityIds: string[]): Promise<ChangeEntry[]> {
    if (activityIds.length === 0) return [];
    const rows: Array<{ cluster_id: string; source_id: string }> = await manager.query(
      `SELECT DISTINCT link.cluster_id, root.source_id FROM activity_link link JOIN activity root ON root.id = link.cluster_id
        WHERE link.activity_id = ANY($1::uuid[]) AND link.cluster_id <> ALL($1::uuid[])`,
      [activityIds],
    );
    return rows.map((row) => ({ entityType: 'activity', entityId: row.cluster_id, sourceId: row.source_id, operation: 'upsert', detail: { reconciled: true } }));
  }

  /** Written in the batch's own transaction: what still has to be reconciled survives a crash. */
  async markPending(manager: EntityManager, activityIds: string[]): Promise<void> {
    if (activityIds.length === 0) return;
    await manager.query('INSERT INTO reconciliation_pending (activity_id) SELECT unnest($1::uuid[]) ON CONFLICT DO NOTHING', [activityIds]);
  }

  async clearPending(manager: EntityManager, activityIds: string[]): Promise<void> {
    await manager.query('DELETE FROM reconciliation_pending WHERE activity_id = ANY($1::uuid[])', [activityIds]);
  }

  /** Activities a process stopped before reconciling (oldest first). */
  async pending(limit: number): Promise<string[]> {
    const rows: Array<{ activity_id: string }> = await this.dataSource.query('SELECT activity_id FROM reconciliation_pending ORDER BY queued_at LIMIT $1', [limit]);
    return rows.map((row) => row.activity_id);
  }

  /** A match for a person to decide. An existing decision stands; an open one gets the new score. */
  async propose(manager: EntityManager, a: string, b: string, score: number, reasons: Record<string, unknown>): Promise<void> {
    const [low, high] = a < b ? [a, b] : [b, a];
    await manager.query(
      `INSERT INTO match_candidate (id, activity_id, other_activity_id, score, reasons, status)
       VALUES ($1, $2, $3, $4, $5::jsonb, 'open')
       ON CONFLICT (activity_id, other_activity_id) DO UPDATE SET score = EXCLUDED.score, reasons = EXCLUDED.reasons
        WHERE match_candidate.status = 'open'`,
      [randomUUID(), low, high, score, JSON.stringify(reasons)],
    );
  }

  /** Records a decision about a pair (confirmed or rejected), whether or not it was proposed. */
  async decide(manager: Queryable, a: string, b: string, status: Exclude<CandidateStatus, 'open'>, reasons: Record<string, unknown> = {}): Promise<void> {
    const [low, high] = a < b ? [a, b] : [b, a];
    await manager.query(
      `INSERT INTO match_candidate (id, activity_id, other_activity_id, score, reasons, status, decided_at)
       VALUES ($1, $2, $3, 0, $4::jsonb, $5, now())
       ON CONFLICT (activity_id, other_activity_id) DO UPDATE SET status = EXCLUDED.status, decided_at = now()`,
      [randomUUID(), low, high, JSON.stringify(reasons), status],
    );
  }

  /** Pairs with a decision or an open proposal, keyed `low|high`: matching leaves them alone. */
  async knownPairs(manager: Queryable, activityIds: string[]): Promise<Map<string, CandidateStatus>> {
    if (activityIds.length === 0) return new Map();
    const rows: Array<{ activity_id: string; other_activity_id: string; status: CandidateStatus }> = await manager.query(
      `SELECT activity_id, other_activity_id, status FROM match_candidate
        WHERE activity_id = ANY($1::uuid[]) OR other_activity_id = ANY($1::uuid[])`,
      [activityIds],
    );
    return new Map(rows.map((row) => [`${row.activity_id}|${row.other_activity_id}`, row.status]));
  }

  async candidates(status: CandidateStatus, limit = 100): Promise<MatchCandidate[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT * FROM match_candidate WHERE status = $1 ORDER BY score DESC, created_at LIMIT $2`,
      [status, limit],
    );
    return rows.map(toCandidate);
  }

  async candidate(id: string): Promise<MatchCandidate | null> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query('SELECT * FROM match_candidate WHERE id = $1', [id]);
    return rows.length > 0 ? toCandidate(rows[0]) : null;
  }
}

function toCandidate(row: Record<string, unknown>): MatchCandidate {
  return {
    id: row.id as string,
    activityId: row.activity_id as string,
    otherActivityId: row.other_activity_id as string,
    score: Number(row.score),
    reasons: (typeof row.reasons === 'string' ? JSON.parse(row.reasons) : row.reasons) as Record<string, unknown>,
    status: row.status as CandidateStatus,
    createdAt: new Date(row.created_at as string),
    decidedAt: row.decided_at ? new Date(row.decided_at as string) : null,
  };
}

import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '@platform/config';
import type { Activity, Place, SourceLink } from '@platform/domain';
import { appendChanges, ReconciliationStore, type ChangeEntry, type LinkMethod } from '@platform/storage';
import { matchScore, type MatchScore } from './match-score.js';

interface Subject {
  id: string;
  sourceId: string;
  externalId: string;
  title: Activity['title'];
  links: SourceLink[];
  /** Absent for an online activity without a place. */
  place?: Place;
}

interface Candidate {
  subject: string;
  other: string;
  otherSourceId: string;
  match: MatchScore;
}

/**
 * Finds which stored activities are the same as these: first declared links (a vendor names the other
 * source's id, in either direction), then matching (same postal code, a performance starting within the
 * window, similar title and place). Sure matches are linked, uncertain ones proposed for review.
 * Runs after the activities' own commit, so of two sources committing at once the later one sees both.
 */
@Injectable()
export class Reconciler {
  private readonly logger = new Logger(Reconciler.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: ReconciliationStore,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  /** What a stopped process left unreconciled (a worker runs this at start). */
  async reconcilePending(): Promise<number> {
    let done = 0;
    for (let ids = await this.store.pending(500); ids.length > 0; ids = await this.store.pending(500)) {
      await this.reconcile(ids);
      done += ids.length;
    }
    return done;
  }

  /** Never fails the caller: the activities are stored and marked pending; a failure is logged and retried at the next worker start. */
  async reconcileQuietly(activityIds: string[]): Promise<void> {
    try {
      await this.reconcile(activityIds);
    } catch (error) {
      this.logger.error(`reconciliation of ${activityIds.length} activities failed (POST /v1/admin/reconciliation/run retries): ${(error as Error).message}`);
    }
  }

  async reconcile(activityIds: string[]): Promise<{ linked: number; proposed: number }> {
    if (activityIds.length === 0) return { linked: 0, proposed: 0 };
    return this.dataSource.transaction(async (manager) => {
      const subjects = await this.subjects(manager, activityIds);
      await this.recordDeclaredLinks(manager, subjects);
      const changes: ChangeEntry[] = [];
      // Before the first pair is looked at, and only then (most batches have none: no lock on the ingest
      // path): two reconciliations at once must not both see room in a cluster and both fill it.
      let known: Map<string, string> | undefined;
      const decided = async (a: string, b: string) => {
        if (!known) {
          await this.store.lock(manager);
          known = await this.store.knownPairs(manager, activityIds);
        }
        return known.get(a < b ? `${a}|${b}` : `${b}|${a}`);
      };
      let linked = 0;
      let proposed = 0;
      for (const [subject, other, otherSourceId] of await this.declaredPairs(manager, subjects)) {
        // An operator's unlink (or rejection) stands against a declaration too.
        if ((await decided(subject, other)) === 'rejected') continue;
        if (await this.fitsCluster(manager, { subject, other, otherSourceId, match: { score: 1, title: 0, place: 0, startDeltaMinutes: 0 } })) {
          if (await this.linkPair(manager, subject, other, 'declared', null, changes)) linked += 1;
        } else {
          await this.store.propose(manager, subject, other, 1, { declared: true, conflict: 'the cluster already holds a record of this source' });
          proposed += 1;
        }
      }
      const candidates = await this.matchCandidates(manager, subjects);
      const auto = this.config.get('RECONCILE_AUTO_SCORE', { infer: true });
      const review = this.config.get('RECONCILE_REVIEW_SCORE', { infer: true });
      for (const candidate of candidates.sort((left, right) => right.match.score - left.match.score)) {
        const decision = await decided(candidate.subject, candidate.other);
        if (decision === 'rejected' || decision === 'confirmed') continue;
        const reasons = { ...candidate.match };
        if (candidate.match.score >= auto && (await this.fitsCluster(manager, candidate))) {
          if (await this.linkPair(manager, candidate.subject, candidate.other, 'matched', candidate.match.score, changes)) linked += 1;
        } else if (candidate.match.score >= review) {
          const [clusterOfSubject, clusterOfOther] = [await this.store.clusterIdOf(manager, candidate.subject), await this.store.clusterIdOf(manager, candidate.other)];
          if (clusterOfSubject === null || clusterOfSubject !== clusterOfOther) {
            await this.store.propose(manager, candidate.subject, candidate.other, candidate.match.score, reasons);
            proposed += 1;
          }
        }
      }
      await this.store.clearPending(manager, activityIds);
      await appendChanges(manager, dedupe(changes));
      return { linked, proposed };
    });
  }

  /** Links two activities, by a person's decision ('confirmed' or 'manual'), with the change log. */
  async link(a: string, b: string, method: LinkMethod): Promise<{ clusterId: string; members: string[] } | null> {
    return this.dataSource.transaction(async (manager) => {
      await this.store.lock(manager);
      const changes: ChangeEntry[] = [];
      const result = await this.store.link(manager, a, b, method, null);
      if (result) changes.push(...(await this.changesFor(manager, result.members)));
      if (method === 'confirmed' || method === 'manual') await this.store.decide(manager, a, b, 'confirmed');
      await appendChanges(manager, dedupe(changes));
      return result;
    });
  }

  /** Unlinks an activity: it is published on its own again, and is not matched back to that cluster. */
  async unlink(activityId: string): Promise<{ clusterId: string; remaining: string[] } | null> {
    return this.dataSource.transaction(async (manager) => {
      await this.store.lock(manager);
      const result = await this.store.unlink(manager, activityId);
      if (result) await appendChanges(manager, dedupe(await this.changesFor(manager, [activityId, ...result.remaining])));
      return result;
    });
  }

  private async linkPair(manager: EntityManager, a: string, b: string, method: LinkMethod, score: number | null, changes: ChangeEntry[]): Promise<boolean> {
    const result = await this.store.link(manager, a, b, method, score);
    if (!result) return false;
    changes.push(...(await this.changesFor(manager, result.members)));
    return true;
  }

  /** What a feed reader must re-read: every member's published view changed. */
  private async changesFor(manager: EntityManager, activityIds: string[]): Promise<ChangeEntry[]> {
    const rows: Array<{ id: string; source_id: string }> = await manager.query('SELECT id, source_id FROM activity WHERE id = ANY($1::uuid[])', [activityIds]);
    return rows.map((row) => ({ entityType: 'activity', entityId: row.id, sourceId: row.source_id, operation: 'upsert', detail: { reconciled: true } }));
  }

  /** One record per source in a cluster: a second one from the same source goes to review instead. */
  private async fitsCluster(manager: EntityManager, candidate: Candidate): Promise<boolean> {
    const rows: Array<{ source_id: string; id: string }> = await manager.query(
      `SELECT activity.source_id, activity.id FROM activity_link link JOIN activity ON activity.id = link.activity_id
        WHERE link.cluster_id IN (SELECT cluster_id FROM activity_link WHERE activity_id = ANY($1::uuid[]))`,
      [[candidate.subject, candidate.other]],
    );
    const sources = new Map<string, Set<string>>();
    for (const row of rows) sources.set(row.source_id, (sources.get(row.source_id) ?? new Set()).add(row.id));
    const subjectSource: Array<{ source_id: string }> = await manager.query('SELECT source_id FROM activity WHERE id = $1', [candidate.subject]);
    for (const [id, sourceId] of [
      [candidate.subject, subjectSource[0].source_id],
      [candidate.other, candidate.otherSourceId],
    ]) {
      const sameSource = sources.get(sourceId);
      if (sameSource && [...sameSource].some((member) => member !== id)) return false;
    }
    return true;
  }

  private async subjects(manager: EntityManager, activityIds: string[]): Promise<Subject[]> {
    const rows: Array<{ id: string; source_id: string; external_id: string; title: Activity['title']; links: SourceLink[] | null; place: Place | null }> = await manager.query(
      `SELECT activity.id, activity.source_id, activity.external_id, activity.document->'title' AS title, activity.document->'links' AS links, place.document AS place
         FROM activity LEFT JOIN place ON place.id = activity.place_id WHERE activity.id = ANY($1::uuid[])`,
      [activityIds],
    );
    return rows.map((row) => ({ id: row.id, sourceId: row.source_id, externalId: row.external_id, title: row.title, links: row.links ?? [], place: row.place ?? undefined }));
  }

  /** The declared links of these activities, kept in a table so the other direction is one indexed lookup. */
  private async recordDeclaredLinks(manager: EntityManager, subjects: Subject[]): Promise<void> {
    await manager.query('DELETE FROM declared_link WHERE activity_id = ANY($1::uuid[])', [subjects.map((subject) => subject.id)]);
    const rows = subjects.flatMap((subject) => subject.links.map((link) => ({ activity: subject.id, ...link })));
    if (rows.length === 0) return;
    await manager.query(
      `INSERT INTO declared_link (activity_id, target_source, target_kind, target_external_id)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[])`,
      [rows.map((row) => row.activity), rows.map((row) => row.source ?? null), rows.map((row) => row.sourceKind ?? null), rows.map((row) => row.externalId)],
    );
  }

  /** Pairs (subject, other, other's source) named by a declared link in either direction. */
  private async declaredPairs(manager: EntityManager, subjects: Subject[]): Promise<Array<[string, string, string]>> {
    const ids = subjects.map((subject) => subject.id);
    const outgoing: Array<{ subject: string; other: string; other_source: string }> = await manager.query(
      `SELECT link.activity_id AS subject, target.id AS other, target.source_id AS other_source
         FROM declared_link link
         JOIN activity target ON target.external_id = link.target_external_id
         JOIN source ON source.id = target.source_id
         JOIN activity self ON self.id = link.activity_id
        WHERE link.activity_id = ANY($1::uuid[]) AND target.source_id <> self.source_id
          AND (link.target_source IS NULL OR link.target_source = target.source_id)
          AND (link.target_kind IS NULL OR link.target_kind = source.kind)`,
      [ids],
    );
    const incoming: Array<{ subject: string; other: string; other_source: string }> = await manager.query(
      `SELECT self.id AS subject, link.activity_id AS other, declarer.source_id AS other_source
         FROM activity self
         JOIN source ON source.id = self.source_id
         JOIN declared_link link ON link.target_external_id = self.external_id
         JOIN activity declarer ON declarer.id = link.activity_id
        WHERE self.id = ANY($1::uuid[]) AND declarer.source_id <> self.source_id
          AND (link.target_source IS NULL OR link.target_source = self.source_id)
          AND (link.target_kind IS NULL OR link.target_kind = source.kind)`,
      [ids],
    );
    return [...outgoing, ...incoming].map((row) => [row.subject, row.other, row.other_source]);
  }

  /** Activities of other sources in the same postal code with a performance starting within the window. */
  private async matchCandidates(manager: EntityManager, subjects: Subject[]): Promise<Candidate[]> {
    const window = this.config.get('RECONCILE_WINDOW_MINUTES', { infer: true });
    // Nothing to match against while one source holds every activity (the common case of a fresh platform).
    const others: Array<{ other: boolean }> = await manager.query(
      'SELECT EXISTS (SELECT 1 FROM activity WHERE source_id <> ALL($1::text[])) AS other',
      [[...new Set(subjects.map((subject) => subject.sourceId))]],
    );
    if (!others[0].other) return [];
    const rows: Array<{ subject: string; other: string; other_source: string; title: Activity['title']; place: Place; delta: string }> = await manager.query(
      `SELECT mine.activity_id AS subject, other.id AS other, other.source_id AS other_source, other.document->'title' AS title,
              place.document AS place, min(abs(extract(epoch FROM theirs.start_at - mine.start_at))) AS delta
         FROM performance mine
         JOIN activity self ON self.id = mine.activity_id
         JOIN activity other ON other.postal_code = self.postal_code AND other.source_id <> self.source_id
         JOIN performance theirs ON theirs.activity_id = other.id
              AND theirs.start_at BETWEEN mine.start_at - make_interval(mins => $2) AND mine.start_at + make_interval(mins => $2)
         JOIN place ON place.id = other.place_id
        WHERE mine.activity_id = ANY($1::uuid[])
        GROUP BY mine.activity_id, other.id, other.source_id, other.document->'title', place.document`,
      [subjects.map((subject) => subject.id), window],
    );
    const byId = new Map(subjects.map((subject) => [subject.id, subject]));
    // Matching needs a place on both sides (same postal code): an online activity without one is linked by declaration only.
    return rows.flatMap((row) => {
      const subject = byId.get(row.subject)!;
      if (!subject.place) return [];
      return [{
        subject: row.subject,
        other: row.other,
        otherSourceId: row.other_source,
        match: matchScore({ title: subject.title, place: subject.place }, { title: row.title, place: row.place }, Math.round(Number(row.delta) / 60), window),
      }];
    });
  }
}

function dedupe(changes: ChangeEntry[]): ChangeEntry[] {
  const seen = new Set<string>();
  return changes.filter((change) => (seen.has(change.entityId) ? false : (seen.add(change.entityId), true)));
}

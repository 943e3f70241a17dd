import { randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { ConnectorEntity, ConnectorRunEntity, type RunRejection, type RunStatus, type RunTrigger } from '../entities/index.js';
import { SecretBox, SecretBoxError, type SealedCredentials } from '../secret-box.js';

export interface ConnectorInput {
  baseUrl: string;
  everyMinutes: number | null;
  options: Record<string, unknown>;
  /** Replaces the stored secrets when given; left as they are when undefined. */
  credentials?: Record<string, string>;
}

/** A connector as the API shows it: the names of the secrets that are set, never their values. */
export interface ConnectorView {
  sourceId: string;
  baseUrl: string;
  everyMinutes: number | null;
  options: Record<string, unknown>;
  credentials: string[];
  cursor: object | null;
  cursorUpdatedAt: Date | null;
  running: boolean;
  updatedAt: Date;
}

export interface RunCounts {
  fetched: number;
  accepted: number;
  rejected: number;
  unchanged: number;
  deleted: number;
  availabilityUpdates: number;
}

/** The run lease was taken over (the run was presumed dead): its writes must not land. */
export class LeaseLostError extends Error {
  constructor(sourceId: string, runId: string) {
    super(`run ${runId} of source ${sourceId} no longer holds the connector lease`);
  }
}

const MAX_REPORTED_REJECTIONS = 200;

export function viewConnector(row: ConnectorEntity, now = new Date()): ConnectorView {
  return {
    sourceId: row.sourceId,
    baseUrl: row.baseUrl,
    everyMinutes: row.everyMinutes,
    options: row.options,
    credentials: row.credentialsUnreadable ? ['(sealed with another CREDENTIALS_KEY)'] : Object.keys(row.credentials).sort(),
    cursor: row.cursor,
    cursorUpdatedAt: row.cursorUpdatedAt,
    running: row.leaseUntil !== null && row.leaseUntil > now,
    updatedAt: row.updatedAt,
  };
}

/** Connector settings, cursors and the one-run-at-a-time lease; and the run reports. */
export class ConnectorStore {
  private readonly secrets: SecretBox;

  constructor(
    private readonly dataSource: DataSource,
    secrets?: SecretBox,
  ) {
    this.secrets = secrets ?? new SecretBox(undefined);
  }

  /** The stored row with its credentials opened (or marked unreadable: the run then says why). */
  private opened(row: ConnectorEntity | null): ConnectorEntity | null {
    if (!row) return null;
    try {
      row.credentials = this.secrets.open(row.credentials as Record<string, string> | SealedCredentials);
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error;
      row.credentials = {};
      row.credentialsUnreadable = error.message;
    }
    return row;
  }

  /**
   * Saves the settings only: a running run's cursor and lease are left alone. A new base URL is another
   * feed: its cursor starts over (an old cursor's URLs must not receive the new feed's credentials).
   */
  async configure(sourceId: string, input: ConnectorInput): Promise<ConnectorEntity> {
    const existing = this.opened(await this.dataSource.getRepository(ConnectorEntity).findOneBy({ sourceId }));
    if (existing?.credentialsUnreadable && !input.credentials) throw new SecretBoxError(existing.credentialsUnreadable);
    const credentials = this.secrets.seal(input.credentials ?? existing?.credentials ?? {});
    await this.dataSource.query(
      `INSERT INTO connector (source_id, base_url, every_minutes, options, credentials, updated_at)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, now())
       ON CONFLICT (source_id) DO UPDATE SET
         base_url = EXCLUDED.base_url, every_minutes = EXCLUDED.every_minutes, options = EXCLUDED.options,
         credentials = EXCLUDED.credentials, updated_at = now(),
         cursor = CASE WHEN connector.base_url = EXCLUDED.base_url THEN connector.cursor END,
         cursor_updated_at = CASE WHEN connector.base_url = EXCLUDED.base_url THEN connector.cursor_updated_at END`,
      [sourceId, input.baseUrl, input.everyMinutes, JSON.stringify(input.options), JSON.stringify(credentials)],
    );
    return (await this.find(sourceId))!;
  }

  async find(sourceId: string): Promise<ConnectorEntity | null> {
    return this.opened(await this.dataSource.getRepository(ConnectorEntity).findOneBy({ sourceId }));
  }

  /** Settings only (the schedules): credentials are not opened. */
  list(): Promise<ConnectorEntity[]> {
    return this.dataSource.getRepository(ConnectorEntity).find({ order: { sourceId: 'ASC' }, select: { sourceId: true, everyMinutes: true, baseUrl: true } });
  }

  /**
   * Forget the cursor: the next run starts from the connector's initial position. Refused (false) while
   * a run holds the lease: its next page would write its cursor back.
   */
  async resetCursor(sourceId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `UPDATE connector SET cursor = NULL, cursor_updated_at = NULL
        WHERE source_id = $1 AND (lease_until IS NULL OR lease_until < now()) RETURNING source_id`,
      [sourceId],
    );
    return (Array.isArray(rows[0]) ? (rows[0] as unknown[]) : rows).length > 0;
  }

  /**
   * Inside a page's transaction, before it writes: holds the lease row until commit and fails when the
   * lease went to another run, so a run presumed dead never overwrites what its successor stored.
   */
  async assertLease(manager: EntityManager, sourceId: string, runId: string, leaseMs: number): Promise<void> {
    const rows: unknown[] = await manager.query(
      `UPDATE connector SET lease_until = now() + ($3 || ' milliseconds')::interval
        WHERE source_id = $1 AND lease_run_id = $2 RETURNING source_id`,
      [sourceId, runId, String(leaseMs)],
    );
    if ((Array.isArray(rows[0]) ? (rows[0] as unknown[]) : rows).length === 0) throw new LeaseLostError(sourceId, runId);
  }

  /** Renews a run's lease while it waits on the remote (a slow page must not look like a dead run). */
  async renewLease(sourceId: string, runId: string, leaseMs: number): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `UPDATE connector SET lease_until = now() + ($3 || ' milliseconds')::interval WHERE source_id = $1 AND lease_run_id = $2 RETURNING source_id`,
      [sourceId, runId, String(leaseMs)],
    );
    return (Array.isArray(rows[0]) ? (rows[0] as unknown[]) : rows).length > 0;
  }

  /**
   * Takes the lease for a run, unless another run holds a live one. Answers whether it was taken and
   * which run held an expired lease (that run died: its report is marked interrupted).
   */
  async acquireLease(sourceId: string, runId: string, leaseMs: number): Promise<{ acquired: boolean; previousRunId: string | null }> {
    const rows: Array<{ previous: string | null }> = await this.dataSource.query(
      `UPDATE connector SET lease_run_id = $2, lease_until = now() + ($3 || ' milliseconds')::interval
         FROM (SELECT lease_run_id AS previous FROM connector WHERE source_id = $1 FOR UPDATE) AS before
        WHERE connector.source_id = $1 AND (connector.lease_until IS NULL OR connector.lease_until < now())
        RETURNING before.previous`,
      [sourceId, runId, String(leaseMs)],
    );
    const updated = Array.isArray(rows[0]) ? (rows[0] as Array<{ previous: string | null }>) : rows;
    if (updated.length === 0) return { acquired: false, previousRunId: null };
    return { acquired: true, previousRunId: updated[0].previous };
  }

  /** Saves the cursor and renews the lease; fails when the lease was lost (another run took over). */
  async advance(manager: EntityManager | DataSource, sourceId: string, runId: string, cursor: unknown, leaseMs: number): Promise<void> {
    const result = await manager
      .createQueryBuilder()
      .update(ConnectorEntity)
      .set({ cursor: () => ':cursor::jsonb', cursorUpdatedAt: () => 'now()', leaseUntil: () => `now() + (:lease || ' milliseconds')::interval` })
      .setParameters({ cursor: JSON.stringify(cursor), lease: String(leaseMs) })
      .where('source_id = :sourceId AND lease_run_id = :runId', { sourceId, runId })
      .execute();
    if ((result.affected ?? 0) === 0) throw new LeaseLostError(sourceId, runId);
  }

  async releaseLease(sourceId: string, runId: string): Promise<void> {
    await this.dataSource.getRepository(ConnectorEntity).update({ sourceId, leaseRunId: runId }, { leaseRunId: null, leaseUntil: null });
  }

  /** A run asked for (API): its report exists before a worker picks it up. */
  async queueRun(sourceId: string, trigger: RunTrigger): Promise<string> {
    return this.insertRun(randomUUID(), sourceId, trigger, 'queued', null);
  }

  /** The run starts: the queued report becomes a running one, or a new report is made (scheduled runs). */
  async startRun(runId: string | undefined, sourceId: string, trigger: RunTrigger, cursorStart: object | null): Promise<string> {
    if (runId) {
      const result = await this.dataSource
        .getRepository(ConnectorRunEntity)
        .update({ id: runId, status: 'queued' }, { status: 'running', startedAt: new Date(), cursorStart: cursorStart ?? null });
      if ((result.affected ?? 0) > 0) return runId;
    }
    return this.insertRun(randomUUID(), sourceId, trigger, 'running', cursorStart);
  }

  private async insertRun(id: string, sourceId: string, trigger: RunTrigger, status: RunStatus, cursorStart: object | null): Promise<string> {
    await this.dataSource.getRepository(ConnectorRunEntity).insert({
      id,
      sourceId,
      trigger,
      status,
      startedAt: new Date(),
      finishedAt: null,
      pages: 0,
      fetched: 0,
      accepted: 0,
      rejected: 0,
      unchanged: 0,
      deleted: 0,
      availabilityUpdates: 0,
      rejections: [],
      error: null,
      cursorStart: cursorStart ?? null,
      cursorEnd: null,
    });
    return id;
  }

  /** Adds one page's counts to the run report (inside the page's transaction when a manager is given). */
  async countPage(manager: EntityManager | DataSource, runId: string, counts: RunCounts, rejections: RunRejection[], cursor: unknown): Promise<void> {
    await manager.query(
      `UPDATE connector_run SET pages = pages + 1, fetched = fetched + $2, accepted = accepted + $3, rejected = rejected + $4,
              unchanged = unchanged + $5, deleted = deleted + $6, availability_updates = availability_updates + $7,
              rejections = CASE WHEN jsonb_array_length(rejections) >= ${MAX_REPORTED_REJECTIONS} THEN rejections
                                ELSE rejections || $8::jsonb END,
              cursor_end = $9::jsonb
        WHERE id = $1`,
      [
        runId,
        counts.fetched,
        counts.accepted,
        counts.rejected,
        counts.unchanged,
        counts.deleted,
        counts.availabilityUpdates,
        JSON.stringify(rejections.slice(0, MAX_REPORTED_REJECTIONS)),
        JSON.stringify(cursor ?? null),
      ],
    );
  }

  async finishRun(runId: string, status: Exclude<RunStatus, 'running'>, error: string | null): Promise<void> {
    await this.dataSource.getRepository(ConnectorRunEntity).update({ id: runId }, { status, error, finishedAt: new Date() });
  }

  /** A run whose process died: it keeps its counts, and says so. */
  async markInterrupted(runId: string): Promise<void> {
    await this.dataSource
      .getRepository(ConnectorRunEntity)
      .update({ id: runId, status: 'running' }, { status: 'interrupted', error: 'the run stopped without finishing (process killed or lease expired); the next run resumed from its cursor', finishedAt: new Date() });
  }

  findRun(runId: string): Promise<ConnectorRunEntity | null> {
    return this.dataSource.getRepository(ConnectorRunEntity).findOneBy({ id: runId });
  }

  listRuns(sourceId: string, limit = 50): Promise<ConnectorRunEntity[]> {
    return this.dataSource.getRepository(ConnectorRunEntity).find({ where: { sourceId }, order: { startedAt: 'DESC' }, take: limit });
  }
}

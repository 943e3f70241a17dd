import type { DataSource } from 'typeorm';
import type { BatchStatus, ItemStatus } from '../entities/index.js';

/** One minute of ingest as operators chart it. */
export interface ThroughputMinute {
  /** Start of the minute (UTC). */
  minute: Date;
  /** Batches that finished in this minute (done or failed). */
  batches: number;
  accepted: number;
  rejected: number;
  unchanged: number;
  /** Batches that failed as a whole (e.g. unreadable body): their items are not counted above. */
  failedBatches: number;
  /** Connector runs that ended failed or interrupted in this minute. */
  failedRuns: number;
}

export interface BatchSummary {
  id: string;
  sourceId: string;
  status: BatchStatus;
  createdAt: Date;
  finishedAt: Date | null;
  itemCount: number;
  accepted: number;
  rejected: number;
  unchanged: number;
  error: string | null;
  /** The connector run whose page this batch is (null for a push). */
  runId: string | null;
  contentType: string;
  sizeBytes: number;
}

export interface RejectedItem {
  batchId: string;
  position: number;
  sourceId: string;
  externalId: string | null;
  status: ItemStatus;
  results: object[];
  createdAt: Date;
}

export const MAX_THROUGHPUT_MINUTES = 24 * 60;

/** Read models of the console: batch listings, recent rejections, per-minute throughput. */
export class OperationsStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Newest first; `before` (a batch's createdAt) pages back. */
  async batches(sourceId: string, options: { limit: number; before?: Date; rejectedOnly?: boolean }): Promise<BatchSummary[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT batch.id, batch.source_id, batch.status, batch.created_at, batch.finished_at, batch.item_count, batch.accepted, batch.rejected,
              batch.unchanged, batch.error, payload.run_id, payload.content_type, payload.size_bytes
         FROM ingest_batch batch JOIN raw_payload payload ON payload.id = batch.payload_id
        WHERE batch.source_id = $1 AND ($2::timestamptz IS NULL OR batch.created_at < $2)
          AND (NOT $3 OR batch.rejected > 0 OR batch.status = 'failed')
        ORDER BY batch.created_at DESC LIMIT $4`,
      [sourceId, options.before ?? null, options.rejectedOnly ?? false, options.limit],
    );
    return rows.map((row) => ({
      id: row.id as string,
      sourceId: row.source_id as string,
      status: row.status as BatchStatus,
      createdAt: new Date(row.created_at as string),
      finishedAt: row.finished_at ? new Date(row.finished_at as string) : null,
      itemCount: Number(row.item_count),
      accepted: Number(row.accepted),
      rejected: Number(row.rejected),
      unchanged: Number(row.unchanged),
      error: (row.error as string | null) ?? null,
      runId: (row.run_id as string | null) ?? null,
      contentType: row.content_type as string,
      sizeBytes: Number(row.size_bytes),
    }));
  }

  /** The latest rejected items of a source, across batches, newest first. */
  async rejections(sourceId: string, limit: number): Promise<RejectedItem[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `SELECT batch_id, position, source_id, external_id, status, results, created_at FROM validation_report
        WHERE source_id = $1 AND status = 'rejected' ORDER BY created_at DESC, batch_id, position LIMIT $2`,
      [sourceId, limit],
    );
    return rows.map((row) => ({
      batchId: row.batch_id as string,
      position: Number(row.position),
      sourceId: row.source_id as string,
      externalId: (row.external_id as string | null) ?? null,
      status: row.status as ItemStatus,
      results: row.results as object[],
      createdAt: new Date(row.created_at as string),
    }));
  }

  /** One row per minute of the last `minutes` (the current one included), zeros where nothing happened. */
  async throughput(options: { minutes: number; sourceId?: string; now?: Date }): Promise<ThroughputMinute[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource.query(
      `WITH minutes AS (
         SELECT generate_series(date_trunc('minute', $1::timestamptz) - ($2::int - 1) * interval '1 minute', date_trunc('minute', $1::timestamptz), interval '1 minute') AS minute
       ), batches AS (
         SELECT date_trunc('minute', finished_at) AS minute, count(*) AS batches, sum(accepted) AS accepted, sum(rejected) AS rejected,
                sum(unchanged) AS unchanged, count(*) FILTER (WHERE status = 'failed') AS failed
           FROM ingest_batch
          WHERE finished_at >= date_trunc('minute', $1::timestamptz) - ($2::int - 1) * interval '1 minute' AND ($3::text IS NULL OR source_id = $3)
          GROUP BY 1
       ), runs AS (
         SELECT date_trunc('minute', finished_at) AS minute, count(*) AS failed
           FROM connector_run
          WHERE finished_at >= date_trunc('minute', $1::timestamptz) - ($2::int - 1) * interval '1 minute' AND status IN ('failed', 'interrupted')
            AND ($3::text IS NULL OR source_id = $3)
          GROUP BY 1
       )
       SELECT minutes.minute, COALESCE(batches.batches, 0) AS batches, COALESCE(batches.accepted, 0) AS accepted, COALESCE(batches.rejected, 0) AS rejected,
              COALESCE(batches.unchanged, 0) AS unchanged, COALESCE(batches.failed, 0) AS failed_batches, COALESCE(runs.failed, 0) AS failed_runs
         FROM minutes LEFT JOIN batches ON batches.minute = minutes.minute LEFT JOIN runs ON runs.minute = minutes.minute
        ORDER BY minutes.minute`,
      [options.now ?? new Date(), options.minutes, options.sourceId ?? null],
    );
    return rows.map((row) => ({
      minute: new Date(row.minute as string),
      batches: Number(row.batches),
      accepted: Number(row.accepted),
      rejected: Number(row.rejected),
      unchanged: Number(row.unchanged),
      failedBatches: Number(row.failed_batches),
      failedRuns: Number(row.failed_runs),
    }));
  }
}

/** Queue names and job payloads, shared by the api (producer) and the worker (consumer). */
export const INGEST_QUEUE = 'ingest';

/** One pushed batch: the archived payload is the input, the batch row collects per-item results. */
export interface IngestJob {
  batchId: string;
  sourceId: string;
  payloadId: string;
  /** The request id of the push (X-Request-Id), so the worker's log lines of this batch carry it too. */
  requestId?: string;
}

/** Retries with back-off; finished jobs are kept a while for inspection. */
export const INGEST_JOB_OPTIONS = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
} as const;

/** Deterministic: enqueueing the same batch twice collapses into one job. */
export function ingestJobId(batchId: string): string {
  return `batch-${batchId}`;
}

export interface IngestJobResult {
  accepted: number;
  rejected: number;
  unchanged: number;
  deleted: number;
}

/** Connector runs: repeatable (one job scheduler per source) and started by hand. */
export const CONNECTOR_QUEUE = 'connector-sync';

export interface ConnectorJob {
  sourceId: string;
  trigger: 'schedule' | 'manual';
  /** The run report made when the run was asked for (API); scheduled runs make their own. */
  runId?: string;
}

/** A failed run retries later; it resumes from the cursor its last page saved. */
export const CONNECTOR_JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 30_000 },
  removeOnComplete: 500,
  removeOnFail: 1000,
} as const;

export function connectorSchedulerId(sourceId: string): string {
  return `connector:${sourceId}`;
}

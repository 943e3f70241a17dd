/** Queue names and job payloads, shared by the api (producer) and the worker (consumer). */
export const INGEST_QUEUE = 'ingest';

/** One pushed batch: the archived payload is the input, the batch row collects per-item results. */
export interface IngestJob {
  batchId: string;
  sourceId: string;
  payloadId: string;
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

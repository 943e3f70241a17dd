/** Queue names and job payloads, shared by the api (producer) and the worker (consumer). */
export const INGEST_QUEUE = 'ingest';

/** One pushed batch: the archived payload is the input, the batch row collects per-item results. */
export interface IngestJob {
  batchId: string;
  sourceId: string;
  payloadId: string;
}

/** Deterministic: enqueueing the same batch twice collapses into one job. */
export function ingestJobId(batchId: string): string {
  return `batch-${batchId}`;
}

export interface IngestJobResult {
  accepted: number;
  rejected: number;
  unchanged: number;
}

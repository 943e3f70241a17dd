/** Queue names and job payloads, shared by the api (producer) and the worker (consumer). */
export const INGEST_QUEUE = 'ingest';

/** One pushed batch: the archived payload is the input, the batch row collects per-item results. */
export interface IngestJob {
  /** What the batch holds: activities (default) or participation (a stripped payload). */
  kind?: 'activities' | 'participation';
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

/**
 * Webhook delivery runs: one job per subscription sends its pending messages in change-number order
 * (libs/webhooks webhook-deliverer.ts); retries follow the webhook schedule.
 */
export const WEBHOOK_QUEUE = 'webhook-delivery';

export interface WebhookDeliveryJob {
  /** The subscription whose pending messages (in the delivery log) the run sends. */
  subscriptionId: string;
}

/** The custom back-off type the webhook worker resolves (see libs/webhooks retry-schedule.ts). */
export const WEBHOOK_BACKOFF = 'webhook';

/**
 * Deterministic per reason and key (a dispatcher round's last change, a message's retry, a lapsed
 * lease): the same run asked for twice (recovery) collapses into one job.
 */
export function webhookJobId(subscriptionId: string, reason: string, key: string): string {
  return `run-${subscriptionId}-${reason}-${key}`;
}

/**
 * BullMQ worker lock options from JOB_LOCK_MS (validated with the rest of the config at start; read
 * here because @Processor options are fixed when the processor class is loaded). A worker that dies
 * (kill -9, OOM) stops renewing its job's lock; another worker's stalled-job check then puts the job
 * back in the queue.
 */
export function workerLockOptions(environment: Record<string, string | undefined> = process.env): { lockDuration: number; stalledInterval: number; maxStalledCount: number } {
  const configured = Number(environment.JOB_LOCK_MS);
  const lockDuration = Number.isInteger(configured) && configured >= 1000 ? configured : 30_000;
  // SHACL validation is CPU-bound: on a loaded machine a long batch can hold the event loop past the lock
  // renewal, and the job looks stalled though its worker lives. Jobs are idempotent, so a job may come back
  // a few times before BullMQ gives up on it (the default, 1, failed such batches in the fault tests).
  return { lockDuration, stalledInterval: lockDuration, maxStalledCount: 3 };
}

/** Queue names and job payloads, shared by the api (producer) and the worker (consumer). */
export const INGEST_QUEUE = 'ingest';

/** One pushed batch: the archived payload is the input, the batch row collects per-item results. */
export interface IngestJob {
  /** What the batch holds: activities (default) or participation (a stripped payload). */
  kind?: 'activities' | 'participation';
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

/** Webhook deliveries: one job per message (subscription x change); retries follow the webhook schedule. */
export const WEBHOOK_QUEUE = 'webhook-delivery';

export interface WebhookDeliveryJob {
  /** The delivery-log row: it holds the body, the message id and the subscription. */
  deliveryId: string;
}

/** The custom back-off type the webhook worker resolves (see libs/webhooks retry-schedule.ts). */
export const WEBHOOK_BACKOFF = 'webhook';

/** Deterministic: a delivery queued twice (dispatcher recovery) collapses; a replay bumps the generation. */
export function webhookJobId(deliveryId: string, generation: number): string {
  return `delivery-${deliveryId}-${generation}`;
}

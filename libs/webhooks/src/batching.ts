import { InvalidFiltersError } from './filters.js';

/**
 * Batched delivery of one subscription (decision W11): absent (null) = one request per change (the
 * default); otherwise up to `maxSize` changes in one Standard Webhooks message, waiting at most
 * `maxWaitMs` after the oldest pending change for more to come (0: send what is pending at once;
 * batches then form while the previous request is in flight).
 */
export interface BatchSettings {
  maxSize: number;
  maxWaitMs: number;
}

export const BATCH_MAX_SIZE = 500;
export const BATCH_MAX_WAIT_MS = 5000;
/** The `type` of a batched message; a single change's is `{entityType}.{operation}`. */
export const BATCH_TYPE = 'batch';

const FIELDS = ['maxSize', 'maxWaitMs'];

function integerIn(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * Reads `batch` of a webhook body: null switches batching off (one request per change), an object
 * `{maxSize: 1..500, maxWaitMs: 0..5000 (default 0)}` switches it on. Throws InvalidFiltersError (the
 * api maps it to a 400 naming the field, in nl and en).
 */
export function readBatch(input: unknown, where: string): BatchSettings | null {
  if (input === null) return null;
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidFiltersError({
      where,
      message: {
        nl: 'batch moet null (één verzoek per wijziging) of een object {"maxSize": 1..500, "maxWaitMs": 0..5000} zijn.',
        en: 'batch must be null (one request per change) or an object {"maxSize": 1..500, "maxWaitMs": 0..5000}.',
      },
    });
  }
  const fields = input as Record<string, unknown>;
  const unknown = Object.keys(fields).find((name) => !FIELDS.includes(name));
  if (unknown !== undefined) {
    throw new InvalidFiltersError({
      where: `${where}/${unknown}`,
      message: { nl: `Onbekend veld ${unknown} in batch; mogelijk: ${FIELDS.join(', ')}.`, en: `Unknown field ${unknown} in batch; known: ${FIELDS.join(', ')}.` },
    });
  }
  if (!integerIn(fields.maxSize, 1, BATCH_MAX_SIZE)) {
    throw new InvalidFiltersError({
      where: `${where}/maxSize`,
      message: {
        nl: `batch.maxSize is verplicht: een geheel getal van 1 tot ${BATCH_MAX_SIZE} (wijzigingen per verzoek).`,
        en: `batch.maxSize is required: an integer from 1 to ${BATCH_MAX_SIZE} (changes per request).`,
      },
    });
  }
  if (fields.maxWaitMs !== undefined && !integerIn(fields.maxWaitMs, 0, BATCH_MAX_WAIT_MS)) {
    throw new InvalidFiltersError({
      where: `${where}/maxWaitMs`,
      message: {
        nl: `batch.maxWaitMs: een geheel getal van 0 tot ${BATCH_MAX_WAIT_MS} (milliseconden wachten op meer wijzigingen).`,
        en: `batch.maxWaitMs: an integer from 0 to ${BATCH_MAX_WAIT_MS} (milliseconds to wait for more changes).`,
      },
    });
  }
  return { maxSize: fields.maxSize, maxWaitMs: (fields.maxWaitMs as number | undefined) ?? 0 };
}

/**
 * The `webhook-id` of a batch: the subscription, the first and last change number in it, and the
 * replay generation of its first change. A change is in one batch per generation (the batch is
 * stored on its delivery-log row before the first attempt, and only a replay, which starts a new
 * generation, clears it), so the id names one message; its retries carry the same id.
 */
export function batchMessageIdOf(subscriptionId: string, firstSeq: string, lastSeq: string, generation: number): string {
  return `msg_${subscriptionId.replaceAll('-', '')}_${firstSeq}-${lastSeq}${generation > 0 ? `_r${generation}` : ''}`;
}

/**
 * The body of a batch: `{type: "batch", timestamp, data: {count, firstChangeNumber, lastChangeNumber,
 * messages}}`, `messages` the single-change bodies, byte for byte, in change-number order. Built from
 * the stored bodies (no re-serialisation), so a retry sends the same bytes. `timestamp` is when the
 * last change in it was queued for the subscription (stored, so stable too).
 */
export function batchBody(messages: Array<{ seq: string; body: string }>, timestamp: Date): string {
  return (
    `{"type":"${BATCH_TYPE}","timestamp":"${timestamp.toISOString()}","data":{"count":${messages.length},` +
    `"firstChangeNumber":"${messages[0].seq}","lastChangeNumber":"${messages[messages.length - 1].seq}","messages":[${messages.map((message) => message.body).join(',')}]}}`
  );
}

import { createHash } from 'node:crypto';

/** Each retry waits this many times the previous one ... */
export const RETRY_FACTOR = 4;
/** ... up to this many times the first delay (24 h with the default WEBHOOK_RETRY_BASE_MS of 15 s). */
export const RETRY_CAP_FACTOR = 5760;
/** +-20 %: receivers that came back are not hit by every waiting message in the same second. */
export const RETRY_JITTER = 0.2;

/**
 * Delay before attempt `attemptsMade + 1` (after `attemptsMade` failed ones). The jitter is derived
 * from the job id, so the worker's log and BullMQ agree on the next attempt's time.
 */
export function retryDelay(attemptsMade: number, baseMs: number, jobId = ''): number {
  const nominal = Math.min(baseMs * RETRY_FACTOR ** Math.max(0, attemptsMade - 1), baseMs * RETRY_CAP_FACTOR);
  const digest = createHash('sha256').update(`${jobId}:${attemptsMade}`).digest();
  const unit = digest.readUInt32BE(0) / 0xffffffff;
  return Math.round(nominal * (1 + RETRY_JITTER * (2 * unit - 1)));
}

/** The nominal schedule (no jitter): delays before attempts 2..n, for documentation and the API. */
export function retrySchedule(attempts: number, baseMs: number): number[] {
  return Array.from({ length: Math.max(0, attempts - 1) }, (_, index) => Math.min(baseMs * RETRY_FACTOR ** index, baseMs * RETRY_CAP_FACTOR));
}

import type { JobsOptions } from 'bullmq';
import { WEBHOOK_BACKOFF } from '@platform/queue';

/** Job options of a delivery: the attempts and the first delay of the webhook back-off (retry-schedule.ts). */
export function webhookJobOptions(options: { attempts: number; retryBaseMs: number }): JobsOptions {
  return {
    attempts: options.attempts,
    backoff: { type: WEBHOOK_BACKOFF, delay: options.retryBaseMs },
    // The delivery log is in Postgres: Redis keeps only a little history.
    removeOnComplete: 1000,
    removeOnFail: 1000,
  };
}

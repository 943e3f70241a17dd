import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Optional } from '@nestjs/common';
import type { BackoffStrategy, Job, MinimalJob } from 'bullmq';
import { WEBHOOK_BACKOFF, WEBHOOK_QUEUE, workerLockOptions, type WebhookDeliveryJob } from '@platform/queue';
import { PlatformMetrics } from '@platform/observability';
import { DeliveryFailedError, retryDelay, WebhookDeliverer, type AttemptOutcome } from '@platform/webhooks';

/** BullMQ asks this for the delay before the next attempt: the documented webhook schedule. */
const webhookBackoff: BackoffStrategy = (attemptsMade: number, type?: string, _error?: Error, job?: MinimalJob) => {
  const backoff = job?.opts.backoff;
  const base = typeof backoff === 'object' && backoff.delay !== undefined ? backoff.delay : 15_000;
  if (type !== WEBHOOK_BACKOFF) return base;
  return retryDelay(attemptsMade, base, job?.id ?? '');
};

/** Thin: one attempt of one message; concurrency from WEBHOOK_CONCURRENCY (see worker.module.ts). */
// The lock options of the other queues: a delivery in the hands of a worker that died comes back after
// JOB_LOCK_MS (BullMQ's default of 30 s + 30 s, and failing it after one stall, left it pending for good).
@Processor(WEBHOOK_QUEUE, { ...workerLockOptions(), settings: { backoffStrategy: webhookBackoff } })
export class WebhookDeliveryProcessor extends WorkerHost {
  constructor(
    private readonly deliverer: WebhookDeliverer,
    @Optional() private readonly metrics?: PlatformMetrics,
  ) {
    super();
  }

  async process(job: Job<WebhookDeliveryJob>): Promise<AttemptOutcome> {
    const backoff = job.opts.backoff;
    const outcome = await this.deliverer.attempt(job.data.deliveryId, {
      jobId: job.id ?? '',
      attemptsMade: job.attemptsMade,
      attempts: job.opts.attempts ?? 1,
      retryBaseMs: typeof backoff === 'object' && backoff.delay !== undefined ? backoff.delay : 15_000,
    });
    this.metrics?.webhookAttempts.inc({ outcome });
    // Throwing hands the job back to BullMQ, which waits per the schedule and tries again.
    if (outcome === 'retry') throw new DeliveryFailedError(`delivery ${job.data.deliveryId} failed; retried later`);
    return outcome;
  }
}

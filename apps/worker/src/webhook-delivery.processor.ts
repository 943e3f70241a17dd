import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Optional } from '@nestjs/common';
import type { BackoffStrategy, Job, MinimalJob } from 'bullmq';
import { WEBHOOK_BACKOFF, WEBHOOK_QUEUE, type WebhookDeliveryJob } from '@platform/queue';
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
@Processor(WEBHOOK_QUEUE, { settings: { backoffStrategy: webhookBackoff } })
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

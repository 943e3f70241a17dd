import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { BackoffStrategy, Job, MinimalJob } from 'bullmq';
import type { AppConfig } from '@platform/config';
import { WEBHOOK_BACKOFF, WEBHOOK_QUEUE, workerLockOptions, type WebhookDeliveryJob } from '@platform/queue';
import { PlatformMetrics } from '@platform/observability';
import { ChangeDispatcher, retryDelay, WebhookDeliverer, type RunResult } from '@platform/webhooks';

/** BullMQ asks this for the delay before the next attempt of a run that failed on an error of our own (Postgres away): the webhook schedule. */
const webhookBackoff: BackoffStrategy = (attemptsMade: number, type?: string, _error?: Error, job?: MinimalJob) => {
  const backoff = job?.opts.backoff;
  const base = typeof backoff === 'object' && backoff.delay !== undefined ? backoff.delay : 15_000;
  if (type !== WEBHOOK_BACKOFF) return base;
  return retryDelay(attemptsMade, base, job?.id ?? '');
};

/**
 * Thin: one delivery run of one subscription (webhook-deliverer.ts); WEBHOOK_CONCURRENCY runs at once
 * (see worker.module.ts). A receiver's failures are the run's business (the message's schedule in the
 * delivery log); a job fails only on errors of our own, and BullMQ retries it.
 */
// The lock options of the other queues: a run in the hands of a worker that died comes back after
// JOB_LOCK_MS (BullMQ's default of 30 s + 30 s, and failing it after one stall, left it pending for good).
@Processor(WEBHOOK_QUEUE, { ...workerLockOptions(), settings: { backoffStrategy: webhookBackoff } })
export class WebhookDeliveryProcessor extends WorkerHost {
  private readonly options: { attempts: number; retryBaseMs: number; timeoutMs: number; leaseMs: number };

  constructor(
    private readonly deliverer: WebhookDeliverer,
    private readonly dispatcher: ChangeDispatcher,
    config: ConfigService<AppConfig, true>,
    @Optional() private readonly metrics?: PlatformMetrics,
  ) {
    super();
    const timeoutMs = config.get('WEBHOOK_TIMEOUT_MS', { infer: true });
    this.options = {
      attempts: config.get('WEBHOOK_ATTEMPTS', { infer: true }),
      retryBaseMs: config.get('WEBHOOK_RETRY_BASE_MS', { infer: true }),
      timeoutMs,
      // Long enough for two sends that time out; a run renews it before a send when less than one is left.
      leaseMs: Math.max(workerLockOptions().lockDuration, 2 * timeoutMs + 5000),
    };
  }

  private readonly logger = new Logger(WebhookDeliveryProcessor.name);

  /** An error of our own (Postgres away, say): BullMQ tries the run again after the webhook back-off; the log says so. */
  @OnWorkerEvent('failed')
  onFailed(job: Job<WebhookDeliveryJob> | undefined, error: Error): void {
    if (job) this.logger.warn(`webhook run ${job.id} (subscription ${job.data.subscriptionId}) attempt ${job.attemptsMade} failed: ${error.message}`);
  }

  async process(job: Job<WebhookDeliveryJob>): Promise<RunResult> {
    return this.deliverer.run(job.data.subscriptionId, this.options, {
      later: (subscriptionId, at, reason, key) => this.dispatcher.enqueue([{ subscriptionId, reason, key, at }]),
      outcome: (outcome, count) => this.metrics?.webhookAttempts.inc({ outcome }, count),
    });
  }
}

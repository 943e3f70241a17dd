import { Logger } from '@nestjs/common';
import { retryDelay } from './retry-schedule.js';
import { signedHeaders } from './signing.js';
import type { WebhookSender } from './webhook-sender.js';
import type { DeliveryStatus, WebhookStore } from './webhook.store.js';

/** What the queue knows of the attempt being made. */
export interface AttemptContext {
  jobId: string;
  /** Attempts already made for this job (BullMQ's attemptsMade while processing). */
  attemptsMade: number;
  attempts: number;
  retryBaseMs: number;
}

export type AttemptOutcome = 'delivered' | 'retry' | 'failed' | 'gone' | 'skipped';

/** Thrown so the queue retries the job later, per the webhook schedule. */
export class DeliveryFailedError extends Error {}

/**
 * One attempt of one message: sign (Standard Webhooks), send, log. 2xx = delivered. 410 Gone disables
 * the subscription at once (the receiver said it will never want these). Any other answer, a
 * time-out or a refused target is retried; the last attempt of the schedule failing disables the
 * subscription when it had no successful delivery since the message was made (failing all along).
 */
export class WebhookDeliverer {
  private readonly logger = new Logger(WebhookDeliverer.name);

  constructor(
    private readonly store: WebhookStore,
    private readonly sender: WebhookSender,
  ) {}

  async attempt(deliveryId: string, context: AttemptContext): Promise<AttemptOutcome> {
    const target = await this.store.target(deliveryId);
    if (!target || target.status !== 'pending') return 'skipped';
    if (target.subscriptionStatus !== 'active') {
      await this.store.markSkipped(deliveryId);
      return 'skipped';
    }
    const attemptAt = new Date();
    const headers = signedHeaders(target.secret, target.messageId, attemptAt, target.body);
    const result = await this.sender.send(target.url, { ...headers }, target.body);
    const record = { at: attemptAt.toISOString(), statusCode: result.statusCode, error: result.error, durationMs: result.durationMs };
    if (result.error === null) {
      await this.store.recordAttempt(target, record, { status: 'delivered', nextAttemptAt: null });
      return 'delivered';
    }
    if (result.statusCode === 410) {
      await this.store.recordAttempt(target, record, { status: 'gone', nextAttemptAt: null });
      await this.store.disable(target.subscriptionId, 'gone');
      this.logger.warn(`webhook ${target.subscriptionId} answered 410 Gone: disabled`);
      return 'gone';
    }
    const last = context.attemptsMade + 1 >= context.attempts;
    if (last) {
      const status: DeliveryStatus = 'failed';
      await this.store.recordAttempt(target, record, { status, nextAttemptAt: null });
      if (!target.lastSuccessAt || target.lastSuccessAt < target.createdAt) {
        await this.store.disable(target.subscriptionId, 'failing');
        this.logger.warn(`webhook ${target.subscriptionId} failed for the whole retry schedule: disabled`);
      }
      return 'failed';
    }
    const nextAttemptAt = new Date(Date.now() + retryDelay(context.attemptsMade + 1, context.retryBaseMs, context.jobId));
    await this.store.recordAttempt(target, record, { status: 'pending', nextAttemptAt });
    return 'retry';
  }
}

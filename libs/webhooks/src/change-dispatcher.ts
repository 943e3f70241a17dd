import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { webhookJobId, type WebhookDeliveryJob } from '@platform/queue';
import { eventType, readChangeEvents, webhookPayload } from './change-events.js';
import { matches } from './filters.js';
import { messageIdOf } from './signing.js';
import { webhookJobOptions } from './webhook-jobs.js';
import type { NewDelivery, WebhookStore } from './webhook.store.js';

export interface DispatcherOptions {
  publicBaseUrl: string;
  pollIntervalMs: number;
  attempts: number;
  retryBaseMs: number;
  /** Changes read per round. */
  batchSize?: number;
}

const CURSOR = 'webhooks';

/**
 * Follows the change log with a cursor kept in Postgres and turns each change into one message per
 * matching subscription: delivery-log rows and the cursor move in one transaction, then one run job
 * per subscription that got messages is queued (the run sends all its pending messages in order:
 * webhook-deliverer.ts). A change committed while no worker ran is found on the next start; a crash
 * between the commit and the queueing is repaired by `requeuePending` (job ids are deterministic).
 * The cursor row is locked with SKIP LOCKED, so of several worker processes one dispatches at a time.
 */
export class ChangeDispatcher {
  private readonly logger = new Logger(ChangeDispatcher.name);
  private running = false;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: WebhookStore,
    private readonly queue: Queue<WebhookDeliveryJob>,
    private readonly options: DispatcherOptions,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    this.loop = null;
  }

  /** Called on a live notification: look now instead of at the next poll. */
  nudge(): void {
    this.wake?.();
  }

  private async run(): Promise<void> {
    await this.requeuePending().catch((error: unknown) => this.logger.warn(`pending deliveries not queued again: ${String(error)}`));
    while (this.running) {
      let dispatched = 0;
      try {
        dispatched = await this.dispatchOnce();
      } catch (error) {
        this.logger.error(`webhook dispatch failed (will retry): ${error instanceof Error ? error.message : String(error)}`);
      }
      if (dispatched === 0 && this.running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.options.pollIntervalMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
    }
  }

  /** One round: returns how many changes it consumed (0 = caught up, or another process holds the cursor). */
  async dispatchOnce(): Promise<number> {
    // Cheap check first: most rounds find nothing, and need no transaction.
    const [cursor] = await this.dataSource.query(`SELECT last_seq::text AS last_seq FROM webhook_dispatch_cursor WHERE id = $1`, [CURSOR]);
    if (!cursor) return 0;
    const [next] = await this.dataSource.query(`SELECT 1 FROM change_log WHERE seq > $1 LIMIT 1`, [cursor.last_seq]);
    if (!next) return 0;
    const outcome = await this.dataSource.transaction(async (manager) => {
      const [locked] = await manager.query(`SELECT last_seq::text AS last_seq FROM webhook_dispatch_cursor WHERE id = $1 FOR UPDATE SKIP LOCKED`, [CURSOR]);
      if (!locked) return { consumed: 0, queued: [] as string[], through: '' };
      const events = await readChangeEvents(manager, locked.last_seq, this.options.batchSize ?? 1000, { remember: true });
      if (events.length === 0) return { consumed: 0, queued: [] as string[], through: '' };
      const subscriptions = await this.store.activeSubscriptions(manager);
      const deliveries: NewDelivery[] = [];
      for (const event of events) {
        let body: string | null = null;
        for (const subscription of subscriptions) {
          if (BigInt(event.seq) <= BigInt(subscription.createdAfterSeq) || !matches(subscription.filters, event)) continue;
          body ??= webhookPayload(event, this.options.publicBaseUrl);
          deliveries.push({ id: randomUUID(), subscriptionId: subscription.id, seq: event.seq, messageId: messageIdOf(subscription.id, event.seq), eventType: eventType(event), body });
        }
      }
      const queued = await this.store.insertDeliveries(manager, deliveries);
      const through = events[events.length - 1].seq;
      await manager.query(`UPDATE webhook_dispatch_cursor SET last_seq = $2 WHERE id = $1`, [CURSOR, through]);
      return { consumed: events.length, queued, through };
    });
    await this.enqueue(outcome.queued.map((subscriptionId) => ({ subscriptionId, reason: 'seq', key: outcome.through })));
    return outcome.consumed;
  }

  /** Run jobs: each sends its subscription's pending messages (a run already going picks them up itself). */
  async enqueue(runs: Array<{ subscriptionId: string; reason: string; key: string; at?: Date }>): Promise<void> {
    for (let offset = 0; offset < runs.length; offset += 1000) {
      await this.queue.addBulk(
        runs.slice(offset, offset + 1000).map((run) => ({
          name: 'run',
          data: { subscriptionId: run.subscriptionId },
          opts: {
            ...webhookJobOptions(this.options),
            jobId: webhookJobId(run.subscriptionId, run.reason, run.key),
            ...(run.at ? { delay: Math.max(0, run.at.getTime() - Date.now()) } : {}),
          },
        })),
      );
    }
  }

  /**
   * Subscriptions whose next pending message is overdue and whose run job Redis lost (a restart without
   * persistence) or gave up on (it stalled too often, or its attempts ran out on errors of our own, such
   * as Postgres being away): a run is queued again. Returns how many. A job still waiting or delayed is
   * left alone. The job id names the message and its attempt, so a sweep that finds the same state again
   * finds its own job.
   */
  async requeueLost(minAgeMs: number, limit = 1000): Promise<number> {
    let requeued = 0;
    for (const stalled of await this.store.stalledRuns(minAgeMs, limit)) {
      const run = { subscriptionId: stalled.subscriptionId, reason: 'sweep', key: `${stalled.deliveryId}-${stalled.generation}-${stalled.runAttempts}` };
      const job = await this.queue.getJob(webhookJobId(run.subscriptionId, run.reason, run.key));
      if (!job) {
        await this.enqueue([run]);
        requeued += 1;
      } else if (await job.isFailed()) {
        await job.retry('failed');
        requeued += 1;
      } else if (await job.isCompleted()) {
        // It ran and the message is still waiting (say, a lease that had not lapsed yet): once more.
        await job.remove();
        await this.enqueue([run]);
        requeued += 1;
      }
    }
    return requeued;
  }

  /** A run for every subscription with pending messages; a job Redis still has is not duplicated (same id). */
  async requeuePending(): Promise<number> {
    const stalled = await this.store.stalledRuns(null, 100_000);
    await this.enqueue(stalled.map((run) => ({ subscriptionId: run.subscriptionId, reason: 'start', key: `${run.deliveryId}-${run.generation}-${run.runAttempts}` })));
    return stalled.length;
  }
}

import type { DataSource } from 'typeorm';
import { randomUUID } from 'node:crypto';
import type { BatchSettings } from './batching.js';
import { eventType, readChangeEvents, seqBefore, webhookPayload } from './change-events.js';
import type { ChangeDispatcher } from './change-dispatcher.js';
import { matches, type ChangeFilters } from './filters.js';
import { messageIdOf, newSigningSecret } from './signing.js';
import { checkTarget, type TargetPolicy } from './target-guard.js';
import type { NewDelivery, Subscription, WebhookStore } from './webhook.store.js';

export interface ReplayResult {
  /** Messages queued (matching changes in the range). */
  queued: number;
  fromChangeNumber: string;
  /** The last change looked at; when `complete` is false, replay again from the one after it. */
  throughChangeNumber: string;
  complete: boolean;
}

/** What the consumer-facing API does with subscriptions (the controller maps errors and shapes answers). */
export class WebhooksService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: WebhookStore,
    private readonly dispatcher: Pick<ChangeDispatcher, 'enqueue'>,
    private readonly options: { policy: TargetPolicy; publicBaseUrl: string; replayMax: number },
  ) {}

  /** Refuses a target that is not https or resolves to a non-public address (TargetRefusedError). */
  checkTarget(url: string): Promise<URL> {
    return checkTarget(url, this.options.policy);
  }

  async create(consumerId: string, input: { url: string; description: string | null; filters: ChangeFilters; batch?: BatchSettings | null }): Promise<{ subscription: Subscription; secret: string }> {
    await this.checkTarget(input.url);
    const secret = newSigningSecret();
    const subscription = await this.store.createSubscription({ consumerId, ...input, secret });
    return { subscription, secret };
  }

  /**
   * Queues the changes from `fromChangeNumber` (inclusive) or from `since` that match the
   * subscription's filters, up to what the dispatcher has handled (later ones it sends itself).
   * Already delivered messages are sent again with the same webhook-id.
   */
  async replay(subscription: Subscription, from: { changeNumber?: string; since?: Date }): Promise<ReplayResult> {
    const afterSeq = from.changeNumber !== undefined ? String(BigInt(from.changeNumber) - 1n) : await seqBefore(this.dataSource, from.since!);
    const [{ last_seq: dispatched }] = await this.dataSource.query(`SELECT last_seq::text AS last_seq FROM webhook_dispatch_cursor WHERE id = 'webhooks'`);
    let cursor = afterSeq;
    let queued = 0;
    let looked = 0;
    while (looked < this.options.replayMax && BigInt(cursor) < BigInt(dispatched)) {
      const events = await readChangeEvents(this.dataSource, cursor, Math.min(1000, this.options.replayMax - looked), { upToSeq: dispatched });
      if (events.length === 0) break;
      looked += events.length;
      cursor = events[events.length - 1].seq;
      const deliveries: NewDelivery[] = events
        .filter((event) => matches(subscription.filters, event))
        .map((event) => ({
          id: randomUUID(),
          subscriptionId: subscription.id,
          seq: event.seq,
          messageId: messageIdOf(subscription.id, event.seq),
          eventType: eventType(event),
          body: webhookPayload(event, this.options.publicBaseUrl),
        }));
      if (deliveries.length === 0) continue;
      const rows = await this.dataSource.transaction((manager) => this.store.replayDeliveries(manager, deliveries));
      // One run sends them (before the later messages: a run goes in change-number order).
      await this.dispatcher.enqueue([{ subscriptionId: subscription.id, reason: 'replay', key: `${rows[0].id}-${rows[0].generation}` }]);
      queued += rows.length;
    }
    const complete = BigInt(cursor) >= BigInt(dispatched);
    return { queued, fromChangeNumber: String(BigInt(afterSeq) + 1n), throughChangeNumber: complete ? dispatched : cursor, complete };
  }
}

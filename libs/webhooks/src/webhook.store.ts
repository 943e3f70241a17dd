import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { hashKey, SecretBox, type IssuedKey, type SealedCredentials } from '@platform/storage';
import type { BatchSettings } from './batching.js';
import type { ChangeFilters } from './filters.js';

export interface Consumer {
  id: string;
  name: string;
  createdAt: Date;
}

export type SubscriptionStatus = 'active' | 'disabled';
export type DisabledReason = 'gone' | 'failing' | 'by-consumer';

export interface Subscription {
  id: string;
  consumerId: string;
  url: string;
  description: string | null;
  filters: ChangeFilters;
  /** Null: one request per change; otherwise batched (decision W11). */
  batch: BatchSettings | null;
  status: SubscriptionStatus;
  disabledReason: DisabledReason | null;
  disabledAt: Date | null;
  /** Changes after this number are delivered (earlier ones only by replay). */
  createdAfterSeq: string;
  lastSuccessAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'gone' | 'skipped';

export interface AttemptRecord {
  at: string;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

export interface Delivery {
  id: string;
  subscriptionId: string;
  changeNumber: string;
  messageId: string;
  /** The `webhook-id` of the batch that carries the change (null: sent on its own). */
  batchId: string | null;
  eventType: string;
  status: DeliveryStatus;
  attempts: number;
  attemptLog: AttemptRecord[];
  lastAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

/**
 * How a subscription is doing, for operators: `paused` = disabled by its consumer; `failing` =
 * disabled by the platform (410 Gone, or a whole retry schedule failed) or active with a message that
 * is being retried or failed since its last success; `active` otherwise.
 */
export type SubscriptionHealth = 'active' | 'paused' | 'failing';

export interface SubscriptionOverview extends Subscription {
  consumerName: string;
  health: SubscriptionHealth;
  deliveries: { pending: number; retrying: number; delivered: number; failed: number; lastAttemptAt: Date | null };
}

/** How many of a subscription's latest messages the operator's counts of delivered and failed look at. */
export const RECENT_DELIVERIES = 1000;

export function subscriptionHealth(subscription: Pick<Subscription, 'status' | 'disabledReason'>, retrying: number, failedSinceSuccess: number): SubscriptionHealth {
  if (subscription.status === 'disabled') return subscription.disabledReason === 'by-consumer' ? 'paused' : 'failing';
  return retrying > 0 || failedSinceSuccess > 0 ? 'failing' : 'active';
}

/** A pending message of a run, in change-number order. */
export interface RunMessage {
  deliveryId: string;
  seq: string;
  generation: number;
  messageId: string;
  body: string;
  /** Attempts of the current generation (a replay starts the schedule again). */
  runAttempts: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  /** The batch it was put in before its first attempt in this generation (null: not yet, or not batched). */
  batchId: string | null;
}

/** One batch of a run: the subscription as it is now (url, secret, status may change between batches) and its next pending messages. */
export interface RunBatch {
  subscriptionId: string;
  url: string;
  /** Sealed; opened by the deliverer (a secret that cannot be opened fails the run, not the batch read). */
  sealedSecret: Record<string, string> | SealedCredentials;
  status: SubscriptionStatus;
  lastSuccessAt: Date | null;
  batch: BatchSettings | null;
  messages: RunMessage[];
}

/** Whether a run got the subscription: taken, held by another run until a time, or no such subscription. */
export type RunLease = { taken: true } | { taken: false; busyUntil: Date | null; exists: boolean };

export interface NewDelivery {
  id: string;
  subscriptionId: string;
  seq: string;
  messageId: string;
  eventType: string;
  body: string;
}

interface SubscriptionRow {
  id: string;
  consumer_id: string;
  url: string;
  description: string | null;
  filters: ChangeFilters;
  batch: BatchSettings | null;
  status: SubscriptionStatus;
  disabled_reason: DisabledReason | null;
  disabled_at: Date | null;
  created_after_seq: string;
  last_success_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

interface DeliveryRow {
  id: string;
  subscription_id: string;
  seq: string;
  message_id: string;
  batch_id: string | null;
  event_type: string;
  status: DeliveryStatus;
  attempts: number;
  attempt_log: AttemptRecord[];
  last_attempt_at: Date | null;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
}

function toSubscription(row: SubscriptionRow): Subscription {
  return {
    id: row.id,
    consumerId: row.consumer_id,
    url: row.url,
    description: row.description,
    filters: row.filters,
    batch: row.batch ?? null,
    status: row.status,
    disabledReason: row.disabled_reason,
    disabledAt: row.disabled_at,
    createdAfterSeq: String(row.created_after_seq),
    lastSuccessAt: row.last_success_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    changeNumber: String(row.seq),
    messageId: row.message_id,
    batchId: row.batch_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    attemptLog: row.attempt_log,
    lastAttemptAt: row.last_attempt_at,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  };
}

const SUBSCRIPTION_COLUMNS = `id, consumer_id, url, description, filters, batch, status, disabled_reason, disabled_at, created_after_seq::text AS created_after_seq,
  last_success_at, created_at, updated_at`;
const DELIVERY_COLUMNS = `id, subscription_id, seq::text AS seq, message_id, batch_id, event_type, status, attempts, attempt_log, last_attempt_at, last_status_code,
  last_error, next_attempt_at, delivered_at, created_at`;

/** A delivery's body: its own (a replayed one, or one stored before W11), else its change's in `webhook_message`. */
const BODY = `coalesce(webhook_delivery.body, (SELECT message.body FROM webhook_message message WHERE message.seq = webhook_delivery.seq))`;

/** Consumers (calendar platforms), their keys, webhook subscriptions and the delivery log. */
export class WebhookStore {
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
  ) {}

  // --- consumers and their keys (api_client rows of kind `consumer`) ---

  async createConsumer(consumer: { id: string; name: string }): Promise<Consumer | null> {
    const rows: Array<{ id: string; name: string; created_at: Date }> = await this.dataSource.query(
      `INSERT INTO consumer (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING RETURNING id, name, created_at`,
      [consumer.id, consumer.name],
    );
    return rows[0] ? { id: rows[0].id, name: rows[0].name, createdAt: rows[0].created_at } : null;
  }

  async findConsumer(id: string): Promise<Consumer | null> {
    const rows: Array<{ id: string; name: string; created_at: Date }> = await this.dataSource.query(`SELECT id, name, created_at FROM consumer WHERE id = $1`, [id]);
    return rows[0] ? { id: rows[0].id, name: rows[0].name, createdAt: rows[0].created_at } : null;
  }

  async listConsumers(): Promise<Consumer[]> {
    const rows: Array<{ id: string; name: string; created_at: Date }> = await this.dataSource.query(`SELECT id, name, created_at FROM consumer ORDER BY created_at`);
    return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at }));
  }

  async issueConsumerKey(consumerId: string): Promise<IssuedKey> {
    const key = `cdpc_${randomBytes(32).toString('base64url')}`;
    const keyId = randomUUID();
    await this.dataSource.query(
      `INSERT INTO api_client (id, kind, consumer_id, source_id, key_hash, key_prefix) VALUES ($1, 'consumer', $2, NULL, $3, $4)`,
      [keyId, consumerId, hashKey(key), key.slice(0, 9)],
    );
    return { keyId, key };
  }

  async listConsumerKeys(consumerId: string): Promise<Array<{ keyId: string; keyPrefix: string; createdAt: Date; revokedAt: Date | null }>> {
    const rows: Array<{ id: string; key_prefix: string; created_at: Date; revoked_at: Date | null }> = await this.dataSource.query(
      `SELECT id, key_prefix, created_at, revoked_at FROM api_client WHERE kind = 'consumer' AND consumer_id = $1 ORDER BY created_at`,
      [consumerId],
    );
    return rows.map((row) => ({ keyId: row.id, keyPrefix: row.key_prefix, createdAt: row.created_at, revokedAt: row.revoked_at }));
  }

  async revokeConsumerKey(consumerId: string, keyId: string): Promise<boolean> {
    const [{ count }] = await this.dataSource.query(
      `WITH revoked AS (UPDATE api_client SET revoked_at = now() WHERE id = $1 AND kind = 'consumer' AND consumer_id = $2 AND revoked_at IS NULL RETURNING id)
       SELECT count(*)::int AS count FROM revoked`,
      [keyId, consumerId],
    );
    return count > 0;
  }

  /** The consumer a live consumer key belongs to; one indexed query. */
  async authenticateConsumer(key: string): Promise<Consumer | null> {
    const rows: Array<{ id: string; name: string; created_at: Date }> = await this.dataSource.query(
      `SELECT consumer.id, consumer.name, consumer.created_at FROM api_client JOIN consumer ON consumer.id = api_client.consumer_id
        WHERE api_client.key_hash = $1 AND api_client.kind = 'consumer' AND api_client.revoked_at IS NULL`,
      [hashKey(key)],
    );
    return rows[0] ? { id: rows[0].id, name: rows[0].name, createdAt: rows[0].created_at } : null;
  }

  /**
   * How far each active subscription has the change log: every change up to the seq is delivered or
   * was not for it. That is one before its oldest pending delivery, else the dispatcher's cursor (it
   * has looked at every change up to there), never before the subscription existed.
   */
  async positions(): Promise<Array<{ consumer: string; seq: number }>> {
    const rows: Array<{ consumer: string; seq: string }> = await this.dataSource.query(
      `SELECT subscription.consumer_id || '/' || subscription.id AS consumer,
              greatest(subscription.created_after_seq,
                       coalesce((SELECT min(delivery.seq) - 1 FROM webhook_delivery delivery
                                  WHERE delivery.subscription_id = subscription.id AND delivery.status = 'pending'),
                                cursor.last_seq))::text AS seq
         FROM webhook_subscription subscription CROSS JOIN webhook_dispatch_cursor cursor
        WHERE cursor.id = 'webhooks' AND subscription.status = 'active'`,
    );
    return rows.map((row) => ({ consumer: row.consumer, seq: Number(row.seq) }));
  }

  // --- subscriptions ---

  async createSubscription(input: {
    consumerId: string;
    url: string;
    description: string | null;
    filters: ChangeFilters;
    batch?: BatchSettings | null;
    secret: string;
  }): Promise<Subscription> {
    const rows: SubscriptionRow[] = await this.dataSource.query(
      `INSERT INTO webhook_subscription (id, consumer_id, url, description, filters, batch, secret, created_after_seq)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, (SELECT coalesce(max(seq), 0) FROM change_log))
       RETURNING ${SUBSCRIPTION_COLUMNS}`,
      [
        randomUUID(),
        input.consumerId,
        input.url,
        input.description,
        JSON.stringify(input.filters),
        input.batch ? JSON.stringify(input.batch) : null,
        JSON.stringify(this.secrets.seal({ secret: input.secret })),
      ],
    );
    return toSubscription(rows[0]);
  }

  async listSubscriptions(consumerId: string): Promise<Subscription[]> {
    const rows: SubscriptionRow[] = await this.dataSource.query(`SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscription WHERE consumer_id = $1 ORDER BY created_at`, [consumerId]);
    return rows.map(toSubscription);
  }

  /**
   * Every consumer's subscriptions with their delivery counts (for the operator), one query: pending
   * and retrying messages all, delivered and failed among the latest RECENT_DELIVERIES.
   */
  async overview(): Promise<SubscriptionOverview[]> {
    const rows: Array<SubscriptionRow & { consumer_name: string; pending: number; retrying: number; delivered: number; failed: number; failed_since_success: number; last_attempt_at: Date | null }> =
      await this.dataSource.query(
        `SELECT subscription.*, consumer.name AS consumer_name, waiting.*, counts.*
           FROM (SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscription) AS subscription JOIN consumer ON consumer.id = subscription.consumer_id
           CROSS JOIN LATERAL (
             SELECT count(*)::int AS pending, count(*) FILTER (WHERE attempts > 0)::int AS retrying
               FROM webhook_delivery WHERE subscription_id = subscription.id AND status = 'pending') AS waiting
           -- The rest over the latest messages only (newest by the (subscription_id, seq) index): the log grows for ever.
           CROSS JOIN LATERAL (
             SELECT count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
                    count(*) FILTER (WHERE status IN ('failed', 'gone'))::int AS failed,
                    count(*) FILTER (WHERE status IN ('failed', 'gone') AND (subscription.last_success_at IS NULL OR last_attempt_at > subscription.last_success_at))::int AS failed_since_success,
                    max(last_attempt_at) AS last_attempt_at
               FROM (SELECT status, last_attempt_at FROM webhook_delivery WHERE subscription_id = subscription.id ORDER BY seq DESC LIMIT ${RECENT_DELIVERIES}) AS recent) AS counts
          ORDER BY subscription.consumer_id, subscription.created_at`,
      );
    return rows.map((row) => ({
      ...toSubscription(row),
      consumerName: row.consumer_name,
      health: subscriptionHealth({ status: row.status, disabledReason: row.disabled_reason }, row.retrying, row.failed_since_success),
      deliveries: { pending: row.pending, retrying: row.retrying, delivered: row.delivered, failed: row.failed, lastAttemptAt: row.last_attempt_at },
    }));
  }

  /** Any consumer's subscription (the operator's view). */
  async subscriptionById(id: string): Promise<Subscription | null> {
    const rows: SubscriptionRow[] = await this.dataSource.query(`SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscription WHERE id = $1`, [id]);
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  async findSubscription(consumerId: string, id: string): Promise<Subscription | null> {
    const rows: SubscriptionRow[] = await this.dataSource.query(`SELECT ${SUBSCRIPTION_COLUMNS} FROM webhook_subscription WHERE consumer_id = $1 AND id = $2`, [consumerId, id]);
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  /** Only the given fields change (`batch: null` switches batching off); `status: 'active'` re-enables (clears the reason). */
  async updateSubscription(
    consumerId: string,
    id: string,
    change: { url?: string; description?: string | null; filters?: ChangeFilters; batch?: BatchSettings | null; status?: 'active' | 'disabled'; secret?: string },
  ): Promise<Subscription | null> {
    const rows: SubscriptionRow[] = await this.dataSource.query(
      `WITH updated AS (UPDATE webhook_subscription SET
          url = coalesce($3, url),
          description = CASE WHEN $4::boolean THEN $5 ELSE description END,
          filters = coalesce($6::jsonb, filters),
          secret = coalesce($7::jsonb, secret),
          status = coalesce($8, status),
          disabled_reason = CASE WHEN $8 = 'active' THEN NULL WHEN $8 = 'disabled' AND status = 'active' THEN 'by-consumer' ELSE disabled_reason END,
          disabled_at = CASE WHEN $8 = 'active' THEN NULL WHEN $8 = 'disabled' AND status = 'active' THEN now() ELSE disabled_at END,
          batch = CASE WHEN $9::boolean THEN $10::jsonb ELSE batch END,
          updated_at = now()
        WHERE consumer_id = $1 AND id = $2
        RETURNING *)
       SELECT ${SUBSCRIPTION_COLUMNS} FROM updated`,
      [
        consumerId,
        id,
        change.url ?? null,
        change.description !== undefined,
        change.description ?? null,
        change.filters ? JSON.stringify(change.filters) : null,
        change.secret ? JSON.stringify(this.secrets.seal({ secret: change.secret })) : null,
        change.status ?? null,
        change.batch !== undefined,
        change.batch ? JSON.stringify(change.batch) : null,
      ],
    );
    return rows[0] ? toSubscription(rows[0]) : null;
  }

  async deleteSubscription(consumerId: string, id: string): Promise<boolean> {
    const [{ count }] = await this.dataSource.query(
      `WITH deleted AS (DELETE FROM webhook_subscription WHERE consumer_id = $1 AND id = $2 RETURNING id) SELECT count(*)::int AS count FROM deleted`,
      [consumerId, id],
    );
    return count > 0;
  }

  async disable(subscriptionId: string, reason: DisabledReason): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_subscription SET status = 'disabled', disabled_reason = $2, disabled_at = now(), updated_at = now() WHERE id = $1 AND status = 'active'`,
      [subscriptionId, reason],
    );
  }

  /** What the dispatcher matches against (inside its transaction). */
  async activeSubscriptions(manager: EntityManager): Promise<Array<Pick<Subscription, 'id' | 'filters' | 'createdAfterSeq'>>> {
    const rows: Array<{ id: string; filters: ChangeFilters; created_after_seq: string }> = await manager.query(
      `SELECT id, filters, created_after_seq::text AS created_after_seq FROM webhook_subscription WHERE status = 'active'`,
    );
    return rows.map((row) => ({ id: row.id, filters: row.filters, createdAfterSeq: row.created_after_seq }));
  }

  // --- the delivery log ---

  /**
   * New messages; an existing (subscription, change) is left as it is. Returns the subscriptions that
   * got new ones. The body of a change is the same for every subscription: it is stored once, in
   * `webhook_message` (decision W11), and the delivery rows have none.
   */
  async insertDeliveries(manager: EntityManager, deliveries: NewDelivery[]): Promise<string[]> {
    const bodies = new Map<string, string>();
    for (const delivery of deliveries) if (!bodies.has(delivery.seq)) bodies.set(delivery.seq, delivery.body);
    if (bodies.size > 0) {
      await manager.query(`INSERT INTO webhook_message (seq, body) SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT (seq) DO NOTHING`, [[...bodies.keys()], [...bodies.values()]]);
    }
    const inserted = new Set<string>();
    for (let offset = 0; offset < deliveries.length; offset += 5000) {
      const chunk = deliveries.slice(offset, offset + 5000);
      // The subscriptions, not a row per inserted message (50 subscriptions x 1,000 changes are 50,000 rows to read back).
      const rows: Array<{ subscription_id: string }> = await manager.query(
        `WITH inserted AS (
           INSERT INTO webhook_delivery (id, subscription_id, seq, message_id, event_type)
             SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::text[])
           ON CONFLICT (subscription_id, seq) DO NOTHING RETURNING subscription_id)
         SELECT DISTINCT subscription_id FROM inserted`,
        [
          chunk.map((delivery) => delivery.id),
          chunk.map((delivery) => delivery.subscriptionId),
          chunk.map((delivery) => delivery.seq),
          chunk.map((delivery) => delivery.messageId),
          chunk.map((delivery) => delivery.eventType),
        ],
      );
      for (const row of rows) inserted.add(row.subscription_id);
    }
    return [...inserted];
  }

  /**
   * A replay: new messages are inserted, already known ones go back to pending with a new
   * generation (same message id, so the receiver can tell it is the same change).
   */
  async replayDeliveries(manager: EntityManager, deliveries: NewDelivery[]): Promise<Array<{ id: string; generation: number }>> {
    const queued: Array<{ id: string; generation: number }> = [];
    for (let offset = 0; offset < deliveries.length; offset += 5000) {
      const chunk = deliveries.slice(offset, offset + 5000);
      const rows: Array<{ id: string; generation: number }> = await manager.query(
        `INSERT INTO webhook_delivery AS delivery (id, subscription_id, seq, message_id, event_type, body)
           SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::text[], $5::text[], $6::text[])
         ON CONFLICT (subscription_id, seq) DO UPDATE
           SET status = 'pending', generation = delivery.generation + 1, run_attempts = 0, body = excluded.body, next_attempt_at = NULL, batch_id = NULL
         RETURNING delivery.id, delivery.generation`,
        [
          chunk.map((delivery) => delivery.id),
          chunk.map((delivery) => delivery.subscriptionId),
          chunk.map((delivery) => delivery.seq),
          chunk.map((delivery) => delivery.messageId),
          chunk.map((delivery) => delivery.eventType),
          chunk.map((delivery) => delivery.body),
        ],
      );
      queued.push(...rows);
    }
    return queued;
  }

  // --- delivery runs (one per subscription at a time: a lease on its row) ---

  /**
   * Takes the subscription's run lease for `leaseMs` (Postgres' clock) when no other run holds it or
   * its lease lapsed (the worker holding it died). Otherwise says until when it is held.
   */
  async takeRun(subscriptionId: string, token: string, leaseMs: number): Promise<RunLease> {
    const rows: Array<{ taken: number; run_until: Date | null }> = await this.dataSource.query(
      `WITH taken AS (
         UPDATE webhook_subscription SET run_token = $2, run_until = now() + $3 * interval '1 millisecond'
          WHERE id = $1 AND (run_until IS NULL OR run_until < now()) RETURNING id)
       -- The outer SELECT sees the row as it was before the UPDATE: who held it until when.
       SELECT (SELECT count(*) FROM taken)::int AS taken, run_until FROM webhook_subscription WHERE id = $1`,
      [subscriptionId, token, leaseMs],
    );
    if (rows[0]?.taken === 1) return { taken: true };
    return { taken: false, busyUntil: rows[0]?.run_until ?? null, exists: rows.length > 0 };
  }

  /** Extends a held lease; false when the run lost it (it lapsed and another run took over). */
  async renewRun(subscriptionId: string, token: string, leaseMs: number): Promise<boolean> {
    const rows = await this.dataSource.query(
      `UPDATE webhook_subscription SET run_until = now() + $3 * interval '1 millisecond' WHERE id = $1 AND run_token = $2 RETURNING id`,
      [subscriptionId, token, leaseMs],
    );
    return rows.length > 0;
  }

  async releaseRun(subscriptionId: string, token: string): Promise<void> {
    await this.dataSource.query(`UPDATE webhook_subscription SET run_token = NULL, run_until = NULL WHERE id = $1 AND run_token = $2`, [subscriptionId, token]);
  }

  /**
   * The subscription and its next `limit` pending messages in change-number order, in one statement
   * (null: no such subscription). `known`: the caller holds the bodies of the first-generation messages
   * of these change numbers (the dispatcher gives every subscription the same body of a change): such
   * rows come without one (body ''), which saves reading the same bodies once per subscription.
   */
  async runBatch(subscriptionId: string, limit: number, known?: { fromSeq: string; toSeq: string }): Promise<RunBatch | null> {
    // The subscription once (its first row), then its pending messages: a run reads up to 1,000 of them, and the
    // subscription's columns on every row were as many JSON and date parses again. Times come as whole epoch
    // milliseconds, cut as pg's own date parsing cuts them (a batch's body carries its last change's time: a retry sends the same).
    const rows: Array<{
      url: string;
      secret: Record<string, string> | SealedCredentials;
      status: SubscriptionStatus;
      last_success_at: Date | null;
      batch: BatchSettings | null;
      id: string | null;
      seq: string;
      generation: number;
      message_id: string;
      body: string;
      run_attempts: number;
      next_attempt_ms: number | null;
      created_ms: number;
      batch_id: string | null;
    }> = await this.dataSource.query(
      `SELECT 0 AS part, url, secret, status, last_success_at, batch, NULL::uuid AS id, NULL::bigint AS seq, NULL::int AS generation, NULL::text AS message_id,
              NULL::text AS body, NULL::int AS run_attempts, NULL::float8 AS next_attempt_ms, NULL::float8 AS created_ms, NULL::text AS batch_id
         FROM webhook_subscription WHERE id = $1
       UNION ALL
       SELECT 1, NULL, NULL, NULL, NULL, NULL, pending.* FROM (
         -- By the bigint (a text seq would put 1000 before 999); pg hands bigint over as a string.
         SELECT id, seq, generation, message_id,
                CASE WHEN generation = 0 AND seq BETWEEN $3 AND $4 THEN '' ELSE ${BODY} END AS body, run_attempts,
                floor(extract(epoch FROM next_attempt_at) * 1000)::float8 AS next_attempt_ms,
                floor(extract(epoch FROM created_at) * 1000)::float8 AS created_ms, batch_id
           FROM webhook_delivery WHERE subscription_id = $1 AND status = 'pending' ORDER BY webhook_delivery.seq LIMIT $2) pending
       ORDER BY part, seq`,
      [subscriptionId, limit, known?.fromSeq ?? '0', known?.toSeq ?? '-1'],
    );
    if (rows.length === 0) return null;
    return {
      subscriptionId,
      url: rows[0].url,
      sealedSecret: rows[0].secret,
      status: rows[0].status,
      lastSuccessAt: rows[0].last_success_at,
      batch: rows[0].batch ?? null,
      messages: rows.slice(1).map((row) => ({
        deliveryId: row.id!,
        seq: String(row.seq),
        generation: row.generation,
        messageId: row.message_id,
        body: row.body,
        runAttempts: row.run_attempts,
        nextAttemptAt: row.next_attempt_ms === null ? null : new Date(row.next_attempt_ms),
        createdAt: new Date(row.created_ms),
        batchId: row.batch_id,
      })),
    };
  }

  /** The stored bodies of some messages (those runBatch left out and the caller did not hold after all). */
  async bodies(deliveryIds: string[]): Promise<Map<string, string>> {
    const rows: Array<{ id: string; body: string }> = await this.dataSource.query(`SELECT id, ${BODY} AS body FROM webhook_delivery WHERE id = ANY($1::uuid[])`, [deliveryIds]);
    return new Map(rows.map((row) => [row.id, row.body]));
  }

  openSecret(sealed: Record<string, string> | SealedCredentials): string {
    return this.secrets.open(sealed).secret;
  }

  /** Messages answered 2xx, in one statement; also marks the subscription's last success. */
  async recordDelivered(subscriptionId: string, delivered: Array<{ deliveryId: string; attempt: AttemptRecord }>): Promise<void> {
    if (delivered.length === 0) return;
    await this.dataSource.query(
      `WITH input AS (
         SELECT * FROM unnest($2::uuid[], $3::jsonb[], $4::timestamptz[], $5::int[]) AS input(id, attempt, at, status_code)
       ), delivery AS (
         UPDATE webhook_delivery SET status = 'delivered', attempts = attempts + 1, run_attempts = run_attempts + 1,
                attempt_log = (CASE WHEN jsonb_array_length(attempt_log) >= 50 THEN attempt_log - 0 ELSE attempt_log END) || jsonb_build_array(input.attempt),
                last_attempt_at = input.at, last_status_code = input.status_code, last_error = NULL, next_attempt_at = NULL, delivered_at = now()
           FROM input WHERE webhook_delivery.id = input.id RETURNING webhook_delivery.id
       )
       UPDATE webhook_subscription SET last_success_at = now()
        WHERE id = $1 AND EXISTS (SELECT 1 FROM delivery)
          -- Once a second is enough to tell "failing all along"; a write per batch would contend on the row.
          AND (last_success_at IS NULL OR last_success_at < now() - interval '1 second')`,
      [
        subscriptionId,
        delivered.map((entry) => entry.deliveryId),
        delivered.map((entry) => JSON.stringify(entry.attempt)),
        delivered.map((entry) => entry.attempt.at),
        delivered.map((entry) => entry.attempt.statusCode),
      ],
    );
  }

  /**
   * A batch answered 2xx: its messages are delivered, in one statement with one attempt record, and
   * carry the batch's id (which request carried them); also marks the subscription's last success.
   */
  async recordBatchDelivered(subscriptionId: string, deliveryIds: string[], attempt: AttemptRecord, batchId: string): Promise<void> {
    await this.dataSource.query(
      `WITH delivery AS (
         UPDATE webhook_delivery SET status = 'delivered', batch_id = $4, attempts = attempts + 1, run_attempts = run_attempts + 1,
                attempt_log = (CASE WHEN jsonb_array_length(attempt_log) >= 50 THEN attempt_log - 0 ELSE attempt_log END) || $3::jsonb,
                last_attempt_at = $5, last_status_code = $6, last_error = NULL, next_attempt_at = NULL, delivered_at = now()
          WHERE id = ANY($2::uuid[]) RETURNING id
       )
       UPDATE webhook_subscription SET last_success_at = now()
        WHERE id = $1 AND EXISTS (SELECT 1 FROM delivery)
          AND (last_success_at IS NULL OR last_success_at < now() - interval '1 second')`,
      [subscriptionId, deliveryIds, JSON.stringify([attempt]), batchId, attempt.at, attempt.statusCode],
    );
  }

  /**
   * One attempt that did not deliver (a retry later, failed, or gone), of one message or of every
   * message of a batch (`batchId`: from then on they are that batch, and its retries send them again as it).
   */
  async recordAttempt(deliveryIds: string | string[], attempt: AttemptRecord, outcome: { status: DeliveryStatus; nextAttemptAt: Date | null }, batchId?: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_delivery SET status = $2, attempts = attempts + 1, run_attempts = run_attempts + 1, batch_id = coalesce($8, batch_id),
              attempt_log = (CASE WHEN jsonb_array_length(attempt_log) >= 50 THEN attempt_log - 0 ELSE attempt_log END) || $3::jsonb,
              last_attempt_at = $4, last_status_code = $5, last_error = $6, next_attempt_at = $7
        WHERE id = ANY($1::uuid[])`,
      [typeof deliveryIds === 'string' ? [deliveryIds] : deliveryIds, outcome.status, JSON.stringify([attempt]), attempt.at, attempt.statusCode, attempt.error, outcome.nextAttemptAt, batchId ?? null],
    );
  }

  /** A disabled subscription's pending messages are not sent: skipped (a replay after enabling sends them). Returns how many. */
  async skipPending(subscriptionId: string): Promise<number> {
    const rows = await this.dataSource.query(
      `UPDATE webhook_delivery SET status = 'skipped', next_attempt_at = NULL WHERE subscription_id = $1 AND status = 'pending' RETURNING id`,
      [subscriptionId],
    );
    return rows.length;
  }

  /** When the subscription's first pending message is due (null: now), or undefined when nothing is pending. */
  async firstPendingDue(subscriptionId: string): Promise<Date | null | undefined> {
    const rows: Array<{ next_attempt_at: Date | null }> = await this.dataSource.query(
      `SELECT next_attempt_at FROM webhook_delivery WHERE subscription_id = $1 AND status = 'pending' ORDER BY seq LIMIT 1`,
      [subscriptionId],
    );
    return rows.length === 0 ? undefined : rows[0].next_attempt_at;
  }

  /** The delivery log of a subscription, newest change first; `before` pages back by change number. */
  async deliveries(subscriptionId: string, options: { limit: number; beforeSeq?: string; status?: DeliveryStatus }): Promise<Delivery[]> {
    const rows: DeliveryRow[] = await this.dataSource.query(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_delivery
        WHERE subscription_id = $1 AND ($2::bigint IS NULL OR seq < $2) AND ($3::text IS NULL OR status = $3)
        ORDER BY webhook_delivery.seq DESC LIMIT $4`,
      [subscriptionId, options.beforeSeq ?? null, options.status ?? null, options.limit],
    );
    return rows.map(toDelivery);
  }

  /**
   * Subscriptions whose first pending message (the head of its run) is due for more than `minAgeMs`
   * (or, never tried, was made that long ago): normally a busy run, or its job was lost. With that
   * message, so a sweep's job id names the state it found. `minAgeMs` null: every subscription with
   * a pending message.
   */
  async stalledRuns(minAgeMs: number | null, limit: number): Promise<Array<{ subscriptionId: string; deliveryId: string; generation: number; runAttempts: number }>> {
    const rows: Array<{ subscription_id: string; id: string; generation: number; run_attempts: number }> = await this.dataSource.query(
      `SELECT subscription_id, id, generation, run_attempts FROM (
         SELECT DISTINCT ON (subscription_id) subscription_id, id, generation, run_attempts, coalesce(next_attempt_at, created_at) AS due
           FROM webhook_delivery WHERE status = 'pending' ORDER BY subscription_id, seq) AS head
        WHERE $1::float8 IS NULL OR due < now() - $1::float8 * interval '1 millisecond'
        ORDER BY due LIMIT $2`,
      [minAgeMs, limit],
    );
    return rows.map((row) => ({ subscriptionId: row.subscription_id, deliveryId: row.id, generation: row.generation, runAttempts: row.run_attempts }));
  }
}

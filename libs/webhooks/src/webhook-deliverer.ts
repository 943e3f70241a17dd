import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { BATCH_MAX_SIZE, batchBody, batchMessageIdOf, type BatchSettings } from './batching.js';
import { retryDelay } from './retry-schedule.js';
import { signedHeaders, WebhookSigner } from './signing.js';
import type { WebhookSender } from './webhook-sender.js';
import type { AttemptRecord, RunMessage, WebhookStore } from './webhook.store.js';

export type AttemptOutcome = 'delivered' | 'retry' | 'failed' | 'gone' | 'skipped';

export interface RunOptions {
  /** Attempts per message (WEBHOOK_ATTEMPTS). */
  attempts: number;
  retryBaseMs: number;
  /** How long a run's lease lasts without renewal; renewed before a send when less than a send's time-out is left. */
  leaseMs: number;
  /** The sender's time-out per request. */
  timeoutMs: number;
  /** Messages read per statement. */
  batchSize?: number;
}

/** What a run asks of the queue, and tells the metrics. */
export interface RunHooks {
  /** Run the subscription again at `at` (a retry's time, or when another run's lease lapses); `key` makes the job id. */
  later(subscriptionId: string, at: Date, reason: 'retry' | 'lease' | 'batch', key: string): Promise<void>;
  outcome?(outcome: AttemptOutcome, count: number): void;
}

export interface RunResult {
  /** `busy`: another run holds the subscription (it looks again after it lets go). */
  state: 'done' | 'waiting' | 'busy' | 'disabled' | 'lost-lease';
  delivered: number;
  attempted: number;
}

/** Delivered messages are written in one statement per this many (or at the end of a batch and before any other outcome). */
const RECORD_EVERY = 100;
/** Pending messages read per statement for a batched subscription (whole batches of up to BATCH_MAX_SIZE). */
const BATCHED_READ = 2 * BATCH_MAX_SIZE;

/** What one request carries: one message, or a batch of them (decision W11). */
interface Unit {
  /** The first message: its attempts and generation drive the schedule of the whole unit. */
  head: RunMessage;
  deliveryIds: string[];
  messageId: string;
  body: string;
  /** Set for a batch (its messageId). */
  batchId?: string;
}

/** Bodies of first-generation messages kept per change number (every subscription gets the same body of a change). */
const BODY_CACHE = 5000;

/**
 * A delivery run: one subscription's pending messages in change-number order, one request at a time,
 * each its own Standard Webhooks request with its stable `webhook-id`. One run per subscription at a
 * time (a lease on its row, so several worker processes never interleave). 2xx = delivered (written
 * in bulk: a crash before that sends them again, same id). A message that fails waits for its next
 * attempt per the schedule and holds back the later ones (order per subscription); after its last
 * attempt it is failed and the run goes on. 410 Gone disables the subscription at once; the last
 * attempt failing disables it when it had no success since the message was made (failing all along).
 */
export class WebhookDeliverer {
  private readonly logger = new Logger(WebhookDeliverer.name);
  private signers = new Map<string, { sealed: string; signer: WebhookSigner }>();
  /** Change number -> the dispatcher's body of it, for the change numbers from `bodyFrom` to `bodyTo`. */
  private bodyCache = new Map<string, string>();
  private bodyFrom = 0;
  private bodyTo = -1;
  /** This process's runs in progress (by lease token): what each awaits, since when; the watchdog logs those stuck. */
  private readonly inProgress = new Map<string, { subscriptionId: string; step: string; since: number; reported: boolean }>();
  private watchdog: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: WebhookStore,
    private readonly sender: WebhookSender,
  ) {}

  async run(subscriptionId: string, options: RunOptions, hooks: RunHooks): Promise<RunResult> {
    const result: RunResult = { state: 'done', delivered: 0, attempted: 0 };
    this.startWatchdog(options.leaseMs);
    for (;;) {
      const token = randomUUID();
      this.inProgress.set(token, { subscriptionId, step: 'taking the lease', since: Date.now(), reported: false });
      try {
        const next = await this.leased(subscriptionId, token, options, hooks, result);
        if (next !== 'again') return next;
      } finally {
        this.inProgress.delete(token);
      }
    }
  }

  /** One lease of a run: 'again' when, the lease let go, more became due. */
  private async leased(subscriptionId: string, token: string, options: RunOptions, hooks: RunHooks, result: RunResult): Promise<RunResult | 'again'> {
    const lease = await this.store.takeRun(subscriptionId, token, options.leaseMs);
    if (!lease.taken) {
      if (!lease.exists) return result;
      // The holder looks again after it lets go; should it have died, its lease lapses: look then.
      const at = lease.busyUntil ?? new Date();
      this.mark(token, 'queueing a run for when the lease lapses');
      await hooks.later(subscriptionId, new Date(at.getTime() + 50), 'lease', String(at.getTime()));
      return { ...result, state: 'busy' };
    }
    let state: RunResult['state'];
    try {
      state = await this.holding(subscriptionId, token, options, hooks, result);
    } finally {
      this.mark(token, 'releasing the lease');
      await this.store.releaseRun(subscriptionId, token).catch((error: unknown) => this.releaseLater(subscriptionId, token, options.leaseMs, hooks, error));
    }
    if (state !== 'done') return { ...result, state };
    // A message the dispatcher added after the last read, while this run held the lease, had its own job
    // turned away (busy): look once more now that the lease is free.
    this.mark(token, 'looking for messages that came meanwhile');
    const next = await this.store.firstPendingDue(subscriptionId);
    if (next === undefined || (next !== null && next.getTime() > Date.now())) return result;
    return 'again';
  }

  /**
   * A lease that could not be let go (Postgres away) is let go as soon as Postgres answers again, in the
   * background, and a run is queued then: the subscription's messages wait for the outage, not for the
   * lease to lapse. Only this run's own token is released, so a late release never frees another run's lease.
   */
  private releaseLater(subscriptionId: string, token: string, leaseMs: number, hooks: RunHooks, error: unknown): void {
    this.logger.warn(`run lease of ${subscriptionId} not released (${String(error)}): trying again until it would lapse`);
    const until = Date.now() + leaseMs;
    const attempt = (delayMs: number) => {
      if (Date.now() + delayMs >= until) return;
      setTimeout(() => {
        this.store
          .releaseRun(subscriptionId, token)
          .then(() => hooks.later(subscriptionId, new Date(), 'lease', `released-${token}`))
          .catch(() => attempt(Math.min(2 * delayMs, 2000)));
      }, delayMs).unref();
    };
    attempt(250);
  }

  private mark(token: string, step: string): void {
    const entry = this.inProgress.get(token);
    if (!entry) return;
    entry.step = step;
    entry.since = Date.now();
    entry.reported = false;
  }

  /**
   * Every few seconds: a run of this process that has awaited one step for longer than its lease is
   * logged once per step (with the sender's sockets), so an operator sees which run is stuck on what.
   */
  private startWatchdog(leaseMs: number): void {
    if (this.watchdog) return;
    this.watchdog = setInterval(() => {
      const now = Date.now();
      for (const entry of this.inProgress.values()) {
        if (entry.reported || now - entry.since < leaseMs) continue;
        entry.reported = true;
        this.logger.warn(`webhook run of ${entry.subscriptionId} stuck ${Math.round((now - entry.since) / 1000)} s ${entry.step} (sender: ${JSON.stringify(this.sender.load())})`);
      }
    }, Math.min(5000, leaseMs)).unref();
  }

  private async holding(subscriptionId: string, token: string, options: RunOptions, hooks: RunHooks, result: RunResult): Promise<RunResult['state']> {
    let leaseUntil = Date.now() + options.leaseMs;
    let limit = options.batchSize ?? 200;
    for (;;) {
      this.mark(token, 'reading pending messages');
      const batch = await this.store.runBatch(subscriptionId, limit, this.bodyTo >= this.bodyFrom ? { fromSeq: String(this.bodyFrom), toSeq: String(this.bodyTo) } : undefined);
      if (!batch) return 'done';
      if (batch.status !== 'active') {
        const skipped = await this.store.skipPending(subscriptionId);
        if (skipped > 0) hooks.outcome?.('skipped', skipped);
        return 'disabled';
      }
      if (batch.messages.length === 0) return 'done';
      if (batch.batch && limit < BATCHED_READ && batch.messages.length === limit) {
        // A batched subscription with more pending than read: read enough for whole batches.
        limit = BATCHED_READ;
        continue;
      }
      this.mark(token, 'reading bodies');
      await this.fillBodies(batch.messages);
      const signer = this.signer(subscriptionId, batch.sealedSecret);
      const delivered: Array<{ deliveryId: string; attempt: AttemptRecord }> = [];
      const flush = async () => {
        if (delivered.length === 0) return;
        this.mark(token, 'recording deliveries');
        await this.store.recordDelivered(subscriptionId, delivered.splice(0));
      };
      const messages = batch.messages;
      const full = messages.length === limit;
      let index = 0;
      while (index < messages.length) {
        const message = messages[index];
        if (message.nextAttemptAt && message.nextAttemptAt.getTime() > Date.now()) {
          // Its retry is not due: everything after it waits (order). Its job exists; asking again collapses into it
          // (a little after the time, so the job never finds it not due yet).
          await flush();
          this.mark(token, 'queueing the run of a retry');
          await hooks.later(subscriptionId, new Date(message.nextAttemptAt.getTime() + 20), 'retry', `${message.deliveryId}-${message.generation}-${message.runAttempts}`);
          return 'waiting';
        }
        let unit: Unit;
        // A batch is retried as itself even if batching was switched off since; a message tried on its own before
        // batching was switched on, likewise.
        if (message.batchId === null && (batch.batch === null || message.runAttempts > 0)) {
          unit = { head: message, deliveryIds: [message.deliveryId], messageId: message.messageId, body: message.body };
          index += 1;
        } else {
          const formed = this.formBatch(subscriptionId, messages, index, batch.batch, full);
          if (formed === 'read-more') break;
          if (formed instanceof Date) {
            // Not full yet and its oldest change is younger than maxWaitMs: wait for more, up to then.
            await flush();
            this.mark(token, 'queueing the run of a batch');
            await hooks.later(subscriptionId, new Date(formed.getTime() + 20), 'batch', `${message.deliveryId}-${message.generation}`);
            return 'waiting';
          }
          unit = formed;
          index = formed.nextIndex;
        }
        if (leaseUntil - Date.now() < options.timeoutMs + 2000) {
          this.mark(token, 'renewing the lease');
          if (!(await this.store.renewRun(subscriptionId, token, options.leaseMs))) {
            await flush();
            return 'lost-lease';
          }
          leaseUntil = Date.now() + options.leaseMs;
        }
        const attemptAt = new Date();
        this.mark(token, `sending ${unit.messageId}`);
        const sent = await this.sender.send(batch.url, { ...signedHeaders(signer, unit.messageId, attemptAt, unit.body) }, unit.body);
        result.attempted += 1;
        const attempt: AttemptRecord = { at: attemptAt.toISOString(), statusCode: sent.statusCode, error: sent.error, durationMs: sent.durationMs };
        if (sent.error === null) {
          if (unit.batchId !== undefined) {
            this.mark(token, 'recording a delivered batch');
            await this.store.recordBatchDelivered(subscriptionId, unit.deliveryIds, attempt, unit.batchId);
          } else delivered.push({ deliveryId: unit.head.deliveryId, attempt });
          result.delivered += unit.deliveryIds.length;
          hooks.outcome?.('delivered', unit.deliveryIds.length);
          if (delivered.length >= RECORD_EVERY) await flush();
          continue;
        }
        await flush();
        this.mark(token, 'recording a failed attempt');
        const stop = await this.failed(subscriptionId, batch.lastSuccessAt, unit, attempt, options, hooks);
        if (stop) return stop;
      }
      await flush();
    }
  }

  /**
   * The batch starting at `messages[index]`: the one it was put in before (a retry: the same changes,
   * id and body), or a new one of the following messages in no batch yet, up to maxSize. A new one
   * short of maxSize waits until maxWaitMs after its oldest change (the Date returned); `read-more`:
   * the read ended inside it and more are pending.
   */
  private formBatch(
    subscriptionId: string,
    messages: RunMessage[],
    index: number,
    settings: BatchSettings | null,
    full: boolean,
  ): (Unit & { nextIndex: number }) | Date | 'read-more' {
    const head = messages[index];
    if (head.batchId !== null) {
      let end = index;
      while (end < messages.length && messages[end].batchId === head.batchId) end += 1;
      const members = messages.slice(index, end);
      return { ...this.unitOf(members, head.batchId), nextIndex: end };
    }
    const maxSize = settings?.maxSize ?? 1;
    let end = index + 1;
    while (end < messages.length && end - index < maxSize && messages[end].batchId === null && messages[end].runAttempts === 0) end += 1;
    const size = end - index;
    if (size < maxSize && end === messages.length) {
      if (full) return 'read-more';
      const until = head.createdAt.getTime() + (settings?.maxWaitMs ?? 0);
      if (until > Date.now()) return new Date(until);
    }
    const members = messages.slice(index, end);
    const messageId = batchMessageIdOf(subscriptionId, members[0].seq, members[members.length - 1].seq, head.generation);
    return { ...this.unitOf(members, messageId), nextIndex: end };
  }

  private unitOf(members: RunMessage[], messageId: string): Unit {
    return { head: members[0], deliveryIds: members.map((member) => member.deliveryId), messageId, batchId: messageId, body: batchBody(members, members[members.length - 1].createdAt) };
  }

  /** A message (or batch) that did not get a 2xx: what the run does next (undefined: go on with the next one). */
  private async failed(
    subscriptionId: string,
    lastSuccessAt: Date | null,
    unit: Unit,
    attempt: AttemptRecord,
    options: RunOptions,
    hooks: RunHooks,
  ): Promise<RunResult['state'] | undefined> {
    const message = unit.head;
    const count = unit.deliveryIds.length;
    if (attempt.statusCode === 410) {
      await this.store.recordAttempt(unit.deliveryIds, attempt, { status: 'gone', nextAttemptAt: null }, unit.batchId);
      await this.store.disable(subscriptionId, 'gone');
      hooks.outcome?.('gone', count);
      this.logger.warn(`webhook ${subscriptionId} answered 410 Gone: disabled`);
      const skipped = await this.store.skipPending(subscriptionId);
      if (skipped > 0) hooks.outcome?.('skipped', skipped);
      return 'disabled';
    }
    if (message.runAttempts + 1 >= options.attempts) {
      await this.store.recordAttempt(unit.deliveryIds, attempt, { status: 'failed', nextAttemptAt: null }, unit.batchId);
      hooks.outcome?.('failed', count);
      // The last success as the batch was read; a success since then in this run was recorded after it.
      const recent = await this.store.subscriptionById(subscriptionId);
      const since = recent?.lastSuccessAt ?? lastSuccessAt;
      if (!since || since < message.createdAt) {
        await this.store.disable(subscriptionId, 'failing');
        this.logger.warn(`webhook ${subscriptionId} failed for the whole retry schedule: disabled`);
        const skipped = await this.store.skipPending(subscriptionId);
        if (skipped > 0) hooks.outcome?.('skipped', skipped);
        return 'disabled';
      }
      return undefined;
    }
    const key = `${message.deliveryId}-${message.generation}`;
    const nextAttemptAt = new Date(Date.now() + retryDelay(message.runAttempts + 1, options.retryBaseMs, key));
    await this.store.recordAttempt(unit.deliveryIds, attempt, { status: 'pending', nextAttemptAt }, unit.batchId);
    hooks.outcome?.('retry', count);
    await hooks.later(subscriptionId, new Date(nextAttemptAt.getTime() + 20), 'retry', `${message.deliveryId}-${message.generation}-${message.runAttempts + 1}`);
    return 'waiting';
  }

  /**
   * Bodies runBatch left out (first-generation messages of change numbers this process holds) come
   * from the cache, or, not there after all, from Postgres; the bodies read fill the cache. Every
   * subscription's message of a change has the dispatcher's one body (generation 0), so 50 subscriptions
   * of the same changes read each body once instead of 50 times.
   */
  private async fillBodies(messages: RunMessage[]): Promise<void> {
    const missing: RunMessage[] = [];
    for (const message of messages) {
      if (message.body === '') {
        const known = this.bodyCache.get(message.seq);
        if (known === undefined) missing.push(message);
        else message.body = known;
      } else if (message.generation === 0) this.remember(message.seq, message.body);
    }
    if (missing.length === 0) return;
    const bodies = await this.store.bodies(missing.map((message) => message.deliveryId));
    for (const message of missing) {
      const body = bodies.get(message.deliveryId);
      // Gone since the read (its subscription was deleted): fail the run rather than send an empty body; the next finds nothing.
      if (body === undefined) throw new Error(`webhook delivery ${message.deliveryId} has no body (deleted meanwhile?)`);
      message.body = body;
      this.remember(message.seq, body);
    }
  }

  private remember(seq: string, body: string): void {
    if (this.bodyCache.size >= BODY_CACHE) {
      this.bodyCache.clear();
      this.bodyFrom = 0;
      this.bodyTo = -1;
    }
    const number = Number(seq);
    if (this.bodyCache.size === 0) this.bodyFrom = this.bodyTo = number;
    else {
      this.bodyFrom = Math.min(this.bodyFrom, number);
      this.bodyTo = Math.max(this.bodyTo, number);
    }
    this.bodyCache.set(seq, body);
  }

  /** One Standard Webhooks signer per subscription and secret (it decodes the secret once). */
  private signer(subscriptionId: string, sealed: Parameters<WebhookStore['openSecret']>[0]): WebhookSigner {
    const key = JSON.stringify(sealed);
    const known = this.signers.get(subscriptionId);
    if (known && known.sealed === key) return known.signer;
    const signer = new WebhookSigner(this.store.openSecret(sealed));
    if (this.signers.size > 10_000) this.signers.clear();
    this.signers.set(subscriptionId, { sealed: key, signer });
    return signer;
  }
}

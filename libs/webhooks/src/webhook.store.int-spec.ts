import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { openDataSource, SecretBox } from '@platform/storage';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { WebhookStore, type NewDelivery, type Subscription } from './webhook.store.js';

/** The delivery log's reads and writes that the runs depend on, against the real schema (migrations) in Postgres. */
describe('webhook store (integration, real Postgres)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let store: WebhookStore;
  let first: Subscription;
  let second: Subscription;

  const delivery = (subscription: Subscription, seq: number): NewDelivery => ({
    id: randomUUID(),
    subscriptionId: subscription.id,
    seq: String(seq),
    messageId: `msg_${seq}`,
    eventType: 'activity.updated',
    body: `{"seq":${seq}}`,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource({ url: database.url, dataDir: './data' });
    store = new WebhookStore(dataSource, new SecretBox(undefined));
    await store.createConsumer({ id: 'agenda', name: 'Agenda' });
    const subscribe = (url: string, batch: Subscription['batch']) => store.createSubscription({ consumerId: 'agenda', url, description: null, filters: {}, batch, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' });
    first = await subscribe('https://a.example/hook', null);
    second = await subscribe('https://b.example/hook', { maxSize: 100, maxWaitMs: 0 });
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('new messages name each subscription that got one once; a message already there is left as it is', async () => {
    const made = await dataSource.transaction((manager) => store.insertDeliveries(manager, [9, 10, 11].flatMap((seq) => [delivery(first, seq), delivery(second, seq)])));
    expect(made.sort()).toEqual([first.id, second.id].sort());
    expect(await dataSource.transaction((manager) => store.insertDeliveries(manager, [delivery(first, 10)]))).toEqual([]);
    expect(await dataSource.transaction((manager) => store.insertDeliveries(manager, [delivery(first, 10), delivery(first, 12)]))).toEqual([first.id]);
  });

  it('a run reads the subscription and its pending messages in change-number order, with the times pg itself would give', async () => {
    // Microseconds at the edge of a millisecond: the run's times must cut them as pg's date parsing does.
    await dataSource.query(`UPDATE webhook_delivery SET created_at = '2026-03-01T10:00:00.999999Z', next_attempt_at = '2026-03-01T10:00:05.000999Z' WHERE subscription_id = $1 AND seq = 10`, [first.id]);
    const batch = await store.runBatch(first.id, 10);
    expect(batch).toMatchObject({ subscriptionId: first.id, url: 'https://a.example/hook', status: 'active', batch: null, lastSuccessAt: null });
    expect(store.openSecret(batch!.sealedSecret)).toBe('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    expect(batch!.messages.map((message) => message.seq)).toEqual(['9', '10', '11', '12']);
    const stored: Array<{ seq: string; created_at: Date; next_attempt_at: Date | null }> = await dataSource.query(
      `SELECT seq::text AS seq, created_at, next_attempt_at FROM webhook_delivery WHERE subscription_id = $1 ORDER BY webhook_delivery.seq`,
      [first.id],
    );
    expect(batch!.messages.map((message) => [message.createdAt.getTime(), message.nextAttemptAt?.getTime() ?? null])).toEqual(
      stored.map((row) => [row.created_at.getTime(), row.next_attempt_at?.getTime() ?? null]),
    );
    expect(batch!.messages[1].createdAt.toISOString()).toBe('2026-03-01T10:00:00.999Z');
    expect(batch!.messages[1].nextAttemptAt?.toISOString()).toBe('2026-03-01T10:00:05.000Z');
    expect(batch!.messages[0]).toMatchObject({ generation: 0, runAttempts: 0, batchId: null, messageId: 'msg_9', body: '{"seq":9}' });
    // Bodies the caller holds come without one.
    expect((await store.runBatch(first.id, 10, { fromSeq: '9', toSeq: '10' }))!.messages.map((message) => message.body)).toEqual(['', '', '{"seq":11}', '{"seq":12}']);
    expect((await store.runBatch(first.id, 2))!.messages.map((message) => message.seq)).toEqual(['9', '10']);
    expect((await store.runBatch(second.id, 10))!.batch).toEqual({ maxSize: 100, maxWaitMs: 0 });
  });

  it('a subscription with nothing pending reads with no messages; one that does not exist reads as null', async () => {
    await dataSource.query(`UPDATE webhook_delivery SET status = 'delivered' WHERE subscription_id = $1`, [second.id]);
    expect(await store.runBatch(second.id, 10)).toMatchObject({ subscriptionId: second.id, url: 'https://b.example/hook', messages: [] });
    expect(await store.runBatch(randomUUID(), 10)).toBeNull();
  });
});

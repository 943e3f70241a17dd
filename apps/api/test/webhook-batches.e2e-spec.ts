import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { entityId } from '@platform/domain';
import { aPerformance, anActivity } from '../../../test/support/factories.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../../test/support/test-app.js';
import { LOCAL_WEBHOOK_SETTINGS, startReceiver, type ReceivedWebhook, type Receiver } from '../../../test/support/webhook-receiver.js';
import { http } from './http.js';

/** Batched webhook delivery (decision W11) against the real platform: Postgres, Redis, BullMQ, the worker. */
const SOURCE = 'batch-house';
const PERFORMANCES = Array.from({ length: 12 }, (_, index) => `batch-gent-p${index}`);
const gent = anActivity({ externalId: 'batch-gent', performances: PERFORMANCES.map((id) => aPerformance(id)) });
const antwerpen = anActivity({
  externalId: 'batch-antwerpen',
  place: { externalId: 'venue-batch-antwerpen', name: { nl: 'Toneelhuis' }, address: { street: 'Komedieplaats', houseNumber: '18', postalCode: '2000', municipality: { nl: 'Antwerpen' } } },
  performances: [aPerformance('batch-antwerpen-p1')],
});
const gentId = entityId('activiteit', SOURCE, gent.externalId);

describe('webhooks in batches (e2e: opt-in per subscription, one Standard Webhooks message per batch)', () => {
  let platform: TestApp;
  let vendorKey: string;
  let consumerKey: string;
  const receivers: Receiver[] = [];
  let round = 0;

  const receiver = async (respond?: Parameters<typeof startReceiver>[0]) => {
    const started = await startReceiver(respond);
    receivers.push(started);
    return started;
  };
  const register = async (url: string, filters: Record<string, unknown>, batch?: unknown) => {
    const created = await http(platform.baseUrl, 'POST', '/v1/webhooks', { token: consumerKey, body: { url, filters, ...(batch === undefined ? {} : { batch }) } });
    expect(created.status).toBe(201);
    return created.body as { id: string; secret: string; batch: unknown };
  };
  /** Seat changes of every gent performance (12 changes) and the antwerpen one, committed in one request. */
  const seatChanges = async () => {
    round += 1;
    const body = [...PERFORMANCES, 'batch-antwerpen-p1'].map((performanceId, index) => ({ performanceId, capacity: 500, remaining: 100 + round * 20 + index }));
    const answer = await http(platform.baseUrl, 'PUT', `/v1/sources/${SOURCE}/availability`, { token: vendorKey, body });
    expect(answer.status).toBe(200);
  };
  const log = async (id: string) => (await http(platform.baseUrl, 'GET', `/v1/webhooks/${id}/deliveries?limit=100`, { token: consumerKey })).body.items as Array<Record<string, any>>;
  const until = async (check: () => Promise<boolean>, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not reached');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  /** Every change of the batches received, in the order received. */
  const changesOf = (requests: ReceivedWebhook[]) => requests.flatMap((request) => request.json.data.messages as Array<{ type: string; data: { changeNumber: string; id: string } }>);
  const waitForChanges = async (target: Receiver, count: number) => {
    await until(async () => changesOf(target.received).length >= count);
    return target.received;
  };

  beforeAll(async () => {
    platform = await startTestApp({ overrides: LOCAL_WEBHOOK_SETTINGS });
    vendorKey = await platform.createSource(SOURCE);
    consumerKey = (await http(platform.baseUrl, 'POST', '/v1/admin/consumers', { token: TEST_ADMIN_TOKEN, body: { id: 'agenda-batch', name: 'Agenda in batches' } })).body.key;
    expect((await http(platform.baseUrl, 'POST', `/v1/sources/${SOURCE}/activities?wait=true`, { token: vendorKey, body: [gent, antwerpen] })).body.summary.accepted).toBe(2);
  });

  afterAll(async () => {
    await platform.close();
    await Promise.all(receivers.map((started) => started.close()));
  });

  it('refuses a bad batch setting with the place and the reason (nl and en); GET shows it, PATCH changes it and null switches it off', async () => {
    const bad = async (batch: unknown, where: string) => {
      const refused = await http(platform.baseUrl, 'POST', '/v1/webhooks', { token: consumerKey, body: { url: 'http://127.0.0.1:9/h', batch } });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'invalid-argument', where });
      expect(refused.body.error.message.nl).toMatch(/batch/);
      expect(refused.body.error.message.en).toMatch(/batch/);
      return refused.body.error.message;
    };
    expect((await bad({ maxSize: 0 }, 'body /batch/maxSize')).en).toMatch(/1 to 500/);
    await bad({ maxSize: 501 }, 'body /batch/maxSize');
    await bad({ maxSize: 2.5 }, 'body /batch/maxSize');
    await bad({ maxSize: '100' }, 'body /batch/maxSize');
    await bad({ maxWaitMs: 10 }, 'body /batch/maxSize');
    expect((await bad({ maxSize: 10, maxWaitMs: 5001 }, 'body /batch/maxWaitMs')).nl).toMatch(/0 tot 5000/);
    await bad({ maxSize: 10, size: 3 }, 'body /batch/size');
    await bad(100, 'body /batch');
    await bad([100], 'body /batch');

    const plain = await register('http://127.0.0.1:9/plain', { activityIds: ['00000000-0000-4000-8000-000000000000'] });
    expect(plain.batch).toBeNull();
    const batched = await register('http://127.0.0.1:9/batched', { activityIds: ['00000000-0000-4000-8000-000000000000'] }, { maxSize: 100 });
    expect(batched.batch).toEqual({ maxSize: 100, maxWaitMs: 0 });
    expect((await http(platform.baseUrl, 'GET', `/v1/webhooks/${batched.id}`, { token: consumerKey })).body.batch).toEqual({ maxSize: 100, maxWaitMs: 0 });
    const changed = await http(platform.baseUrl, 'PATCH', `/v1/webhooks/${plain.id}`, { token: consumerKey, body: { batch: { maxSize: 50, maxWaitMs: 1000 } } });
    expect(changed.body.batch).toEqual({ maxSize: 50, maxWaitMs: 1000 });
    // Other fields leave it as it is.
    expect((await http(platform.baseUrl, 'PATCH', `/v1/webhooks/${plain.id}`, { token: consumerKey, body: { description: 'x' } })).body.batch).toEqual({ maxSize: 50, maxWaitMs: 1000 });
    expect((await http(platform.baseUrl, 'PATCH', `/v1/webhooks/${plain.id}`, { token: consumerKey, body: { batch: null } })).body.batch).toBeNull();
    const badPatch = await http(platform.baseUrl, 'PATCH', `/v1/webhooks/${plain.id}`, { token: consumerKey, body: { batch: { maxSize: -1 } } });
    expect(badPatch.body.error).toMatchObject({ code: 'invalid-argument', where: 'body /batch/maxSize' });
    for (const hook of [plain, batched]) await http(platform.baseUrl, 'DELETE', `/v1/webhooks/${hook.id}`, { token: consumerKey });
  });

  it('sends the matching changes as signed batches of at most maxSize, in change-number order, each change exactly as a single delivery carries it', async () => {
    const batchedTarget = await receiver();
    const singleTarget = await receiver();
    // Gent only (the antwerpen change is filtered out), 5 a batch, waiting up to 1.5 s for a batch to fill.
    const batched = await register(batchedTarget.url, { kinds: ['availability'], municipalities: ['Gent'] }, { maxSize: 5, maxWaitMs: 1500 });
    const single = await register(singleTarget.url, { kinds: ['availability'], municipalities: ['Gent'] });
    const committed = Date.now();
    await seatChanges();
    const requests = await waitForChanges(batchedTarget, 12);
    await singleTarget.waitFor(12);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // 12 changes, 5 a batch: 5 + 5 + 2, the last one sent once its oldest change had waited maxWaitMs.
    expect(requests.map((request) => request.json.data.count)).toEqual([5, 5, 2]);
    expect(requests[2].receivedAt - committed).toBeGreaterThanOrEqual(1200);
    const verifier = new Webhook(batched.secret);
    for (const request of requests) {
      expect(verifier.verify(request.body, request.headers as Record<string, string>)).toEqual(request.json);
      const numbers = (request.json.data.messages as Array<{ data: { changeNumber: string } }>).map((message) => message.data.changeNumber);
      expect(request.json).toMatchObject({ type: 'batch', timestamp: expect.any(String), data: { firstChangeNumber: numbers[0], lastChangeNumber: numbers.at(-1) } });
      expect(request.headers['webhook-id']).toBe(`msg_${batched.id.replaceAll('-', '')}_${numbers[0]}-${numbers.at(-1)}`);
    }
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(requests[0].body, requests[0].headers as Record<string, string>)).toThrow();
    const changes = changesOf(requests);
    const numbers = changes.map((change) => Number(change.data.changeNumber));
    expect(numbers.every((number, index) => index === 0 || number > numbers[index - 1])).toBe(true);
    expect(changes.every((change) => change.type === 'activity.availability' && change.data.id === gentId)).toBe(true);
    // Byte for byte the single deliveries' bodies (the other subscription, same filters), in the same order.
    const singles = [...singleTarget.received].sort((left, right) => Number(left.json.data.changeNumber) - Number(right.json.data.changeNumber));
    expect(singles.every((request) => request.json.type === 'activity.availability')).toBe(true);
    const embedded = requests.map((request) => request.body.slice(request.body.indexOf('"messages":[') + '"messages":['.length, -3)).join(',');
    expect(embedded).toBe(singles.map((request) => request.body).join(','));
    expect(changes[0].data).toMatchObject({ resource: `http://data.test.local/id/activiteit/${gentId}`, feed: `http://data.test.local/feeds/activities?afterChangeNumber=${numbers[0]}` });

    // The log answers per change which request carried it.
    await until(async () => (await log(batched.id)).every((entry) => entry.status === 'delivered'));
    const entries = await log(batched.id);
    expect(entries).toHaveLength(12);
    const carrier = new Map(requests.flatMap((request) => (request.json.data.messages as Array<{ data: { changeNumber: string } }>).map((message) => [message.data.changeNumber, request.headers['webhook-id']])));
    for (const entry of entries) expect(entry).toMatchObject({ status: 'delivered', attempts: 1, batchId: carrier.get(entry.changeNumber) });
    expect((await log(single.id)).every((entry) => entry.batchId === null)).toBe(true);
    for (const hook of [batched, single]) await http(platform.baseUrl, 'DELETE', `/v1/webhooks/${hook.id}`, { token: consumerKey });
  });

  it('retries a failed batch as the same message (same id and body) after the back-off; the later changes wait for it', async () => {
    let inFlight = 0;
    let overlapping = 0;
    const flaky = await receiver(async (call) => {
      inFlight += 1;
      if (inFlight > 1) overlapping += 1;
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight -= 1;
      return call <= 2 ? 503 : 204;
    });
    const hook = await register(flaky.url, { kinds: ['availability'], activityIds: [gentId] }, { maxSize: 4 });
    await seatChanges();
    // 12 changes, 4 a batch: the first batch fails twice, then 3 batches follow in order.
    const requests = await waitForChanges(flaky, 12 + 8);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requests).toHaveLength(5);
    expect(overlapping).toBe(0);
    expect(requests[1].headers['webhook-id']).toBe(requests[0].headers['webhook-id']);
    expect(requests[2].headers['webhook-id']).toBe(requests[0].headers['webhook-id']);
    expect(requests[1].body).toBe(requests[0].body);
    expect(requests[2].body).toBe(requests[0].body);
    // Back-off: 100 ms, then 400 ms (+-20 %).
    expect(requests[1].receivedAt - requests[0].receivedAt).toBeGreaterThanOrEqual(70);
    expect(requests[2].receivedAt - requests[1].receivedAt).toBeGreaterThanOrEqual(300);
    const verifier = new Webhook(hook.secret);
    for (const request of requests) verifier.verify(request.body, request.headers as Record<string, string>);
    const numbers = changesOf(requests.slice(2)).map((change) => Number(change.data.changeNumber));
    expect(numbers).toHaveLength(12);
    expect(numbers.every((number, index) => index === 0 || number > numbers[index - 1])).toBe(true);
    await until(async () => (await log(hook.id)).every((entry) => entry.status === 'delivered'));
    const entries = await log(hook.id);
    const first = entries.filter((entry) => entry.batchId === requests[0].headers['webhook-id']);
    expect(first).toHaveLength(4);
    for (const entry of first) expect(entry.attemptLog.map((attempt: { statusCode: number }) => attempt.statusCode)).toEqual([503, 503, 204]);
    expect(entries.filter((entry) => entry.attempts === 1)).toHaveLength(8);
    await http(platform.baseUrl, 'DELETE', `/v1/webhooks/${hook.id}`, { token: consumerKey });
  });

  it('410 Gone on a batch disables the webhook at once; every change of it is logged gone', async () => {
    const gone = await receiver(() => 410);
    const hook = await register(gone.url, { kinds: ['availability'], activityIds: [gentId] }, { maxSize: 100 });
    await seatChanges();
    await until(async () => (await http(platform.baseUrl, 'GET', `/v1/webhooks/${hook.id}`, { token: consumerKey })).body.status === 'disabled');
    expect((await http(platform.baseUrl, 'GET', `/v1/webhooks/${hook.id}`, { token: consumerKey })).body).toMatchObject({ status: 'disabled', disabledReason: 'gone' });
    expect(gone.received).toHaveLength(1);
    expect(gone.received[0].json.data.count).toBe(12);
    const entries = await log(hook.id);
    expect(entries).toHaveLength(12);
    expect(entries.every((entry) => entry.status === 'gone' && entry.batchId === gone.received[0].headers['webhook-id'])).toBe(true);
    await http(platform.baseUrl, 'DELETE', `/v1/webhooks/${hook.id}`, { token: consumerKey });
  });

  it('a webhook failing for the whole schedule in batches is disabled', async () => {
    const broken = await receiver(() => 500);
    const hook = await register(broken.url, { kinds: ['availability'], activityIds: [gentId] }, { maxSize: 100 });
    await seatChanges();
    await until(async () => (await http(platform.baseUrl, 'GET', `/v1/webhooks/${hook.id}`, { token: consumerKey })).body.status === 'disabled');
    expect((await http(platform.baseUrl, 'GET', `/v1/webhooks/${hook.id}`, { token: consumerKey })).body.disabledReason).toBe('failing');
    // WEBHOOK_ATTEMPTS=3: the same batch three times.
    expect(broken.received).toHaveLength(3);
    expect(new Set(broken.received.map((request) => request.headers['webhook-id'])).size).toBe(1);
    expect((await log(hook.id)).every((entry) => entry.status === 'failed' && entry.attempts === 3)).toBe(true);
    await http(platform.baseUrl, 'DELETE', `/v1/webhooks/${hook.id}`, { token: consumerKey });
  });

  it('replays from a change number or a time into new batches (ids of their own), in change-number order', async () => {
    const target = await receiver();
    const hook = await register(target.url, { kinds: ['availability'], activityIds: [gentId] }, { maxSize: 8 });
    const before = new Date();
    await seatChanges();
    const first = await waitForChanges(target, 12);
    const firstNumbers = changesOf(first).map((change) => change.data.changeNumber);
    await until(async () => (await log(hook.id)).every((entry) => entry.status === 'delivered'));
    const count = first.length;

    const byNumber = await http(platform.baseUrl, 'POST', `/v1/webhooks/${hook.id}/replay`, { token: consumerKey, body: { fromChangeNumber: firstNumbers[3] } });
    expect(byNumber.body).toMatchObject({ queued: 9, complete: true });
    await until(async () => changesOf(target.received.slice(count)).length >= 9);
    const replayed = target.received.slice(count);
    expect(changesOf(replayed).map((change) => change.data.changeNumber)).toEqual(firstNumbers.slice(3));
    expect(replayed.every((request) => request.json.type === 'batch' && request.json.data.count <= 8)).toBe(true);
    // A replayed batch is a new message: its id says the generation.
    expect(replayed[0].headers['webhook-id']).toBe(`msg_${hook.id.replaceAll('-', '')}_${firstNumbers[3]}-${replayed[0].json.data.lastChangeNumber}_r1`);
    const verifier = new Webhook(hook.secret);
    for (const request of replayed) verifier.verify(request.body, request.headers as Record<string, string>);

    const bySince = await http(platform.baseUrl, 'POST', `/v1/webhooks/${hook.id}/replay`, { token: consumerKey, body: { since: before.toISOString() } });
    expect(bySince.body).toMatchObject({ queued: 12, complete: true });
    const seen = target.received.length;
    await until(async () => changesOf(target.received.slice(seen)).length >= 12);
    expect(changesOf(target.received.slice(seen)).map((change) => change.data.changeNumber)).toEqual(firstNumbers);
    await http(platform.baseUrl, 'DELETE', `/v1/webhooks/${hook.id}`, { token: consumerKey });
  });
});

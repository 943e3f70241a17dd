import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { Webhook } from 'standardwebhooks';
import { DataSource } from 'typeorm';
import { entityId } from '@platform/domain';
import { WEBHOOK_QUEUE, type WebhookDeliveryJob } from '@platform/queue';
import { ChangeDispatcher, WebhookStore } from '@platform/webhooks';
import { aPerformance, anActivity } from '../../../test/support/factories.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../../test/support/test-app.js';
import { LOCAL_WEBHOOK_SETTINGS, startReceiver, type Receiver } from '../../../test/support/webhook-receiver.js';
import { http } from './http.js';

const SOURCE = 'hooks-house';

const gent = anActivity({ externalId: 'hook-gent', performances: [aPerformance('hook-gent-p1')] });
const antwerpen = anActivity({
  externalId: 'hook-antwerpen',
  place: { externalId: 'venue-antwerpen', name: { nl: 'Toneelhuis' }, address: { street: 'Komedieplaats', houseNumber: '18', postalCode: '2000', municipality: { nl: 'Antwerpen' } } },
  organizer: { externalId: 'org-antwerpen', name: { nl: 'Toneelhuis vzw' } },
  performances: [aPerformance('hook-antwerpen-p1')],
});
const gentId = entityId('activiteit', SOURCE, gent.externalId);
const antwerpenId = entityId('activiteit', SOURCE, antwerpen.externalId);

describe('webhooks (e2e: consumer keys, Standard Webhooks deliveries, retry, 410, disablement, replay)', () => {
  let platform: TestApp;
  let vendorKey: string;
  let consumerKey: string;
  const receivers: Receiver[] = [];

  const receiver = async (respond?: Parameters<typeof startReceiver>[0]) => {
    const started = await startReceiver(respond);
    receivers.push(started);
    return started;
  };
  const register = async (url: string, filters?: Record<string, unknown>) => {
    const created = await http(platform.baseUrl, 'POST', '/v1/webhooks', { token: consumerKey, body: { url, filters } });
    expect(created.status).toBe(201);
    return created.body as { id: string; secret: string; status: string; firstChangeNumber: string };
  };
  const seats = (performanceId: string, remaining: number) =>
    http(platform.baseUrl, 'PUT', `/v1/sources/${SOURCE}/performances/${performanceId}/availability`, { token: vendorKey, body: { capacity: 500, remaining } });
  /** The run jobs of one subscription in the given states. */
  const runJobs = async (subscriptionId: string, states: Array<'waiting' | 'wait' | 'delayed' | 'failed' | 'completed'>) => {
    const queue = platform.app.get<Queue<WebhookDeliveryJob>>(getQueueToken(WEBHOOK_QUEUE));
    return (await queue.getJobs(states)).filter((job) => job.data.subscriptionId === subscriptionId);
  };
  const subscription = async (id: string) => (await http(platform.baseUrl, 'GET', `/v1/webhooks/${id}`, { token: consumerKey })).body;
  const until = async (check: () => Promise<boolean>, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error('condition not reached');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  beforeAll(async () => {
    platform = await startTestApp({ overrides: LOCAL_WEBHOOK_SETTINGS });
    vendorKey = await platform.createSource(SOURCE);
    const consumer = await http(platform.baseUrl, 'POST', '/v1/admin/consumers', { token: TEST_ADMIN_TOKEN, body: { id: 'agenda-gent', name: 'Agenda Gent' } });
    expect(consumer.status).toBe(201);
    consumerKey = consumer.body.key;
  });

  afterAll(async () => {
    await platform.close();
    await Promise.all(receivers.map((started) => started.close()));
  });

  it('consumer keys are their own kind: only an admin issues them, and they are not vendor keys (nor the other way round)', async () => {
    expect((await http(platform.baseUrl, 'POST', '/v1/admin/consumers', { body: { id: 'x-y', name: 'X' } })).status).toBe(401);
    expect((await http(platform.baseUrl, 'POST', '/v1/admin/consumers', { token: TEST_ADMIN_TOKEN, body: { id: 'agenda-gent', name: 'Again' } })).status).toBe(409);
    const noKey = await http(platform.baseUrl, 'GET', '/v1/webhooks');
    expect(noKey.status).toBe(401);
    expect(noKey.body.error.message.nl).toMatch(/consumentensleutel/);
    expect((await http(platform.baseUrl, 'GET', '/v1/webhooks', { token: vendorKey })).status).toBe(401);
    expect((await http(platform.baseUrl, 'POST', `/v1/sources/${SOURCE}/activities`, { token: consumerKey, body: [gent] })).status).toBe(401);
    expect((await http(platform.baseUrl, 'GET', '/v1/webhooks', { token: consumerKey })).body).toEqual([]);
    // A key id that is no uuid names no key: 404 saying so (it was a 500 from Postgres' uuid parser).
    const notAKeyId = await http(platform.baseUrl, 'DELETE', '/v1/admin/consumers/agenda-gent/keys/not-a-uuid', { token: TEST_ADMIN_TOKEN });
    expect(notAKeyId.status).toBe(404);
    expect(notAKeyId.body.error).toMatchObject({ code: 'key-not-found', where: 'path keyId' });
  });

  it('rejects bad registrations with the place and the reason', async () => {
    const badFilter = await http(platform.baseUrl, 'POST', '/v1/webhooks', { token: consumerKey, body: { url: 'https://example.org/h', filters: { kinds: ['sold'] } } });
    expect(badFilter.status).toBe(400);
    expect(badFilter.body.error).toMatchObject({ code: 'invalid-argument', where: 'body /filters/kinds' });
    const unknownFilter = await http(platform.baseUrl, 'POST', '/v1/webhooks', { token: consumerKey, body: { url: 'https://example.org/h', filters: { colour: ['red'] } } });
    expect(unknownFilter.body.error.where).toBe('body /filters/colour');
    const notUrl = await http(platform.baseUrl, 'POST', '/v1/webhooks', { token: consumerKey, body: { url: 'ftp://example.org/h' } });
    expect(notUrl.status).toBe(400);
    expect(notUrl.body.error).toMatchObject({ code: 'target-refused', where: 'body /url' });
  });

  it('delivers each change signed per Standard Webhooks, with the change number and the resource and feed URLs', async () => {
    const target = await receiver();
    const hook = await register(target.url);
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    const pushed = await http(platform.baseUrl, 'POST', `/v1/sources/${SOURCE}/activities?wait=true`, { token: vendorKey, body: [gent, antwerpen] });
    expect(pushed.body.summary.accepted).toBe(2);
    // 2 places, 2 organizers, 2 activities
    await target.waitFor(6);
    const verifier = new Webhook(hook.secret);
    for (const request of target.received) {
      expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
      // Throws when the signature, the id or the timestamp do not hold.
      expect(verifier.verify(request.body, request.headers as Record<string, string>)).toEqual(request.json);
    }
    expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(target.received[0].body, target.received[0].headers as Record<string, string>)).toThrow();
    const activity = target.received.find((request) => request.json.data.id === gentId)!;
    const changeNumber = activity.json.data.changeNumber;
    expect(activity.json).toEqual({
      type: 'activity.upsert',
      timestamp: expect.any(String),
      data: expect.objectContaining({
        changeNumber: expect.stringMatching(/^\d+$/),
        entityType: 'activity',
        operation: 'upsert',
        id: gentId,
        sourceId: SOURCE,
        resource: `http://data.test.local/id/activiteit/${gentId}`,
        feed: `http://data.test.local/feeds/activities?afterChangeNumber=${changeNumber}`,
      }),
    });
    expect(activity.headers['webhook-id']).toBe(`msg_${hook.id.replaceAll('-', '')}_${changeNumber}`);
    const types = target.received.map((request) => request.json.type).sort();
    expect(types).toEqual(['activity.upsert', 'activity.upsert', 'organizer.upsert', 'organizer.upsert', 'place.upsert', 'place.upsert']);

    const log = await http(platform.baseUrl, 'GET', `/v1/webhooks/${hook.id}/deliveries`, { token: consumerKey });
    expect(log.body.items).toHaveLength(6);
    expect(log.body.items.every((item: { status: string; attempts: number }) => item.status === 'delivered' && item.attempts === 1)).toBe(true);
    await http(platform.baseUrl, 'DELETE', `/v1/webhooks/${hook.id}`, { token: consumerKey });
  });

  it('filters by place, organizer, municipality, postal code, activity id and change kind (availability only)', async () => {
    // Places and organizers exist already, so only activity changes follow below (also when this test runs alone).
    await http(platform.baseUrl, 'POST', `/v1/sources/${SOURCE}/activities?wait=true`, { token: vendorKey, body: [gent, antwerpen] });
    const [byPlace, byOrganizer, byMunicipality, byPostalCode, byActivity, availabilityOnly] = await Promise.all([1, 2, 3, 4, 5, 6].map(() => receiver()));
    const hooks = [
      await register(byPlace.url, { placeIds: [entityId('locatie', SOURCE, 'venue-antwerpen')] }),
      await register(byOrganizer.url, { organizerIds: [entityId('organisator', SOURCE, 'org-1')] }),
      await register(byMunicipality.url, { municipalities: ['antwérpen'] }),
      await register(byPostalCode.url, { postalCodes: ['9000'], entityTypes: ['activity'] }),
      await register(byActivity.url, { activityIds: [gentId] }),
      await register(availabilityOnly.url, { kinds: ['availability'] }),
    ];
    const changedGent = { ...gent, title: { nl: 'Gent, gewijzigd' } };
    const changedAntwerpen = { ...antwerpen, title: { nl: 'Antwerpen, gewijzigd' } };
    expect((await http(platform.baseUrl, 'POST', `/v1/sources/${SOURCE}/activities?wait=true`, { token: vendorKey, body: [changedGent, changedAntwerpen] })).body.summary.accepted).toBe(2);
    expect((await seats('hook-antwerpen-p1', 7)).status).toBe(200);
    expect((await seats('hook-gent-p1', 3)).status).toBe(200);

    await availabilityOnly.waitFor(2);
    await Promise.all([byPlace.waitFor(2), byOrganizer.waitFor(2), byMunicipality.waitFor(2), byPostalCode.waitFor(2), byActivity.waitFor(2)]);
    // Whatever else was going to arrive has arrived by now: the dispatcher has passed these changes.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const seen = (target: Receiver) => target.received.map((request) => `${request.json.type}:${request.json.data.id}`).sort();
    expect(seen(byPlace)).toEqual([`activity.availability:${antwerpenId}`, `activity.upsert:${antwerpenId}`]);
    expect(seen(byOrganizer)).toEqual([`activity.availability:${gentId}`, `activity.upsert:${gentId}`]);
    expect(seen(byMunicipality)).toEqual([`activity.availability:${antwerpenId}`, `activity.upsert:${antwerpenId}`]);
    expect(seen(byPostalCode)).toEqual([`activity.availability:${gentId}`, `activity.upsert:${gentId}`]);
    expect(seen(byActivity)).toEqual([`activity.availability:${gentId}`, `activity.upsert:${gentId}`]);
    expect(seen(availabilityOnly)).toEqual([`activity.availability:${antwerpenId}`, `activity.availability:${gentId}`].sort());
    expect(availabilityOnly.received.find((request) => request.json.data.id === gentId)!.json.data.availability).toMatchObject({ capacity: 500, remaining: 3, level: 'LimitedAvailability' });

    // A deletion still reaches the place filter (the platform remembers where the activity was).
    expect((await http(platform.baseUrl, 'DELETE', `/v1/sources/${SOURCE}/activities/${antwerpen.externalId}`, { token: vendorKey })).status).toBeLessThan(300);
    await byPlace.waitFor(3);
    expect(byPlace.received[2].json).toMatchObject({ type: 'activity.delete', data: { id: antwerpenId } });
    for (const hook of hooks) await http(platform.baseUrl, 'DELETE', `/v1/webhooks/${hook.id}`, { token: consumerKey });
  });

  it('retries with back-off under the same webhook-id until the receiver answers 2xx, and logs every attempt', async () => {
    const flaky = await receiver((call) => (call <= 2 ? 503 : 200));
    const hook = await register(flaky.url, { kinds: ['availability'], activityIds: [gentId] });
    await seats('hook-gent-p1', 40);
    const received = await flaky.waitFor(3);
    expect(new Set(received.map((request) => request.headers['webhook-id'])).size).toBe(1);
    // Back-off: 100 ms, then 400 ms (+-20 %).
    expect(received[1].receivedAt - received[0].receivedAt).toBeGreaterThanOrEqual(70);
    expect(received[2].receivedAt - received[1].receivedAt).toBeGreaterThanOrEqual(300);
    await until(async () => (await http(platform.baseUrl, 'GET', `/v1/webhooks/${hook.id}/deliveries`, { token: consumerKey })).body.items[0]?.status === 'delivered');
    const [entry] = (await http(platform.baseUrl, 'GET', `/v1/webhooks/${hook.id}/deliveries`, { token: consumerKey })).body.items;
    expect(entry).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200, messageId: received[0].headers['webhook-id'] });
    expect(entry.attemptLog.map((attempt: { statusCode: number }) => attempt.statusCode)).toEqual([503, 503, 200]);
    await http(platform.baseUrl, 'DELETE', `/v1/webhooks/${hook.id}`, { token: consumerKey });
  });

  it('410 Gone disables the webhook at once; failing for the whole schedule disables it too', async () => {
    const gone = await receiver(() => 410);
    const broken = await receiver(() => 500);
    const goneHook = await register(gone.url, { activityIds: [gentId], kinds: ['availability'] });
    const brokenHook = await register(broken.url, { activityIds: [gentId], kinds: ['availability'] });
    await seats('hook-gent-p1', 41);
    await until(async () => (await subscription(goneHook.id)).status === 'disabled');
    expect(await subscription(goneHook.id)).toMatchObject({ status: 'disabled', disabledReason: 'gone' });
    expect(gone.received).toHaveLength(1);
    // WEBHOOK_ATTEMPTS=3 here: three tries, then the endpoint counts as failing all along.
    await until(async () => (await subscription(brokenHook.id)).status === 'disabled');
    expect(await subscription(brokenHook.id)).toMatchObject({ status: 'disabled', disabledReason: 'failing' });
    expect(broken.received).toHaveLength(3);
    const [entry] = (await http(platform.baseUrl, 'GET', `/v1/webhooks/${brokenHook.id}/deliveries`, { token: consumerKey })).body.items;
    expect(entry).toMatchObject({ status: 'failed', attempts: 3, lastStatusCode: 500 });

    // Disabled: no more deliveries; replay is refused until the consumer enables it again.
    await seats('hook-gent-p1', 42);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(gone.received).toHaveLength(1);
    expect((await http(platform.baseUrl, 'POST', `/v1/webhooks/${goneHook.id}/replay`, { token: consumerKey, body: { fromChangeNumber: '1' } })).status).toBe(409);
    const enabled = await http(platform.baseUrl, 'PATCH', `/v1/webhooks/${brokenHook.id}`, { token: consumerKey, body: { status: 'active' } });
    expect(enabled.body).toMatchObject({ status: 'active', disabledReason: null });
    await http(platform.baseUrl, 'DELETE', `/v1/webhooks/${goneHook.id}`, { token: consumerKey });
    await http(platform.baseUrl, 'DELETE', `/v1/webhooks/${brokenHook.id}`, { token: consumerKey });
  });

  it('replays from a change number or a time, with the same webhook-ids; nothing is missed while the dispatcher is down', async () => {
    const target = await receiver();
    const hook = await register(target.url, { activityIds: [gentId], kinds: ['availability'] });
    const dispatcher = platform.app.get(ChangeDispatcher);
    const beforeStop = new Date();
    await dispatcher.stop();
    // Committed while no dispatcher runs: sent when it starts again, from its cursor in Postgres.
    await seats('hook-gent-p1', 50);
    await seats('hook-gent-p1', 51);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(target.received).toHaveLength(0);
    dispatcher.start();
    const first = await target.waitFor(2);
    const numbers = first.map((request) => request.json.data.changeNumber);
    expect(first.map((request) => request.json.data.availability.remaining).sort()).toEqual([50, 51]);

    const byNumber = await http(platform.baseUrl, 'POST', `/v1/webhooks/${hook.id}/replay`, { token: consumerKey, body: { fromChangeNumber: numbers.sort()[0] } });
    expect(byNumber.status).toBe(202);
    expect(byNumber.body).toMatchObject({ queued: 2, complete: true });
    const again = await target.waitFor(4);
    expect(again.slice(2).map((request) => request.headers['webhook-id']).sort()).toEqual(first.slice(0, 2).map((request) => request.headers['webhook-id']).sort());

    const bySince = await http(platform.baseUrl, 'POST', `/v1/webhooks/${hook.id}/replay`, { token: consumerKey, body: { since: beforeStop.toISOString() } });
    expect(bySince.body).toMatchObject({ queued: 2, complete: true });
    await target.waitFor(6);
    const bad = await http(platform.baseUrl, 'POST', `/v1/webhooks/${hook.id}/replay`, { token: consumerKey, body: { since: 'yesterday' } });
    expect(bad.body.error).toMatchObject({ code: 'invalid-argument', where: 'body /since' });
    await http(platform.baseUrl, 'DELETE', `/v1/webhooks/${hook.id}`, { token: consumerKey });
  });

  it('sends one webhook its messages one at a time in change-number order; a retried one holds back the later ones', async () => {
    const answers: number[] = [];
    let inFlight = 0;
    let overlapping = 0;
    // The 4th request fails once: the messages after it wait for its retry (order), then follow.
    const ordered = await receiver(async (call) => {
      inFlight += 1;
      if (inFlight > 1) overlapping += 1;
      await new Promise((resolve) => setTimeout(resolve, 2));
      inFlight -= 1;
      const status = call === 4 ? 503 : 204;
      answers.push(status);
      return status;
    });
    const hook = await register(ordered.url, { activityIds: [gentId], kinds: ['availability'] });
    for (let remaining = 100; remaining < 112; remaining++) expect((await seats('hook-gent-p1', remaining)).status).toBe(200);
    const received = await ordered.waitFor(13);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received).toHaveLength(13);
    expect(overlapping).toBe(0);
    const numbers = received.map((request) => Number(request.json.data.changeNumber));
    // Never a smaller change number after a larger one; the failed message came again right after itself.
    expect(numbers.every((number, index) => index === 0 || number >= numbers[index - 1])).toBe(true);
    expect(numbers[4]).toBe(numbers[3]);
    expect(received[4].headers['webhook-id']).toBe(received[3].headers['webhook-id']);
    expect(received.map((request) => request.json.data.availability.remaining)).toEqual([100, 101, 102, 103, 103, 104, 105, 106, 107, 108, 109, 110, 111]);
    // The retry waited for the back-off (100 ms +-20 %).
    expect(received[4].receivedAt - received[3].receivedAt).toBeGreaterThanOrEqual(70);
    await until(async () => (await http(platform.baseUrl, 'GET', `/v1/webhooks/${hook.id}/deliveries?limit=20`, { token: consumerKey })).body.items.every((item: { status: string }) => item.status === 'delivered'));
    const log = (await http(platform.baseUrl, 'GET', `/v1/webhooks/${hook.id}/deliveries?limit=20`, { token: consumerKey })).body.items;
    expect(log).toHaveLength(12);
    expect(log.map((item: { attempts: number }) => item.attempts).sort()).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
    await http(platform.baseUrl, 'DELETE', `/v1/webhooks/${hook.id}`, { token: consumerKey });
  });

  it('a run reads pending messages by change number, not as text (999 before 1000), only pending ones', async () => {
    const hook = await register('http://127.0.0.1:9/never', { activityIds: ['00000000-0000-4000-8000-000000000000'] });
    const dataSource = platform.app.get(DataSource);
    const store = platform.app.get(WebhookStore);
    for (const [seq, status] of [[1000, 'pending'], [999, 'pending'], [10_000, 'pending'], [5, 'delivered'], [99, 'pending']] as const) {
      await dataSource.query(
        `INSERT INTO webhook_delivery (id, subscription_id, seq, message_id, event_type, body, status) VALUES (gen_random_uuid(), $1, $2, $3, 'activity.upsert', '{}', $4)`,
        [hook.id, seq, `msg_${seq}`, status],
      );
    }
    expect((await store.runBatch(hook.id, 10))!.messages.map((message) => message.seq)).toEqual(['99', '999', '1000', '10000']);
    expect((await store.runBatch(hook.id, 2))!.messages.map((message) => message.seq)).toEqual(['99', '999']);
    await dataSource.query(`DELETE FROM webhook_delivery WHERE subscription_id = $1`, [hook.id]);
    await http(platform.baseUrl, 'DELETE', `/v1/webhooks/${hook.id}`, { token: consumerKey });
  });

  it('a pending message whose run job Redis lost is queued again by the recovery sweep, with the same webhook-id; a waiting one is left alone', async () => {
    const target = await receiver();
    const hook = await register(target.url, { activityIds: [gentId], kinds: ['availability'] });
    const queue = platform.app.get<Queue>(getQueueToken(WEBHOOK_QUEUE));
    const dispatcher = platform.app.get(ChangeDispatcher);
    // Nothing is delivered meanwhile (a pause of the queue: jobs wait in Redis).
    await queue.pause();
    let delivery: { id: string; messageId: string; status: string } | undefined;
    try {
      await seats('hook-gent-p1', 77);
      await until(async () => {
        delivery = (await http(platform.baseUrl, 'GET', `/v1/webhooks/${hook.id}/deliveries`, { token: consumerKey })).body.items[0];
        return delivery !== undefined && (await runJobs(hook.id, ['waiting', 'wait'])).length > 0;
      });
      // As a Redis restart without persistence does: the job is gone, the message is still pending in Postgres.
      for (const job of await runJobs(hook.id, ['waiting', 'wait'])) await job.remove();
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(delivery!.status).toBe('pending');
      expect(await dispatcher.requeueLost(100)).toBe(1);
      // Its job is back (waiting): the next sweep leaves it alone.
      expect(await dispatcher.requeueLost(100)).toBe(0);
    } finally {
      await queue.resume();
    }
    const [received] = await target.waitFor(1);
    expect(received.headers['webhook-id']).toBe(delivery!.messageId);
    expect(received.json.data.availability.remaining).toBe(77);
    await http(platform.baseUrl, 'DELETE', `/v1/webhooks/${hook.id}`, { token: consumerKey });
  });

  it('a pending message whose run job BullMQ gave up on (its attempts ran out on errors of our own) is retried by the recovery sweep', async () => {
    const target = await receiver();
    const hook = await register(target.url, { activityIds: [gentId], kinds: ['availability'] });
    const dispatcher = platform.app.get(ChangeDispatcher);
    const dataSource = platform.app.get(DataSource);
    const [{ secret }] = await dataSource.query('SELECT secret FROM webhook_subscription WHERE id = $1', [hook.id]);
    // A secret that cannot be opened: every attempt throws before anything is sent or logged.
    await dataSource.query(`UPDATE webhook_subscription SET secret = '{"$sealed": "v0.broken"}' WHERE id = $1`, [hook.id]);
    await seats('hook-gent-p1', 78);
    let delivery: { id: string; messageId: string; status: string } | undefined;
    await until(async () => {
      delivery = (await http(platform.baseUrl, 'GET', `/v1/webhooks/${hook.id}/deliveries`, { token: consumerKey })).body.items[0];
      return delivery !== undefined && (await runJobs(hook.id, ['failed'])).length > 0;
    });
    expect(delivery!.status).toBe('pending');
    expect(target.received).toHaveLength(0);
    // The run let go of the subscription when it failed: the next one takes it at once.
    expect((await dataSource.query('SELECT run_until FROM webhook_subscription WHERE id = $1', [hook.id]))[0].run_until).toBeNull();
    await dataSource.query('UPDATE webhook_subscription SET secret = $2::jsonb WHERE id = $1', [hook.id, JSON.stringify(secret)]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(await dispatcher.requeueLost(100)).toBe(1);
    const [received] = await target.waitFor(1);
    expect(received.headers['webhook-id']).toBe(delivery!.messageId);
    await http(platform.baseUrl, 'DELETE', `/v1/webhooks/${hook.id}`, { token: consumerKey });
  });

  it('a run whose worker died (its lease not let go) is taken over when the lease lapses', async () => {
    const target = await receiver();
    const hook = await register(target.url, { activityIds: [gentId], kinds: ['availability'] });
    const dataSource = platform.app.get(DataSource);
    // As a worker killed mid-run leaves it: the lease held for 600 ms more by a run that is gone.
    await dataSource.query(`UPDATE webhook_subscription SET run_token = gen_random_uuid(), run_until = now() + interval '600 milliseconds' WHERE id = $1`, [hook.id]);
    const changed = Date.now();
    await seats('hook-gent-p1', 79);
    const [received] = await target.waitFor(1);
    expect(received.receivedAt - changed).toBeGreaterThanOrEqual(400);
    expect(received.json.data.availability.remaining).toBe(79);
    await http(platform.baseUrl, 'DELETE', `/v1/webhooks/${hook.id}`, { token: consumerKey });
  });

  it('a run that could not let go of its lease (Postgres away a moment) lets go when Postgres answers again: the next message does not wait for the lease to lapse', async () => {
    const target = await receiver();
    const hook = await register(target.url, { activityIds: [gentId], kinds: ['availability'] });
    const dataSource = platform.app.get(DataSource);
    const heldUntil = async () => ((await dataSource.query(`SELECT run_until FROM webhook_subscription WHERE id = $1`, [hook.id])) as Array<{ run_until: Date | null }>)[0].run_until;
    const store = platform.app.get(WebhookStore);
    const release = store.releaseRun.bind(store);
    let failures = 0;
    // The real store, its first release of this webhook's lease failing as it does while Postgres restarts.
    store.releaseRun = async (subscriptionId, token) => {
      if (subscriptionId === hook.id && failures++ === 0) throw new Error('Connection terminated unexpectedly');
      return release(subscriptionId, token);
    };
    try {
      await seats('hook-gent-p1', 78);
      await target.waitFor(1);
      await until(async () => failures >= 1);
      const lapses = await heldUntil();
      expect(lapses).not.toBeNull();
      const changed = Date.now();
      await seats('hook-gent-p1', 77);
      const [, second] = await target.waitFor(2);
      expect(second.json.data.availability.remaining).toBe(77);
      // Sent well before the lease would have lapsed, and the lease let go for good.
      expect(second.receivedAt).toBeLessThan(Math.min(lapses!.getTime(), changed + 10_000));
      await until(async () => (await heldUntil()) === null);
    } finally {
      store.releaseRun = release;
      await http(platform.baseUrl, 'DELETE', `/v1/webhooks/${hook.id}`, { token: consumerKey });
    }
  });
});

describe('webhook targets (e2e: SSRF refusal with the production policy)', () => {
  let platform: TestApp;
  let consumerKey: string;

  beforeAll(async () => {
    platform = await startTestApp({ worker: false, overrides: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'false', WEBHOOK_ALLOW_HTTP: 'false' } });
    consumerKey = (await http(platform.baseUrl, 'POST', '/v1/admin/consumers', { token: TEST_ADMIN_TOKEN, body: { id: 'agenda-ssrf', name: 'SSRF' } })).body.key;
  });

  afterAll(async () => {
    await platform.close();
  });

  it.each([
    ['http://example.org/hook', /https/],
    ['https://127.0.0.1/hook', /loopback/],
    ['https://localhost:8443/hook', /loopback/],
    ['https://10.0.0.8/hook', /private/],
    ['https://169.254.169.254/latest/meta-data', /linkLocal/],
    ['https://[::1]/hook', /loopback/],
    ['https://[::ffff:192.168.1.1]/hook', /private/],
    ['https://user:pw@example.org/hook', /password/],
  ])('refuses %s', async (url, reason) => {
    const refused = await http(platform.baseUrl, 'POST', '/v1/webhooks', { token: consumerKey, body: { url } });
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'target-refused', where: 'body /url' });
    expect(refused.body.error.message.en).toMatch(reason);
  });
});

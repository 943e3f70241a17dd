import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { ShutdownState } from '@platform/observability';
import { INGEST_QUEUE, ingestJobId } from '@platform/queue';
import { anActivity } from '../../../test/support/factories.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../../test/support/test-app.js';
import { startReceiver } from '../../../test/support/webhook-receiver.js';
import { http } from './http.js';

/** A sample's value from a Prometheus text exposition, by metric name and exact label set. */
function sample(exposition: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of exposition.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const labelText = line.slice(name.length).match(/^\{(.*)\}/)?.[1] ?? '';
    const present = labelText ? labelText.split(/,(?=[a-z_]+=")/) : [];
    if (wanted.every((pair) => present.includes(pair)) && present.length === wanted.length) return Number(line.split(' ').at(-1));
  }
  return undefined;
}

describe('health, metrics and request ids (e2e, real Postgres + Redis + BullMQ)', () => {
  let platform: TestApp;
  let key: string;

  beforeAll(async () => {
    platform = await startTestApp({
      overrides: { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_RETRY_BASE_MS: '100', CHANGE_POLL_INTERVAL_MS: '50' },
    });
    key = await platform.createSource('ops-house');
  });

  afterAll(async () => {
    await platform.close();
  });

  it('is live, and ready with Postgres, migrations, Redis and both queues up', async () => {
    const live = await http(platform.baseUrl, 'GET', '/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ status: 'ok' });
    const ready = await http(platform.baseUrl, 'GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.status).toBe('ok');
    expect(Object.keys(ready.body.info).sort()).toEqual(['database', 'migrations', 'process', 'queues', 'redis']);
    expect(ready.body.info.migrations.applied).toBeGreaterThan(0);
    expect(ready.body.info.queues[INGEST_QUEUE]).toHaveProperty('waiting');
  });

  it('counts requests per route pattern and items per source, and shows queue depth and the change-log head', async () => {
    const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/ops-house/activities?wait=true', { token: key, body: [anActivity(), { ...anActivity(), title: undefined }] });
    expect(pushed.status).toBe(200);
    await http(platform.baseUrl, 'GET', '/no/such/route');
    const metrics = await http(platform.baseUrl, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = metrics.text;
    expect(sample(text, 'cdp_http_requests_total', { method: 'POST', route: '/v1/sources/:sourceId/activities', status: '200' })).toBe(1);
    expect(sample(text, 'cdp_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).toBe(1);
    expect(sample(text, 'cdp_http_request_duration_seconds_count', { method: 'POST', route: '/v1/sources/:sourceId/activities', status: '200' })).toBe(1);
    expect(sample(text, 'cdp_ingest_items_total', { source: 'ops-house', kind: 'activity', outcome: 'accepted' })).toBe(1);
    expect(sample(text, 'cdp_ingest_items_total', { source: 'ops-house', kind: 'activity', outcome: 'rejected' })).toBe(1);
    expect(sample(text, 'cdp_queue_jobs', { queue: INGEST_QUEUE, state: 'waiting' })).toBe(0);
    expect(sample(text, 'cdp_queue_oldest_waiting_age_seconds', { queue: INGEST_QUEUE })).toBe(0);
    const head = sample(text, 'cdp_change_log_head_seq');
    expect(head).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'cdp_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it("shows each keyed feed reader's and each webhook subscription's position and lag, and counts webhook attempts by outcome", async () => {
    const consumer = await http(platform.baseUrl, 'POST', '/v1/admin/consumers', { token: TEST_ADMIN_TOKEN, body: { id: 'ops-agenda', name: 'Ops agenda' } });
    expect(consumer.status).toBe(201);
    const consumerKey = consumer.body.key as string;
    // The receiver fails its first call: one attempt retried, then delivered.
    const receiver = await startReceiver((call) => (call === 1 ? 503 : 204));
    try {
      const hook = await http(platform.baseUrl, 'POST', '/v1/webhooks', { token: consumerKey, body: { url: receiver.url } });
      expect(hook.status).toBe(201);
      await http(platform.baseUrl, 'POST', '/v1/sources/ops-house/activities?wait=true', { token: key, body: [anActivity()] });
      await receiver.waitFor(2);
      // Anonymous reads are served and not tracked; a keyed read is; a key that is not a consumer key is refused.
      expect((await http(platform.baseUrl, 'GET', '/feeds/activities')).status).toBe(200);
      expect((await http(platform.baseUrl, 'GET', '/feeds/activities?afterChangeNumber=1', { token: consumerKey })).status).toBe(200);
      const wrong = await http(platform.baseUrl, 'GET', '/feeds/activities', { token: key });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.where).toBe('header Authorization');
      expect((await http(platform.baseUrl, 'GET', '/ldes/activities/pages/1-500', { token: consumerKey })).status).toBe(200);
      const deadline = Date.now() + 10_000;
      let text = '';
      // The dispatcher's cursor moves after the delivery is queued: wait until the subscription shows caught up.
      for (;;) {
        text = (await http(platform.baseUrl, 'GET', '/metrics')).text;
        const head = sample(text, 'cdp_change_log_head_seq')!;
        if (sample(text, 'cdp_feed_consumer_position_seq', { kind: 'webhook', consumer: `ops-agenda/${hook.body.id}` }) === head || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const head = sample(text, 'cdp_change_log_head_seq')!;
      expect(sample(text, 'cdp_feed_consumer_position_seq', { kind: 'webhook', consumer: `ops-agenda/${hook.body.id}` })).toBe(head);
      expect(sample(text, 'cdp_feed_consumer_lag', { kind: 'webhook', consumer: `ops-agenda/${hook.body.id}` })).toBe(0);
      expect(sample(text, 'cdp_feed_consumer_position_seq', { kind: 'rpde', consumer: 'ops-agenda/activities' })).toBe(1);
      expect(sample(text, 'cdp_feed_consumer_lag', { kind: 'rpde', consumer: 'ops-agenda/activities' })).toBe(head - 1);
      expect(sample(text, 'cdp_feed_consumer_position_seq', { kind: 'ldes', consumer: 'ops-agenda/activities' })).toBe(0);
      expect(sample(text, 'cdp_webhook_attempts_total', { outcome: 'retry' })).toBe(1);
      expect(sample(text, 'cdp_webhook_attempts_total', { outcome: 'delivered' })).toBe(1);
    } finally {
      await receiver.close();
    }
  });

  it('counts availability updates per source and outcome', async () => {
    const activity = anActivity();
    await http(platform.baseUrl, 'POST', '/v1/sources/ops-house/activities?wait=true', { token: key, body: [activity] });
    const performanceId = activity.performances[0].externalId;
    const updated = await http(platform.baseUrl, 'PUT', `/v1/sources/ops-house/performances/${performanceId}/availability`, { token: key, body: { capacity: 100, remaining: 7 } });
    expect(updated.status).toBe(200);
    const text = (await http(platform.baseUrl, 'GET', '/metrics')).text;
    expect(sample(text, 'cdp_ingest_items_total', { source: 'ops-house', kind: 'availability', outcome: 'updated' })).toBe(1);
  });

  it('echoes the request id and carries it in the batch job to the worker', async () => {
    const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/ops-house/activities', { token: key, body: [anActivity()], headers: { 'x-request-id': 'vendor-req-42' } });
    expect(pushed.status).toBe(202);
    expect(pushed.headers.get('x-request-id')).toBe('vendor-req-42');
    const job = await platform.app.get<Queue>(getQueueToken(INGEST_QUEUE)).getJob(ingestJobId(pushed.body.batchId));
    expect(job?.data.requestId).toBe('vendor-req-42');
    // An id that is not a sane token is replaced by a fresh one (it would end up in every log line).
    const odd = await http(platform.baseUrl, 'GET', '/health/live', { headers: { 'x-request-id': 'has spaces and "quotes"' } });
    expect(odd.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('turns not ready (503, saying why) once the process is stopping', async () => {
    platform.app.get(ShutdownState).begin();
    const ready = await http(platform.baseUrl, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('error');
    expect(ready.body.error.process).toEqual({ status: 'down', message: 'stopping (SIGTERM received)' });
    expect((await http(platform.baseUrl, 'GET', '/health/live')).status).toBe(200);
  });
});

/** Connector runs under stress (found in review): slow remotes and the lease, redirects, stale cursors, bad ids. */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CONNECTORS, HttpClient, connectorFor, type Connector, type MappedItem } from '@platform/connectors';
import { entityId } from '@platform/domain';
import { ConnectorSyncService, readPushItem } from '@platform/pipeline';
import { ActivityQueryStore, ConnectorStore, SourceStore, type SourceKind } from '@platform/storage';
import { DataSource } from 'typeorm';
import { anActivity } from '../../../test/support/factories.js';
import { startFixtureServer, type FixtureServer } from '../../../test/support/fixture-server.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../../test/support/test-app.js';
import { http as call } from '../../api/test/http.js';

const KIND = 'review-slow';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const feed: Connector<{ page: number }> = {
  kind: KIND,
  checkSettings: () => [],
  initialCursor: () => ({ page: 1 }),
  async fetchPage(context, cursor) {
    const response = await context.http.request(`${context.settings.baseUrl}/feed?page=${cursor.page}`);
    return { responses: [response], cursor: { page: 2 }, done: true };
  },
  mapPage(page, context): MappedItem[] {
    const document = JSON.parse(page.responses[0].body.toString('utf8')) as { activity: unknown };
    const read = readPushItem(document.activity, { limitedRatio: 0.1, limitedCount: 10 }, context.now);
    return [{ type: 'activity', externalId: 'slow-1', activity: read.activity! }];
  },
};

describe('connector runs under stress (integration: fixture HTTP servers, Postgres, BullMQ on Redis)', () => {
  let platform: TestApp;
  let remote: FixtureServer;
  let other: FixtureServer;

  beforeAll(async () => {
    CONNECTORS[KIND] = feed as Connector<unknown>;
    remote = await startFixtureServer(() => ({ status: 404 }));
    other = await startFixtureServer(() => ({ body: { ok: true } }));
    platform = await startTestApp({ overrides: { CONNECTOR_LEASE_MS: '1000', CONNECTOR_RETRY_ATTEMPTS: '1' } });
    await platform.app.get(SourceStore).create({ id: 'slow', name: 'Slow', kind: KIND as SourceKind });
    await platform.app.get(ConnectorStore).configure('slow', { baseUrl: remote.baseUrl, everyMinutes: null, options: {}, credentials: {} });
  });
  afterAll(async () => {
    await platform.close();
    await remote.close();
    await other.close();
    delete CONNECTORS[KIND];
  });

  it('a slow page keeps its lease (renewed while it waits): a second run is refused, the first stores its page', async () => {
    let calls = 0;
    remote.handle(async () => {
      calls += 1;
      await sleep(2500); // longer than CONNECTOR_LEASE_MS (1 s)
      return { body: { activity: anActivity({ externalId: 'slow-1', title: { nl: `Titel ${calls}` } }) } };
    });
    const sync = platform.app.get(ConnectorSyncService);
    const runA = sync.run('slow', { trigger: 'manual' });
    await sleep(1300);
    await expect(sync.run('slow', { trigger: 'manual' })).rejects.toThrow(/already in progress/);
    await runA;
    const stored = await platform.app.get(ActivityQueryStore).findActivity(entityId('activiteit', 'slow', 'slow-1'));
    expect(stored!.document.title.nl).toBe('Titel 1');
  });

  it('a run that lost its lease (presumed dead, taken over) cannot write its page', async () => {
    await platform.app.get(ConnectorStore).resetCursor('slow');
    remote.handle(async () => {
      await sleep(1500);
      return { body: { activity: anActivity({ externalId: 'slow-1', title: { nl: 'OUDE titel' } }) } };
    });
    const sync = platform.app.get(ConnectorSyncService);
    const runA = sync.run('slow', { trigger: 'manual' }).then(
      () => 'succeeded',
      (error: Error) => `failed: ${error.message}`,
    );
    await sleep(500);
    // Another run takes the lease over while A waits on the remote (as when A's lease had expired).
    await platform.app.get(DataSource).query(`UPDATE connector SET lease_run_id = gen_random_uuid(), lease_until = now() + interval '1 minute' WHERE source_id = 'slow'`);
    expect(await runA).toContain('no longer holds the connector lease');
    const stored = await platform.app.get(ActivityQueryStore).findActivity(entityId('activiteit', 'slow', 'slow-1'));
    expect(stored!.document.title.nl).toBe('Titel 1');
    await platform.app.get(DataSource).query(`UPDATE connector SET lease_run_id = NULL, lease_until = NULL WHERE source_id = 'slow'`);
  });

  it('follows redirects within the origin only: a redirect to another host is refused, the key never leaves', async () => {
    other.requests.length = 0;
    remote.handle((request) => (request.url === '/moved' ? { body: { ok: true } } : { status: 302, headers: { location: request.url === '/feed' ? `${other.baseUrl}/elsewhere` : '/moved' } }));
    const http = new HttpClient({ secrets: ['key-0123456789'], attempts: 1 });
    await expect(http.request(`${remote.baseUrl}/feed`, { headers: { 'x-api-key': 'key-0123456789' } })).rejects.toThrow(/redirected to another host/);
    expect(other.requests).toHaveLength(0);
    const followed = await http.request(`${remote.baseUrl}/same`, { headers: { 'x-api-key': 'key-0123456789' } });
    expect(JSON.parse(followed.body.toString('utf8'))).toEqual({ ok: true });
  });

  it('Yesplan sends the api_key only to the configured installation, also for a cursor from before a baseUrl change', async () => {
    other.requests.length = 0;
    remote.handle(() => ({ body: { data: [], pagination: {} } }));
    const yesplan = connectorFor('yesplan')!;
    const context = {
      sourceId: 'yp',
      settings: { baseUrl: remote.baseUrl, options: {} },
      credentials: { apiKey: 'new-installation-key' },
      http: new HttpClient({ secrets: ['new-installation-key'], attempts: 1 }),
      now: new Date(),
    };
    // the cursor as the previous installation (other) left it: pagination.next of a pass in progress
    const cursor = { version: 1, phase: 'events', next: `${other.baseUrl}/api/events/x?page=2`, previous: [], seen: [], missing: [], deleted: [], passes: 0 };
    await yesplan.fetchPage(context, cursor).catch(() => undefined);
    expect(other.requests.map((request) => request.url).join(' ')).not.toContain('new-installation-key');
  });

  it('a run id that only looks like a uuid is a 404 with where, not a 500', async () => {
    const answer = await call(platform.baseUrl, 'GET', `/v1/admin/runs/${'-'.repeat(36)}`, { token: TEST_ADMIN_TOKEN });
    expect(answer.status).toBe(404);
  });
});

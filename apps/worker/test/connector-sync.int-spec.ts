import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CONNECTORS, mappingProblem, type Connector, type MappedItem } from '@platform/connectors';
import { entityId, type Activity, type Place } from '@platform/domain';
import { ConnectorSyncService, readPushItem } from '@platform/pipeline';
import { CONNECTOR_QUEUE, connectorSchedulerId } from '@platform/queue';
import { ActivityQueryStore, ConnectorStore, SecretBox, SourceStore, viewConnector, type SourceKind } from '@platform/storage';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { http } from '../../api/test/http.js';
import { aPerformance, anActivity } from '../../../test/support/factories.js';
import { startFixtureServer, type FixtureHandler, type FixtureServer } from '../../../test/support/fixture-server.js';
import { TEST_ADMIN_TOKEN, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { TEST_REDIS_URL } from '../../../test/support/test-database.js';
import { runConnectorCli } from '../src/connector-cli.js';

/**
 * The connector framework with a minimal paged JSON feed as the remote (a connector kind only this test
 * registers): archive, mapping, the one ingest path, cursor, resume, lease, run reports, schedules.
 */
const KIND = 'paged-test';
const SECRET = 'feed-secret-7f3a9c';

interface FeedCursor {
  page: number;
}

interface FeedRecord {
  id: string;
  deleted?: boolean;
  seats?: { performance: string; remaining: number };
  activity?: unknown;
  /** The activity names its place by the source's id only. */
  placeRef?: string;
  /** A place described on its own. */
  place?: Place;
}

const pagedFeed: Connector<FeedCursor> = {
  kind: KIND,
  checkSettings: (_settings, credentials) => (credentials.token ? [] : [{ path: '/credentials/token', nl: 'token ontbreekt', en: 'token is missing' }]),
  initialCursor: () => ({ page: 1 }),
  async fetchPage(context, cursor) {
    const response = await context.http.request(`${context.settings.baseUrl}/feed?page=${cursor.page}`, { headers: { 'x-token': context.credentials.token } });
    const document = JSON.parse(response.body.toString('utf8')) as { next: number | null };
    return { responses: [response], cursor: { page: document.next ?? cursor.page }, done: document.next === null };
  },
  mapPage(page, context) {
    const document = JSON.parse(page.responses[0].body.toString('utf8')) as { records: FeedRecord[] };
    return document.records.map((record): MappedItem => {
      if (record.deleted) return { type: 'deletion', externalId: record.id };
      if (record.seats) return { type: 'availability', performanceId: record.seats.performance, remaining: record.seats.remaining };
      if (record.place) return { type: 'place', externalId: record.id, place: record.place };
      const read = readPushItem(record.activity, { limitedRatio: 0.1, limitedCount: 10 }, context.now);
      if (read.activity && record.placeRef) return { type: 'activity', externalId: record.id, activity: { ...read.activity, place: undefined }, placeRef: record.placeRef };
      return read.activity ? { type: 'activity', externalId: record.id, activity: read.activity } : { type: 'invalid', externalId: record.id, problems: read.problems.length ? read.problems : [mappingProblem('/', 'leeg', 'empty')] };
    });
  },
};

describe('connector runs (integration: fixture HTTP server, Postgres, BullMQ on Redis)', () => {
  let platform: TestApp;
  let remote: FixtureServer;
  let pages: Record<number, { records: FeedRecord[]; next: number | null }>;
  const sourceId = 'feed-house';
  const first = anActivity({ externalId: 'feed-1' });
  const second = anActivity({ externalId: 'feed-2' });
  const third = anActivity({ externalId: 'feed-3' });
  const feed: FixtureHandler = (request, url) => {
    if (request.headers['x-token'] !== SECRET) return { status: 401, body: { error: 'bad token' } };
    const page = pages[Number(url.searchParams.get('page'))];
    return page ? { body: page } : { status: 404, body: { error: 'no such page' } };
  };

  beforeAll(async () => {
    CONNECTORS[KIND] = pagedFeed as Connector<unknown>;
    remote = await startFixtureServer(feed);
    platform = await startTestApp({ overrides: { CONNECTOR_RETRY_ATTEMPTS: '2', CONNECTOR_RETRY_DELAY_MS: '10', CREDENTIALS_KEY: 'test-credentials-key-0123456789' } });
    await platform.app.get(SourceStore).create({ id: sourceId, name: 'Feed house', kind: KIND as SourceKind });
    await platform.app.get(ConnectorStore).configure(sourceId, { baseUrl: remote.baseUrl, everyMinutes: null, options: {}, credentials: { token: SECRET } });
  });

  afterAll(async () => {
    await platform.close();
    await remote.close();
    delete CONNECTORS[KIND];
  });

  beforeEach(() => {
    pages = {
      1: { records: [{ id: 'feed-1', activity: first }, { id: 'feed-bad', activity: { externalId: 'feed-bad' } }], next: 2 },
      2: { records: [{ id: 'feed-2', activity: second }], next: 3 },
      3: { records: [{ id: 'feed-3', activity: third }], next: null },
    };
    remote.requests.length = 0;
  });

  it('runs by hand over the API: every page archived, mapped, validated, stored; a report with counts and reasons', async () => {
    const started = await http(platform.baseUrl, 'POST', `/v1/admin/sources/${sourceId}/runs?wait=true`, { token: TEST_ADMIN_TOKEN });
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ status: 'succeeded', trigger: 'manual', pages: 3, fetched: 4, accepted: 3, rejected: 1, unchanged: 0, deleted: 0 });
    expect(started.body.durationMs).toBeGreaterThanOrEqual(0);
    expect(started.body.rejections).toEqual([expect.objectContaining({ externalId: 'feed-bad', problems: expect.arrayContaining([expect.objectContaining({ message: expect.objectContaining({ nl: expect.any(String), en: expect.any(String) }) })]) })]);
    expect(started.body.cursorEnd).toEqual({ page: 3 });
    expect(await platform.app.get(ActivityQueryStore).findActivity(entityId('activiteit', sourceId, 'feed-3'))).not.toBeNull();

    const archived: Array<{ origin: string; run_id: string; kind: string; body: Buffer }> = await platform.app
      .get(DataSource)
      .query(`SELECT origin, run_id, kind, body FROM raw_payload WHERE source_id = $1 ORDER BY received_at`, [sourceId]);
    expect(archived).toHaveLength(3);
    expect(archived.every((row) => row.kind === 'connector' && row.run_id === started.body.id)).toBe(true);
    expect(archived[0].origin).toBe(`${remote.baseUrl}/feed?page=1`);
    expect(JSON.parse(archived[0].body.toString('utf8'))).toEqual(pages[1]);

    // The report is readable later, and the list shows it; credentials appear nowhere.
    const again = await http(platform.baseUrl, 'GET', `/v1/admin/runs/${started.body.id}`, { token: TEST_ADMIN_TOKEN });
    expect(again.body.accepted).toBe(3);
    const connector = await http(platform.baseUrl, 'GET', `/v1/admin/sources/${sourceId}/connector`, { token: TEST_ADMIN_TOKEN });
    expect(connector.body.credentials).toEqual(['token']);
    expect(connector.text).not.toContain(SECRET);
    const list = await http(platform.baseUrl, 'GET', `/v1/admin/sources/${sourceId}/runs`, { token: TEST_ADMIN_TOKEN });
    expect(list.body[0].id).toBe(started.body.id);
    expect(list.text).not.toContain(SECRET);
  });

  it('keeps credentials sealed at rest; a process with another key says so instead of sending nothing', async () => {
    const [row]: Array<{ credentials: unknown }> = await platform.app.get(DataSource).query('SELECT credentials FROM connector WHERE source_id = $1', [sourceId]);
    expect(JSON.stringify(row.credentials)).not.toContain(SECRET);
    expect(row.credentials).toEqual({ $sealed: expect.stringMatching(/^v1\./) });
    const otherKey = new ConnectorStore(platform.app.get(DataSource), new SecretBox('a-different-key-0123456789'));
    const seen = await otherKey.find(sourceId);
    expect(seen!.credentials).toEqual({});
    expect(viewConnector(seen!).credentials).toEqual(['(sealed with another CREDENTIALS_KEY)']);
  });

  it('a run that fails in the middle keeps its cursor; the next run resumes there and re-sent records are no-ops', async () => {
    await platform.app.get(ConnectorStore).resetCursor(sourceId);
    const sync = platform.app.get(ConnectorSyncService);
    // page 1 answers, then page 2 fails on every attempt of this run
    const failing = pages[2];
    pages[2] = undefined as never;
    await expect(sync.run(sourceId, { trigger: 'cli' })).rejects.toThrow(/HTTP 404/);
    const [failed] = await platform.app.get(ConnectorStore).listRuns(sourceId, 1);
    expect(failed).toMatchObject({ status: 'failed', pages: 1, unchanged: 1, rejected: 1 });
    expect(failed.error).toContain('page=2');
    expect((await platform.app.get(ConnectorStore).find(sourceId))!.cursor).toEqual({ page: 2 });

    pages[2] = failing;
    remote.requests.length = 0;
    remote.failNext(1); // one 503 first: retried with back-off inside the run
    const runId = await sync.run(sourceId, { trigger: 'cli' });
    expect(remote.requests.map((request) => request.url)).toEqual(['/feed?page=2', '/feed?page=2', '/feed?page=3']);
    expect(await platform.app.get(ConnectorStore).findRun(runId)).toMatchObject({ status: 'succeeded', pages: 2, unchanged: 2 });
  });

  it('a run whose process died is marked interrupted by the next run, which resumes from the cursor', async () => {
    const store = platform.app.get(ConnectorStore);
    await store.resetCursor(sourceId);
    const dead = await store.startRun(undefined, sourceId, 'schedule', null);
    expect((await store.acquireLease(sourceId, dead, 1)).acquired).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const runId = await platform.app.get(ConnectorSyncService).run(sourceId, { trigger: 'cli' });
    expect((await store.findRun(dead))!.status).toBe('interrupted');
    expect((await store.findRun(runId))!.status).toBe('succeeded');
  });

  it('runs one at a time per source: a second run while one holds the lease is skipped', async () => {
    const store = platform.app.get(ConnectorStore);
    const holder = await store.startRun(undefined, sourceId, 'schedule', null);
    expect((await store.acquireLease(sourceId, holder, 60_000)).acquired).toBe(true);
    try {
      await expect(platform.app.get(ConnectorSyncService).run(sourceId, { trigger: 'cli' })).rejects.toThrow(/already in progress/);
      const [skipped] = await store.listRuns(sourceId, 1);
      expect(skipped.status).toBe('skipped');
    } finally {
      await store.releaseLease(sourceId, holder);
      await store.finishRun(holder, 'succeeded', null);
    }
  });

  it('a page evaluated while the page before it commits stores what reading them one after the other would', async () => {
    // Each depends on what page 1 writes: a place it describes, a performance it takes from an activity, an
    // activity it changes and page 2 puts back as it was stored before the run.
    const store = platform.app.get(ConnectorStore);
    const giver = anActivity({ externalId: 'ahead-giver', performances: [aPerformance('ahead-moving'), aPerformance('ahead-kept')] });
    const changing = anActivity({ externalId: 'ahead-changing', title: { nl: 'Zoals opgeslagen' } });
    pages = { 1: { records: [{ id: giver.externalId, activity: giver }, { id: changing.externalId, activity: changing }], next: null } };
    await store.resetCursor(sourceId);
    const before = await platform.app.get(ConnectorSyncService).run(sourceId, { trigger: 'cli' });
    expect(await store.findRun(before)).toMatchObject({ status: 'succeeded', accepted: 2, rejected: 0 });

    const hall = { ...anActivity().place!, externalId: 'ahead-hall', name: { nl: 'Zaal Vooruit' } };
    const taker = anActivity({ externalId: 'ahead-taker', performances: [aPerformance('ahead-moving')] });
    const referring = anActivity({ externalId: 'ahead-referring' });
    pages = {
      1: {
        records: [
          { id: 'ahead-hall', place: hall },
          { id: giver.externalId, activity: { ...giver, performances: [aPerformance('ahead-kept')] } },
          { id: changing.externalId, activity: { ...changing, title: { nl: 'Even anders' } } },
        ],
        next: 2,
      },
      2: {
        records: [
          { id: referring.externalId, activity: referring, placeRef: 'ahead-hall' },
          { id: taker.externalId, activity: taker },
          { id: changing.externalId, activity: changing },
        ],
        next: null,
      },
    };
    await store.resetCursor(sourceId);
    const runId = await platform.app.get(ConnectorSyncService).run(sourceId, { trigger: 'cli' });
    const run = await store.findRun(runId);
    expect(run).toMatchObject({ status: 'succeeded', pages: 2, accepted: 6, rejected: 0, unchanged: 0 });
    const read = platform.app.get(ActivityQueryStore);
    const stored = async (externalId: string) => (await read.findActivity(entityId('activiteit', sourceId, externalId)))?.document as Activity | undefined;
    expect((await stored(referring.externalId))?.place?.name).toEqual({ nl: 'Zaal Vooruit' });
    expect((await stored(changing.externalId))?.title).toEqual({ nl: 'Zoals opgeslagen' });
    const owners: Array<{ activity: string }> = await platform.app
      .get(DataSource)
      .query(`SELECT activity.external_id AS activity FROM performance JOIN activity ON activity.id = performance.activity_id WHERE performance.source_id = $1 AND performance.external_id = 'ahead-moving'`, [sourceId]);
    expect(owners).toEqual([{ activity: taker.externalId }]);
  });

  it('a run told to stop while a page commits does not wait for the page it reads ahead: its request is aborted', async () => {
    const store = platform.app.get(ConnectorStore);
    await store.resetCursor(sourceId);
    const stopping = new AbortController();
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    // Page 2 is asked for while page 1 commits; the worker is told to stop then, and page 2 never answers.
    remote.handle(async (request, url) => {
      if (url.searchParams.get('page') !== '2') return feed(request, url);
      stopping.abort();
      await held;
      return feed(request, url);
    });
    try {
      const run = platform.app.get(ConnectorSyncService).run(sourceId, { trigger: 'cli', signal: stopping.signal });
      const settled = await Promise.race([run.then(() => 'succeeded', (error: Error) => error.constructor.name), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 10_000))]);
      expect(settled).toBe('RunInterruptedError');
      const [interrupted] = await store.listRuns(sourceId, 1);
      expect(interrupted).toMatchObject({ status: 'interrupted', pages: 1 });
      expect((await store.find(sourceId))!.cursor).toEqual({ page: 2 });
    } finally {
      release();
      remote.handle(feed);
    }
  });

  it('deletions and seat counts from the feed: the activity goes, availability takes the fast lane', async () => {
    pages = {
      1: { records: [{ id: 'feed-1', deleted: true }, { id: 'seat', seats: { performance: 'feed-2-p1', remaining: 3 } }], next: null },
    };
    await platform.app.get(ConnectorStore).resetCursor(sourceId);
    const runId = await platform.app.get(ConnectorSyncService).run(sourceId, { trigger: 'cli' });
    expect(await platform.app.get(ConnectorStore).findRun(runId)).toMatchObject({ deleted: 1, availabilityUpdates: 1 });
    expect(await platform.app.get(ActivityQueryStore).findActivity(entityId('activiteit', sourceId, 'feed-1'))).toBeNull();
    const performance: Array<{ remaining: number; availability_level: string }> = await platform.app
      .get(DataSource)
      .query(`SELECT remaining, availability_level FROM performance WHERE source_id = $1 AND external_id = 'feed-2-p1'`, [sourceId]);
    expect(performance[0]).toEqual({ remaining: 3, availability_level: 'LimitedAvailability' });
  });

  it('configures a connector over the API: settings checked, secrets kept, a repeatable job scheduled in BullMQ', async () => {
    const bad = await http(platform.baseUrl, 'PUT', `/v1/admin/sources/${sourceId}/connector`, { token: TEST_ADMIN_TOKEN, body: { baseUrl: 'not a url' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.where).toBe('body /baseUrl');
    const configured = await http(platform.baseUrl, 'PUT', `/v1/admin/sources/${sourceId}/connector`, {
      token: TEST_ADMIN_TOKEN,
      body: { baseUrl: remote.baseUrl, everyMinutes: 15, options: {} },
    });
    expect(configured.status).toBe(200);
    expect(configured.body).toMatchObject({ everyMinutes: 15, credentials: ['token'] });
    const queue = platform.app.get<Queue>(getQueueToken(CONNECTOR_QUEUE));
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toEqual(expect.arrayContaining([expect.objectContaining({ key: connectorSchedulerId(sourceId), every: 15 * 60_000 })]));
    await http(platform.baseUrl, 'PUT', `/v1/admin/sources/${sourceId}/connector`, { token: TEST_ADMIN_TOKEN, body: { baseUrl: remote.baseUrl, everyMinutes: null } });
    expect((await queue.getJobSchedulers()).map((scheduler) => scheduler.key)).not.toContain(connectorSchedulerId(sourceId));
    // A job scheduler runs its first job at once: that scheduled run happened, through the worker.
    for (let attempt = 0; attempt < 100; attempt++) {
      const [latest] = await platform.app.get(ConnectorStore).listRuns(sourceId, 1);
      if (latest.trigger === 'schedule' && latest.status === 'succeeded') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await platform.app.get(ConnectorStore).listRuns(sourceId, 1))[0]).toMatchObject({ trigger: 'schedule', status: 'succeeded' });
    const push = await http(platform.baseUrl, 'PUT', `/v1/admin/sources/nobody/connector`, { token: TEST_ADMIN_TOKEN, body: { baseUrl: remote.baseUrl } });
    expect(push.status).toBe(404);
  });

  it('runs from the command line with progress output, and lists run reports', async () => {
    await platform.app.get(ConnectorStore).resetCursor(sourceId);
    const lines: string[] = [];
    const overrides = { DATABASE_URL: platform.database.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: platform.redisPrefix, ADMIN_TOKEN: TEST_ADMIN_TOKEN, CREDENTIALS_KEY: 'test-credentials-key-0123456789' };
    expect(await runConnectorCli(['sync', sourceId], (line) => lines.push(line), overrides)).toBe(0);
    expect(lines[0]).toMatch(/^page 1: 2 fetched, \d+ accepted, 1 rejected/);
    expect(lines).toContainEqual(expect.stringMatching(/^page 3: .*\(caught up\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^run [0-9a-f-]+ succeeded in/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}rejected feed-bad: /));
    const listed: string[] = [];
    expect(await runConnectorCli(['runs', sourceId], (line) => listed.push(line), overrides)).toBe(0);
    expect(listed[0]).toContain(' cli succeeded: 3 pages');
    expect(await runConnectorCli(['sync'], () => undefined, overrides)).toBe(2);
    expect(lines.join('\n')).not.toContain(SECRET);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Queue } from 'bullmq';
import pg from 'pg';
import { Webhook } from 'standardwebhooks';
import { entityId } from '@platform/domain';
import { WEBHOOK_QUEUE } from '@platform/queue';
import { anActivity } from '../support/factories.js';
import { LdesFollower, RpdeFollower } from '../support/feed-followers.js';
import { startFixtureServer, type FixtureServer } from '../support/fixture-server.js';
import { startApiProcess, startWorkerProcess, type ApiProcess, type LogLine, type PlatformProcess } from '../support/platform-processes.js';
import { startThrowawayPostgres, startThrowawayRedis, type ThrowawayPostgres, type ThrowawayRedis } from '../support/throwaway-services.js';
import { startReceiver, type Receiver } from '../support/webhook-receiver.js';

/**
 * The platform as it runs in production, as separate processes (one api, several workers) over a
 * Postgres cluster and a redis-server of this test's own (so they can be restarted), hit with faults:
 * SIGTERM, kill -9 of a worker in the middle of a batch and of a connector run, a Redis restart (it
 * keeps nothing: every queued job is lost) while pushes and seat updates are in flight, a Postgres
 * restart (immediate: connections cut) under load, kill -9 of every worker while webhook deliveries
 * are in flight. After each, the promises must hold: every push answered 2xx is stored exactly once,
 * the change log has no gap and no duplicate (a follower of the change_log table saw every committed
 * change once, in order), an RPDE consumer (following `/feeds/activities` by its `next` links) and an
 * LDES consumer (following `/ldes/activities` by its TREE relations) that ran through every fault saw
 * each change exactly once and never behind their cursor, and a real webhook receiver (which fails the
 * first attempt of every third change) got every change at least once, with the same signed
 * `webhook-id` on every redelivery.
 */
const ADMIN_TOKEN = 'fault-admin-token-0123456789';
const SOURCE = 'fault-house';
const FEED_SOURCE = 'fault-feed';
const FEED_PAGES = 5;
const FEED_PAGE_SIZE = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Accepted {
  batchId: string;
  externalIds: string[];
}

async function call(baseUrl: string, method: string, path: string, token: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** Follows the change log by seq the way a feed consumer does, through every fault (it retries when Postgres is away). */
class ChangeLogFollower {
  readonly seen: number[] = [];
  private cursor = 0;
  private running = true;
  private readonly done: Promise<void>;

  constructor(url: string) {
    this.done = this.follow(url);
  }

  private async follow(url: string): Promise<void> {
    let client: pg.Client | undefined;
    while (this.running) {
      try {
        if (!client) {
          client = new pg.Client({ connectionString: url });
          client.on('error', () => undefined);
          await client.connect();
        }
        const { rows } = await client.query<{ seq: string }>('SELECT seq FROM change_log WHERE seq > $1 ORDER BY seq LIMIT 500', [this.cursor]);
        for (const row of rows) {
          this.seen.push(Number(row.seq));
          this.cursor = Number(row.seq);
        }
        if (rows.length < 500) await new Promise((resolve) => setTimeout(resolve, 25));
      } catch {
        await client?.end().catch(() => undefined);
        client = undefined;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    await client?.end().catch(() => undefined);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
  }
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const isLine = (pattern: RegExp) => (line: LogLine) => typeof line.msg === 'string' && pattern.test(line.msg);

/** An RPDE feed of FEED_PAGES pages, each answered slowly, so a run can be killed between two of them. */
function feedPage(page: number, baseUrl: string) {
  const items =
    page > FEED_PAGES
      ? []
      : Array.from({ length: FEED_PAGE_SIZE }, (_unused, index) => {
          const number = (page - 1) * FEED_PAGE_SIZE + index;
          const day = String(1 + (number % 28)).padStart(2, '0');
          return {
            state: 'updated',
            kind: 'Event',
            id: `feed-event-${number}`,
            modified: 1772000000 + number,
            data: {
              '@context': 'https://schema.org/',
              '@type': 'Event',
              '@id': `https://feed.example/events/${number}`,
              name: `Voorstelling uit de feed nummer ${number}`,
              startDate: `2027-05-${day}T20:00:00+02:00`,
              endDate: `2027-05-${day}T22:00:00+02:00`,
              location: {
                '@type': 'Place',
                identifier: 'feed-zaal',
                name: 'Feedzaal',
                address: { '@type': 'PostalAddress', streetAddress: 'Feedstraat 1', addressLocality: 'Leuven', postalCode: '3000', addressCountry: 'BE' },
              },
            },
          };
        });
  return { next: `${baseUrl}/rpde/events?page=${page > FEED_PAGES ? page : page + 1}`, items, license: 'https://creativecommons.org/licenses/by/4.0/' };
}

describe('faults with real processes (api + workers as child processes, own Postgres cluster and redis-server)', () => {
  let postgres: ThrowawayPostgres;
  let redis: ThrowawayRedis;
  let databaseUrl: string;
  // A pool: it replaces connections the Postgres restart cuts (a lone client would stay broken).
  let db: pg.Pool;
  let env: Record<string, string>;
  let api: ApiProcess;
  let key: string;
  const workers: PlatformProcess[] = [];
  let follower: ChangeLogFollower;
  let feed: FixtureServer;
  const accepted: Accepted[] = [];
  let rpde: RpdeFollower;
  let ldes: LdesFollower;
  let receiver: Receiver;
  let hook: { id: string; secret: string; firstChangeNumber: string };
  /** While > 0 the receiver takes this long to answer: deliveries are in flight when a fault strikes. */
  let holdMs = 0;
  const failedOnce = new Set<string>();
  let verified = 0;

  const startWorker = async (name: string) => {
    const worker = await startWorkerProcess(name, env);
    workers.push(worker);
    return worker;
  };

  const push = async (count: number, headers: Record<string, string> = {}) => {
    const items = Array.from({ length: count }, () => anActivity());
    const response = await call(api.baseUrl, 'POST', `/v1/sources/${SOURCE}/activities`, key, items, headers);
    if (response.status === 202) accepted.push({ batchId: response.body.batchId, externalIds: items.map((item) => item.externalId) });
    return response;
  };

  const alive = () => workers.filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null);
  const head = async () => Number((await db.query<{ head: string | null }>('SELECT max(seq) AS head FROM change_log')).rows[0].head ?? 0);

  /** The feed consumers saw each activity change exactly once; the receiver got every change, redeliveries with the same webhook-id. */
  const expectFeedsAndWebhooksComplete = async () => {
    const log = (await db.query<{ seq: string; entity_id: string }>(`SELECT seq::text AS seq, entity_id FROM change_log WHERE entity_type = 'activity' ORDER BY change_log.seq`)).rows;
    const activityHead = Number(log.at(-1)?.seq ?? 0);
    await eventually('the RPDE and LDES consumers at the head', async () => (rpde.cursor >= activityHead && ldes.highest >= activityHead ? true : undefined));
    // RPDE: strictly increasing change numbers (none twice, none behind the cursor), and each entity at its latest change.
    expect(rpde.behindCursor).toEqual([]);
    expect(rpde.latest()).toEqual(new Map(log.map((row) => [row.entity_id, Number(row.seq)])));
    // LDES: every change (version) exactly once, none discovered behind what was read before.
    expect(ldes.behind).toEqual([]);
    expect([...ldes.seen.keys()].sort((left, right) => left - right)).toEqual(log.map((row) => Number(row.seq)));

    const changes = (await db.query<{ seq: string }>('SELECT seq::text AS seq FROM change_log WHERE seq >= $1 ORDER BY change_log.seq', [hook.firstChangeNumber])).rows.map((row) => row.seq);
    /** The changes not yet answered 2xx to a sender that was still there to hear it. */
    const undelivered = () => {
      const delivered = new Set(receiver.received.filter((receipt) => receipt.answered >= 200 && receipt.answered < 300 && !receipt.connectionLost).map((receipt) => receipt.json.data.changeNumber));
      return changes.filter((seq) => !delivered.has(seq));
    };
    /** What a stall needs to be understood: the first messages not delivered, the subscription's lease, the run jobs, sessions, processes, logs. */
    const stallReport = async (what: string) => {
      const waiting = (await db.query(`SELECT seq, status, attempts, run_attempts, next_attempt_at, created_at FROM webhook_delivery WHERE status <> 'delivered' ORDER BY seq LIMIT 3`)).rows;
      const lease = (await db.query(`SELECT status, run_until, last_success_at FROM webhook_subscription`)).rows;
      const sessions = (
        await db.query(
          `SELECT pid, application_name, state, wait_event_type, wait_event, xact_start, left(query, 120) AS query, pg_blocking_pids(pid) AS blocked_by
             FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        )
      ).rows;
      const queue = new Queue(WEBHOOK_QUEUE, { connection: { url: redis.url } as never, prefix: 'faults' });
      const runs = await queue
        .getJobs(['active', 'waiting', 'delayed', 'failed', 'prioritized'])
        .then((jobs) =>
          Promise.all(jobs.map(async (job) => ({ id: job.id, state: await job.getState(), attemptsMade: job.attemptsMade, failedReason: job.failedReason, delay: job.opts.delay, at: new Date(job.timestamp).toISOString() }))),
        )
        .finally(() => queue.close());
      const { readFileSync } = await import('node:fs');
      const states = workers.map((worker) => {
        try {
          const stat = readFileSync(`/proc/${worker.child.pid}/stat`, 'utf8').split(' ');
          return `${worker.name} pid ${worker.child.pid} state ${stat[2]} wchan ${readFileSync(`/proc/${worker.child.pid}/wchan`, 'utf8')} utime ${stat[13]}`;
        } catch (caught) {
          return `${worker.name}: ${String(caught)}`;
        }
      });
      const log = workers.flatMap((worker) => worker.lines.filter(isLine(/webhook|lease/)).slice(-10).map((line) => `${new Date(line.time as number).toISOString()} ${line.msg}`));
      return `${what}\nnot delivered: ${JSON.stringify(waiting)}\nsubscription: ${JSON.stringify(lease)}\nrun jobs: ${JSON.stringify(runs)}\nsessions: ${JSON.stringify(sessions)}\nprocesses: ${states.join('; ')}\nworker log:\n${log.join('\n')}`;
    };
    // Delivery is in change-number order and a failed message holds back the later ones until its retry (every
    // third change here fails once), so after a fault that left hundreds of changes the receiver gets them at about
    // one retry delay per failing change. The wait goes on while deliveries go on; a stall is no change delivered
    // for FAULTS_DELIVERY_IDLE_MS (longer than a run lease, so a lease left by a cut connection can lapse).
    const idleMs = Number(process.env.FAULTS_DELIVERY_IDLE_MS ?? 60_000);
    let left = undelivered().length;
    let movedAt = Date.now();
    for (let notYet = left; notYet > 0; notYet = undelivered().length) {
      if (notYet < left) {
        left = notYet;
        movedAt = Date.now();
      }
      if (Date.now() - movedAt > idleMs) throw new Error(await stallReport(`no change delivered for ${idleMs} ms, ${notYet} not delivered yet`));
      await sleep(200);
    }
    const signature = new Webhook(hook.secret);
    const compactId = hook.id.replaceAll('-', '');
    for (const receipt of receiver.received.slice(verified)) {
      expect(receipt.headers['webhook-id']).toBe(`msg_${compactId}_${receipt.json.data.changeNumber}`);
      expect(() => signature.verify(receipt.body, receipt.headers as Record<string, string>)).not.toThrow();
    }
    verified = receiver.received.length;
    // The delivery log agrees (the last answers may still be being recorded).
    await eventually('every delivery logged as delivered', async () => ((await db.query(`SELECT 1 FROM webhook_delivery WHERE status <> 'delivered' LIMIT 1`)).rows.length === 0 ? true : undefined));
  };

  const batchStatus = async (batchId: string) => (await db.query<{ status: string }>('SELECT status FROM ingest_batch WHERE id = $1', [batchId])).rows[0]?.status;

  /** Every 2xx push stored exactly once, every batch finished, the change log free of duplicates and fully seen by the follower. */
  const expectNothingLostOrDoubled = async () => {
    await eventually('every accepted batch done', async () => {
      const { rows } = await db.query<{ count: string }>(`SELECT count(*) FROM ingest_batch WHERE id = ANY($1::uuid[]) AND status = 'done'`, [accepted.map((batch) => batch.batchId)]);
      return Number(rows[0].count) === accepted.length ? true : undefined;
    });
    const ids = accepted.flatMap((batch) => batch.externalIds.map((externalId) => entityId('activiteit', SOURCE, externalId)));
    const stored = await db.query<{ count: string }>('SELECT count(*) FROM activity WHERE id = ANY($1::uuid[])', [ids]);
    expect(Number(stored.rows[0].count)).toBe(ids.length);
    // Each pushed activity was new content once: exactly one upsert in the change log, however often its batch was retried.
    const upserts = await db.query<{ entity_id: string; count: string }>(
      `SELECT entity_id, count(*) FROM change_log WHERE entity_type = 'activity' AND operation = 'upsert' AND entity_id = ANY($1::uuid[]) GROUP BY entity_id`,
      [ids],
    );
    expect(upserts.rows.length).toBe(ids.length);
    expect(upserts.rows.filter((row) => Number(row.count) !== 1)).toEqual([]);
    const duplicates = await db.query(`SELECT entity_id, operation, detail::text, count(*) FROM change_log GROUP BY entity_id, operation, detail::text HAVING count(*) > 1 AND operation = 'availability'`);
    expect(duplicates.rows).toEqual([]);
    // The follower saw exactly what is committed: nothing skipped (no seq became visible behind its cursor), nothing twice.
    const head = Number((await db.query<{ head: string | null }>('SELECT max(seq) AS head FROM change_log')).rows[0].head ?? 0);
    await eventually('the follower at the head', async () => (follower.seen.at(-1) === head ? true : undefined));
    const committed = (await db.query<{ seq: string }>('SELECT seq FROM change_log ORDER BY seq')).rows.map((row) => Number(row.seq));
    expect(follower.seen).toEqual(committed);
    expect(new Set(follower.seen).size).toBe(follower.seen.length);
    await expectFeedsAndWebhooksComplete();
  };

  beforeAll(async () => {
    [postgres, redis] = await Promise.all([startThrowawayPostgres(), startThrowawayRedis()]);
    databaseUrl = await postgres.createDatabase('faults');
    env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      REDIS_PREFIX: 'faults',
      ADMIN_TOKEN,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'log',
      RATE_LIMIT_PER_MINUTE: '1000000',
      // Quick recovery, so the test is short: a dead worker's job returns within ~10-20 s, lost jobs are swept every second.
      JOB_LOCK_MS: '10000',
      RECOVERY_SWEEP_MS: '1000',
      CONNECTOR_LEASE_MS: '3000',
      CONNECTOR_RETRY_ATTEMPTS: '2',
      CONNECTOR_RETRY_DELAY_MS: '50',
      SHUTDOWN_TIMEOUT_MS: '60000',
      // Webhooks to the local receiver, retried after ~0.1 s, ~0.4 s, ... (a backlog drains at about one failing change per retry delay)
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_ALLOW_HTTP: 'true',
      WEBHOOK_RETRY_BASE_MS: '100',
      CHANGE_POLL_INTERVAL_MS: '100',
    };
    receiver = await startReceiver(async (_call, request) => {
      if (holdMs > 0) await sleep(holdMs);
      const changeNumber = String(request.json?.data?.changeNumber);
      if (Number(changeNumber) % 3 === 0 && !failedOnce.has(changeNumber)) {
        failedOnce.add(changeNumber);
        return 503;
      }
      return 204;
    });
    feed = await startFixtureServer(async (_request, url) => {
      // Slow pages: the run is still going when the test kills its worker.
      await new Promise((resolve) => setTimeout(resolve, 600));
      return { body: feedPage(Number(url.searchParams.get('page') ?? 1), feed.baseUrl) };
    });
    // The api migrates the database before the workers start (they would wait on its advisory lock anyway).
    api = await startApiProcess('api', env);
    await Promise.all([startWorker('worker-1'), startWorker('worker-2')]);
    db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    db.on('error', () => undefined);
    follower = new ChangeLogFollower(databaseUrl);
    const created = await call(api.baseUrl, 'POST', '/v1/admin/sources', ADMIN_TOKEN, { id: SOURCE, name: 'Fault house', kind: 'push' });
    expect(created.status).toBe(201);
    key = created.body.key;
    const consumer = await call(api.baseUrl, 'POST', '/v1/admin/consumers', ADMIN_TOKEN, { id: 'fault-agenda', name: 'Fault agenda' });
    expect(consumer.status).toBe(201);
    const registered = await call(api.baseUrl, 'POST', '/v1/webhooks', consumer.body.key, { url: receiver.url, description: 'every change' });
    expect(registered.status).toBe(201);
    hook = registered.body;
    rpde = new RpdeFollower(`${api.baseUrl}/feeds/activities`, 100);
    ldes = new LdesFollower(`${api.baseUrl}/ldes/activities`, 200);
  }, 600_000);

  afterAll(async () => {
    await follower?.stop();
    await Promise.all([rpde?.stop(), ldes?.stop()]);
    await db?.end().catch(() => undefined);
    for (const process of [api, ...workers]) process?.kill('SIGKILL');
    await Promise.all([api, ...workers].filter(Boolean).map((process) => process.exited));
    await feed?.close();
    await receiver?.close();
    await redis?.stop();
    await postgres?.stop();
  }, 60_000);

  it('SIGTERM: the worker finishes the batch in hand, logs it with the push request id, then exits', async () => {
    const response = await push(50, { 'x-request-id': 'fault-sigterm-1' });
    expect(response.status).toBe(202);
    const processing = await Promise.race(workers.map((worker) => worker.waitForLine((line) => line.requestId === 'fault-sigterm-1' && isLine(/processing/)(line)).then(() => worker)));
    processing.kill('SIGTERM');
    const exit = await processing.exited;
    // Nest re-raises the signal once its shutdown hooks are done; exit code 1 would mean SHUTDOWN_TIMEOUT_MS ran out.
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    // Finished by the stopping worker itself, not handed to the other one: its own log says so.
    const finished = processing.lines.find((line) => line.requestId === 'fault-sigterm-1' && isLine(/accepted/)(line));
    expect(finished).toMatchObject({ requestId: 'fault-sigterm-1', batchId: response.body.batchId, context: 'IngestService' });
    expect(await batchStatus(response.body.batchId)).toBe('done');
    await expectNothingLostOrDoubled();
  }, 400_000);

  it('kill -9 of a worker in the middle of a batch: the batch is done by another worker, once', async () => {
    const spare = startWorker('worker-3');
    const live = alive();
    const response = await push(50, { 'x-request-id': 'fault-kill-batch' });
    expect(response.status).toBe(202);
    const victim = await Promise.race(live.map((worker) => worker.waitForLine((line) => line.requestId === 'fault-kill-batch' && isLine(/processing/)(line)).then(() => worker)));
    victim.kill('SIGKILL');
    await victim.exited;
    // Killed before it committed: the batch was still in progress.
    expect(await batchStatus(response.body.batchId)).not.toBe('done');
    await spare;
    for (let index = 0; index < 3; index++) expect((await push(20)).status).toBe(202);
    await expectNothingLostOrDoubled();
  }, 400_000);

  it('kill -9 of every worker while webhook deliveries are in flight: each comes again, with the same webhook-id', async () => {
    const before = await head();
    holdMs = 3000;
    expect((await push(10)).status).toBe(202);
    const inFlight = await eventually('a delivery of the new batch in flight', async () => receiver.received.find((receipt) => Number(receipt.json?.data?.changeNumber) > before && receipt.answered === 0));
    const victims = alive();
    for (const victim of victims) victim.kill('SIGKILL');
    await Promise.all(victims.map((victim) => victim.exited));
    holdMs = 0;
    await startWorker('worker-5');
    await expectNothingLostOrDoubled();
    // The message its worker died sending came again, under the same webhook-id.
    const again = receiver.received.filter((receipt) => receipt.json?.data?.changeNumber === inFlight.json.data.changeNumber);
    expect(inFlight.connectionLost).toBe(true);
    expect(again.length).toBeGreaterThan(1);
    expect(new Set(again.map((receipt) => receipt.headers['webhook-id'])).size).toBe(1);
  }, 400_000);

  it('kill -9 of a worker in the middle of a connector run: the next run resumes from the cursor, every record stored once', async () => {
    const spare = startWorker('worker-4');
    expect((await call(api.baseUrl, 'POST', '/v1/admin/sources', ADMIN_TOKEN, { id: FEED_SOURCE, name: 'Fault feed', kind: 'rpde' })).status).toBe(201);
    expect((await call(api.baseUrl, 'PUT', `/v1/admin/sources/${FEED_SOURCE}/connector`, ADMIN_TOKEN, { baseUrl: `${feed.baseUrl}/rpde/events?page=1` })).status).toBe(200);
    feed.requests.length = 0;
    const started = await call(api.baseUrl, 'POST', `/v1/admin/sources/${FEED_SOURCE}/runs`, ADMIN_TOKEN);
    expect(started.status).toBe(202);
    const live = alive();
    const victim = await Promise.race(live.map((worker) => worker.waitForLine(isLine(new RegExp(`connector run of ${FEED_SOURCE}: starting`))).then(() => worker)));
    // Two pages in: the third is being fetched.
    await eventually('two feed pages served', async () => (feed.requests.length >= 3 ? true : undefined));
    victim.kill('SIGKILL');
    await victim.exited;
    await spare;
    const firstRun = await call(api.baseUrl, 'GET', `/v1/admin/runs/${started.body.runId}`, ADMIN_TOKEN);
    expect(firstRun.body.status).toBe('running');
    // The job comes back (stalled-job check), its lease has expired: a new run takes over from the cursor.
    const finished = await eventually('a run that succeeded', async () => {
      const runs = (await call(api.baseUrl, 'GET', `/v1/admin/sources/${FEED_SOURCE}/runs`, ADMIN_TOKEN)).body as Array<{ id: string; status: string; pages: number }>;
      return runs.find((run) => run.status === 'succeeded');
    });
    expect(finished.id).not.toBe(started.body.runId);
    expect((await call(api.baseUrl, 'GET', `/v1/admin/runs/${started.body.runId}`, ADMIN_TOKEN)).body.status).toBe('interrupted');
    // Resumed, not restarted: the first page was not fetched again.
    expect(feed.requests.filter((request) => request.url.endsWith('page=1')).length).toBe(1);
    const ids = Array.from({ length: FEED_PAGES * FEED_PAGE_SIZE }, (_unused, number) => entityId('activiteit', FEED_SOURCE, `feed-event-${number}`));
    expect(Number((await db.query<{ count: string }>('SELECT count(*) FROM activity WHERE id = ANY($1::uuid[])', [ids])).rows[0].count)).toBe(ids.length);
    const upserts = await db.query<{ count: string }>(`SELECT count(*) FROM change_log WHERE entity_type = 'activity' AND operation = 'upsert' AND entity_id = ANY($1::uuid[])`, [ids]);
    expect(Number(upserts.rows[0].count)).toBe(ids.length);
    await expectNothingLostOrDoubled();
  }, 400_000);

  it('Redis restarted (all queued jobs lost) while pushes and seat updates are in flight', async () => {
    const seeded = anActivity();
    const seed = await call(api.baseUrl, 'POST', `/v1/sources/${SOURCE}/activities?wait=true`, key, [seeded]);
    expect(seed.status).toBe(200);
    accepted.push({ batchId: seed.body.batchId, externalIds: [seeded.externalId] });
    const performanceId = seeded.performances[0].externalId;
    const answered: Array<{ remaining: number; status: number; itemStatus?: string }> = [];
    let stop = false;
    const pushes = (async () => {
      while (!stop) await push(10).catch(() => undefined);
    })();
    const seats = (async () => {
      for (let remaining = 199; !stop && remaining > 0; remaining--) {
        const response = await call(api.baseUrl, 'PUT', `/v1/sources/${SOURCE}/performances/${performanceId}/availability`, key, { capacity: 500, remaining }).catch(() => undefined);
        if (response) answered.push({ remaining, status: response.status, itemStatus: response.body?.status });
      }
    })();
    // Deliveries take a while to answer: some are in flight, others wait for their retry, when Redis goes.
    holdMs = 200;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await redis.restart(1000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    stop = true;
    await Promise.all([pushes, seats]);
    holdMs = 0;
    expect(accepted.length).toBeGreaterThan(5);
    await expectNothingLostOrDoubled();
    // Every seat update answered 2xx is in the change log once, and the last one is what is stored.
    const okay = answered.filter((update) => update.status >= 200 && update.status < 300);
    expect(okay.length).toBeGreaterThan(3);
    const performance = (await db.query<{ id: string; remaining: number }>(`SELECT id, remaining FROM performance WHERE source_id = $1 AND external_id = $2`, [SOURCE, performanceId])).rows[0];
    expect(performance.remaining).toBe(okay.at(-1)!.remaining);
    const logged = await db.query<{ remaining: number }>(`SELECT (detail->>'remaining')::int AS remaining FROM change_log WHERE operation = 'availability' AND detail->>'performanceId' = $1`, [performance.id]);
    const loggedRemaining = logged.rows.map((row) => row.remaining);
    for (const update of okay.filter((update) => update.itemStatus === 'updated')) expect(loggedRemaining.filter((remaining) => remaining === update.remaining)).toHaveLength(1);
  }, 400_000);

  it('Postgres restarted (connections cut) under load', async () => {
    let stop = false;
    const statuses: number[] = [];
    // Small batches: as many requests in flight when the connections are cut, fewer changes for the webhook to drain after.
    const load = Array.from({ length: 3 }, async () => {
      while (!stop) {
        const response = await push(4).catch(() => undefined);
        if (response) statuses.push(response.status);
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await postgres.restart(1000);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    stop = true;
    await Promise.all(load);
    // Refused while the database was away is fine (the vendor retries); a 5xx says so in words.
    expect(statuses.filter((status) => status === 202).length).toBeGreaterThan(3);
    await expectNothingLostOrDoubled();
    // The processes came back by themselves: ready again.
    await eventually('api ready again', async () => ((await fetch(`${api.baseUrl}/health/ready`)).status === 200 ? true : undefined));
  }, 400_000);
});

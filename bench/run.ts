/**
 * `npm run bench`: end-to-end figures against the real Postgres and Redis of this machine (or
 * BENCH_POSTGRES_URL / BENCH_REDIS_URL). Starts the built platform as separate processes (one api,
 * N workers), drives it over HTTP and graphql-ws like a vendor and a calendar would, and prints each
 * figure beside its floor where one exists:
 *   P6 SHACL validation: compiled shapes vs shacl-engine on the same 2,000 activities, in this process
 *      before the platform starts (bench/compiled-validation-bench.ts; alone: `npm run bench:p6`);
 *   P1 ingest throughput: activities/s from the first POST until every batch is stored (archived,
 *      SHACL-validated, upserted, change-logged), 10,000 activities x 3 performances, per worker count,
 *      with the CPU per activity of workers and api;
 *   storage floor: the same documents written with one COPY into a jsonb table, and P1 as a percentage;
 *   validation on both cores: one thread vs two piscina threads vs two processes (bench/validation-threads.ts);
 *   P2 availability latency: p50/p99 from sending PUT .../availability to receipt on a graphql-ws
 *      subscriber, at 200 updates/s for 30 s (after an unmeasured 3 s warm-up at the same rate);
 *   C1 connector ingest: records/s of one `uitdatabank` connector run pulling 5,000 events x 3
 *      performances (plus their places and organizers) from a local Search API stand-in, one worker;
 *   C2 ticketing seat change: p50/p99 from starting a `ticketmatic` run by hand to receipt on a
 *      graphql-ws subscriber, 50 events, one change at a time (after 3 unmeasured), one worker;
 *   P3 search: p50/p95 of date + distance + type searches over 100,000 activities written straight into
 *      the tables (bench/search-bench.ts), beside one plain primary-key SELECT of the same rows;
 *   P4 feed replay: members/s of a full replay of the RPDE and the LDES feed (2,000 activities, then 3
 *      rounds of seat changes: 20,000 versions), beside one indexed SELECT of the same rows;
 *   P7 webhook fan-out: 1,000 seat changes to 50 local receivers, batched webhooks (100 changes a request),
 *      then, shorter (200 changes), one request per change: requests and changes/s and p50/p99 per change
 *      from commit to receipt, beside the same bytes over plain sockets;
 *   P5 api memory: RSS of the api with 100,000 stored activities under a steady read load (GraphQL pages
 *      and search, JSON-LD and Turtle resources; bench/memory-bench.ts says how they are stored);
 *   R1 participation ingest: tickets/s of synthetic tickets (with names and e-mail to strip) pushed over
 *      HTTP, api -> archive -> queue -> one worker -> Postgres, with CPU per ticket, beside one COPY of
 *      the same stored rows (bench/participation-bench.ts);
 *   R2 protected aggregates: p50/p95 of two tables (homeMunicipality x ageBand, priceCategory x channel)
 *      over HTTP with suppression and perturbation, over 1,000,000 stored synthetic tickets, beside the
 *      bare GROUP BY CUBE in SQL.
 * Knobs (0 skips a part): BENCH_P6, BENCH_P6_ACTIVITIES, BENCH_P6_ROUNDS; BENCH_ACTIVITIES,
 * BENCH_WORKERS ("1,2"; empty skips P1 and P2), BENCH_STORAGE_FLOOR, BENCH_VALIDATION_THREADS, BENCH_LOG_DIR (keeps the processes' logs),
 * BENCH_P2_SECONDS, BENCH_P2_RATE; BENCH_CONNECTOR_EVENTS (C1), BENCH_TICKETING_CHANGES (C2);
 * BENCH_SEARCH_ACTIVITIES, BENCH_SEARCH_QUERIES (P3); BENCH_FEED_ACTIVITIES, BENCH_FEED_SEAT_ROUNDS,
 * BENCH_LDES_CLIENT_SECONDS (P4); BENCH_WEBHOOK_CHANGES, BENCH_WEBHOOK_RECEIVERS, BENCH_WEBHOOK_BATCH (changes per
 * batched request, default 100; 0 skips the batched run), BENCH_WEBHOOK_BATCH_WAIT_MS (0), BENCH_WEBHOOK_SINGLE_CHANGES
 * (one request per change, default 200; 0 skips it) (P7); BENCH_P5_ACTIVITIES,
 * BENCH_P5_SECONDS, BENCH_P5_RATE (P5); BENCH_R1_TICKETS, BENCH_R1_BATCH, BENCH_R1_CONCURRENCY (R1); BENCH_R2_TICKETS, BENCH_R2_QUERIES (R2).
 * BENCH_NODE_FLAGS adds node flags to the platform's processes (profiling); they run with the image's flags.
 * BENCH_WORKER_NODE_FLAGS adds node flags to the worker processes only (say, --single-threaded-gc: docs/for-operators.md).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { dropRedisPrefix } from '@platform/queue';
import pg from 'pg';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { benchActivities } from './bench-data.js';
import { compiledValidationBench, formatP6 } from './compiled-validation-bench.js';
import { connectorBenchSet, runConnector, startSearchApi } from './connector-bench.js';
import { addSeatChanges, feedReplay } from './feeds-bench.js';
import { searchBench } from './search-bench.js';
import { storageFloor } from './storage-floor.js';
import { measureApiMemory } from './memory-bench.js';
import { loadParticipation, participationAggregates, participationIngest } from './participation-bench.js';
import { loadTicketingSource, measureSeatChanges, startTicketingApi } from './ticketing-bench.js';
import { validationThreads } from './validation-threads.js';
import { measureFanOut } from './webhook-bench.js';
import { backendCpuSeconds, backendPids, processCpuSeconds } from './process-cpu.js';

const SEARCH_ACTIVITIES = Number(process.env.BENCH_SEARCH_ACTIVITIES ?? 100_000);
const SEARCH_QUERIES = Number(process.env.BENCH_SEARCH_QUERIES ?? 300);
const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ACTIVITIES = Number(process.env.BENCH_ACTIVITIES ?? 10_000);
// BENCH_WORKERS= (empty) skips P1 and P2.
const WORKER_COUNTS = (process.env.BENCH_WORKERS ?? '1,2').split(',').map(Number).filter((count) => count > 0);
const P5_ACTIVITIES = Number(process.env.BENCH_P5_ACTIVITIES ?? 100_000);
const P5_SECONDS = Number(process.env.BENCH_P5_SECONDS ?? 30);
const P5_RATE = Number(process.env.BENCH_P5_RATE ?? 40);
const P2_SECONDS = Number(process.env.BENCH_P2_SECONDS ?? 30);
const P2_RATE = Number(process.env.BENCH_P2_RATE ?? 200);
const CONNECTOR_EVENTS = Number(process.env.BENCH_CONNECTOR_EVENTS ?? 5_000);
const TICKETING_CHANGES = Number(process.env.BENCH_TICKETING_CHANGES ?? 50);
const STORAGE_FLOOR = process.env.BENCH_STORAGE_FLOOR !== '0';
const VALIDATION_THREADS = process.env.BENCH_VALIDATION_THREADS !== '0';
const TICKETING_EVENTS = 50;
const WEBHOOK_CHANGES = Number(process.env.BENCH_WEBHOOK_CHANGES ?? 1_000);
const WEBHOOK_RECEIVERS = Number(process.env.BENCH_WEBHOOK_RECEIVERS ?? 50);
/** P7's batched webhooks (decision W11): changes per request (0 skips that run) and how long a batch may wait to fill. */
const WEBHOOK_BATCH = Number(process.env.BENCH_WEBHOOK_BATCH ?? 100);
const WEBHOOK_BATCH_WAIT_MS = Number(process.env.BENCH_WEBHOOK_BATCH_WAIT_MS ?? 0);
/** P7 with one request per change, for comparison: this many seat changes (0 skips it). */
const WEBHOOK_SINGLE_CHANGES = Number(process.env.BENCH_WEBHOOK_SINGLE_CHANGES ?? 200);
const P6 = process.env.BENCH_P6 !== '0';
const FEED_ACTIVITIES = Number(process.env.BENCH_FEED_ACTIVITIES ?? 2_000);
const FEED_SEAT_ROUNDS = Number(process.env.BENCH_FEED_SEAT_ROUNDS ?? 3);
const LDES_CLIENT_SECONDS = Number(process.env.BENCH_LDES_CLIENT_SECONDS ?? 20);
const R1_TICKETS = Number(process.env.BENCH_R1_TICKETS ?? 100_000);
const R1_BATCH = Number(process.env.BENCH_R1_BATCH ?? 5_000);
// The R1 worker's WORKER_CONCURRENCY (batches at once in its one process); empty: the platform's default.
const R1_CONCURRENCY = process.env.BENCH_R1_CONCURRENCY ?? '';
const R2_TICKETS = Number(process.env.BENCH_R2_TICKETS ?? 1_000_000);
const R2_QUERIES = Number(process.env.BENCH_R2_QUERIES ?? 20);
const PSEUDONYM_KEY = `bench-pseudonym-${randomBytes(8).toString('hex')}`;
const BATCH_SIZE = 200;
const IN_FLIGHT = 4;
const ADMIN_TOKEN = `bench-admin-${randomBytes(8).toString('hex')}`;
/** Keep in step with docker-compose.yml and the Dockerfile: the worker's NODE_OPTIONS, the api's command line. */
const WORKER_NODE_FLAGS = ['--max-semi-space-size=64', ...(process.env.BENCH_WORKER_NODE_FLAGS?.split(' ').filter(Boolean) ?? [])];
const API_NODE_FLAGS = ['--heap-growing-percent=50'];
const distRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

interface Platform {
  baseUrl: string;
  /** CPU seconds (user + system) the api and the worker processes have used so far (Linux /proc; NaN elsewhere). */
  cpuSeconds(): { api: number; workers: number };
  stop(): Promise<void>;
}


/**
 * CPU seconds the Postgres backends of one database use while `work` runs (they share the cores with the
 * platform): sampled every 200 ms so that a backend that closes during the run still counts; a backend first
 * seen after the start counts from zero.
 */
async function postgresCpuDuring<T>(databaseUrl: string, work: () => Promise<T>): Promise<{ value: T; postgresSeconds: number }> {
  const database = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const first = new Map<number, number>();
  const last = new Map<number, number>();
  const sample = async (initial: boolean) => {
    for (const pid of await backendPids(client, database)) {
      const seconds = processCpuSeconds(pid);
      if (Number.isNaN(seconds)) continue;
      if (!first.has(pid)) first.set(pid, initial ? seconds : 0);
      last.set(pid, seconds);
    }
  };
  try {
    await sample(true);
    let sampling = Promise.resolve();
    const timer = setInterval(() => (sampling = sampling.then(() => sample(false))), 200);
    let value: T;
    try {
      value = await work();
    } finally {
      clearInterval(timer);
      await sampling;
    }
    await sample(false);
    const postgresSeconds = [...last].reduce((sum, [pid, seconds]) => sum + seconds - first.get(pid)!, 0);
    return { value, postgresSeconds };
  } finally {
    await client.end();
  }
}

function startProcess(script: string, env: Record<string, string>, productionFlags: string[] = []): ChildProcess {
  // The platform's processes run with the flags docker-compose.yml gives them (workers: a larger young generation,
  // measured ~10 % more ingest); BENCH_NODE_FLAGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") adds to them.
  const flags = [...productionFlags, ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [])];
  const child = spawn(process.execPath, [...flags, path.join(distRoot, script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${path.basename(path.dirname(path.dirname(script)))}] ${chunk}`));
  // BENCH_LOG_DIR keeps each process's JSON log (stdout) for a look after a run; otherwise it is dropped.
  if (process.env.BENCH_LOG_DIR) child.stdout?.pipe(createWriteStream(path.join(process.env.BENCH_LOG_DIR, `${path.basename(path.dirname(path.dirname(script)))}-${child.pid}.log`)));
  else child.stdout?.resume();
  return child;
}

async function startPlatform(workers: number, databaseUrl: string, prefix: string, extraEnv: Record<string, string> = {}): Promise<Platform> {
  const port = await freePort();
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    REDIS_PREFIX: prefix,
    ADMIN_TOKEN,
    PORT: String(port),
    PUBLIC_BASE_URL: `http://127.0.0.1:${port}`,
    RATE_LIMIT_PER_MINUTE: '1000000',
    DEMO_DATA: 'false',
    LOG_LEVEL: 'warn',
    // Several workers (and other benches) on one machine: no fixed port for the workers' /metrics.
    METRICS_PORT: '0',
    ...extraEnv,
  };
  const children = [startProcess('apps/api/src/main.js', { ...env, ROLE: 'api' }, API_NODE_FLAGS)];
  for (let index = 0; index < workers; index++) children.push(startProcess('apps/worker/src/main.js', env, WORKER_NODE_FLAGS));
  const baseUrl = `http://127.0.0.1:${port}`;
  const stopChildren = () =>
    Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`${baseUrl}/docs/openapi.json`)).ok) break;
    } catch {
      // Two minutes: on a loaded shared machine the api takes half a minute to boot.
      if (attempt > 1200) {
        await stopChildren();
        throw new Error('api did not start');
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const platform: Platform = {
    baseUrl,
    cpuSeconds: () => ({
      api: processCpuSeconds(children[0].pid),
      workers: children.slice(1).reduce((sum, child) => sum + processCpuSeconds(child.pid), 0),
    }),
    async stop() {
      running.delete(platform);
      await stopChildren();
      await dropRedisPrefix(REDIS_URL, prefix);
    },
  };
  running.add(platform);
  return platform;
}

/** Platforms started and not stopped yet: stopped when the bench fails, so no process outlives it. */
const running = new Set<Platform>();

async function createSource(baseUrl: string, id: string, kind = 'push'): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/admin/sources`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id, name: id, kind }),
  });
  if (!response.ok) throw new Error(`POST sources answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { key: string }).key;
}

/** A fresh database with the platform on it (one api, `workers` worker processes); `stopAndDrop` undoes both. */
async function startOnFreshDatabase(workers: number, extraEnv: Record<string, string> = {}): Promise<{ platform: Platform; database: string; databaseUrl: string }> {
  const database = `bench_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${database}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  try {
    const platform = await startPlatform(workers, url.toString(), `bench-${randomBytes(3).toString('hex')}`, extraEnv);
    return { platform, database, databaseUrl: url.toString() };
  } catch (error) {
    // A platform that does not start (e.g. a build without its assets) must not leave its database behind.
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    throw error;
  }
}

async function stopAndDrop(platform: Platform, database: string): Promise<void> {
  await platform.stop();
  await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
}

/** What a C1 run left in its database: the check that every record really was stored. */
async function storedCounts(databaseUrl: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, string>>(
      `SELECT (SELECT count(*) FROM activity) AS activities, (SELECT count(*) FROM performance) AS performances,
              (SELECT count(*) FROM place) AS places, (SELECT count(*) FROM organizer) AS organizers`,
    );
    return Object.fromEntries(Object.entries(rows[0]).map(([name, value]) => [name, Number(value)]));
  } finally {
    await client.end();
  }
}

/** R1: one api and one worker on a database of its own. */
async function participationIngestFigure(): Promise<string> {
  const { platform, database, databaseUrl } = await startOnFreshDatabase(1, { PSEUDONYM_KEY, ...(R1_CONCURRENCY ? { WORKER_CONCURRENCY: R1_CONCURRENCY } : {}) });
  try {
    const sourceId = 'bench-participation';
    const key = await createSource(platform.baseUrl, sourceId);
    return await participationIngest(platform, databaseUrl, key, sourceId, { tickets: R1_TICKETS, batchSize: R1_BATCH, inFlight: IN_FLIGHT }, (work) =>
      postgresCpuDuring(databaseUrl, work),
    );
  } finally {
    await stopAndDrop(platform, database);
  }
}

/** R2: the tickets loaded before the api starts (no worker needed), then protected tables over HTTP. */
async function participationAggregateFigures(): Promise<string[]> {
  const database = `bench_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${database}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${database}`;
  const prefix = `bench-${randomBytes(3).toString('hex')}`;
  let platform: Platform | undefined;
  try {
    const started = performance.now();
    const loaded = await loadParticipation({ DATABASE_URL: url.toString(), REDIS_URL, REDIS_PREFIX: prefix, PSEUDONYM_KEY, LOG_LEVEL: 'warn', METRICS_PORT: '0' }, R2_TICKETS);
    console.log(`R2 data: ${loaded} (${((performance.now() - started) / 1000).toFixed(0)} s with the generator)`);
    platform = await startPlatform(0, url.toString(), prefix, { PSEUDONYM_KEY });
    return await participationAggregates(platform, url.toString(), ADMIN_TOKEN, { queries: R2_QUERIES });
  } finally {
    if (platform) await platform.stop();
    else await dropRedisPrefix(REDIS_URL, prefix);
    await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
  }
}

/** P5: one api (and one worker, for the templates), on a database of its own. */
async function apiMemory(): Promise<string> {
  const { platform, database, databaseUrl } = await startOnFreshDatabase(1);
  try {
    const sourceId = 'bench-memory';
    const key = await createSource(platform.baseUrl, sourceId);
    const figures = await measureApiMemory(platform.baseUrl, databaseUrl, key, sourceId, { activities: P5_ACTIVITIES, seconds: P5_SECONDS, rate: P5_RATE }, () => platform.cpuSeconds().api);
    return (
      `P5 api memory, ${figures.activities} stored activities, reads at ${P5_RATE}/s for ${P5_SECONDS} s: RSS max ${figures.rssMaxMb.toFixed(0)} MB ` +
      `(start ${figures.rssStartMb.toFixed(0)} MB, end ${figures.rssEndMb.toFixed(0)} MB; goal <= 400 MB); reads p50 ${figures.p50Ms.toFixed(1)} ms, p99 ${figures.p99Ms.toFixed(1)} ms, ${figures.failed}/${figures.requests} failed (${figures.kinds}; api CPU ${figures.apiCpuMsPerRead.toFixed(1)} ms per read)`
    );
  } finally {
    await stopAndDrop(platform, database);
  }
}

/** C1: one connector run, one worker process, on a database of its own. */
async function connectorIngest(): Promise<string> {
  const set = connectorBenchSet(CONNECTOR_EVENTS);
  const expected = set.events.length + set.places.length + set.organizers.length;
  const searchApi = await startSearchApi(set);
  const { platform, database, databaseUrl } = await startOnFreshDatabase(1);
  try {
    const sourceId = 'bench-uitdatabank';
    await createSource(platform.baseUrl, sourceId, 'uitdatabank');
    const cpuBefore = platform.cpuSeconds();
    const { value: report, postgresSeconds } = await postgresCpuDuring(databaseUrl, () => runConnector(platform.baseUrl, ADMIN_TOKEN, sourceId, searchApi.baseUrl));
    const cpuAfter = platform.cpuSeconds();
    const stored = await storedCounts(databaseUrl);
    const seconds = (report.durationMs ?? NaN) / 1000;
    const counts = `${report.fetched} fetched, ${report.accepted} accepted, ${report.rejected} rejected, ${report.unchanged} unchanged, ${report.pages} pages, ${searchApi.requests()} requests`;
    const storedAll =
      stored.activities === set.events.length &&
      stored.performances === 3 * set.events.length &&
      stored.places === set.places.length &&
      stored.organizers === set.organizers.length;
    if (report.status !== 'succeeded' || report.accepted !== expected || report.rejected !== 0 || !storedAll) {
      const reasons = (report.rejections ?? []).slice(0, 3).map((rejection) => `  ${rejection.externalId}: ${JSON.stringify(rejection.problems)}`);
      throw new Error(
        `C1: run ${report.id} ${report.status}${report.error ? ` (${report.error})` : ''}: ${counts}; stored ${JSON.stringify(stored)}; expected ` +
          `${set.events.length} events (x 3 performances) + ${set.places.length} places + ${set.organizers.length} organizers, 0 rejected\n${reasons.join('\n')}`,
      );
    }
    return (
      `C1 connector ingest (UiTdatabank-style, ${set.events.length} events x 3 performances, from a local Search API): ` +
      `${(expected / seconds).toFixed(0)} records/s (${report.accepted} accepted, ${report.rejected} rejected in ${seconds.toFixed(1)} s; ${report.pages} pages); ` +
      `CPU per record: worker ${((1000 * (cpuAfter.workers - cpuBefore.workers)) / expected).toFixed(2)} ms, api ${((1000 * (cpuAfter.api - cpuBefore.api)) / expected).toFixed(2)} ms, Postgres backends ${((1000 * postgresSeconds) / expected).toFixed(2)} ms`
    );
  } finally {
    await stopAndDrop(platform, database);
    await searchApi.close();
  }
}

/** C2: seat changes at a Ticketmatic account, each picked up by a run started by hand, one worker process. */
async function ticketingLatency(): Promise<string> {
  const api = await startTicketingApi(TICKETING_EVENTS);
  const { platform, database } = await startOnFreshDatabase(1);
  try {
    const sourceId = 'bench-ticketmatic';
    await createSource(platform.baseUrl, sourceId, 'ticketmatic');
    await loadTicketingSource(platform.baseUrl, ADMIN_TOKEN, sourceId, api);
    const latency = await measureSeatChanges(platform.baseUrl, ADMIN_TOKEN, sourceId, api, TICKETING_CHANGES);
    if (latency.missed.length > 0) console.log(`C2: ${latency.missed.length} change(s) never reached the subscriber:\n  ${latency.missed.slice(0, 5).join('\n  ')}`);
    if (latency.odd.length > 0) console.log(`C2: ${latency.odd.length} run(s) did more than the one change:\n  ${latency.odd.slice(0, 5).join('\n  ')}`);
    const phases = Object.entries(latency.phases).map(([name, ms]) => `${name} ${ms.toFixed(1)} ms`);
    console.log(`C2 where the time goes (medians): ${phases.join('; ')}`);
    const fromRequest = [...latency.fromRequest].sort((left, right) => left - right);
    const fromAnswer = [...latency.fromAnswer].sort((left, right) => left - right);
    const figure = (sorted: number[]) => `p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p99 ${percentile(sorted, 0.99).toFixed(1)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(1)} ms`;
    return (
      `C2 ticketing seat change -> graphql-ws subscriber (${TICKETING_CHANGES} changes, run started by hand): ${figure(fromRequest)} from the run request; ` +
      `${figure(fromAnswer)} from the remote answer (${fromRequest.length}/${TICKETING_CHANGES} received, ${fromAnswer.length} through the availability lane)`
    );
  } finally {
    await stopAndDrop(platform, database);
    await api.close();
  }
}

/** P7: webhook fan-out to local receivers, one worker process, on a database of its own; batched webhooks or one request per change. */
async function webhookFanOut(changes: number, batch?: { maxSize: number; maxWaitMs: number }): Promise<string> {
  // The receivers are on this machine: the operator switches allow exactly that (never in production).
  const { platform, database } = await startOnFreshDatabase(1, { WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true', WEBHOOK_ALLOW_HTTP: 'true' });
  try {
    const sourceId = 'bench-hooks';
    const key = await createSource(platform.baseUrl, sourceId);
    const backends = new pg.Client({ connectionString: POSTGRES_URL });
    await backends.connect();
    const cpu = async () => {
      const postgres = await backendCpuSeconds(backends, database);
      const used = platform.cpuSeconds();
      const own = process.cpuUsage();
      return { worker: used.workers, api: used.api, postgres, receivers: (own.user + own.system) / 1e6 };
    };
    const result = await measureFanOut(platform.baseUrl, ADMIN_TOKEN, key, sourceId, { changes, receivers: WEBHOOK_RECEIVERS, perRequest: 20, batch, cpu }).finally(() => backends.end());
    // CPU per 1,000 changes received holds on a loaded machine, where the wall-clock rate does not.
    const perThousand = (seconds: number) => ((1e6 * seconds) / Math.max(1, result.received)).toFixed(0);
    if (result.received < result.expected || result.duplicates > 0) {
      console.log(`P7: ${result.expected - result.received} changes missing, ${result.duplicates} duplicates`);
    }
    const form = batch ? `batched webhooks, maxSize ${batch.maxSize}, maxWaitMs ${batch.maxWaitMs}` : 'one request per change';
    return (
      `P7 webhook fan-out (${result.changes} seat changes x ${result.receivers} local receivers, ${form}, one worker): ` +
      `${result.requests} requests, ${(result.received / result.seconds).toFixed(0)} changes/s (${result.received}/${result.expected} in ${result.seconds.toFixed(1)} s), ` +
      `commit -> receipt per change p50 ${result.p50.toFixed(0)} ms, p99 ${result.p99.toFixed(0)} ms, max ${result.max.toFixed(0)} ms; ` +
      `CPU per 1,000 changes: worker ${perThousand(result.cpu.worker)} ms, api ${perThousand(result.cpu.api)} ms, Postgres ${perThousand(result.cpu.postgres)} ms, receivers (bench) ${perThousand(result.cpu.receivers)} ms; ` +
      `floor (the same ${(result.floor.bytes / 1e6).toFixed(1)} MB over ${result.receivers} plain local sockets): ${result.floor.changesPerSecond.toFixed(0)} changes/s ` +
      `(${result.floor.deliveriesPerSecond.toFixed(0)} requests/s), all in ${(result.floor.seconds * 1000).toFixed(0)} ms`
    );
  } finally {
    await stopAndDrop(platform, database);
  }
}

/** P4: the feeds of a database with FEED_ACTIVITIES activities and FEED_SEAT_ROUNDS rounds of seat changes, replayed. */
async function feedFigures(): Promise<string[]> {
  const { platform, database, databaseUrl } = await startOnFreshDatabase(1);
  try {
    const sourceId = 'bench-feeds';
    const key = await createSource(platform.baseUrl, sourceId);
    const loaded = await ingest(platform.baseUrl, key, sourceId, FEED_ACTIVITIES);
    if (loaded.accepted !== FEED_ACTIVITIES) throw new Error(`P4: ${loaded.accepted} of ${FEED_ACTIVITIES} activities accepted`);
    const seatChanges = await addSeatChanges(platform.baseUrl, key, sourceId, FEED_ACTIVITIES, FEED_SEAT_ROUNDS);
    console.log(`P4 data: ${FEED_ACTIVITIES} activities pushed, ${seatChanges} seat changes (fast lane)`);
    return (await feedReplay(platform.baseUrl, databaseUrl, LDES_CLIENT_SECONDS, () => platform.cpuSeconds().api)).lines;
  } finally {
    await stopAndDrop(platform, database);
  }
}

async function ingest(baseUrl: string, key: string, sourceId: string, count = ACTIVITIES): Promise<{ seconds: number; accepted: number; rejected: number }> {
  const items = benchActivities(count, sourceId);
  const batches: string[] = [];
  for (let offset = 0; offset < items.length; offset += BATCH_SIZE) batches.push(JSON.stringify(items.slice(offset, offset + BATCH_SIZE)));
  const started = performance.now();
  const batchIds: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < batches.length) {
        const body = batches[next++];
        const response = await fetch(`${baseUrl}/v1/sources/${sourceId}/activities`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body,
        });
        if (response.status !== 202) throw new Error(`push answered ${response.status}: ${await response.text()}`);
        batchIds.push(((await response.json()) as { batchId: string }).batchId);
      }
    }),
  );
  // Poll gently (as a vendor would): the api's CPU belongs to the platform, not to the bench's polling.
  const settled = new Map<string, { accepted: number; rejected: number }>();
  while (settled.size < batchIds.length) {
    for (const batchId of batchIds) {
      if (settled.has(batchId)) continue;
      const view = (await (await fetch(`${baseUrl}/v1/batches/${batchId}`, { headers: { authorization: `Bearer ${key}` } })).json()) as {
        status: string;
        summary: { accepted: number; rejected: number };
      };
      if (view.status !== 'done' && view.status !== 'failed') break;
      settled.set(batchId, view.summary);
    }
    if (settled.size < batchIds.length) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const accepted = [...settled.values()].reduce((sum, summary) => sum + summary.accepted, 0);
  const rejected = [...settled.values()].reduce((sum, summary) => sum + summary.rejected, 0);
  return { seconds: (performance.now() - started) / 1000, accepted, rejected };
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

async function availabilityLatency(baseUrl: string, key: string, sourceId: string) {
  const client = createClient({ url: `${baseUrl.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: false });
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const dispose = client.subscribe(
    { query: 'subscription { availabilityChanged { performanceExternalId remaining } }' },
    {
      next: (value) => {
        const change = (value.data as { availabilityChanged: { performanceExternalId: string; remaining: number } }).availabilityChanged;
        const sent = sentAt.get(`${change.performanceExternalId}:${change.remaining}`);
        if (sent !== undefined) latencies.push(performance.now() - sent);
      },
      error: (error) => console.error(error),
      complete: () => undefined,
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  const interval = 1000 / P2_RATE;
  const inFlight: Promise<unknown>[] = [];
  // How long the PUT itself takes to be answered: tells a slow api from a slow delivery.
  const answered: number[] = [];
  const put = (performanceId: string, remaining: number, measure = false) => {
    const sent = performance.now();
    return fetch(`${baseUrl}/v1/sources/${sourceId}/performances/${performanceId}/availability`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ capacity: 400, remaining }),
    })
      .then((response) => response.text())
      .then(
        () => {
          if (measure) answered.push(performance.now() - sent);
        },
        // A refused connection is a figure, not the end of the run: it shows as "received" short of "sent".
        (error: unknown) => {
          failures.push(error instanceof Error ? `${error.message} (${String((error.cause as Error | undefined)?.message ?? '')})` : String(error));
        },
      );
  };
  const failures: string[] = [];
  // Warm-up, not measured: 3 s at the same rate on other seat counts, so JIT compilation of the path
  // does not count as latency.
  const warmUp = 3 * P2_RATE;
  const total = P2_SECONDS * P2_RATE;
  const started = performance.now();
  for (let index = 0; index < warmUp + total; index++) {
    const due = started + index * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const measured = index - warmUp;
    if (measured < 0) {
      inFlight.push(put(`${sourceId}-a${(ACTIVITIES - 1 - index) % ACTIVITIES}-p${index % 3}`, 300 + (index % 50)));
      continue;
    }
    const performanceId = `${sourceId}-a${measured % ACTIVITIES}-p${measured % 3}`;
    // Below the seeded 150-152 (and the warm-up's 300+), so every update is a change and produces an event.
    const remaining = (measured * 7) % 149;
    sentAt.set(`${performanceId}:${remaining}`, performance.now());
    inFlight.push(put(performanceId, remaining, true));
  }
  await Promise.all(inFlight);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  dispose();
  await client.dispose();
  const sorted = [...latencies].sort((left, right) => left - right);
  const puts = [...answered].sort((left, right) => left - right);
  return {
    sent: total,
    received: latencies.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? NaN,
    putP50: percentile(puts, 0.5),
    putP99: percentile(puts, 0.99),
    failed: failures.length,
    firstFailure: failures[0],
  };
}

async function main(): Promise<void> {
  console.log(`bench: ${ACTIVITIES} activities x 3 performances, batches of ${BATCH_SIZE}, ${IN_FLIGHT} in flight; Postgres ${POSTGRES_URL}, Redis ${REDIS_URL}`);
  // Figures depend on what else runs on the machine's cores: say how loaded it was.
  console.log(`machine: ${availableParallelism()} cores, load average ${loadavg().map((load) => load.toFixed(1)).join(' ')} at start`);
  const figures: string[] = [];
  if (P6) {
    // first, in this process, while none of the platform's processes compete for the cores
    const line = formatP6(await compiledValidationBench());
    console.log(line);
    figures.push(line);
  }
  let lastPlatform: { platform: Platform; key: string; sourceId: string; database: string } | undefined;
  const rates: Array<{ workers: number; perSecond: number }> = [];
  for (const workers of WORKER_COUNTS) {
    const { platform, database, databaseUrl } = await startOnFreshDatabase(workers);
    const sourceId = `bench-${workers}w`;
    const key = await createSource(platform.baseUrl, sourceId);
    const cpuBefore = platform.cpuSeconds();
    const { value: result, postgresSeconds } = await postgresCpuDuring(databaseUrl, () => ingest(platform.baseUrl, key, sourceId));
    const cpuAfter = platform.cpuSeconds();
    // CPU per activity does not depend on what else runs on the machine as the wall-clock rate does.
    const workerMs = (1000 * (cpuAfter.workers - cpuBefore.workers)) / result.accepted;
    const apiMs = (1000 * (cpuAfter.api - cpuBefore.api)) / result.accepted;
    const line =
      `P1 ingest, ${workers} worker process(es): ${(result.accepted / result.seconds).toFixed(0)} activities/s (${result.accepted} accepted, ${result.rejected} rejected in ${result.seconds.toFixed(1)} s); ` +
      `CPU per activity: workers ${workerMs.toFixed(2)} ms, api ${apiMs.toFixed(2)} ms, Postgres backends ${((1000 * postgresSeconds) / result.accepted).toFixed(2)} ms`;
    console.log(line);
    figures.push(line);
    rates.push({ workers, perSecond: result.accepted / result.seconds });
    if (lastPlatform) await stopAndDrop(lastPlatform.platform, lastPlatform.database);
    lastPlatform = { platform, key, sourceId, database };
  }
  if (lastPlatform && P2_SECONDS > 0) {
    const cpuBefore = lastPlatform.platform.cpuSeconds();
    const latency = await availabilityLatency(lastPlatform.platform.baseUrl, lastPlatform.key, lastPlatform.sourceId);
    const cpuAfter = lastPlatform.platform.cpuSeconds();
    // warm-up and measured PUTs both count: CPU per PUT of the api process, whatever else runs on the machine
    const apiMsPerPut = (1000 * (cpuAfter.api - cpuBefore.api)) / ((P2_SECONDS + 3) * P2_RATE);
    const line =
      `P2 availability PUT -> graphql-ws subscriber at ${P2_RATE}/s for ${P2_SECONDS} s: p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms, max ${latency.max.toFixed(1)} ms ` +
      `(${latency.received}/${latency.sent} received; the PUT answered in p50 ${latency.putP50.toFixed(1)} ms, p99 ${latency.putP99.toFixed(1)} ms; api CPU ${apiMsPerPut.toFixed(2)} ms per PUT${latency.failed ? `; ${latency.failed} PUTs failed: ${latency.firstFailure}` : ''})`;
    console.log(line);
    figures.push(line);
  }
  if (lastPlatform) await stopAndDrop(lastPlatform.platform, lastPlatform.database);
  if (STORAGE_FLOOR) {
    // Measured after P1 and P2 so that the platform's processes are gone; the same documents P1 pushed.
    const floor = await storageFloor(POSTGRES_URL, ACTIVITIES, 'bench-floor');
    const shares = rates.map((rate) => `P1 with ${rate.workers} worker(s) = ${((100 * rate.perSecond) / floor.perSecond).toFixed(1)} %`);
    const line =
      `Storage floor (the same ${floor.documents} documents, ${(floor.averageBytes / 1024).toFixed(1)} KB each, one COPY into a jsonb table): ` +
      `${floor.seconds.toFixed(2)} s = ${floor.perSecond.toFixed(0)} documents/s${shares.length ? `; ${shares.join(', ')} of it` : ''}`;
    console.log(line);
    figures.push(line);
  }
  if (VALIDATION_THREADS) {
    const lines = await validationThreads();
    const line = `Validation on both cores (2000 activities, batches of 200): ${lines.join('; ')}`;
    console.log(line);
    figures.push(line);
  }
  if (CONNECTOR_EVENTS > 0) {
    const line = await connectorIngest();
    console.log(line);
    figures.push(line);
  }
  if (FEED_ACTIVITIES > 0) {
    for (const line of await feedFigures()) {
      console.log(line);
      figures.push(line);
    }
  }
  if (TICKETING_CHANGES > 0) {
    const line = await ticketingLatency();
    console.log(line);
    figures.push(line);
  }
  if (WEBHOOK_CHANGES > 0 && WEBHOOK_BATCH > 0) {
    const line = await webhookFanOut(WEBHOOK_CHANGES, { maxSize: WEBHOOK_BATCH, maxWaitMs: WEBHOOK_BATCH_WAIT_MS });
    console.log(line);
    figures.push(line);
  }
  if (WEBHOOK_SINGLE_CHANGES > 0) {
    const line = await webhookFanOut(WEBHOOK_SINGLE_CHANGES);
    console.log(line);
    figures.push(line);
  }
  if (SEARCH_ACTIVITIES > 0) {
    const line = await searchBench(POSTGRES_URL, { activities: SEARCH_ACTIVITIES, queries: SEARCH_QUERIES });
    console.log(line);
    figures.push(line);
  }
  if (P5_ACTIVITIES > 0) {
    const line = await apiMemory();
    console.log(line);
    figures.push(line);
  }
  if (R1_TICKETS > 0) {
    const line = await participationIngestFigure();
    console.log(line);
    figures.push(line);
  }
  if (R2_TICKETS > 0) {
    for (const line of await participationAggregateFigures()) {
      console.log(line);
      figures.push(line);
    }
  }
  console.log(`\nsummary (load average ${loadavg().map((load) => load.toFixed(1)).join(' ')} at the end)\n  ${figures.join('\n  ')}`);
}

main().catch(async (error: unknown) => {
  console.error(error);
  await Promise.all([...running].map((platform) => platform.stop().catch(() => undefined)));
  process.exit(1);
});

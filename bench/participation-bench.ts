/**
 * R1 participation ingest and R2 protected aggregates (issue 9 §7), driven by bench/run.ts.
 * R1 pushes synthetic tickets (libs/research/src/demo, with names and e-mail addresses added so the
 * api has personal data to strip) over HTTP: api (strip, archive) -> queue -> worker -> Postgres. Its
 * floor is one COPY of the same stored rows into a copy of the table with the same indexes.
 * R2 loads synthetic tickets with `npm run demo:participation`'s code (strip + the worker's commit),
 * then times protected tables over HTTP beside the bare SQL aggregate (the same GROUP BY CUBE, no
 * protection) on the same rows.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Activity } from '@platform/domain';
import { BelgianGeography, syntheticTickets } from '@platform/research';
import { syntheticPerformancesOf } from '@platform/runtime';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { runDemoParticipationCli } from '../apps/worker/src/demo-participation-cli.js';

export interface BenchPlatform {
  baseUrl: string;
  cpuSeconds(): { api: number; workers: number };
}

const demoActivities = (): Activity[] => JSON.parse(readFileSync(path.resolve('demo/activities.json'), 'utf8')) as Activity[];

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/**
 * A POST, tried again when the connection fails before an answer (a keep-alive socket the loaded server
 * closed just as it was reused: EPIPE / ECONNRESET). A batch sent twice stores its tickets once.
 */
async function post(url: string, token: string, body: string, contentType = 'application/json'): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body });
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** R1: tickets/s from the first POST until every batch is stored, with CPU per ticket; then the COPY floor. */
export async function participationIngest(
  platform: BenchPlatform,
  databaseUrl: string,
  key: string,
  sourceId: string,
  options: { tickets: number; batchSize: number; inFlight: number },
  postgresCpuDuring: <T>(work: () => Promise<T>) => Promise<{ value: T; postgresSeconds: number }>,
): Promise<string> {
  const activities = demoActivities();
  const loaded = await post(`${platform.baseUrl}/v1/sources/${sourceId}/activities?wait=true`, key, JSON.stringify(activities));
  if (loaded.status !== 200) throw new Error(`R1: pushing the demo activities answered ${loaded.status}: ${await loaded.text()}`);
  const now = Date.now();
  const bodies: string[] = [];
  let batch: unknown[] = [];
  for (const ticket of syntheticTickets(syntheticPerformancesOf(activities), BelgianGeography.load(), { tickets: options.tickets, seed: 7, idPrefix: 'r1-' })) {
    // What a careless vendor sends: the customer's name, e-mail and phone (stripped by the api), sales before now.
    batch.push({
      ...ticket,
      soldAt: new Date(Math.min(Date.parse(ticket.soldAt), now - 3_600_000)).toISOString(),
      participant: { ...ticket.participant, email: `${ticket.participant.id}@example.org`, name: `Synthetic ${ticket.participant.id}`, phone: '+32 9 000 00 00' },
    });
    if (batch.length === options.batchSize) {
      bodies.push(JSON.stringify(batch));
      batch = [];
    }
  }
  if (batch.length > 0) bodies.push(JSON.stringify(batch));
  const cpuBefore = platform.cpuSeconds();
  const started = performance.now();
  const { value: { accepted, rejected }, postgresSeconds } = await postgresCpuDuring(() => pushAndWait(platform, databaseUrl, key, sourceId, bodies, options.inFlight));
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = platform.cpuSeconds();
  const apiUs = (1e6 * (cpuAfter.api - cpuBefore.api)) / accepted;
  const workerUs = (1e6 * (cpuAfter.workers - cpuBefore.workers)) / accepted;
  const postgresUs = (1e6 * postgresSeconds) / accepted;
  const floor = await copyFloor(databaseUrl);
  const rate = accepted / seconds;
  return (
    `R1 participation ingest (${options.tickets} tickets with names and e-mail to strip, batches of ${options.batchSize}, ${options.inFlight} in flight, one worker${process.env.BENCH_R1_CONCURRENCY ? ` of concurrency ${process.env.BENCH_R1_CONCURRENCY}` : ''}): ` +
    `${rate.toFixed(0)} tickets/s (${accepted} accepted, ${rejected} rejected in ${seconds.toFixed(1)} s; goal >= 10,000/s); CPU per ticket: api ${apiUs.toFixed(0)} µs, worker ${workerUs.toFixed(0)} µs, ` +
    `Postgres backends ${postgresUs.toFixed(0)} µs; floor (one COPY of the ${floor.rows} stored rows into a copy of the table with its indexes): ${floor.perSecond.toFixed(0)} rows/s, R1 = ${((100 * rate) / floor.perSecond).toFixed(1)} % of it`
  );
}

/** Pushes every body (`inFlight` at a time) and waits until each batch is done or failed. */
async function pushAndWait(platform: BenchPlatform, databaseUrl: string, key: string, sourceId: string, bodies: string[], inFlight: number): Promise<{ accepted: number; rejected: number }> {
  const batchIds: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < bodies.length) {
        const response = await post(`${platform.baseUrl}/v1/sources/${sourceId}/participation`, key, bodies[next++]);
        if (response.status !== 202) throw new Error(`R1: participation push answered ${response.status}: ${await response.text()}`);
        batchIds.push(((await response.json()) as { batchId: string }).batchId);
      }
    }),
  );
  // Polled in Postgres, not over HTTP: reading 5,000-item reports back is not ingest, and the api's CPU is measured.
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let accepted = 0;
  let rejected = 0;
  try {
    for (;;) {
      const [row] = (
        await client.query<{ finished: number; accepted: number; rejected: number }>(
          "SELECT count(*) FILTER (WHERE status IN ('done', 'failed'))::int AS finished, coalesce(sum(accepted), 0)::int AS accepted, coalesce(sum(rejected), 0)::int AS rejected FROM ingest_batch WHERE id = ANY($1::uuid[])",
          [batchIds],
        )
      ).rows;
      if (row.finished === batchIds.length) {
        accepted = row.accepted;
        rejected = row.rejected;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await client.end();
  }
  return { accepted, rejected };
}

async function copyFloor(databaseUrl: string): Promise<{ rows: number; perSecond: number }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const chunks: Buffer[] = [];
    await pipeline(client.query(copyStreams.to('COPY participation_ticket TO STDOUT')), async function* (source: AsyncIterable<Buffer>) {
      for await (const chunk of source) chunks.push(chunk);
    });
    await client.query('CREATE TABLE floor_participation_ticket (LIKE participation_ticket INCLUDING ALL)');
    const started = performance.now();
    await client.query('BEGIN');
    await pipeline(Readable.from(chunks), client.query(copyStreams.from('COPY floor_participation_ticket FROM STDIN')));
    await client.query('COMMIT');
    const seconds = (performance.now() - started) / 1000;
    const [{ rows }] = (await client.query<{ rows: number }>('SELECT count(*)::int AS rows FROM floor_participation_ticket')).rows;
    await client.query('DROP TABLE floor_participation_ticket');
    return { rows, perSecond: rows / seconds };
  } finally {
    await client.end();
  }
}

/**
 * The tables R2 times: the map (home municipality), a bar chart (price category by channel) and a
 * two-way table (province by age band). BENCH_R2_MUNICIPALITY_AGE=1 adds home municipality by age band:
 * its suppression audit (thousands of small cells, one connected group) ran over 3 CPU minutes in the
 * api without finishing on 1,000,000 tickets, so it is not part of the default run.
 */
const R2_TABLES = [
  { groupBy: ['homeMunicipality'], columns: ['home_nis5'] },
  { groupBy: ['priceCategory', 'channel'], columns: ['price_category', 'channel'] },
  { groupBy: ['homeProvince', 'ageBand'], columns: ['home_province', 'age_band'] },
  ...(process.env.BENCH_R2_MUNICIPALITY_AGE === '1' ? [{ groupBy: ['homeMunicipality', 'ageBand'], columns: ['home_nis5', 'age_band'] }] : []),
];

/** Loads R2's tickets into a database (before the platform serves it), with the demo script's code. */
export async function loadParticipation(overrides: Record<string, string>, tickets: number): Promise<string> {
  const lines: string[] = [];
  const code = await runDemoParticipationCli(['--tickets', String(tickets)], (line) => lines.push(line), overrides);
  if (code !== 0) throw new Error(`R2: loading ${tickets} tickets failed:\n${lines.join('\n')}`);
  return lines.at(-1) ?? '';
}

/**
 * R2: per table, the first (cold) query, then p50/p95 of first queries after a write (the participation
 * version moved on before each: computed from the stored data, rollup or tickets), then p50/p95 of repeated
 * ones over HTTP (served from the api's cache of protected tables, valid until the next participation
 * write), beside the bare SQL GROUP BY CUBE over the tickets.
 */
export async function participationAggregates(platform: BenchPlatform, databaseUrl: string, adminToken: string, options: { queries: number }): Promise<string[]> {
  const issued = await post(`${platform.baseUrl}/v1/admin/researcher-keys`, adminToken, JSON.stringify({ name: 'bench' }));
  if (issued.status !== 201) throw new Error(`R2: issuing a researcher key answered ${issued.status}`);
  const { key } = (await issued.json()) as { key: string };
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const lines: string[] = [];
  try {
    const [{ stored }] = (await client.query<{ stored: number }>('SELECT count(*)::int AS stored FROM participation_ticket')).rows;
    for (const table of R2_TABLES) {
      const url = `${platform.baseUrl}/v1/research/participation?groupBy=${table.groupBy.join(',')}`;
      const timings: number[] = [];
      let cells = 0;
      let suppressed = 0;
      let cold = 0;
      const cpuBefore = platform.cpuSeconds();
      for (let index = -1; index < options.queries; index++) {
        const started = performance.now();
        const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
        const body = (await response.json()) as { cells?: Array<{ obsStatus?: string }> };
        const elapsed = performance.now() - started;
        if (response.status !== 200 || !body.cells) throw new Error(`R2: ${url} answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
        // The first computes the table (aggregate, suppression, audit); the others find it cached.
        if (index >= 0) timings.push(elapsed);
        else cold = elapsed;
        cells = body.cells.length;
        suppressed = body.cells.filter((cell) => cell.obsStatus === 'C').length;
      }
      const apiMs = (1000 * (platform.cpuSeconds().api - cpuBefore.api)) / (options.queries + 1);
      // A first query again and again: the version moved on as a participation write moves it (the api's
      // cache is stale, nothing is computed ahead), so each one computes its table from the stored data.
      const firsts: number[] = [];
      const firstCpuBefore = platform.cpuSeconds();
      for (let index = 0; index < options.queries; index++) {
        await client.query('UPDATE participation_version SET version = version + 1 WHERE id = 1');
        const started = performance.now();
        const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } });
        await response.json();
        firsts.push(performance.now() - started);
        if (response.status !== 200) throw new Error(`R2: ${url} answered ${response.status} after a version change`);
      }
      const firstApiMs = (1000 * (platform.cpuSeconds().api - firstCpuBefore.api)) / Math.max(1, options.queries);
      const sortedFirsts = [...firsts].sort((left, right) => left - right);
      const bare: number[] = [];
      const sql = `SELECT ${table.columns.map((column) => `coalesce(${column}, '_U') AS ${column}`).join(', ')}, count(*) AS tickets, count(DISTINCT person_key) AS persons, sum(price_cents) AS revenue
                     FROM participation_ticket WHERE status = 'sold' GROUP BY CUBE(${table.columns.map((_, index) => index + 1).join(', ')})`;
      for (let index = -1; index < options.queries; index++) {
        const started = performance.now();
        await client.query(sql);
        if (index >= 0) bare.push(performance.now() - started);
      }
      const sorted = [...timings].sort((left, right) => left - right);
      const floor = [...bare].sort((left, right) => left - right);
      lines.push(
        `R2 protected table groupBy=${table.groupBy.join(',')} over ${stored} stored tickets (${cells} cells, ${suppressed} suppressed; ${options.queries} queries over HTTP): ` +
          `first query ${cold.toFixed(0)} ms; first query after a write (${options.queries}, each after the version moved on): p50 ${percentile(sortedFirsts, 0.5).toFixed(1)} ms, p95 ${percentile(sortedFirsts, 0.95).toFixed(1)} ms (goal p95 <= 100 ms), api CPU ${firstApiMs.toFixed(1)} ms each; ` +
          `cached repeats p50 ${percentile(sorted, 0.5).toFixed(1)} ms, p95 ${percentile(sorted, 0.95).toFixed(1)} ms, api CPU ${apiMs.toFixed(1)} ms per query on average (first included); ` +
          `floor (the bare GROUP BY CUBE in SQL, no protection): p50 ${percentile(floor, 0.5).toFixed(0)} ms, p95 ${percentile(floor, 0.95).toFixed(0)} ms`,
      );
    }
  } finally {
    await client.end();
  }
  return lines;
}

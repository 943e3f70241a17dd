/**
 * P5: the api's memory (RSS) with BENCH_P5_ACTIVITIES (default 100,000) stored activities under a
 * steady read load (goal <= 400 MB). The activities are not pushed one by one (that is P1): a few
 * templates go through the real pipeline (SHACL, store, change log), then SQL clones them with
 * generate_series into `activity` and `performance` (new ids, external ids and search text; the
 * clones' ids are random uuids instead of the (source, external id) derivation, which reads by id do
 * not depend on). The read load, BENCH_P5_RATE requests/s for BENCH_P5_SECONDS, mixes GraphQL pages
 * walked by cursor (50 per page, with performances), GraphQL text search, and JSON-LD / Turtle
 * resources of random activities. RSS is the api's own `cdp_process_resident_memory_bytes` from /metrics,
 * sampled every second.
 */
import pg from 'pg';
import { benchActivities } from './bench-data.js';

export interface MemoryFigures {
  activities: number;
  requests: number;
  failed: number;
  rssStartMb: number;
  rssMaxMb: number;
  rssEndMb: number;
  p50Ms: number;
  p99Ms: number;
  /** The median of each kind of read, for telling which one is slow. */
  kinds: string;
  /** The api's CPU per read (user + system), over the whole read load. */
  apiCpuMsPerRead: number;
}

const TEMPLATES = 20;

async function rssMb(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((entry) => entry.startsWith('cdp_process_resident_memory_bytes '));
  return line ? Number(line.split(' ')[1]) / (1024 * 1024) : NaN;
}

/** Templates through the pipeline, then clones by SQL up to `total` activities. */
async function store(baseUrl: string, databaseUrl: string, key: string, sourceId: string, total: number): Promise<number> {
  const templates = benchActivities(TEMPLATES, sourceId);
  const response = await fetch(`${baseUrl}/v1/sources/${sourceId}/activities?wait=true`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(templates),
  });
  if (response.status !== 200) throw new Error(`P5: template push answered ${response.status}: ${await response.text()}`);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const copies = Math.ceil((total - TEMPLATES) / TEMPLATES);
    await client.query('BEGIN');
    await client.query(
      `CREATE TEMP TABLE clone_map ON COMMIT DROP AS
         SELECT gen_random_uuid() AS new_id, activity.id AS template_id, copy
           FROM activity, generate_series(1, $2::int) AS copy
          WHERE activity.source_id = $1`,
      [sourceId, copies],
    );
    const columns = async (table: string) =>
      (await client.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND table_schema = 'public' ORDER BY ordinal_position`, [table])).rows.map(
        (row) => row.column_name,
      );
    const activityColumns = await columns('activity');
    const activityValues = activityColumns.map((column) => {
      if (column === 'id') return 'clone_map.new_id';
      if (column === 'external_id') return `activity.external_id || '-copy-' || clone_map.copy`;
      if (column === 'search_text') return `activity.search_text || ' kopie ' || clone_map.copy`;
      if (column === 'document') return `jsonb_set(activity.document, '{externalId}', to_jsonb(activity.external_id || '-copy-' || clone_map.copy))`;
      return `activity.${column}`;
    });
    await client.query(
      `INSERT INTO activity (${activityColumns.join(', ')})
       SELECT ${activityValues.join(', ')} FROM clone_map JOIN activity ON activity.id = clone_map.template_id`,
    );
    const performanceColumns = await columns('performance');
    const performanceValues = performanceColumns.map((column) => {
      if (column === 'id') return 'gen_random_uuid()';
      if (column === 'activity_id') return 'clone_map.new_id';
      if (column === 'external_id') return `performance.external_id || '-copy-' || clone_map.copy`;
      return `performance.${column}`;
    });
    await client.query(
      `INSERT INTO performance (${performanceColumns.join(', ')})
       SELECT ${performanceValues.join(', ')} FROM clone_map JOIN performance ON performance.activity_id = clone_map.template_id`,
    );
    await client.query('COMMIT');
    await client.query('ANALYZE activity; ANALYZE performance');
    return Number((await client.query<{ count: string }>('SELECT count(*) FROM activity WHERE source_id = $1', [sourceId])).rows[0].count);
  } finally {
    await client.end();
  }
}

async function sampleIds(databaseUrl: string, sourceId: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<{ id: string }>('SELECT id FROM activity WHERE source_id = $1 ORDER BY random() LIMIT 2000', [sourceId])).rows.map((row) => row.id);
  } finally {
    await client.end();
  }
}

const PAGE_QUERY = `query Page($after: String) { activities(first: 50, after: $after) { totalCount pageInfo { endCursor hasNextPage } edges { node { id title performances { start availability { remaining level } } } } } }`;
const SEARCH_QUERY = `query Search($text: String) { activities(first: 20, filter: { text: $text }) { edges { node { id title } } } }`;

export async function measureApiMemory(
  baseUrl: string,
  databaseUrl: string,
  key: string,
  sourceId: string,
  options: { activities: number; seconds: number; rate: number },
  apiCpuSeconds: () => number,
): Promise<MemoryFigures> {
  const activities = await store(baseUrl, databaseUrl, key, sourceId, options.activities);
  const ids = await sampleIds(databaseUrl, sourceId);
  const rssStartMb = await rssMb(baseUrl);
  let after: string | null = null;
  let failed = 0;
  const latencies: number[] = [];
  // Per kind of read (GraphQL page, GraphQL text search, JSON-LD, Turtle): which one is slow.
  const byKind: number[][] = [];
  const rss: number[] = [];
  const sampler = setInterval(() => void rssMb(baseUrl).then((value) => rss.push(value), () => undefined), 1000);
  const request = async (index: number) => {
    const started = performance.now();
    let response: Response;
    switch (index % 4) {
      case 0: {
        response = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: PAGE_QUERY, variables: { after } }) });
        const page = (await response.json()) as { data?: { activities: { pageInfo: { endCursor: string | null; hasNextPage: boolean } } } };
        const info = page.data?.activities.pageInfo;
        after = info?.hasNextPage ? info.endCursor : null;
        break;
      }
      case 1:
        response = await fetch(`${baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: SEARCH_QUERY, variables: { text: `kopie ${index % 5000}` } }) });
        await response.text();
        break;
      case 2:
        response = await fetch(`${baseUrl}/id/activiteit/${ids[index % ids.length]}`, { headers: { accept: 'application/ld+json' } });
        await response.text();
        break;
      default:
        response = await fetch(`${baseUrl}/id/activiteit/${ids[(index * 7) % ids.length]}`, { headers: { accept: 'text/turtle' } });
        await response.text();
    }
    if (!response.ok) failed++;
    latencies.push(performance.now() - started);
    (byKind[index % 4] ??= []).push(performance.now() - started);
  };
  const total = options.seconds * options.rate;
  const cpuBefore = apiCpuSeconds();
  const interval = 1000 / options.rate;
  const inFlight: Array<Promise<void>> = [];
  const started = performance.now();
  for (let index = 0; index < total; index++) {
    const wait = started + index * interval - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(request(index).catch(() => void failed++));
  }
  await Promise.all(inFlight);
  const apiCpuMsPerRead = (1000 * (apiCpuSeconds() - cpuBefore)) / total;
  clearInterval(sampler);
  const rssEndMb = await rssMb(baseUrl);
  const sorted = [...latencies].sort((left, right) => left - right);
  const at = (fraction: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))] ?? NaN;
  const median = (values: number[] = []) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)] ?? NaN;
  const kinds = ['GraphQL page', 'GraphQL text search', 'JSON-LD', 'Turtle'].map((name, kind) => `${name} p50 ${median(byKind[kind]).toFixed(1)} ms`).join(', ');
  return { activities, requests: total, failed, rssStartMb, rssMaxMb: Math.max(rssStartMb, rssEndMb, ...rss), rssEndMb, p50Ms: at(0.5), p99Ms: at(0.99), kinds, apiCpuMsPerRead };
}

/**
 * P3 search: date + distance + type searches over BENCH_SEARCH_ACTIVITIES (default 100,000) stored activities.
 *
 * Loading that many through the ingest pipeline (SHACL per item) would take minutes, so the catalogue is written
 * straight into the tables with SQL (places at the 581 municipality centroids, 4 venues each, 200 organizers,
 * 10 activity types, 3 performances per activity over 2027 with seat counts). The platform's own triggers fill the
 * search columns on insert, exactly as for a push. Then BENCH_SEARCH_QUERIES varied searches (a random
 * municipality, 5-25 km, a 1-14 day window, one type; page of 20 with the total count) run through
 * ActivitySearchStore, the store behind GraphQL and GET /v1/activities; HTTP and JSON rendering are not included.
 * Floor: the same page's rows read by one plain primary-key SELECT.
 */
import { randomBytes } from 'node:crypto';
import { backendCpuSeconds, processCpuSeconds } from './process-cpu.js';
import pg from 'pg';
import { ActivitySearchStore, openDataSource } from '@platform/storage';

const TYPES = ['concert', 'theatervoorstelling', 'tentoonstelling', 'film', 'lezing', 'workshop', 'dansvoorstelling', 'festival', 'rondleiding', 'sportactiviteit'].map(
  (name) => `https://data.cultuurparticipatie.be/id/concept/ActiviteitType/${name}`,
);

/** CPU ms of the backends serving `database` other than the floor's, beside the floor's own backend. */
async function backendCpuMs(client: pg.Client, database: string, floorPid: number): Promise<{ search: number; floor: number }> {
  return { search: 1000 * (await backendCpuSeconds(client, database, [floorPid])), floor: 1000 * processCpuSeconds(floorPid) };
}

function percentile(sorted: number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/** A deterministic pseudo-random sequence, so every run asks the same queries. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

async function load(client: pg.Client, activities: number): Promise<void> {
  await client.query(`INSERT INTO source (id, name, kind) VALUES ('bench-search', 'Bench search', 'push')`);
  await client.query(`
    CREATE TEMP TABLE bench_place AS
      SELECT (row_number() OVER (ORDER BY m.nis5, k) - 1)::int AS n, gen_random_uuid() AS id, m.nis5, m.name_nl, k,
             (SELECT min(postcode) FROM postcode_municipality pm WHERE pm.nis5 = m.nis5) AS postcode,
             m.latitude + (k - 1.5) * 0.01 AS latitude, m.longitude + (k - 1.5) * 0.01 AS longitude
        FROM municipality m CROSS JOIN generate_series(0, 3) k;
    INSERT INTO place (id, source_id, external_id, name, postal_code, document, modified_at)
      SELECT id, 'bench-search', 'venue-' || n, jsonb_build_object('nl', 'Zaal ' || n), postcode,
             jsonb_build_object('externalId', 'venue-' || n, 'name', jsonb_build_object('nl', 'Zaal ' || n),
               'address', jsonb_build_object('street', 'Markt', 'houseNumber', (k + 1)::text, 'postalCode', postcode, 'municipality', jsonb_build_object('nl', name_nl), 'country', 'BE'),
               'geo', jsonb_build_object('latitude', latitude, 'longitude', longitude)),
             now()
        FROM bench_place;
    CREATE TEMP TABLE bench_organizer AS SELECT n, gen_random_uuid() AS id FROM generate_series(0, 199) n;
    INSERT INTO organizer (id, source_id, external_id, name, document, modified_at)
      SELECT id, 'bench-search', 'org-' || n, jsonb_build_object('nl', 'Organisator ' || n),
             jsonb_build_object('externalId', 'org-' || n, 'name', jsonb_build_object('nl', 'Organisator ' || n)), now()
        FROM bench_organizer;
  `);
  const [{ places }] = (await client.query('SELECT count(*)::int AS places FROM bench_place')).rows;
  // In slices: one statement per 10,000 keeps the transaction and the trigger work of each bounded.
  for (let offset = 0; offset < activities; offset += 10_000) {
    const end = Math.min(activities, offset + 10_000) - 1;
    await client.query(`
      CREATE TEMP TABLE bench_slice AS
        SELECT i, gen_random_uuid() AS id, p.id AS place_id, p.postcode, p.name_nl, p.n AS venue, o.id AS organizer_id, o.n AS organizer,
               (ARRAY[${TYPES.map((type) => `'${type}'`).join(', ')}])[1 + (i % 10)] AS type_iri,
               timestamptz '2027-01-01T20:00:00+01:00' + ((i * 37) % 365) * interval '1 day' AS first_start
          FROM generate_series(${offset}, ${end}) i
          JOIN bench_place p ON p.n = (i * 7919) % ${places}
          JOIN bench_organizer o ON o.n = i % 200;
      INSERT INTO activity (id, source_id, external_id, content_hash, document, search_text, place_id, organizer_id, type_iri, theme_iri, postal_code, first_start, last_end, created_at, modified_at)
        SELECT id, 'bench-search', 'a' || i, md5(i::text),
               jsonb_build_object(
                 'externalId', 'a' || i,
                 'title', jsonb_build_object('nl', 'Voorstelling ' || i || ' in ' || name_nl, 'en', 'Performance ' || i),
                 'description', jsonb_build_object('nl', 'Een avond vol muziek en theater in ' || name_nl || '.'),
                 'type', jsonb_build_object('iri', type_iri),
                 'place', jsonb_build_object('externalId', 'venue-' || venue, 'name', jsonb_build_object('nl', 'Zaal ' || venue),
                   'address', jsonb_build_object('postalCode', postcode, 'municipality', jsonb_build_object('nl', name_nl))),
                 'organizer', jsonb_build_object('externalId', 'org-' || organizer, 'name', jsonb_build_object('nl', 'Organisator ' || organizer)),
                 'prices', jsonb_build_array(jsonb_build_object('category', 'base', 'name', jsonb_build_object('nl', 'Basis'), 'amount', 5 + i % 30, 'currency', 'EUR')),
                 'performances', (SELECT jsonb_agg(jsonb_build_object('externalId', 'a' || i || '-p' || k, 'start', to_char(first_start + k * interval '7 days', 'YYYY-MM-DD"T"HH24:MI:SSOF'), 'status', 'scheduled')) FROM generate_series(0, 2) k)),
               'Voorstelling ' || i || ' in ' || name_nl, place_id, organizer_id, type_iri, NULL, postcode,
               first_start, first_start + interval '14 days 2 hours', now(), now()
          FROM bench_slice;
      INSERT INTO performance (id, activity_id, source_id, external_id, position, start_at, end_at, status, capacity, remaining, availability_level, availability_changed_at)
        SELECT gen_random_uuid(), id, 'bench-search', 'a' || i || '-p' || k, k, first_start + k * interval '7 days', first_start + k * interval '7 days' + interval '2 hours', 'scheduled',
               500, (i * 13 + k * 101) % 501,
               CASE WHEN (i * 13 + k * 101) % 501 = 0 THEN 'OutOfStock' WHEN (i * 13 + k * 101) % 501 <= 50 THEN 'LimitedAvailability' ELSE 'InStock' END, now()
          FROM bench_slice CROSS JOIN generate_series(0, 2) k;
      DROP TABLE bench_slice;
    `);
  }
  await client.query('ANALYZE');
}

export async function searchBench(postgresUrl: string, options: { activities: number; queries: number; keepDatabase?: string }): Promise<string> {
  const database = options.keepDatabase ?? `bench_search_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${database}`;
  const dataSource = await openDataSource({ url: url.toString(), dataDir: './data' });
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const loadStarted = performance.now();
    await load(client, options.activities);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    const store = new ActivitySearchStore(dataSource);
    const municipalities: Array<{ latitude: number; longitude: number }> = (await client.query('SELECT latitude, longitude FROM municipality ORDER BY nis5')).rows;
    const next = random(42);
    const queries = Array.from({ length: options.queries + 20 }, () => {
      const center = municipalities[Math.floor(next() * municipalities.length)];
      const from = new Date(Date.parse('2027-01-01T00:00:00+01:00') + Math.floor(next() * 350) * 86_400_000);
      return {
        near: { latitude: center.latitude, longitude: center.longitude, distanceKm: 5 + Math.floor(next() * 21) },
        dateFrom: from,
        dateTo: new Date(from.getTime() + (1 + Math.floor(next() * 14)) * 86_400_000),
        // As GET /v1/activities?termIds=concert asks it.
        termIds: [TYPES[Math.floor(next() * TYPES.length)].split('/').pop()!],
      };
    });
    const searchTimes: number[] = [];
    const floorTimes: number[] = [];
    let hits = 0;
    const [{ pid: floorPid }] = (await client.query('SELECT pg_backend_pid() AS pid')).rows;
    let cpuBefore = { search: 0, floor: 0 };
    let nodeBefore = process.cpuUsage();
    let floorNodeMs = 0;
    for (const [index, query] of queries.entries()) {
      if (index === 20) {
        cpuBefore = await backendCpuMs(client, database, floorPid);
        nodeBefore = process.cpuUsage();
        floorNodeMs = 0;
      }
      const started = performance.now();
      const result = await store.search(query, { by: 'start', order: 'asc' }, 20);
      const searched = performance.now();
      const floorNode = process.cpuUsage();
      await client.query('SELECT * FROM activity WHERE id = ANY($1::uuid[])', [result.hits.map((hit) => hit.id)]);
      const floored = performance.now();
      const floorNodeUsed = process.cpuUsage(floorNode);
      floorNodeMs += (floorNodeUsed.user + floorNodeUsed.system) / 1000;
      // The first 20 warm the caches and the plans; they are not counted.
      if (index < 20) continue;
      searchTimes.push(searched - started);
      floorTimes.push(floored - searched);
      hits += result.totalCount;
    }
    const cpuAfter = await backendCpuMs(client, database, floorPid);
    const nodeUsed = process.cpuUsage(nodeBefore);
    // Postgres backends (10 ms ticks, so over all queries) and this process (the store's SQL building, pg parsing, TypeORM).
    const searchCpuMs = (cpuAfter.search - cpuBefore.search + (nodeUsed.user + nodeUsed.system) / 1000 - floorNodeMs) / options.queries;
    const floorCpuMs = (cpuAfter.floor - cpuBefore.floor + floorNodeMs) / options.queries;
    searchTimes.sort((left, right) => left - right);
    floorTimes.sort((left, right) => left - right);
    return (
      `P3 search (date + distance + type, page of 20 + total count) over ${options.activities.toLocaleString('en')} activities x 3 performances, ${options.queries} queries: ` +
      `p50 ${percentile(searchTimes, 0.5).toFixed(1)} ms, p95 ${percentile(searchTimes, 0.95).toFixed(1)} ms (goal <= 30 ms); ` +
      `floor (the same rows by one primary-key SELECT) p50 ${percentile(floorTimes, 0.5).toFixed(2)} ms, p95 ${percentile(floorTimes, 0.95).toFixed(2)} ms; ` +
      `CPU per query (Postgres backends + this process) ${searchCpuMs.toFixed(1)} ms, floor ${floorCpuMs.toFixed(2)} ms (${(searchCpuMs / floorCpuMs).toFixed(1)}x); ` +
      `${(hits / options.queries).toFixed(0)} matches per query on average; catalogue written by SQL in ${loadSeconds.toFixed(0)} s`
    );
  } finally {
    await client.end();
    await dataSource.destroy();
    if (!options.keepDatabase) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

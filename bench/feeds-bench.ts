/**
 * P4 of `npm run bench`: full replay of the RPDE and the LDES feed of activities by a client on this
 * machine, in members/s, beside the floor: the same rows read by one plain indexed SELECT.
 * The RPDE replay runs twice: cold (every item's JSON-LD is rendered, as for the first consumer after
 * a change) and warm (the rendered documents come from the item cache, as for every later consumer).
 * The LDES replay reads the stream, its view and every page in Turtle and counts tree:member triples
 * with n3, twice (the second time full pages come from the api's cache of immutable pages); ldes-client (the reference consumer library) runs for a bounded time beside it.
 */
import { backendCpuSeconds } from './process-cpu.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { intoConfig, replicateLDES } from 'ldes-client';
import { Parser } from 'n3';
import pg from 'pg';

const TREE_MEMBER = 'https://w3id.org/tree#member';
const TREE_NODE = 'https://w3id.org/tree#node';

export interface FeedReplayFigures {
  lines: string[];
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000 };
}

/**
 * CPU seconds of the api and of the Postgres backends serving the feed database (its pool keeps them for the
 * whole replay), so a figure holds on a loaded machine: CPU per member beside the wall-clock rate.
 */
function cpuMeter(databaseUrl: string, apiCpuSeconds: () => number) {
  const database = new URL(databaseUrl).pathname.slice(1);
  const admin = new pg.Client({ connectionString: databaseUrl });
  const connected = admin.connect();
  const read = async () => {
    await connected;
    return { api: apiCpuSeconds(), postgres: await backendCpuSeconds(admin, database) };
  };
  return {
    async measure<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number; api: number; postgres: number }> {
      const before = await read();
      const result = await timed(work);
      const after = await read();
      return { ...result, api: after.api - before.api, postgres: after.postgres - before.postgres };
    },
    end: () => admin.end(),
  };
}

/** Follows `next` from the start until the last page; answers the number of items. */
async function replayRpde(baseUrl: string): Promise<{ items: number; pages: number; bytes: number }> {
  let url = `${baseUrl}/feeds/activities`;
  let items = 0;
  let pages = 0;
  let bytes = 0;
  for (;;) {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`RPDE ${url} answered ${response.status}`);
    const text = await response.text();
    const page = JSON.parse(text) as { next: string; items: unknown[] };
    pages++;
    bytes += Buffer.byteLength(text);
    items += page.items.length;
    if (page.items.length === 0) return { items, pages, bytes };
    url = page.next;
  }
}

/** Reads the stream, its view and every page it links, parsed with n3; answers the members. */
async function replayLdes(baseUrl: string, mediaType: 'text/turtle'): Promise<{ members: number; pages: number }> {
  const turtle = async (url: string) => {
    const response = await fetch(url, { headers: { accept: mediaType } });
    if (!response.ok) throw new Error(`LDES ${url} answered ${response.status}`);
    return new Parser({ baseIRI: url }).parse(await response.text());
  };
  const stream = `${baseUrl}/ldes/activities`;
  await turtle(stream);
  const view = await turtle(`${stream}/view`);
  const pages = [...new Set(view.filter((quad) => quad.predicate.value === TREE_NODE).map((quad) => quad.object.value))];
  let members = 0;
  // Two pages at a time, as a client with a small fetch pool does.
  let next = 0;
  await Promise.all(
    [0, 1].map(async () => {
      while (next < pages.length) {
        const quads = await turtle(pages[next++]);
        members += quads.filter((quad) => quad.predicate.value === TREE_MEMBER).length;
      }
    }),
  );
  return { members, pages: pages.length };
}

/** ldes-client for at most `seconds`: members it emitted and the time it took. */
async function replayWithLdesClient(baseUrl: string, seconds: number): Promise<{ members: number; seconds: number; complete: boolean }> {
  const statePath = await mkdtemp(join(tmpdir(), 'cdp-bench-ldes-'));
  try {
    const reader = replicateLDES(intoConfig({ url: `${baseUrl}/ldes/activities`, polling: false, statePath: join(statePath, 'state') }), 'none').stream().getReader();
    const started = performance.now();
    let members = 0;
    let complete = false;
    const deadline = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), seconds * 1000).unref());
    for (;;) {
      const next = await Promise.race([reader.read(), deadline]);
      if (next === 'late') break;
      if (next.done) {
        complete = true;
        break;
      }
      members++;
    }
    const elapsed = (performance.now() - started) / 1000;
    if (!complete) await reader.cancel().catch(() => undefined);
    return { members, seconds: elapsed, complete };
  } finally {
    await rm(statePath, { recursive: true, force: true });
  }
}

/** The floor: the same rows, one indexed SELECT each, read by the same machine. */
async function floors(databaseUrl: string): Promise<{ rpde: { rows: number; seconds: number }; ldes: { rows: number; seconds: number } }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rpde = await timed(async () => (await client.query(`SELECT id, modified, data FROM rpde_item WHERE feed = 'activities' ORDER BY feed, id`)).rowCount ?? 0);
    const ldes = await timed(
      async () => (await client.query(`SELECT seq, entity_id, source_id, operation, detail, occurred_at FROM change_log WHERE entity_type = 'activity' ORDER BY entity_type, seq`)).rowCount ?? 0,
    );
    return { rpde: { rows: rpde.value, seconds: rpde.seconds }, ldes: { rows: ldes.value, seconds: ldes.seconds } };
  } finally {
    await client.end();
  }
}

/** Adds seat changes (3 per activity, the fast lane's bulk form) so the LDES has several versions per activity. */
export async function addSeatChanges(baseUrl: string, key: string, sourceId: string, activities: number, rounds: number): Promise<number> {
  let changes = 0;
  for (let round = 0; round < rounds; round++) {
    const updates = Array.from({ length: activities * 3 }, (_, index) => ({ performanceId: `${sourceId}-a${Math.floor(index / 3)}-p${index % 3}`, remaining: 100 - round }));
    for (let offset = 0; offset < updates.length; offset += 1000) {
      const response = await fetch(`${baseUrl}/v1/sources/${sourceId}/availability`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(updates.slice(offset, offset + 1000)),
      });
      if (!response.ok) throw new Error(`availability answered ${response.status}: ${await response.text()}`);
      changes += ((await response.json()) as { items: Array<{ status: string }> }).items.filter((item) => item.status === 'updated').length;
    }
  }
  return changes;
}

export async function feedReplay(baseUrl: string, databaseUrl: string, ldesClientSeconds: number, apiCpuSeconds: () => number = () => NaN): Promise<FeedReplayFigures> {
  const meter = cpuMeter(databaseUrl, apiCpuSeconds);
  const clientCpu = () => {
    const used = process.cpuUsage();
    return (used.user + used.system) / 1e6;
  };
  const measure = async <T>(work: () => Promise<T>) => {
    const client = clientCpu();
    const figures = await meter.measure(work);
    return { ...figures, client: clientCpu() - client };
  };
  const cold = await measure(() => replayRpde(baseUrl));
  const warm = await measure(() => replayRpde(baseUrl));
  const ldes = await measure(() => replayLdes(baseUrl, 'text/turtle'));
  const again = await measure(() => replayLdes(baseUrl, 'text/turtle'));
  await meter.end();
  const floor = await floors(databaseUrl);
  const rate = (count: number, seconds: number) => `${(count / seconds).toFixed(0)}/s`;
  // CPU per 1,000 members: the api, Postgres, and this process (the client: fetch, JSON.parse or n3).
  const cpu = (figures: { api: number; postgres: number; client: number }, members: number) =>
    `CPU per 1,000 members: api ${((figures.api * 1e6) / members).toFixed(0)} ms, Postgres ${((figures.postgres * 1e6) / members).toFixed(0)} ms, client ${((figures.client * 1e6) / members).toFixed(0)} ms`;
  const lines = [
    `P4 RPDE replay /feeds/activities, cold (renders JSON-LD): ${rate(cold.value.items, cold.seconds)} members (${cold.value.items} items, ${cold.value.pages} pages in ${cold.seconds.toFixed(1)} s); ${cpu(cold, cold.value.items)}`,
    `P4 RPDE replay /feeds/activities, warm (item cache): ${rate(warm.value.items, warm.seconds)} members (${warm.value.items} items, ${(warm.value.bytes / 1e6).toFixed(1)} MB, in ${warm.seconds.toFixed(2)} s); ${cpu(warm, warm.value.items)}; ` +
      `floor, one indexed SELECT of the rendered items: ${rate(floor.rpde.rows, floor.rpde.seconds)} (${floor.rpde.rows} rows in ${floor.rpde.seconds.toFixed(3)} s; warm at ${((warm.value.items / warm.seconds / (floor.rpde.rows / floor.rpde.seconds)) * 100).toFixed(0)} % of it)`,
    `P4 LDES replay /ldes/activities (Turtle, n3): ${rate(ldes.value.members, ldes.seconds)} members (${ldes.value.members} members, ${ldes.value.pages} pages in ${ldes.seconds.toFixed(2)} s); ${cpu(ldes, ldes.value.members)}`,
    `P4 LDES replay again (full pages from the api's cache of immutable pages): ${rate(again.value.members, again.seconds)} members (${again.value.members} in ${again.seconds.toFixed(2)} s); ${cpu(again, again.value.members)}; ` +
      `floor, one indexed SELECT of the change-log rows: ${rate(floor.ldes.rows, floor.ldes.seconds)} (${floor.ldes.rows} rows in ${floor.ldes.seconds.toFixed(3)} s)`,
  ];
  if (ldesClientSeconds > 0) {
    const library = await replayWithLdesClient(baseUrl, ldesClientSeconds);
    lines.push(
      `P4 LDES replay with ldes-client 0.3 (${library.complete ? 'complete' : `stopped after ${ldesClientSeconds} s`}): ${rate(library.members, library.seconds)} members (${library.members} in ${library.seconds.toFixed(1)} s)`,
    );
  }
  return { lines };
}

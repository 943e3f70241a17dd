import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import jsonld from 'jsonld';
import { intoConfig, replicateLDES } from 'ldes-client';
import { Parser } from 'n3';
import { isomorphic } from 'rdf-isomorphic';
import type { Quad } from '@rdfjs/types';
import { DataSource } from 'typeorm';
import { anActivity, aPerformance } from '../../../test/support/factories.js';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { http } from './http.js';

// CommonJS package without types.
const { RpdeValidator } = createRequire(import.meta.url)('@openactive/rpde-validator') as {
  RpdeValidator: (url: string, options: { pageLimit: number }) => Promise<{ pages: Array<{ url: string; errors: Array<{ severity: string; type: string; message: string }> }> }>;
};

const LDES_PAGE_SPAN = 100;

interface RpdeItem {
  state: 'updated' | 'deleted';
  kind: string;
  id: string;
  modified: number;
  data?: Record<string, any>;
}

/** Follows `next` until the last page, as an RPDE consumer does. */
async function walkRpde(baseUrl: string, feed: string, after?: number): Promise<{ items: RpdeItem[]; pages: Array<{ url: string; cacheControl: string | null; body: any }> }> {
  let url = `${baseUrl}/feeds/${feed}${after === undefined ? '' : `?afterChangeNumber=${after}`}`;
  const items: RpdeItem[] = [];
  const pages: Array<{ url: string; cacheControl: string | null; body: any }> = [];
  for (let guard = 0; guard < 1000; guard++) {
    const response = await fetch(url);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { next: string; items: RpdeItem[] };
    pages.push({ url, cacheControl: response.headers.get('cache-control'), body });
    items.push(...body.items);
    if (body.items.length === 0) return { items, pages };
    url = body.next;
  }
  throw new Error('feed did not end');
}

async function readMembers(url: string, statePath: string): Promise<string[]> {
  const reader = replicateLDES(intoConfig({ url, polling: false, statePath }), 'none').stream().getReader();
  const ids: string[] = [];
  for (;;) {
    const next = await reader.read();
    if (next.done) return ids;
    ids.push(next.value.id.value);
  }
}

function parseTurtle(text: string, baseIRI: string): Quad[] {
  return new Parser({ baseIRI }).parse(text);
}

describe('change feeds (e2e: RPDE and LDES over HTTP, real pipeline)', () => {
  let platform: TestApp;
  let database: DataSource;
  let key: string;
  const performances: string[] = [];
  let deletedId: string;

  beforeAll(async () => {
    // RPDE pages of 15 items and LDES pages of 100 change numbers: the 40 activities below fill several.
    platform = await startTestApp({ ownBaseUrl: true, overrides: { FEED_PAGE_SIZE: '15', FEED_LDES_PAGE_SPAN: String(LDES_PAGE_SPAN) } });
    database = await new DataSource({ type: 'postgres', url: platform.database.url }).initialize();
    key = await platform.createSource('feedsrc');
    const items = Array.from({ length: 40 }, (_, index) =>
      anActivity({ externalId: `feed-${index}`, performances: [aPerformance(`feed-${index}-p1`), aPerformance(`feed-${index}-p2`, { start: '2027-03-01T20:00:00+01:00' })] }),
    );
    for (let offset = 0; offset < items.length; offset += 20) {
      const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/feedsrc/activities?wait=true', { token: key, body: items.slice(offset, offset + 20) });
      expect(pushed.status).toBe(200);
    }
    // Seat changes until the change log passes two LDES pages (availability rows only: the fast lane).
    for (let round = 0; round < 3; round++) {
      const updates = items.flatMap((item) => item.performances.map((performance) => ({ performanceId: performance.externalId, remaining: 150 - round * 10 })));
      const updated = await http(platform.baseUrl, 'PUT', '/v1/sources/feedsrc/availability', { token: key, body: updates });
      expect(updated.status).toBe(200);
    }
    performances.push(...items.map((item) => item.performances[0].externalId));
    const deleted = await http(platform.baseUrl, 'DELETE', '/v1/sources/feedsrc/activities/feed-7', { token: key });
    expect(deleted.status).toBeLessThan(300);
    const [{ id }] = await database.query(`SELECT entity_id AS id FROM change_log WHERE operation = 'delete'`);
    deletedId = id;
  }, 120_000);

  afterAll(async () => {
    await database?.destroy();
    await platform?.close();
  });

  describe('RPDE', () => {
    it('lists every activity once at its latest change, in change-number order, with the published JSON-LD and tombstones', async () => {
      const { items, pages } = await walkRpde(platform.baseUrl, 'activities');
      expect(items).toHaveLength(40);
      expect(new Set(items.map((item) => item.id)).size).toBe(40);
      const modified = items.map((item) => item.modified);
      expect([...modified].sort((left, right) => left - right)).toEqual(modified);
      const latest: Array<{ id: string; seq: string }> = await database.query(
        `SELECT entity_id AS id, max(seq)::text AS seq FROM change_log WHERE entity_type = 'activity' GROUP BY entity_id`,
      );
      expect(Object.fromEntries(items.map((item) => [item.id, String(item.modified)]))).toEqual(Object.fromEntries(latest.map((row) => [row.id, row.seq])));
      const tombstone = items.find((item) => item.id === deletedId)!;
      expect(tombstone).toEqual({ state: 'deleted', kind: 'Activiteit', id: deletedId, modified: tombstone.modified });
      const updated = items.find((item) => item.state === 'updated')!;
      expect(updated.kind).toBe('Activiteit');
      expect(updated.data!['@id']).toBe(`${platform.baseUrl}/id/activiteit/${updated.id}`);
      // The data is what the IRI answers with: the seat changes of the fast lane are in it.
      const resource = await http(platform.baseUrl, 'GET', `/id/activiteit/${updated.id}`, { headers: { accept: 'application/ld+json' } });
      expect(updated.data).toEqual(resource.body);
      expect(JSON.stringify(updated.data)).toContain('130');
      // Pages with items are cacheable for an hour; the last page has no items, 8 s, and links to itself.
      expect(pages.length).toBe(4);
      for (const page of pages.slice(0, -1)) {
        expect(page.cacheControl).toBe('public, max-age=3600');
        expect(page.body.license).toBe('https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0');
        expect(page.body.next).toMatch(new RegExp(`^${platform.baseUrl}/feeds/activities\\?afterChangeNumber=\\d+$`));
      }
      const last = pages.at(-1)!;
      expect(last.cacheControl).toBe('public, max-age=8');
      expect(last.body.items).toEqual([]);
      expect(last.body.next).toBe(last.url);
    });

    it('walks the activities, places and organizers feeds with @openactive/rpde-validator without a failure', async () => {
      for (const feed of ['activities', 'places', 'organizers']) {
        const log = await RpdeValidator(`${platform.baseUrl}/feeds/${feed}`, { pageLimit: 50 });
        const failures = log.pages.flatMap((page) => page.errors.filter((error) => error.severity === 'failure').map((error) => `${page.url}: ${error.type} ${error.message}`));
        expect(failures).toEqual([]);
        expect(log.pages.length).toBeGreaterThan(feed === 'activities' ? 3 : 1);
      }
    }, 60_000);

    it('shows a later change after the cursor a consumer holds, and nothing behind it', async () => {
      const { items } = await walkRpde(platform.baseUrl, 'activities');
      const cursor = items.at(-1)!.modified;
      const updated = await http(platform.baseUrl, 'PUT', `/v1/sources/feedsrc/performances/${performances[3]}/availability`, { token: key, body: { remaining: 3 } });
      expect(updated.status).toBe(200);
      const after = await walkRpde(platform.baseUrl, 'activities', cursor);
      expect(after.items).toHaveLength(1);
      expect(after.items[0].modified).toBeGreaterThan(cursor);
      expect(JSON.stringify(after.items[0].data)).toContain('LimitedAvailability');
      // The entity left its old place in the feed: a consumer replaying from the start sees it once.
      const replay = await walkRpde(platform.baseUrl, 'activities');
      expect(replay.items.filter((item) => item.id === after.items[0].id)).toEqual([after.items[0]]);
    });

    it('places and organizers have their own feeds', async () => {
      const places = await walkRpde(platform.baseUrl, 'places');
      expect(places.items).toEqual([expect.objectContaining({ state: 'updated', kind: 'Plaats' })]);
      expect(places.items[0].data!['@id']).toMatch(/\/id\/locatie\//);
      const organizers = await walkRpde(platform.baseUrl, 'organizers');
      expect(organizers.items).toEqual([expect.objectContaining({ state: 'updated', kind: 'Organisator' })]);
    });

    it('answers a cursor that cannot be read, another ordering strategy or an unknown feed with a clear error', async () => {
      const bad = await http(platform.baseUrl, 'GET', '/feeds/activities?afterChangeNumber=yesterday');
      expect(bad.status).toBe(400);
      expect(bad.body.error).toEqual(expect.objectContaining({ code: 'invalid-argument', where: 'query afterChangeNumber' }));
      expect(bad.body.error.message.nl).toContain('afterChangeNumber');
      const strategy = await http(platform.baseUrl, 'GET', '/feeds/activities?afterTimestamp=1&afterId=x');
      expect(strategy.status).toBe(400);
      expect(strategy.body.error.message.en).toContain('change-number');
      const unknown = await http(platform.baseUrl, 'GET', '/feeds/events');
      expect(unknown.status).toBe(404);
    });
  });

  describe('LDES', () => {
    it('describes an ldes:EventStream with one view, version paths, shape, retention and DCAT, in Turtle and JSON-LD alike', async () => {
      const base = platform.baseUrl;
      const turtle = await http(base, 'GET', '/ldes/activities', { headers: { accept: 'text/turtle' } });
      expect(turtle.status).toBe(200);
      expect(turtle.headers.get('content-type')).toContain('text/turtle');
      const quads = parseTurtle(turtle.text, `${base}/ldes/activities`);
      const objects = (subject: string, predicate: string) => quads.filter((item) => item.subject.value === subject && item.predicate.value === predicate).map((item) => item.object.value);
      const stream = `${base}/ldes/activities`;
      expect(objects(stream, 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type')).toEqual(expect.arrayContaining(['https://w3id.org/ldes#EventStream', 'http://www.w3.org/ns/dcat#Dataset']));
      expect(objects(stream, 'https://w3id.org/tree#view')).toEqual([`${stream}/view`]);
      expect(objects(stream, 'https://w3id.org/ldes#timestampPath')).toEqual(['http://www.w3.org/ns/prov#generatedAtTime']);
      expect(objects(stream, 'https://w3id.org/ldes#versionOfPath')).toEqual(['http://purl.org/dc/terms/isVersionOf']);
      expect(objects(stream, 'https://w3id.org/tree#shape')).toHaveLength(1);
      const description = objects(`${stream}/view`, 'https://w3id.org/tree#viewDescription')[0];
      expect(objects(description, 'http://www.w3.org/ns/dcat#servesDataset')).toEqual([stream]);
      const retention = objects(description, 'https://w3id.org/ldes#retentionPolicy')[0];
      expect(objects(retention, 'https://w3id.org/ldes#fullLogDuration')).toEqual(['P7D']);
      const json = await http(base, 'GET', '/ldes/activities', { headers: { accept: 'application/ld+json' } });
      expect(json.headers.get('content-type')).toContain('application/ld+json');
      const fromJson = (await jsonld.toRDF(json.body, { format: undefined } as jsonld.Options.ToRdf)) as unknown as Quad[];
      expect(isomorphic(fromJson, quads)).toBe(true);
      expect((await http(base, 'GET', '/ldes/activities', { headers: { accept: 'image/png' } })).status).toBe(406);
    });

    it('links every page from the view with both bounds on the timestamp path; full pages are immutable with a stable ETag, the open page answers 304', async () => {
      const base = platform.baseUrl;
      const [{ head }] = await database.query('SELECT max(seq)::int AS head FROM change_log');
      expect(head).toBeGreaterThan(2 * LDES_PAGE_SPAN);
      const view = await http(base, 'GET', '/ldes/activities/view', { headers: { accept: 'text/turtle' } });
      const quads = parseTurtle(view.text, `${base}/ldes/activities/view`);
      const relations = quads.filter((item) => item.predicate.value === 'https://w3id.org/tree#relation').map((item) => item.object);
      const describe = (node: Quad['object']) => Object.fromEntries(quads.filter((item) => item.subject.equals(node)).map((item) => [item.predicate.value.split('#')[1], item.object.value]));
      const firstPage = relations.map(describe).filter((relation) => relation.node === `${base}/ldes/activities/pages/1-${LDES_PAGE_SPAN}`);
      expect(firstPage.map((relation) => relation.type).sort()).toEqual(['https://w3id.org/tree#GreaterThanOrEqualToRelation', 'https://w3id.org/tree#LessThanRelation']);
      expect(firstPage.every((relation) => relation.path === 'http://www.w3.org/ns/prov#generatedAtTime')).toBe(true);
      const [lower, upper] = [firstPage.find((relation) => relation.type.endsWith('GreaterThanOrEqualToRelation'))!.value, firstPage.find((relation) => relation.type.endsWith('LessThanRelation'))!.value];
      const [bounds] = await database.query(`SELECT min(occurred_at) AS first, max(occurred_at) AS last FROM change_log WHERE entity_type = 'activity' AND seq <= $1`, [LDES_PAGE_SPAN]);
      expect(Date.parse(lower)).toBeLessThanOrEqual(bounds.first.getTime());
      expect(Date.parse(upper)).toBeGreaterThan(bounds.last.getTime());

      const full = await fetch(`${base}/ldes/activities/pages/1-${LDES_PAGE_SPAN}`, { headers: { accept: 'text/turtle' } });
      expect(full.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const fullText = await full.text();
      expect(fullText).toContain('ldes:immutable true');
      const again = await fetch(`${base}/ldes/activities/pages/1-${LDES_PAGE_SPAN}`, { headers: { accept: 'text/turtle' } });
      expect(again.headers.get('etag')).toBe(full.headers.get('etag'));
      expect(await again.text()).toBe(fullText);

      const openFirst = Math.floor(head / LDES_PAGE_SPAN) * LDES_PAGE_SPAN + 1;
      const openPage = `${base}/ldes/activities/pages/${openFirst}-${openFirst + LDES_PAGE_SPAN - 1}`;
      expect(quads.some((item) => item.object.value === openPage)).toBe(true);
      const open = await fetch(openPage, { headers: { accept: 'text/turtle' } });
      expect(open.headers.get('cache-control')).toBe('public, max-age=8');
      expect(await open.text()).not.toContain('ldes:immutable');
      const revalidated = await fetch(openPage, { headers: { accept: 'text/turtle', 'if-none-match': open.headers.get('etag')! } });
      expect(revalidated.status).toBe(304);
      expect((await http(base, 'GET', `/ldes/activities/pages/${openFirst + LDES_PAGE_SPAN}-${openFirst + 2 * LDES_PAGE_SPAN - 1}`)).status).toBe(404);
      const badRange = await http(base, 'GET', '/ldes/activities/pages/first');
      expect(badRange.status).toBe(400);
      expect(badRange.body.error.where).toBe('path');
      expect((await http(base, 'GET', '/ldes/activities/pages/10-5')).status).toBe(400);
    });

    it('is replicated completely by ldes-client: its members are the versions in the change log, and a second run from its state emits none', async () => {
      const statePath = await mkdtemp(join(tmpdir(), 'cdp-ldes-e2e-'));
      try {
        const url = `${platform.baseUrl}/ldes/activities`;
        const members = await readMembers(url, join(statePath, 'state'));
        const versions: Array<{ seq: string }> = await database.query(`SELECT seq::text AS seq FROM change_log WHERE entity_type = 'activity' ORDER BY seq`);
        expect([...members].sort()).toEqual(versions.map((row) => `${url}/versions/${row.seq}`).sort());
        expect(await readMembers(url, join(statePath, 'state'))).toEqual([]);
      } finally {
        await rm(statePath, { recursive: true, force: true });
      }
    }, 60_000);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { entityId } from '@platform/domain';
import { activityToQuads, parseJsonLd, parseTurtle } from '@platform/linked-data';
import { isomorphic } from 'rdf-isomorphic';
import { ShaclValidator, defaultShapeFiles } from '@platform/validation';
import { aPerformance, anActivity } from '../../../test/support/factories.js';
import { TEST_ADMIN_TOKEN, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { graphql, http } from './http.js';

describe('vendor push (e2e, real Postgres + Redis + BullMQ worker)', () => {
  let platform: TestApp;
  let key: string;

  beforeAll(async () => {
    platform = await startTestApp();
    const created = await http(platform.baseUrl, 'POST', '/v1/admin/sources', {
      token: TEST_ADMIN_TOKEN,
      body: { id: 'vooruit', name: 'Vooruit', kind: 'push' },
    });
    expect(created.status).toBe(201);
    key = created.body.key;
  });

  afterAll(async () => {
    await platform.close();
  });

  it('refuses admin calls without the admin token and duplicate sources', async () => {
    expect((await http(platform.baseUrl, 'POST', '/v1/admin/sources', { body: { id: 'x1', name: 'X' } })).status).toBe(401);
    const duplicate = await http(platform.baseUrl, 'POST', '/v1/admin/sources', { token: TEST_ADMIN_TOKEN, body: { id: 'vooruit', name: 'Again' } });
    expect(duplicate.status).toBe(409);
    const badId = await http(platform.baseUrl, 'POST', '/v1/admin/sources', { token: TEST_ADMIN_TOKEN, body: { id: 'Bad Id!', name: 'X' } });
    expect(badId.status).toBe(400);
    expect(badId.body.error.where).toBe('body /id');
    expect(badId.body.error.message.nl).toContain('kleine letters');
  });

  it('accepts valid items and rejects bad ones per item, with SHACL results in Dutch and English', async () => {
    const good = anActivity();
    const tooMany = anActivity({ performances: [aPerformance('over-1', { availability: { capacity: 10, remaining: 11, level: 'InStock', changedAt: '2026-11-20T10:00:00Z' } })] });
    const noTitle = { ...anActivity(), title: undefined };
    const response = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities?wait=true', { token: key, body: [good, tooMany, noTitle] });
    expect(response.status).toBe(200);
    expect(response.body.summary).toEqual({ items: 3, accepted: 1, rejected: 2, unchanged: 0 });
    const [first, second, third] = response.body.items;
    expect(first).toMatchObject({ position: 0, externalId: good.externalId, status: 'accepted', activityId: entityId('activiteit', 'vooruit', good.externalId) });
    expect(second.status).toBe('rejected');
    expect(second.results.length).toBeGreaterThan(0);
    const capacityResult = second.results.find((result: { path?: string }) => result.path?.includes('remainingAttendeeCapacity'));
    expect(capacityResult).toBeDefined();
    expect(capacityResult.message.nl).toBeTruthy();
    expect(capacityResult.message.en).toBeTruthy();
    expect(capacityResult.message.nl).not.toEqual(capacityResult.message.en);
    expect(third.status).toBe('rejected');
    expect(third.results[0]).toMatchObject({ path: '/title', constraint: 'json-schema:required' });
    expect(third.results[0].message.nl).toMatch(/title/);

    const batch = await http(platform.baseUrl, 'GET', `/v1/batches/${response.body.batchId}`, { token: key });
    expect(batch.status).toBe(200);
    expect(batch.body.items).toHaveLength(3);
    expect(batch.body.status).toBe('done');
  });

  it('answers 202 with a batch id that the worker then completes', async () => {
    const response = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities', { token: key, body: { items: [anActivity()] } });
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toContain(`/v1/batches/${response.body.batchId}`);
    let status = 'queued';
    for (let attempt = 0; attempt < 100 && status !== 'done'; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await http(platform.baseUrl, 'GET', `/v1/batches/${response.body.batchId}`, { token: key })).body.status;
    }
    expect(status).toBe('done');
  });

  it('treats a re-send as a no-op and a change as an update under the same IRI', async () => {
    const item = anActivity();
    const first = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities?wait=true', { token: key, body: [item] });
    const again = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities?wait=true', { token: key, body: [item] });
    expect(again.body.items[0].status).toBe('unchanged');
    expect(again.body.items[0].activityId).toBe(first.body.items[0].activityId);
    const changed = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities?wait=true', {
      token: key,
      body: [{ ...item, title: { nl: 'Nieuwe titel' } }],
    });
    expect(changed.body.items[0]).toMatchObject({ status: 'accepted', activityId: first.body.items[0].activityId });
  });

  it('reads OSLO Turtle pushes through the same path', async () => {
    const item = anActivity();
    const turtle = (await import('@platform/linked-data')).toTurtle(
      activityToQuads(item, { sourceId: 'vooruit', publicBaseUrl: 'https://elsewhere.example', processedAt: '2026-11-22T10:00:00Z' }),
    );
    const response = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities?wait=true', { token: key, raw: turtle, contentType: 'text/turtle' });
    expect(response.status).toBe(200);
    expect(response.body.items[0]).toMatchObject({ status: 'accepted', externalId: item.externalId });
  });

  it('answers 401, 403, 404, 400, 413 and 415 with where and why', async () => {
    const other = await platform.createSource('other-house');
    const body = [anActivity()];
    const unauthenticated = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities', { token: 'nope', body });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.body.error).toMatchObject({ code: 'unauthenticated', where: 'header Authorization' });
    expect((await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities', { token: other, body })).status).toBe(403);
    expect((await http(platform.baseUrl, 'POST', '/v1/sources/nope/activities', { token: other, body })).status).toBe(404);
    const malformed = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities', { token: key, raw: '[{"externalId": "x",}]' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.where).toMatch(/line 1, column \d+/);
    expect(malformed.body.error.message.nl).toContain('Geen geldige JSON');
    const notABatch = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities', { token: key, body: { hello: 'world' } });
    expect(notABatch.status).toBe(400);
    const huge = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities', { token: key, raw: `[${'"x",'.repeat(3_000_000)}"x"]` });
    expect(huge.status).toBe(413);
    const xml = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities', { token: key, raw: '<x/>', contentType: 'application/xml' });
    expect(xml.status).toBe(415);
  });

  it('answers hostile or broken input with a 4xx (or per-item rejections), never a 5xx', async () => {
    const cases: Array<[string, string]> = [
      ['application/json', 'null'],
      ['application/json', '[]'],
      ['application/json', '[null, 1, "x", [], {}]'],
      ['application/json', '{"items": "x"}'],
      ['application/json', `${'['.repeat(5000)}${']'.repeat(5000)}`],
      ['application/json', '[{"externalId": {"$ne": 1}, "title": {"nl": 5}}]'],
      ['application/json', '[{"__proto__": {"polluted": true}, "externalId": "p"}]'],
      ['application/ld+json', '{"@context": "https://evil.example/context.jsonld", "@id": "x"}'],
      ['application/ld+json', '{"@context": {"@vocab": 5}}'],
      ['application/ld+json', '[]'],
      ['text/turtle', '<a> <b> .'],
      ['text/turtle', '@prefix : <http://x/> . :a a :B .'],
      ['application/n-triples', '\u0000'],
    ];
    for (const [contentType, raw] of cases) {
      const push = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities?wait=true', { token: key, raw, contentType });
      expect([contentType, raw.slice(0, 40), push.status < 500]).toEqual([contentType, raw.slice(0, 40), true]);
      const dryRun = await http(platform.baseUrl, 'POST', '/v1/validate', { raw, contentType });
      expect([contentType, raw.slice(0, 40), dryRun.status < 500]).toEqual([contentType, raw.slice(0, 40), true]);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Not even valid UTF-8: refused, and still archived byte for byte.
    const bytes = Buffer.from([0x5b, 0xff, 0xfe, 0x00, 0x5d]);
    const binary = await fetch(`${platform.baseUrl}/v1/sources/vooruit/activities`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: bytes,
    });
    expect(binary.status).toBe(400);
    const [archived] = await platform.app.get(DataSource).query('SELECT body FROM raw_payload ORDER BY received_at DESC LIMIT 1');
    expect(Buffer.compare(archived.body, bytes)).toBe(0);
    const availability = await http(platform.baseUrl, 'PUT', '/v1/sources/vooruit/availability', { token: key, raw: '[{"performanceId": 5}]' });
    expect(availability.status).toBe(400);
    expect((await http(platform.baseUrl, 'GET', '/docs/openapi.json')).status).toBe(200);
  });

  it('rejects, per item, what would break identities or the database, and stores the rest', async () => {
    const good = anActivity();
    const overflow = anActivity({ performances: [aPerformance(`${good.externalId}-big`, { availability: { capacity: 3_000_000_000, remaining: 1, level: 'InStock', changedAt: '2026-11-20T10:00:00Z' } })] });
    const twice = anActivity();
    twice.performances = [aPerformance('twice-p'), aPerformance('twice-p')];
    const claimsGoodsPerformance = anActivity({ performances: [aPerformance(good.performances[0].externalId)] });
    const response = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities?wait=true', {
      token: key,
      body: [good, overflow, twice, claimsGoodsPerformance],
    });
    expect(response.status).toBe(200);
    expect(response.body.items.map((item: { status: string }) => item.status)).toEqual(['accepted', 'rejected', 'rejected', 'rejected']);
    expect(response.body.items[2].results[0].message.en).toContain('appears twice');
    expect(response.body.items[3].results[0].message.en).toContain(`already belongs to activity ${good.externalId}`);
    // Also against what is stored, in a later batch.
    const later = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities?wait=true', { token: key, body: [claimsGoodsPerformance] });
    expect(later.body.items[0].status).toBe('rejected');
  });

  it('keeps fast-lane seat counts when a later push carries none, and refuses ambiguous bulk updates', async () => {
    const item = anActivity();
    const performanceId = item.performances[0].externalId;
    await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities?wait=true', { token: key, body: [item] });
    await http(platform.baseUrl, 'PUT', `/v1/sources/vooruit/performances/${performanceId}/availability`, { token: key, body: { capacity: 100, remaining: 5 } });
    const withoutSeats = { ...item, title: { nl: 'Titel gecorrigeerd' }, performances: item.performances.map(({ availability: _seats, ...rest }) => rest) };
    await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities?wait=true', { token: key, body: [withoutSeats] });
    const turtle = await http(platform.baseUrl, 'GET', `/id/activiteit/${entityId('activiteit', 'vooruit', item.externalId)}`, { headers: { accept: 'application/n-triples' } });
    expect(turtle.text).toContain('"5"^^<http://www.w3.org/2001/XMLSchema#integer>');
    expect(turtle.text).toContain('LimitedAvailability');

    const duplicate = await http(platform.baseUrl, 'PUT', '/v1/sources/vooruit/availability', {
      token: key,
      body: [
        { performanceId, remaining: 50 },
        { performanceId, remaining: 0 },
      ],
    });
    expect(duplicate.body.items.map((entry: { status: string }) => entry.status)).toEqual(['updated', 'rejected']);
    const overflow = await http(platform.baseUrl, 'PUT', `/v1/sources/vooruit/performances/${performanceId}/availability`, { token: key, body: { capacity: 3_000_000_000, remaining: 1 } });
    expect(overflow.status).toBe(400);
    const tooMany = await http(platform.baseUrl, 'PUT', '/v1/sources/vooruit/availability', {
      token: key,
      body: Array.from({ length: 1001 }, (_, index) => ({ performanceId: `p${index}`, remaining: 1 })),
    });
    expect(tooMany.status).toBe(400);
  });

  it('describes an activity with the current state of its place', async () => {
    const first = anActivity({ place: { ...anActivity().place!, externalId: 'shared-hall', name: { nl: 'Oude naam' } } });
    const second = anActivity({ place: { ...first.place!, name: { nl: 'Nieuwe naam' } } });
    await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities?wait=true', { token: key, body: [first] });
    await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities?wait=true', { token: key, body: [second] });
    const turtle = await http(platform.baseUrl, 'GET', `/id/activiteit/${entityId('activiteit', 'vooruit', first.externalId)}`, { headers: { accept: 'text/turtle' } });
    expect(turtle.text).toContain('Nieuwe naam');
    expect(turtle.text).not.toContain('Oude naam');
  });

  it('stops accepting a revoked key at once', async () => {
    const created = await http(platform.baseUrl, 'POST', '/v1/admin/sources', { token: TEST_ADMIN_TOKEN, body: { id: 'revoked-house', name: 'R' } });
    const revoke = await http(platform.baseUrl, 'DELETE', `/v1/admin/sources/revoked-house/keys/${created.body.keyId}`, { token: TEST_ADMIN_TOKEN });
    expect(revoke.status).toBe(204);
    const push = await http(platform.baseUrl, 'POST', '/v1/sources/revoked-house/activities', { token: created.body.key, body: [anActivity()] });
    expect(push.status).toBe(401);
  });

  it('validates as a dry run without storing anything', async () => {
    const item = anActivity();
    const response = await http(platform.baseUrl, 'POST', '/v1/validate', { body: [item, { ...item, externalId: 'x', performances: [] }] });
    expect(response.status).toBe(200);
    expect(response.body.conforms).toBe(false);
    expect(response.body.items.map((entry: { status: string }) => entry.status)).toEqual(['valid', 'rejected']);
    const graph = await http(platform.baseUrl, 'GET', `/id/activiteit/${entityId('activiteit', 'validate', item.externalId)}`);
    expect(graph.status).toBe(404);
  });

  it('serves a stored activity as JSON-LD, Turtle and N-Triples with ETag/304, and its Turtle conforms to shapes/', async () => {
    const item = anActivity();
    const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities?wait=true', { token: key, body: [item] });
    const id = pushed.body.items[0].activityId;
    const jsonld = await http(platform.baseUrl, 'GET', `/id/activiteit/${id}`, { headers: { accept: 'application/ld+json' } });
    expect(jsonld.status).toBe(200);
    expect(jsonld.headers.get('content-type')).toContain('application/ld+json');
    expect(jsonld.text).toContain(`http://data.test.local/id/activiteit/${id}`);
    expect(jsonld.body['@id']).toBe(`http://data.test.local/id/activiteit/${id}`);
    expect(jsonld.body['@context']).toBe('http://data.test.local/ns/context.jsonld');
    const turtle = await http(platform.baseUrl, 'GET', `/id/activiteit/${id}`, { headers: { accept: 'text/turtle' } });
    expect(turtle.headers.get('content-type')).toContain('text/turtle');
    // The framed JSON-LD says exactly what the Turtle says.
    const fromJsonLd = await parseJsonLd(jsonld.body, { platformContextUrls: ['http://data.test.local/ns/context.jsonld'] });
    expect(isomorphic(fromJsonLd, parseTurtle(turtle.text))).toBe(true);
    // What the platform publishes, another source can push back as it is.
    const mirrorKey = await platform.createSource('mirror');
    const mirrored = await http(platform.baseUrl, 'POST', '/v1/sources/mirror/activities?wait=true', {
      token: mirrorKey,
      raw: jsonld.text,
      contentType: 'application/ld+json',
    });
    expect(mirrored.body.items).toEqual([expect.objectContaining({ status: 'accepted', externalId: item.externalId })]);
    const validator = await ShaclValidator.fromFiles(defaultShapeFiles());
    const outcome = await validator.validate(parseTurtle(turtle.text));
    expect(outcome.results).toEqual([]);
    expect(outcome.conforms).toBe(true);
    // The mirrored copy is the same activity from another source: reconciliation publishes them as one.
    const merged = await http(platform.baseUrl, 'GET', `/id/activiteit/${id}`, { headers: { accept: 'text/turtle' } });
    expect(merged.text).toContain(`prov:wasDerivedFrom <http://data.test.local/id/activiteit/${mirrored.body.items[0].activityId}>`);
    const ntriples = await http(platform.baseUrl, 'GET', `/id/activiteit/${id}`, { headers: { accept: 'application/n-triples' } });
    expect(ntriples.text.split('\n').filter(Boolean).length).toBe(parseTurtle(merged.text).length);
    const etag = merged.headers.get('etag')!;
    const cached = await http(platform.baseUrl, 'GET', `/id/activiteit/${id}`, { headers: { accept: 'text/turtle', 'if-none-match': etag } });
    expect(cached.status).toBe(304);
    const since = await http(platform.baseUrl, 'GET', `/id/activiteit/${id}`, { headers: { accept: 'text/turtle', 'if-modified-since': merged.headers.get('last-modified')! } });
    expect(since.status).toBe(304);
    const notAcceptable = await http(platform.baseUrl, 'GET', `/id/activiteit/${id}`, { headers: { accept: 'image/png' } });
    expect(notAcceptable.status).toBe(406);
    const place = await http(platform.baseUrl, 'GET', `/id/locatie/${entityId('locatie', 'vooruit', item.place!.externalId)}`, { headers: { accept: 'text/turtle' } });
    expect(place.status).toBe(200);
    expect(place.text).toContain('9000');
    expect((await http(platform.baseUrl, 'GET', '/id/activiteit/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await http(platform.baseUrl, 'GET', '/id/activiteit/not-a-uuid')).status).toBe(404);
  });

  it('updates availability (single and bulk), bounds-checked, and changes the ETag', async () => {
    const item = anActivity();
    const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities?wait=true', { token: key, body: [item] });
    const id = pushed.body.items[0].activityId;
    const before = await http(platform.baseUrl, 'GET', `/id/activiteit/${id}`, { headers: { accept: 'text/turtle' } });
    const performanceId = item.performances[0].externalId;
    const update = await http(platform.baseUrl, 'PUT', `/v1/sources/vooruit/performances/${performanceId}/availability`, { token: key, body: { capacity: 500, remaining: 3 } });
    expect(update.status).toBe(200);
    expect(update.body).toMatchObject({ status: 'updated', remaining: 3, level: 'LimitedAvailability' });
    const bad = await http(platform.baseUrl, 'PUT', `/v1/sources/vooruit/performances/${performanceId}/availability`, { token: key, body: { capacity: 5, remaining: 6 } });
    expect(bad.status).toBe(400);
    expect(bad.body.problems[0].message.nl).toContain('mag niet groter');
    const unknown = await http(platform.baseUrl, 'PUT', '/v1/sources/vooruit/performances/nope/availability', { token: key, body: { remaining: 1 } });
    expect(unknown.status).toBe(404);
    const bulk = await http(platform.baseUrl, 'PUT', '/v1/sources/vooruit/availability', {
      token: key,
      body: [
        { performanceId, level: 'OutOfStock' },
        { performanceId: item.performances[1].externalId, remaining: -1 },
        { performanceId: 'nope', remaining: 1 },
      ],
    });
    expect(bulk.status).toBe(200);
    expect(bulk.body.items.map((entry: { status: string }) => entry.status)).toEqual(['updated', 'rejected', 'not-found']);
    const after = await http(platform.baseUrl, 'GET', `/id/activiteit/${id}`, { headers: { accept: 'text/turtle' } });
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
    expect(after.text).toContain('OutOfStock');
  });

  it('takes capacity alone (what a planning system knows): the sales count stays, the level follows', async () => {
    const item = anActivity();
    await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities?wait=true', { token: key, body: [item] });
    const performanceId = item.performances[0].externalId;
    const path = `/v1/sources/vooruit/performances/${performanceId}/availability`;
    const grown = await http(platform.baseUrl, 'PUT', path, { token: key, body: { capacity: 800 } });
    expect(grown.body).toMatchObject({ status: 'updated', capacity: 800, remaining: 200, level: 'InStock' });
    const shrunk = await http(platform.baseUrl, 'PUT', path, { token: key, body: { capacity: 150 } });
    expect(shrunk.status).toBe(400);
    expect(shrunk.body.problems[0].message.en).toContain('remaining (200) must not exceed capacity (150)');
    const tight = await http(platform.baseUrl, 'PUT', path, { token: key, body: { capacity: 205 } });
    expect(tight.body).toMatchObject({ status: 'updated', remaining: 200, level: 'InStock' });
    await http(platform.baseUrl, 'PUT', path, { token: key, body: { remaining: 5 } });
    expect((await http(platform.baseUrl, 'PUT', path, { token: key, body: { capacity: 300 } })).body).toMatchObject({ remaining: 5, level: 'LimitedAvailability' });
  });

  it('deletes an activity', async () => {
    const item = anActivity();
    const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities?wait=true', { token: key, body: [item] });
    expect((await http(platform.baseUrl, 'DELETE', `/v1/sources/vooruit/activities/${item.externalId}`, { token: key })).status).toBe(204);
    expect((await http(platform.baseUrl, 'GET', `/id/activiteit/${pushed.body.items[0].activityId}`)).status).toBe(404);
    expect((await http(platform.baseUrl, 'DELETE', `/v1/sources/vooruit/activities/${item.externalId}`, { token: key })).status).toBe(404);
  });

  it('publishes OpenAPI docs with the push schema', async () => {
    const docs = await http(platform.baseUrl, 'GET', '/docs/openapi.json');
    expect(docs.status).toBe(200);
    expect(docs.body.paths['/v1/sources/{sourceId}/activities']).toBeDefined();
    expect(docs.body.components.schemas.Activity.required).toContain('externalId');
    expect(JSON.stringify(docs.body)).not.toContain('#/$defs/');
  });
});

describe('rate limit', () => {
  let platform: TestApp;
  beforeAll(async () => {
    platform = await startTestApp({ worker: false, overrides: { RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(async () => {
    await platform.close();
  });

  it('answers 429 past the limit', async () => {
    const statuses: number[] = [];
    for (let index = 0; index < 5; index++) statuses.push((await http(platform.baseUrl, 'GET', '/id/activiteit/not-a-uuid')).status);
    expect(statuses.slice(0, 3)).toEqual([404, 404, 404]);
    expect(statuses[4]).toBe(429);
  });

  it('counts a made-up bearer token against the caller\'s IP, not as a fresh budget', async () => {
    // The previous test used up this IP's budget: random tokens must not get around it.
    const statuses: number[] = [];
    for (let index = 0; index < 3; index++) {
      statuses.push((await http(platform.baseUrl, 'GET', '/id/activiteit/not-a-uuid', { token: `made-up-${index}-${Math.random()}` })).status);
    }
    expect(statuses).toEqual([429, 429, 429]);
  });

  it('limits GraphQL over HTTP too, and gives a live vendor key its own budget', async () => {
    const limited = await graphql(platform.baseUrl, '{ activities(first: 1) { totalCount } }');
    expect(limited.errors?.[0].message).toMatch(/Too many requests/);
    const key = await platform.createSource('budget-house');
    const own = await http(platform.baseUrl, 'GET', '/id/activiteit/not-a-uuid', { token: key });
    expect(own.status).toBe(404);
  });
});

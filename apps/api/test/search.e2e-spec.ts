import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jsonld from 'jsonld';
import { chromium, type Browser } from 'playwright-core';
import { entityId } from '@platform/domain';
import { aPerformance, anActivity } from '../../../test/support/factories.js';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { graphql, http } from './http.js';

describe('search, query limits and activity pages (e2e over HTTP)', () => {
  let platform: TestApp;
  let houseKey: string;
  const concerts = Array.from({ length: 5 }, (_, index) =>
    anActivity({
      externalId: `concert-${index}`,
      title: { nl: `Kamerconcert ${index}` },
      performances: [aPerformance(`concert-${index}-p`, { start: `2027-02-0${index + 1}T20:00:00+01:00`, end: `2027-02-0${index + 1}T22:00:00+01:00` })],
    }),
  );
  const summer = anActivity({
    externalId: 'summer',
    title: { nl: 'Zomer <script>alert("x")</script> & co' },
    description: { nl: 'Buiten spelen in de zon.' },
    images: ['https://img.example.org/zomer.jpg'],
    booking: { url: 'https://tickets.example.org/zomer', availableFrom: '2026-12-01T09:00:00+01:00' },
    prices: [
      { category: 'base', name: { nl: 'Basis' }, amount: 15, currency: 'EUR' },
      { category: 'social', name: { nl: 'Sociaal tarief' }, amount: 3, currency: 'EUR' },
    ],
    performances: [
      aPerformance('summer-p1', { start: '2027-07-10T14:00:00+02:00', end: '2027-07-10T16:00:00+02:00', availability: { capacity: 200, remaining: 4, level: 'LimitedAvailability', changedAt: '2026-11-20T10:00:00Z' } }),
      aPerformance('summer-p2', { start: '2027-07-11T14:00:00+02:00', end: '2027-07-11T16:00:00+02:00', availability: { capacity: 200, remaining: 0, level: 'OutOfStock', changedAt: '2026-11-20T10:00:00Z' } }),
    ],
  });
  const summerId = entityId('activiteit', 'search-house', 'summer');

  beforeAll(async () => {
    platform = await startTestApp();
    houseKey = await platform.createSource('search-house');
    const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/search-house/activities?wait=true', { token: houseKey, body: [...concerts, summer] });
    expect(pushed.body.items.filter((item: { status: string }) => item.status === 'rejected')).toEqual([]);
    expect(pushed.body.summary.accepted).toBe(6);
  });

  afterAll(async () => {
    await platform.close();
  });

  describe('REST GET /v1/activities', () => {
    it('answers a Hydra collection of schema.org Events whose next links walk every match', async () => {
      const first = await http(platform.baseUrl, 'GET', '/v1/activities?text=kamerconcert&sort[start]=asc&limit=2');
      expect(first.status).toBe(200);
      expect(first.headers.get('content-type')).toMatch(/^application\/ld\+json/);
      expect(first.body).toMatchObject({ '@type': 'Collection', totalItems: 5, view: { '@type': 'PartialCollectionView' } });
      expect(first.body.view.first).toBe('http://data.test.local/v1/activities?text=kamerconcert&sort%5Bstart%5D=asc&limit=2');
      const names: string[] = [];
      let page = first;
      for (let guard = 0; guard < 10; guard += 1) {
        names.push(...page.body.member.map((member: { name: string }) => member.name));
        if (!page.body.view.next) break;
        const next = new URL(page.body.view.next);
        page = await http(platform.baseUrl, 'GET', `${next.pathname}${next.search}`);
        expect(page.status).toBe(200);
      }
      expect(names).toEqual([0, 1, 2, 3, 4].map((index) => `Kamerconcert ${index}`));
      // Valid JSON-LD: members are hydra:member, their fields schema.org terms.
      const expanded = (await jsonld.expand(first.body)) as Array<Record<string, unknown>>;
      const members = (expanded[0]['http://www.w3.org/ns/hydra/core#member'] as Array<{ '@list': Array<Record<string, unknown>> }>)[0]['@list'];
      expect(members[0]['@type']).toEqual(['https://schema.org/Event']);
      expect(members[0]['https://schema.org/startDate']).toEqual([{ '@value': '2027-02-01T20:00:00+01:00' }]);
    });

    it('takes the same filters as GraphQL and gives the same result set', async () => {
      const rest = await http(platform.baseUrl, 'GET', '/v1/activities?dateFrom=2027-07-01&dateTo=2027-07-31&coordinates=51.0543,3.7174&distance=5km&termIds=concert&availability=LimitedAvailability&facets=types,availability');
      expect(rest.status).toBe(200);
      expect(rest.body.member.map((member: { '@id': string }) => member['@id'])).toEqual([`http://data.test.local/id/activiteit/${summerId}`]);
      expect(rest.body.member[0].distanceKm).toBeGreaterThan(1);
      expect(rest.body.facet.availability).toEqual([
        { value: 'LimitedAvailability', count: 1 },
        { value: 'OutOfStock', count: 1 },
      ]);
      const result = await graphql(
        platform.baseUrl,
        `{ activities(filter: {dateFrom: "2027-07-01", dateTo: "2027-07-31", coordinates: "51.0543,3.7174", distance: "5km", termIds: ["concert"], availability: [LimitedAvailability]}, facets: [availability], first: 10) {
             totalCount edges { distanceKm node { id } } facets { name values { value count } } } }`,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data.activities.edges.map((edge: { node: { id: string } }) => edge.node.id)).toEqual([summerId]);
      expect(result.data.activities.facets).toEqual([{ name: 'availability', values: rest.body.facet.availability }]);
      const sorted = await graphql(platform.baseUrl, `{ activities(filter: {text: "kamerconcert"}, sort: {by: START, order: DESC}, first: 2) { edges { node { title } } } }`);
      expect(sorted.data.activities.edges.map((edge: { node: { title: string } }) => edge.node.title)).toEqual(['Kamerconcert 4', 'Kamerconcert 3']);
    });

    it('refuses a value it cannot read with a 400 naming the parameter, in Dutch and English', async () => {
      const cases: Array<[string, string]> = [
        ['dateFrom=gisteren', 'query dateFrom'],
        ['coordinates=51.05,3.72', 'query distance'],
        ['coordinates=91,3&distance=5km', 'query coordinates'],
        ['distance=far&coordinates=51,3', 'query distance'],
        ['localTimeFrom=25:00', 'query localTimeFrom'],
        ['minAge=twelve', 'query minAge'],
        ['regions=Gent', 'query regions'],
        ['availability=Plenty', 'query availability'],
        ['sort[distance]=asc', 'query sort[distance]'],
        ['limit=1000', 'query limit'],
        ['after=nonsense', 'query after'],
        ['start=10000', 'query start'],
        ['txt=jazz', 'query txt'],
      ];
      for (const [query, where] of cases) {
        const answer = await http(platform.baseUrl, 'GET', `/v1/activities?${query}`);
        expect({ query, status: answer.status, code: answer.body.error?.code, where: answer.body.error?.where }).toEqual({ query, status: 400, code: 'invalid-argument', where });
        expect(answer.body.error.message.nl).toBeTruthy();
        expect(answer.body.error.message.en).toBeTruthy();
      }
      const graph = await graphql(platform.baseUrl, `{ activities(filter: {dateFrom: "gisteren"}) { totalCount } }`);
      expect(graph.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'filter.dateFrom' } });
    });
  });

  describe('GraphQL query limits', () => {
    it('refuses 2,000 aliased activities fields at once, with a clear error and no stack trace', async () => {
      const query = `{ ${Array.from({ length: 2000 }, (_, index) => `a${index}: activities(first: 100) { totalCount }`).join(' ')} }`;
      const started = Date.now();
      const response = await fetch(`${platform.baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      const body = (await response.json()) as { data?: unknown; errors: Array<{ message: string; extensions?: Record<string, unknown> }> };
      expect(Date.now() - started).toBeLessThan(2000);
      expect(body.data).toBeUndefined();
      // Refused while parsing (graphql-js's token limit): the client's mistake, a 400.
      expect(response.status).toBe(400);
      expect(body.errors[0].message).toMatch(/more tha[nt] 2000 tokens/i);
      expect(JSON.stringify(body)).not.toMatch(/stacktrace|at .*\.js:\d+/);
    });

    it('refuses too many aliases, too deep and too costly operations before running them', async () => {
      const ask = async (query: string) => (await graphql(platform.baseUrl, query)).errors?.map((error) => error.message).join(' ') ?? '';
      expect(await ask(`{ ${Array.from({ length: 20 }, (_, index) => `a${index}: activities(first: 1) { totalCount }`).join(' ')} }`)).toMatch(/aliases limit/i);
      // What calendars ask is allowed, also through fragments.
      expect(await ask('{ activities { edges { node { sources { id } place { address { postalCode } } performances { availability { capacity } } } } } }')).toBe('');
      expect(await ask('{ activities { ...a } } fragment a on ActivityConnection { edges { node { place { address { street } } performances { availability { level } } } } pageInfo { endCursor } }')).toBe('');
      // A (future) recursive type cannot be nested deeper than the limit: the schema's deepest path plus fragments.
      expect(await ask(`{ activities { ...f } } fragment f on ActivityConnection { ${'edges { node { place { address { street } } } } '} }`)).toBe('');
      const wide = `{ ${Array.from({ length: 15 }, (_, index) => `a${index}: activities(first: 100) { edges { node { id title titles { language value } place { id name address { street postalCode municipality } } performances { id start end availability { capacity remaining level } } } } }`).join(' ')} }`;
      expect(await ask(wide)).toMatch(/cost limit/i);
      const errors = (await graphql(platform.baseUrl, '{ activities { edges { node { idd } } } }')).errors!;
      expect(JSON.stringify(errors)).not.toMatch(/stacktrace/);
      const batched = await fetch(`${platform.baseUrl}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ query: '{ activities { totalCount } }' }, { query: '{ activities { totalCount } }' }]) });
      expect(batched.status).toBe(400);
    });
  });

  describe('activity page and schema.org', () => {
    let browser: Browser;

    beforeAll(async () => {
      browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      });
    });

    afterAll(async () => {
      await browser?.close();
    });

    it('renders a readable, escaped page in a browser that embeds schema.org Event JSON-LD with live availability', async () => {
      const page = await browser.newPage();
      const response = await page.goto(`${platform.baseUrl}/id/activiteit/${summerId}`);
      expect(response?.headers()['content-type']).toMatch(/^text\/html/);
      expect(await page.title()).toBe('Zomer <script>alert("x")</script> & co');
      expect(await page.locator('h1').textContent()).toBe('Zomer <script>alert("x")</script> & co');
      const body = await page.locator('body').innerText();
      expect(body).toMatch(/zaterdag 10 juli 2027, 14:00–16:00/);
      expect(body).toMatch(/Laatste tickets \(nog 4 van 200 plaatsen\)/);
      expect(body).toMatch(/Uitverkocht/);
      expect(body).toMatch(/De Bijloke/);
      expect(body).toMatch(/9000 Gent/);
      expect(body).toMatch(/Sociaal tarief: €\s3,00/);
      const alternates = await page.locator('footer a').evaluateAll((links) => links.map((link) => link.getAttribute('href')));
      expect(alternates).toEqual(['.jsonld', '.ttl', '.nt'].map((suffix) => `http://data.test.local/id/activiteit/${summerId}${suffix}`));
      const scripts = await page.locator('script[type="application/ld+json"]').allTextContents();
      expect(scripts).toHaveLength(1);
      const event = JSON.parse(scripts[0]);
      expect(event).toMatchObject({
        '@context': 'https://schema.org/',
        '@type': 'Event',
        name: 'Zomer <script>alert("x")</script> & co',
        startDate: '2027-07-10T14:00:00+02:00',
        endDate: '2027-07-11T16:00:00+02:00',
        eventStatus: 'https://schema.org/EventScheduled',
        eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
        image: ['https://img.example.org/zomer.jpg'],
        location: { '@type': 'Place', name: 'De Bijloke', address: { '@type': 'PostalAddress', streetAddress: 'Jozef Kluyskensstraat 2', postalCode: '9000', addressLocality: 'Gent', addressCountry: 'BE' } },
        organizer: { '@type': 'Organization', name: 'Muziekcentrum De Bijloke', url: 'https://www.bijloke.be' },
      });
      expect(event.offers[0]).toEqual({
        '@type': 'Offer',
        name: 'Basis',
        price: 15,
        priceCurrency: 'EUR',
        availability: 'https://schema.org/LimitedAvailability',
        validFrom: '2026-12-01T09:00:00+01:00',
        url: 'https://tickets.example.org/zomer',
        category: 'base',
      });
      expect(event.subEvent.map((sub: { startDate: string; offers: Array<{ availability: string }>; remainingAttendeeCapacity: number }) => [sub.startDate, sub.offers[0].availability, sub.remainingAttendeeCapacity])).toEqual([
        ['2027-07-10T14:00:00+02:00', 'https://schema.org/LimitedAvailability', 4],
        ['2027-07-11T14:00:00+02:00', 'https://schema.org/OutOfStock', 0],
      ]);
      // Valid JSON-LD with schema.org terms (the context is schema.org's; expanded offline with the term IRIs).
      const expanded = await jsonld.expand({ ...event, '@context': { '@vocab': 'https://schema.org/' } });
      expect(expanded[0]['https://schema.org/subEvent']).toHaveLength(2);
      await page.close();
    });

    it('serves the same schema.org JSON-LD on the schema.org profile, and the OSLO document otherwise', async () => {
      const schemaOrg = await http(platform.baseUrl, 'GET', `/id/activiteit/${summerId}`, { headers: { accept: 'application/ld+json; profile="https://schema.org/"' } });
      expect(schemaOrg.headers.get('content-type')).toMatch(/^application\/ld\+json; profile="https:\/\/schema.org\/"/);
      expect(schemaOrg.body['@type']).toBe('Event');
      const html = await http(platform.baseUrl, 'GET', `/id/activiteit/${summerId}`, { headers: { accept: 'text/html' } });
      const embedded = /<script type="application\/ld\+json">(.*?)<\/script>/s.exec(html.text)![1];
      expect(JSON.parse(embedded)).toEqual(schemaOrg.body);
      expect(html.text).not.toContain('<script>alert');
      const oslo = await http(platform.baseUrl, 'GET', `/id/activiteit/${summerId}`, { headers: { accept: 'application/ld+json' } });
      expect(oslo.body['@context']).toBe('http://data.test.local/ns/context.jsonld');
      expect(oslo.headers.get('etag')).not.toBe(schemaOrg.headers.get('etag'));
      const turtle = await http(platform.baseUrl, 'GET', `/id/activiteit/${summerId}.ttl`);
      expect(turtle.headers.get('content-type')).toMatch(/^text\/turtle/);
      const triples = await http(platform.baseUrl, 'GET', `/id/activiteit/${summerId}.nt`, { headers: { accept: 'text/html' } });
      expect(triples.headers.get('content-type')).toMatch(/^application\/n-triples/);
      // Seats change through the fast lane: the page and its schema.org offers follow at once.
      const changed = await http(platform.baseUrl, 'PUT', '/v1/sources/search-house/performances/summer-p2/availability', { token: houseKey, body: { capacity: 200, remaining: 150 } });
      expect(changed.status).toBeLessThan(300);
      const after = await http(platform.baseUrl, 'GET', `/id/activiteit/${summerId}`, { headers: { accept: 'application/ld+json; profile="https://schema.org/"' } });
      expect(after.body.subEvent[1].offers[0].availability).toBe('https://schema.org/InStock');
      expect(after.body.offers[0].availability).toBe('https://schema.org/InStock');
      const placeHtml = await http(platform.baseUrl, 'GET', `/id/locatie/${entityId('locatie', 'search-house', 'venue-1')}`, { headers: { accept: 'text/html' } });
      expect(placeHtml.status).toBe(406);
    });
  });
});

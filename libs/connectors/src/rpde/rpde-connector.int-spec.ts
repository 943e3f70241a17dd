import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startFixtureServer, type FixtureServer } from '../../../../test/support/fixture-server.js';
import { RemoteError } from '../http-client.js';
import type { MappedActivity, MappedItem } from '../mapped-item.js';
import { rpdeConnector } from './rpde-connector.js';
import type { RpdeCursor } from './rpde-types.js';
import { fixtureContext, runPages } from './testing/run-connector.js';

const fixture = (name: string) => readFileSync(new URL(`./testing/${name}`, import.meta.url), 'utf8');
const PAGES: Record<string, string> = {
  '': fixture('page-1.json'),
  '1772100000': fixture('page-2.json'),
  '1772300000': fixture('page-3.json'),
  '1772500000': fixture('page-4-last.json'),
};

describe('rpde connector over HTTP', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer((_request, url) => {
      const page = url.pathname === '/rpde/events' ? PAGES[url.searchParams.get('afterTimestamp') ?? ''] : undefined;
      // RPDE `next` links are absolute: the recorded pages name the path, the server adds its origin
      return page ? { headers: { 'content-type': 'application/json' }, body: page.replaceAll('"next": "/', `"next": "${server.baseUrl}/`) } : { status: 404, body: 'not found' };
    });
  });
  afterAll(async () => server.close());
  beforeEach(() => {
    server.requests.splice(0);
  });

  const context = (credentials: Record<string, string> = {}) => fixtureContext(`${server.baseUrl}/rpde/events`, {}, credentials);
  const mapAll = (pages: Array<Parameters<typeof rpdeConnector.mapPage>[0]>): MappedItem[][] => pages.map((page) => rpdeConnector.mapPage(page, context()));

  it('pages to the empty last page, whose next is its own URL, and maps updates, the changed record and the tombstone', async () => {
    const run = await runPages(rpdeConnector, context({ apiKey: 'feed-secret-key' }), rpdeConnector.initialCursor(context().settings, new Date()));
    expect(run.error).toBeUndefined();
    expect(server.requests.map((request) => request.url)).toEqual([
      '/rpde/events',
      '/rpde/events?afterTimestamp=1772100000&afterId=strijkkwartet',
      '/rpde/events?afterTimestamp=1772300000&afterId=orgelconcert',
      '/rpde/events?afterTimestamp=1772500000&afterId=yoga-2027-01-12',
    ]);
    expect(server.requests[0].headers['x-api-key']).toBe('feed-secret-key');
    expect(run.pages.map((page) => page.done)).toEqual([false, false, false, true]);
    expect(run.cursor.next).toBe(`${server.baseUrl}/rpde/events?afterTimestamp=1772500000&afterId=yoga-2027-01-12`);
    expect(JSON.stringify(run.cursor)).not.toContain('feed-secret-key');
    expect(run.pages[0].responses[0].body.toString('utf8')).toContain('"strijkkwartet"');

    const [first, second, third, last] = mapAll(run.pages);
    expect(first.map((item) => item.type)).toEqual(['activity', 'activity']);
    const session = first[1] as MappedActivity;
    expect(session.activity.title).toEqual({ nl: 'Yoga in de Bijloke' });
    expect(session.activity.performances[0]).toMatchObject({ status: 'scheduled', availability: { capacity: 20, remaining: 5, level: 'LimitedAvailability' } });
    // page 2: the OSLO JSON-LD item read through libs/linked-data, and an event without a place
    expect(second[0]).toMatchObject({ type: 'activity', externalId: 'orgelconcert', activity: { title: { nl: 'Orgelconcert in de Sint-Baafskathedraal' } } });
    expect(second[1]).toMatchObject({ type: 'invalid', externalId: 'zonder-plaats' });
    // page 3: the tombstone and the changed session (cancelled, sold out)
    expect(third[0]).toEqual({ type: 'deletion', externalId: 'strijkkwartet' });
    expect((third[1] as MappedActivity).activity.performances[0]).toMatchObject({ status: 'cancelled', availability: { remaining: 0, level: 'OutOfStock' } });
    expect(last).toEqual([]);
  });

  it('resumes after a failure in the middle from the persisted cursor, and a later run polls from the last page', async () => {
    const start: RpdeCursor = rpdeConnector.initialCursor(context().settings, new Date());
    const page1 = await rpdeConnector.fetchPage(context(), start);
    const cursor = JSON.parse(JSON.stringify(page1.cursor)) as RpdeCursor;
    server.failNext(2);
    await expect(rpdeConnector.fetchPage(context(), cursor)).rejects.toBeInstanceOf(RemoteError);
    server.requests.splice(0);

    const rest = await runPages(rpdeConnector, context(), cursor);
    expect(rest.error).toBeUndefined();
    expect(server.requests[0].url).toBe('/rpde/events?afterTimestamp=1772100000&afterId=strijkkwartet');
    expect(rest.pages).toHaveLength(3);

    server.requests.splice(0);
    const later = await runPages(rpdeConnector, context(), rest.cursor);
    expect(server.requests.map((request) => request.url)).toEqual(['/rpde/events?afterTimestamp=1772500000&afterId=yoga-2027-01-12']);
    expect(later.pages.map((page) => page.done)).toEqual([true]);
  });

  it('a page that is not RPDE is a remote failure naming the URL', async () => {
    await expect(rpdeConnector.fetchPage(context(), { next: `${server.baseUrl}/elders` })).rejects.toThrow(/\/elders/);
  });
});

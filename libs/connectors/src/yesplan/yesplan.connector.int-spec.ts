import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startFixtureServer, type FixtureServer } from '../../../../test/support/fixture-server.js';
import type { ConnectorContext, ConnectorPage, ConnectorSettings } from '../connector.js';
import { HttpClient, RemoteError } from '../http-client.js';
import type { MappedActivity, MappedAvailability, MappedDeletion, MappedInvalid, MappedItem } from '../mapped-item.js';
import { CONNECTORS } from '../registry.js';
import { EVENT_IDS, LOCATION_IDS, yesplanFixtureHandler, type YesplanFixtureState } from './testing/yesplan-fixtures.js';
import { yesplanConnector, type YesplanCursor } from './yesplan.connector.js';

const API_KEY = 'C0FFEE1234567890ABCDEF1234567890';
const NOW = new Date('2026-12-01T08:00:00Z');
const ADDRESS = { street: 'Schouwburgstraat', houseNumber: '3', postalCode: '9000', municipality: { nl: 'Gent' } };

describe('yesplan connector over HTTP', () => {
  let server: FixtureServer;
  let state: YesplanFixtureState;

  beforeEach(async () => {
    state = { pass: 1, apiKey: API_KEY };
    server = await startFixtureServer(() => ({ status: 500 }));
    server.handle(yesplanFixtureHandler(state, () => server.baseUrl));
  });
  afterEach(async () => server.close());

  function settings(options: Record<string, unknown> = {}): ConnectorSettings {
    return {
      baseUrl: server.baseUrl,
      options: {
        daysBack: 7,
        daysAhead: 60,
        pageSize: 3,
        capacityKeywords: ['ticketing_zaal_capaciteit'],
        remainingKeywords: ['ticketing_zaal_vrij'],
        includeProfiles: ['Voorstelling', 'Lezing'],
        locations: {
          [LOCATION_IDS.theatre]: { name: { nl: 'Schouwburg Noord - Theaterzaal' }, address: ADDRESS },
          [LOCATION_IDS.foyer]: { address: ADDRESS },
        },
        ...options,
      },
    };
  }

  function context(overrides: Partial<ConnectorContext> = {}): ConnectorContext {
    return {
      sourceId: 'schouwburg-noord',
      settings: settings(),
      credentials: { apiKey: API_KEY },
      http: new HttpClient({ secrets: [API_KEY], attempts: 2, minDelayMs: 1, maxDelayMs: 5 }),
      now: NOW,
      ...overrides,
    };
  }

  async function runPass(run: ConnectorContext, cursor: YesplanCursor) {
    const pages: Array<ConnectorPage<YesplanCursor>> = [];
    let current = cursor;
    for (let step = 0; step < 10; step++) {
      const page = await yesplanConnector.fetchPage(run, current);
      pages.push(page);
      current = page.cursor;
      if (page.done) break;
    }
    const items = pages.flatMap((page) => yesplanConnector.mapPage(page, run));
    return { pages, items, cursor: current };
  }

  const activities = (items: MappedItem[]) => items.filter((item): item is MappedActivity => item.type === 'activity');
  const byId = (items: MappedItem[], id: string) => items.filter((item) => ('externalId' in item ? item.externalId === id : 'performanceId' in item && item.performanceId === id));

  it('is registered as the yesplan kind', () => {
    expect(CONNECTORS.yesplan).toBe(yesplanConnector);
  });

  it('pages through the date window, following pagination.next with the api key added', async () => {
    const run = context();
    const { pages, items, cursor } = await runPass(run, yesplanConnector.initialCursor(run.settings, NOW));

    expect(pages).toHaveLength(2);
    expect(pages.map((page) => page.done)).toEqual([false, true]);
    const listRequests = server.requests.filter((request) => request.url.startsWith('/api/events/'));
    expect(listRequests).toHaveLength(2);
    const first = new URL(listRequests[0].url, 'http://x');
    expect(decodeURIComponent(first.pathname)).toBe('/api/events/event:date:24-11-2026 TO 30-01-2027');
    expect(first.searchParams.get('limit')).toBe('3');
    const second = new URL(listRequests[1].url, 'http://x');
    expect(second.searchParams.get('book')).toBe('4711');
    expect(second.searchParams.get('page')).toBe('2');
    expect(server.requests.every((request) => new URL(request.url, 'http://x').searchParams.get('api_key') === API_KEY)).toBe(true);

    expect(activities(items).map((item) => item.externalId).sort()).toEqual([EVENT_IDS.othello, EVENT_IDS.othelloCancelled, EVENT_IDS.talk, EVENT_IDS.family].sort());
    expect(cursor.passes).toBe(1);
    expect(cursor.previous.sort()).toEqual(Object.values(EVENT_IDS).sort());
  });

  it('maps an event to an activity with one performance at the public time, and its place from the first location', async () => {
    const run = context();
    const { items } = await runPass(run, yesplanConnector.initialCursor(run.settings, NOW));
    const [othello] = byId(items, EVENT_IDS.othello).filter((item): item is MappedActivity => item.type === 'activity');

    expect(othello.activity).toEqual({
      externalId: EVENT_IDS.othello,
      title: { nl: 'Othello' },
      place: { externalId: LOCATION_IDS.theatre, name: { nl: 'Schouwburg Noord - Theaterzaal' }, address: ADDRESS },
      performances: [{ externalId: EVENT_IDS.othello, start: '2026-12-05T20:00:00+01:00', end: '2026-12-05T22:15:00+01:00', status: 'scheduled' }],
      prices: [],
    });
    const [family] = activities(byId(items, EVENT_IDS.family));
    // Two locations: the first one is the place; the name comes from /api/location/{id}.
    expect(family.activity.place).toEqual({ externalId: LOCATION_IDS.foyer, name: { nl: 'Foyer' }, address: ADDRESS });
    // No default schedule: the planning times are all there is.
    expect(family.activity.performances[0]).toMatchObject({ start: '2027-01-17T15:00:00+01:00', end: '2027-01-17T16:00:00+01:00' });
    expect(activities(byId(items, EVENT_IDS.othelloCancelled))[0].activity.performances[0].status).toBe('cancelled');
    const locationRequests = server.requests.filter((request) => request.url.startsWith('/api/location/'));
    expect(locationRequests.map((request) => request.url.split('?')[0]).sort()).toEqual(
      [`/api/location/${LOCATION_IDS.foyer}`, `/api/location/${LOCATION_IDS.studio}`, `/api/location/${LOCATION_IDS.theatre}`].sort(),
    );
  });

  it('reads capacity and remaining seats from the configured custom-data keywords', async () => {
    const run = context();
    const { items } = await runPass(run, yesplanConnector.initialCursor(run.settings, NOW));
    const seats = items.filter((item): item is MappedAvailability => item.type === 'availability');

    expect(seats).toEqual(
      expect.arrayContaining([
        { type: 'availability', performanceId: EVENT_IDS.othello, capacity: 450, remaining: 120 },
        { type: 'availability', performanceId: EVENT_IDS.talk, capacity: 80 },
        { type: 'availability', performanceId: EVENT_IDS.family, capacity: 120, remaining: 35 },
      ]),
    );
    const customDataRequest = server.requests.find((request) => request.url.startsWith(`/api/event/${EVENT_IDS.othello}/customdata`));
    expect(new URL(customDataRequest!.url, 'http://x').searchParams.get('keywords')).toBe('ticketing_zaal_capaciteit,ticketing_zaal_vrij');

    // Another installation keeps capacity under another keyword: nothing is read from the zaal field then.
    const other = context({ settings: settings({ capacityKeywords: ['capaciteit_andere_zaal'], remainingKeywords: [] }) });
    const elsewhere = await runPass(other, yesplanConnector.initialCursor(other.settings, NOW));
    expect(elsewhere.items.some((item) => item.type === 'availability')).toBe(false);
  });

  it('withdraws events outside the published profiles and rejects what it cannot map, naming what, where and why', async () => {
    const run = context();
    const { items } = await runPass(run, yesplanConnector.initialCursor(run.settings, NOW));

    expect(byId(items, EVENT_IDS.buildUp)).toEqual([{ type: 'deletion', externalId: EVENT_IDS.buildUp, entity: 'activity' }]);
    // The build-up is not published, so its custom data is not even asked for.
    expect(server.requests.some((request) => request.url.startsWith(`/api/event/${EVENT_IDS.buildUp}/customdata`))).toBe(false);
    const [studio] = byId(items, EVENT_IDS.workshopInStudio) as MappedInvalid[];
    expect(studio.type).toBe('invalid');
    expect(studio.problems).toEqual([
      expect.objectContaining({ path: '/locations/0', message: { nl: expect.stringContaining(`options.locations.${LOCATION_IDS.studio}.address`), en: expect.stringContaining('Studio') } }),
    ]);
  });

  it('resumes after a failure in the middle of a pass without losing or repeating a page', async () => {
    const run = context();
    const first = await yesplanConnector.fetchPage(run, yesplanConnector.initialCursor(run.settings, NOW));
    expect(first.done).toBe(false);

    // Both attempts of the next request fail: the step throws and the persisted cursor stays at page 2.
    server.failNext(2);
    const failure = await yesplanConnector.fetchPage(run, first.cursor).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RemoteError);
    expect((failure as RemoteError).status).toBe(503);

    const before = server.requests.length;
    const resumed = await yesplanConnector.fetchPage(run, first.cursor);
    expect(resumed.done).toBe(true);
    expect(new URL(server.requests[before].url, 'http://x').searchParams.get('page')).toBe('2');
    const mapped = [...yesplanConnector.mapPage(first, run), ...yesplanConnector.mapPage(resumed, run)];
    expect(activities(mapped).map((item) => item.externalId).sort()).toEqual([EVENT_IDS.othello, EVENT_IDS.othelloCancelled, EVENT_IDS.talk, EVENT_IDS.family].sort());

    // One failed attempt is retried by the HttpClient within the step.
    server.failNext(1);
    await expect(yesplanConnector.fetchPage(run, first.cursor)).resolves.toMatchObject({ done: true });
  });

  it('starts the pass again when the result set behind pagination.next has expired', async () => {
    const run = context();
    const first = await yesplanConnector.fetchPage(run, yesplanConnector.initialCursor(run.settings, NOW));
    const later = context({ now: new Date('2026-12-01T12:00:00Z') });
    const before = server.requests.length;
    const again = await yesplanConnector.fetchPage(later, first.cursor);
    expect(new URL(server.requests[before].url, 'http://x').searchParams.get('book')).toBeNull();
    expect(again.done).toBe(false);
    // Same window as the pass started with, so a resumed pass asks the same question.
    expect(decodeURIComponent(new URL(server.requests[before].url, 'http://x').pathname)).toContain('24-11-2026 TO 30-01-2027');
  });

  it('on the next pass maps changed events, detects deleted ones and keeps events that only moved out of the window', async () => {
    const run = context();
    const firstPass = await runPass(run, yesplanConnector.initialCursor(run.settings, NOW));

    state.pass = 2;
    const next = context({ now: new Date('2026-12-01T09:00:00Z') });
    const { pages, items, cursor } = await runPass(next, firstPass.cursor);

    // Two event pages, then one reconcile step for the two events the pass no longer listed.
    expect(pages.map((page) => page.done)).toEqual([false, false, true]);
    expect(pages[2].cursor.deleted).toEqual([EVENT_IDS.talk]);
    const lookups = server.requests.filter((request) => /^\/api\/event\/[^/?]+\?/.test(request.url)).map((request) => request.url.split('?')[0]);
    expect(lookups.sort()).toEqual([`/api/event/${EVENT_IDS.talk}`, `/api/event/${EVENT_IDS.family}`].sort());

    const [othello] = activities(byId(items, EVENT_IDS.othello));
    expect(othello.activity.title).toEqual({ nl: 'Othello (première)' });
    expect(othello.activity.performances[0].start).toBe('2026-12-05T20:30:00+01:00');
    expect(byId(items, EVENT_IDS.othello)).toContainEqual({ type: 'availability', performanceId: EVENT_IDS.othello, capacity: 450, remaining: 0 });

    expect(byId(items, EVENT_IDS.talk)).toEqual([{ type: 'deletion', externalId: EVENT_IDS.talk, entity: 'activity' } satisfies MappedDeletion]);
    // Moved to March (outside the window) but not deleted: mapped with its new date, never a deletion.
    const family = byId(items, EVENT_IDS.family);
    expect(family.some((item) => item.type === 'deletion')).toBe(false);
    expect(activities(family)[0].activity.performances[0].start).toBe('2027-03-21T15:00:00+01:00');

    expect(cursor.passes).toBe(2);
    expect(cursor.previous.sort()).toEqual([EVENT_IDS.othello, EVENT_IDS.othelloCancelled, EVENT_IDS.buildUp, EVENT_IDS.workshopInStudio].sort());
    expect(cursor.deleted).toEqual([EVENT_IDS.talk]);
  });

  it('never puts the api key in a cursor, an archived response URL or an error', async () => {
    const run = context();
    const { pages } = await runPass(run, yesplanConnector.initialCursor(run.settings, NOW));
    for (const page of pages) {
      expect(JSON.stringify(page.cursor)).not.toContain(API_KEY);
      for (const response of page.responses) expect(response.url).not.toContain(API_KEY);
    }
    expect(pages[0].cursor.next).toContain('book=4711');

    // An installation whose pagination.next carries the api_key it was called with.
    server.handle((request, url) => {
      if (url.pathname.startsWith('/api/events/') && !url.searchParams.get('book')) {
        return { body: { pagination: { next: `${server.baseUrl}${url.pathname}?book=4711&page=2&api_key=${API_KEY}` }, data: [] } };
      }
      return yesplanFixtureHandler(state, () => server.baseUrl)(request, url);
    });
    const echoed = await yesplanConnector.fetchPage(run, yesplanConnector.initialCursor(run.settings, NOW));
    expect(echoed.cursor.next).toContain('book=4711');
    expect(JSON.stringify(echoed.cursor)).not.toContain(API_KEY);
    const followed = await yesplanConnector.fetchPage(run, echoed.cursor);
    expect(followed.responses[0].url).not.toContain(API_KEY);
    server.handle(yesplanFixtureHandler(state, () => server.baseUrl));

    // A server that echoes the request URL in its error body; also with an HttpClient told no secrets.
    const echo = { status: 400, body: { error: `bad request /api/events/x?api_key=${API_KEY}` } };
    for (const http of [run.http, new HttpClient({ secrets: [], attempts: 1 })]) {
      server.failNext(1, echo);
      const error = await yesplanConnector.fetchPage({ ...run, http }, yesplanConnector.initialCursor(run.settings, NOW)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RemoteError);
      expect((error as Error).message).toContain('HTTP 400');
      expect((error as Error).message).not.toContain(API_KEY);
    }

    // A wrong key is a remote failure (401), reported without the key.
    const wrong = await yesplanConnector
      .fetchPage({ ...run, credentials: { apiKey: 'WRONGKEY0000' }, http: new HttpClient({ secrets: ['WRONGKEY0000'], attempts: 1 }) }, yesplanConnector.initialCursor(run.settings, NOW))
      .catch((caught: unknown) => caught);
    expect((wrong as RemoteError).status).toBe(401);
    expect((wrong as Error).message).not.toContain('WRONGKEY0000');
  });

  it('does not send the api key to another host named by pagination.next', async () => {
    const run = context();
    server.handle((request, url) => {
      if (url.pathname.startsWith('/api/events/')) return { body: { pagination: { next: 'https://elsewhere.example/api/events/x?book=1&page=2' }, data: [] } };
      return yesplanFixtureHandler(state, () => server.baseUrl)(request, url);
    });
    await expect(yesplanConnector.fetchPage(run, yesplanConnector.initialCursor(run.settings, NOW))).rejects.toThrow(/not to the installation/);
  });
});

import { afterEach, describe, expect, it } from '@jest/globals';
import { startFixtureServer, type FixtureServer } from '../../../../test/support/fixture-server.js';
import type { ConnectorContext, ConnectorCredentials, ConnectorPage } from '../connector.js';
import { HttpClient, RemoteError } from '../http-client.js';
import { CONNECTORS } from '../registry.js';
import { memberId, parseSearchResponse } from './search-api.js';
import {
  fixtureId,
  fixtureVariant,
  loadSearchFixtures,
  searchFixtureHandler,
  type SearchFixtureOptions,
  type SearchFixtureSet,
} from './testing/search-fixture-handler.js';
import { UitdatabankWindowError, uitdatabankConnector, type UitdatabankCursor } from './uitdatabank.connector.js';

const CLIENT_ID = 'test-client-id-8c1f0e7b2a9d';
const API_KEY = 'test-api-key-5d2e9a1c7f3b';
const connector = uitdatabankConnector;

let server: FixtureServer;
afterEach(async () => server?.close());

async function serve(set: SearchFixtureSet | (() => SearchFixtureSet), options: SearchFixtureOptions = {}): Promise<void> {
  server = await startFixtureServer(searchFixtureHandler(set, { clientId: CLIENT_ID, ...options }));
}

function contextFor(options: Record<string, unknown> = {}, credentials: ConnectorCredentials = { clientId: CLIENT_ID }): ConnectorContext {
  return {
    sourceId: 'udb-test',
    settings: { baseUrl: server.baseUrl, options },
    credentials,
    http: new HttpClient({ secrets: Object.values(credentials), attempts: 2, minDelayMs: 1, maxDelayMs: 5, timeoutMs: 5000 }),
    now: new Date('2026-11-22T12:00:00Z'),
  };
}

/** The members a page delivers: its response's members minus those an earlier page delivered. */
function delivered(page: ConnectorPage<UitdatabankCursor>): string[] {
  const skipped = new Set(page.cursor.skippedIds);
  return page.responses.flatMap((response) => {
    const result = parseSearchResponse(response.body);
    if (typeof result === 'string') throw new Error(result);
    return result.member.map(memberId).filter((id): id is string => id !== null && !skipped.has(id));
  });
}

/** Pages until done, as a run does; the cursor is round-tripped through JSON as the pipeline persists it. */
async function run(context: ConnectorContext, cursor: UitdatabankCursor, maxPages = 100): Promise<{ pages: Array<ConnectorPage<UitdatabankCursor>>; cursor: UitdatabankCursor }> {
  const pages: Array<ConnectorPage<UitdatabankCursor>> = [];
  let current = cursor;
  for (let index = 0; index < maxPages; index++) {
    const page = await connector.fetchPage(context, current);
    pages.push(page);
    current = JSON.parse(JSON.stringify(page.cursor)) as UitdatabankCursor;
    if (page.done) return { pages, cursor: current };
  }
  throw new Error(`not done after ${maxPages} pages`);
}

function requestsTo(path: string): URLSearchParams[] {
  return server.requests.map((request) => new URL(request.url, 'http://fixture.local')).filter((url) => url.pathname === path).map((url) => url.searchParams);
}

const fixtures = loadSearchFixtures();
const ids = (entity: keyof SearchFixtureSet, statuses?: string[]) =>
  fixtures[entity].filter((document) => !statuses || statuses.includes(String(document.workflowStatus))).map(fixtureId);
const byModified = (entity: keyof SearchFixtureSet) =>
  [...fixtures[entity]].sort((left, right) => Date.parse(String(left.modified)) - Date.parse(String(right.modified))).map(fixtureId);
const publishedOrGone = (entity: keyof SearchFixtureSet) => {
  const keep = new Set(ids(entity, ['APPROVED', 'READY_FOR_VALIDATION', 'ACTIVE', 'REJECTED', 'DELETED']));
  return byModified(entity).filter((id) => keep.has(id));
};

describe('UiTdatabank connector over HTTP', () => {
  it('is registered as kind uitdatabank', () => {
    expect(CONNECTORS.uitdatabank).toBe(uitdatabankConnector);
  });

  it('pages through places, then organizers, then events, delivering every record once in modified order', async () => {
    await serve(fixtures);
    const context = contextFor({ pageSize: 2 });
    const { pages, cursor } = await run(context, connector.initialCursor(context.settings, context.now));

    const all = pages.flatMap(delivered);
    expect(all).toEqual([...publishedOrGone('places'), ...publishedOrGone('organizers'), ...publishedOrGone('events')]);
    expect(new Set(all).size).toBe(all.length);
    // More than one page per type, each within the page size, ascending by modified, full documents.
    expect(pages.length).toBeGreaterThan(6);
    for (const params of server.requests.map((request) => new URL(request.url, 'http://fixture.local').searchParams)) {
      expect(Number(params.get('limit'))).toBeLessThanOrEqual(2);
      expect(params.get('sort[modified]')).toBe('asc');
      expect(params.get('embed')).toBe('true');
    }
    expect(pages.slice(0, -1).every((page) => !page.done)).toBe(true);
    expect(cursor.entity).toBe('places');
    expect(cursor.entities.events?.modified).toBe('2024-04-06T15:00:00+02:00');
    // e8 (15:00+02:00) and e9 (13:00Z) share the last instant: both are remembered for the next window.
    expect(cursor.entities.events?.idsAtModified.sort()).toEqual(['30000008-3f1c-4e2a-9b6d-1a2b3c4d5e6f', '30000009-3f1c-4e2a-9b6d-1a2b3c4d5e6f']);
  });

  it('asks for deleted and rejected records past the default filters, and maps them to deletions', async () => {
    await serve(fixtures);
    const context = contextFor({ pageSize: 50 });
    const { pages } = await run(context, connector.initialCursor(context.settings, context.now));

    for (const params of [...requestsTo('/events'), ...requestsTo('/places')]) {
      expect(params.get('workflowStatus')?.split(',').sort()).toEqual(['APPROVED', 'DELETED', 'READY_FOR_VALIDATION', 'REJECTED']);
      expect(params.get('disableDefaultFilters')).toBe('true');
    }
    for (const params of requestsTo('/organizers')) expect(params.get('workflowStatus')?.split(',').sort()).toEqual(['ACTIVE', 'DELETED']);
    // An event no longer available (availableTo in the past) still arrives: the availability default is off.
    expect(pages.flatMap(delivered)).toContain('30000006-3f1c-4e2a-9b6d-1a2b3c4d5e6f');

    const items = pages.flatMap((page) => connector.mapPage(page, context));
    const deletions = items.filter((item) => item.type === 'deletion').map((item) => item.externalId).sort();
    expect(deletions).toEqual([...ids('places', ['DELETED']), ...ids('organizers', ['DELETED']), ...ids('events', ['DELETED', 'REJECTED'])].sort());
    const mappedOnce = items.filter((item) => item.type === 'activity' || item.type === 'deletion').map((item) => item.externalId);
    expect(new Set(mappedOnce).size).toBe(mappedOnce.length);
    expect(mappedOnce).not.toContain('30000007-3f1c-4e2a-9b6d-1a2b3c4d5e6f'); // the draft
  });

  it('crosses a lowered result window inside a group sharing one modified instant: none lost, none doubled', async () => {
    const [event] = fixtures.events;
    const at = (id: string, modified: string) => fixtureVariant(event, { id, modified, workflowStatus: 'APPROVED' });
    const set: SearchFixtureSet = {
      places: [],
      organizers: [],
      events: [
        at('a0000000-0000-4000-8000-000000000001', '2024-05-01T10:00:00+02:00'),
        at('b0000000-0000-4000-8000-000000000002', '2024-05-02T10:00:00+02:00'),
        at('c0000000-0000-4000-8000-000000000003', '2024-05-02T08:00:00Z'),
        at('d0000000-0000-4000-8000-000000000004', '2024-05-02T10:00:00+02:00'),
        at('e0000000-0000-4000-8000-000000000005', '2024-05-02T10:00:00+02:00'),
        at('f0000000-0000-4000-8000-000000000006', '2024-05-03T10:00:00+02:00'),
        at('a0000000-0000-4000-8000-000000000007', '2024-05-04T10:00:00+02:00'),
      ],
    };
    // The fixture API refuses start + limit > 5, as the real one does past 10,000.
    await serve(set, { resultWindow: 5 });
    const context = contextFor({ entities: ['events'], pageSize: 3, windowSize: 5 });
    const { pages } = await run(context, connector.initialCursor(context.settings, context.now));

    expect(pages.flatMap(delivered)).toEqual(set.events.map(fixtureId));
    const windows = requestsTo('/events').map((params) => [params.get('modifiedFrom'), Number(params.get('start')), Number(params.get('limit'))]);
    for (const [, start, limit] of windows) expect((start as number) + (limit as number)).toBeLessThanOrEqual(5);
    // The group of four on 2024-05-02T08:00Z is paged by offset within its window, then a new window starts after it.
    expect(windows).toContainEqual(['2024-05-02T10:00:00+02:00', 3, 2]);
    expect(windows.some(([from]) => from === '2024-05-03T10:00:00+02:00')).toBe(true);

    const items = pages.flatMap((page) => connector.mapPage(page, context));
    const activities = items.filter((item) => item.type === 'activity' || item.type === 'invalid').map((item) => item.externalId);
    expect(activities.sort()).toEqual(set.events.map(fixtureId).sort());
  });

  it('loses nothing when a record already delivered is modified during the run (the sort shifts under an offset)', async () => {
    const [event] = fixtures.events;
    const documents = ['1', '2', '3', '4', '5', '6'].map((day) =>
      fixtureVariant(event, { id: `a000000${day}-0000-4000-8000-000000000000`, modified: `2024-05-0${day}T10:00:00+02:00`, workflowStatus: 'APPROVED' }),
    );
    let set: SearchFixtureSet = { places: [], organizers: [], events: documents };
    await serve(() => set);
    const context = contextFor({ entities: ['events'], pageSize: 2 });
    const first = await connector.fetchPage(context, connector.initialCursor(context.settings, context.now));
    // The first record changes after page one: ascending by modified it moves to the end, every other one a place up.
    set = { ...set, events: [...documents.slice(1), fixtureVariant(documents[0], { modified: '2024-06-01T10:00:00+02:00' })] };
    const rest = await run(context, first.cursor);
    expect([first, ...rest.pages].flatMap(delivered)).toEqual([...documents.map(fixtureId), fixtureId(documents[0])]);
  });

  it('stops with a clear error, not a loop, when more records share one instant than the window holds', async () => {
    const [event] = fixtures.events;
    const events = Array.from({ length: 4 }, (_, index) => fixtureVariant(event, { id: `a000000${index}-0000-4000-8000-000000000000`, modified: '2024-05-02T10:00:00+02:00', workflowStatus: 'APPROVED' }));
    await serve({ places: [], organizers: [], events: [...events, fixtureVariant(event, { id: 'f0000000-0000-4000-8000-000000000000', modified: '2024-06-01T10:00:00+02:00' })] }, { resultWindow: 3 });
    const context = contextFor({ entities: ['events'], pageSize: 2, windowSize: 3 });
    await expect(run(context, connector.initialCursor(context.settings, context.now))).rejects.toBeInstanceOf(UitdatabankWindowError);
    expect(server.requests.length).toBeLessThan(6);
  });

  it('takes the page size the API answers when it returns fewer than asked (itemsPerPage)', async () => {
    await serve(fixtures, { maxItemsPerPage: 1 });
    const context = contextFor({ pageSize: 3 });
    const { pages } = await run(context, connector.initialCursor(context.settings, context.now));
    expect(pages.flatMap(delivered)).toEqual([...publishedOrGone('places'), ...publishedOrGone('organizers'), ...publishedOrGone('events')]);
  });

  it('fails with a RemoteError in the middle of a run and resumes from the last cursor without loss or doubles', async () => {
    await serve(fixtures);
    const context = contextFor({ pageSize: 2 });
    const pages: Array<ConnectorPage<UitdatabankCursor>> = [];
    let cursor = connector.initialCursor(context.settings, context.now);
    for (let index = 0; index < 5; index++) {
      const page = await connector.fetchPage(context, cursor);
      pages.push(page);
      cursor = JSON.parse(JSON.stringify(page.cursor)) as UitdatabankCursor;
    }
    // One failure is retried inside the HttpClient; two (its attempts) fail the page.
    server.failNext(1);
    const retried = await connector.fetchPage(context, cursor);
    pages.push(retried);
    cursor = JSON.parse(JSON.stringify(retried.cursor)) as UitdatabankCursor;
    server.failNext(2);
    const failure = await connector.fetchPage(context, cursor).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(RemoteError);
    expect((failure as RemoteError).status).toBe(503);

    const rest = await run(context, cursor);
    const all = [...pages, ...rest.pages].flatMap(delivered);
    expect(all).toEqual([...publishedOrGone('places'), ...publishedOrGone('organizers'), ...publishedOrGone('events')]);
  });

  it('fetches only changed records on the next run, from the persisted high-water marks', async () => {
    let set = fixtures;
    await serve(() => set);
    const context = contextFor({ pageSize: 3 });
    const first = await run(context, connector.initialCursor(context.settings, context.now));
    server.requests.length = 0;

    const [organizer] = fixtures.organizers;
    const changedEvent = fixtures.events[1];
    set = {
      ...fixtures,
      organizers: fixtures.organizers.map((document) => (document === organizer ? fixtureVariant(document, { modified: '2024-06-01T09:00:00+00:00', workflowStatus: 'DELETED' }) : document)),
      events: fixtures.events.map((document) =>
        document === changedEvent ? fixtureVariant(document, { modified: '2024-06-02T09:00:00+02:00', name: { nl: 'Acrobatie & Trampoline (nieuwe data)' } }) : document,
      ),
    };
    const second = await run(context, first.cursor);
    expect(second.pages.flatMap(delivered)).toEqual([fixtureId(organizer), fixtureId(changedEvent)]);
    expect(requestsTo('/events')[0].get('modifiedFrom')).toBe('2024-04-06T15:00:00+02:00');
    expect(requestsTo('/organizers')[0].get('q')).toBe('modified:[2024-02-12T10\\:00\\:00+00\\:00 TO *]');
    expect(requestsTo('/places')[0].get('modifiedFrom')).toBe('2024-03-03T08:30:00+00:00');

    const items = second.pages.flatMap((page) => connector.mapPage(page, context));
    expect(items).toContainEqual(expect.objectContaining({ type: 'deletion', externalId: fixtureId(organizer) }));
    const activity = items.find((item) => item.type === 'activity' && item.externalId === fixtureId(changedEvent));
    expect(JSON.stringify(activity)).toContain('nieuwe data');

    const third = await run(context, second.cursor);
    expect(third.pages.flatMap(delivered)).toEqual([]);
    expect(third.pages).toHaveLength(3);
  });

  it('starts a first run at options.modifiedFrom and ANDs options.q with its own filters', async () => {
    await serve(fixtures);
    const context = contextFor({ modifiedFrom: '2024-04-03T00:00:00+02:00', q: 'labels:"ook voor kinderen"' });
    const { pages } = await run(context, connector.initialCursor(context.settings, context.now));
    expect(pages.flatMap(delivered)).toEqual(publishedOrGone('events').filter((id) => id >= '30000005'));
    expect(requestsTo('/events')[0].get('q')).toBe('(labels:"ook voor kinderen")');
    expect(requestsTo('/organizers')[0].get('q')).toBe('(labels:"ook voor kinderen") AND modified:[2024-04-03T00\\:00\\:00+02\\:00 TO *]');
  });

  it('sends the client id as the x-client-id header (or the API key as x-api-key), never in URLs, cursors or errors', async () => {
    await serve(fixtures, { apiKey: API_KEY });
    const withClientId = contextFor({ pageSize: 4 });
    const first = await run(withClientId, connector.initialCursor(withClientId.settings, withClientId.now));
    expect(server.requests.every((request) => request.headers['x-client-id'] === CLIENT_ID && request.headers['x-api-key'] === undefined)).toBe(true);

    server.requests.length = 0;
    const withApiKey = contextFor({ pageSize: 4 }, { apiKey: API_KEY });
    const second = await run(withApiKey, connector.initialCursor(withApiKey.settings, withApiKey.now));
    expect(server.requests.every((request) => request.headers['x-api-key'] === API_KEY && request.headers['x-client-id'] === undefined)).toBe(true);

    const persisted = JSON.stringify([...first.pages, ...second.pages].map((page) => [page.cursor, page.responses.map((response) => response.url)]));
    expect(persisted).not.toContain(CLIENT_ID);
    expect(persisted).not.toContain(API_KEY);
    expect(server.requests.some((request) => request.url.includes(CLIENT_ID) || request.url.includes(API_KEY))).toBe(false);

    // A wrong key is refused (401, not retried); a garbled answer that echoes the key is redacted.
    const wrong = contextFor({}, { clientId: 'not-the-right-client-id' });
    const refused = await connector.fetchPage(wrong, connector.initialCursor(wrong.settings, wrong.now)).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RemoteError);
    expect((refused as RemoteError).status).toBe(401);
    expect((refused as Error).message).not.toContain('not-the-right-client-id');
    server.failNext(1, { status: 200, body: `<html>proxy error for x-client-id ${CLIENT_ID}</html>` });
    const garbled = await connector.fetchPage(withClientId, connector.initialCursor(withClientId.settings, withClientId.now)).catch((error: unknown) => error);
    expect(garbled).toBeInstanceOf(RemoteError);
    expect((garbled as Error).message).toMatch(/not JSON/);
    expect((garbled as Error).message).not.toContain(CLIENT_ID);
  });
});

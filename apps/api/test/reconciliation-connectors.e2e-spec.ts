import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { Quad } from '@rdfjs/types';
import { entityId } from '@platform/domain';
import { TERMS, parseTurtle } from '@platform/linked-data';
import { matchScore, type MatchInput } from '@platform/pipeline';
import { ShaclValidator, defaultShapeFiles } from '@platform/validation';
import { DataSource } from 'typeorm';
import { searchFixtureHandler, type SearchFixtureDocument } from '../../../libs/connectors/src/uitdatabank/testing/search-fixture-handler.js';
import { TicketmaticFixtureAccount } from '../../../libs/connectors/src/ticketmatic/testing/ticketmatic-fixture-api.js';
import type { TicketmaticEvent, TicketmaticEventLocation, TicketmaticPriceType } from '../../../libs/connectors/src/ticketmatic/raw-types.js';
import type { YesplanCustomData, YesplanEvent, YesplanEventList, YesplanLocation } from '../../../libs/connectors/src/yesplan/raw-types.js';
import { startFixtureServer, type FixtureHandler, type FixtureReply, type FixtureServer } from '../../../test/support/fixture-server.js';
import { TEST_ADMIN_TOKEN, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { graphql, http } from './http.js';
import { subscribe } from './subscriptions.js';

/**
 * The acceptance test: one performance arriving from three connectors (Ticketmatic, Yesplan,
 * UiTdatabank, each behind a real HTTP fixture server) is published once, each field from the source
 * that knows it best, with availability from the ticketing feed; seat changes reach it, unlinking undoes it.
 */

// ---- the one real-world performance, relative to now (inside Yesplan's default 365-day window) ----

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.now();

/** "+01:00" / "+02:00": Brussels' offset on that instant. */
function brusselsOffset(at: Date): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Brussels', timeZoneName: 'longOffset' }).formatToParts(at).find((part) => part.type === 'timeZoneName')!.value;
  return name === 'GMT' ? '+00:00' : name.replace('GMT', '');
}

/** yyyy-mm-dd of an instant in Brussels. */
function brusselsDate(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

const DATE = brusselsDate(new Date(NOW + 30 * DAY));
const OFFSET = brusselsOffset(new Date(`${DATE}T12:00:00Z`));
const local = (time: string) => `${DATE}T${time}:00${OFFSET}`;
/** Ticketmatic writes naive UTC timestamps. */
const ticketmaticTs = (iso: string | number) => new Date(iso).toISOString().slice(0, 19).replace('T', ' ');
/** UiTdatabank writes ISO 8601 with an offset, to the second. */
const udbTs = (at: number) => `${new Date(at).toISOString().slice(0, 19)}+00:00`;

const TIMES = {
  /** Ticketing and UiTdatabank announce 20:00; the planning holds the exact start, ten minutes later. */
  start: local('20:00'),
  end: local('22:00'),
  yesplanStart: local('20:10'),
  yesplanEnd: local('22:15'),
};

function fixtureValues(installation: string): Record<string, string> {
  return {
    start: TIMES.start,
    end: TIMES.end,
    eventCreated: udbTs(NOW - 20 * DAY),
    eventModified: udbTs(NOW - 2 * DAY),
    placeCreated: udbTs(NOW - 400 * DAY),
    placeModified: udbTs(NOW - 100 * DAY),
    tmStart: ticketmaticTs(TIMES.start),
    tmEnd: ticketmaticTs(TIMES.end),
    tmSaleStart: ticketmaticTs(NOW - 20 * DAY),
    tmCreated: ticketmaticTs(NOW - 21 * DAY),
    tmUpdated: ticketmaticTs(NOW - DAY),
    tmSeatsUpdated: ticketmaticTs(NOW - 60 * 60 * 1000),
    installation,
    ypDate: DATE,
    ypBuildUp: local('14:00'),
    ypBreakdown: local('23:45'),
    ypStart: TIMES.yesplanStart,
    ypEnd: TIMES.yesplanEnd,
    ypStartTime: '20:10',
    ypEndTime: '22:15',
  };
}

/** A recorded payload next to this test, its `%{name}` placeholders filled in (dates relative to now). */
function fixture<T>(name: string, values: Record<string, string>): T {
  const text = readFileSync(new URL(`./fixtures/reconciliation/${name}`, import.meta.url), 'utf8').replace(/%\{(\w+)\}/g, (_whole, key: string) => {
    if (!(key in values)) throw new Error(`fixture ${name}: no value for %{${key}}`);
    return values[key];
  });
  return JSON.parse(text) as T;
}

// ---- the three remotes ----

const UDB_CLIENT_ID = 'udb-client-7d41c0';
const TM_ACCOUNT = 'vooruit';
const TM_CREDENTIALS = { accessKey: 'ak-51c2d3e4f5a6b7c8', secretKey: 'sk-0a1b2c3d4e5f60718293' };
const YP_API_KEY = 'YP0123456789ABCDEF0123456789ABCD';

const UDB_EVENT_ID = 'e4d1c2b3-a596-4871-8c9d-0e1f2a3b4c5d';
const UDB_PLACE_ID = '7c0e3a4b-5d6f-4a81-9b2c-3d4e5f607182';
const UDB_ORGANIZER_ID = '3a9f2e1d-8c7b-4e65-a4d3-2c1b0a998877';
const TM_EVENT_ID = 4711;
const YP_EVENT_ID = '2410-1790000042';
const TM_LOCATION_ID = 21;
const YP_LOCATION_ID = '300-1700000021';

interface YesplanInstallation {
  events: YesplanEvent[];
  locations: Map<string, YesplanLocation>;
  customData: Map<string, YesplanCustomData>;
}

const json = (body: unknown, status = 200): FixtureReply => ({ status, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) });

/** yyyy-mm-dd of a Yesplan dd-mm-yyyy date. */
const isoDay = (yesplan: string) => yesplan.split('-').reverse().join('-');

/**
 * A Yesplan installation over this test's data (the connector's own fixture handler serves only its
 * recorded passes): api_key on every request, `/api/events/{query}` with the date-range query answered
 * as `{pagination, data}` (one page: no `next`), single events, locations and custom data, 404 otherwise.
 */
function yesplanHandler(installation: YesplanInstallation): FixtureHandler {
  return (request, url) => {
    if (request.method !== 'GET') return json({ error: 'method not allowed' }, 405);
    if (url.searchParams.get('api_key') !== YP_API_KEY) return json({ error: 'invalid api key' }, 401);
    const path = url.pathname;
    if (path.startsWith('/api/events/')) {
      const query = decodeURIComponent(path.slice('/api/events/'.length));
      const range = /event:date:(\d{2}-\d{2}-\d{4}) TO (\d{2}-\d{2}-\d{4})/.exec(query);
      if (!range) return json({ error: `query not understood: ${query}` }, 400);
      const [from, to] = [isoDay(range[1]), isoDay(range[2])];
      const data = installation.events.filter((event) => (event.startdate as string) >= from && (event.startdate as string) <= to);
      const list: YesplanEventList = { pagination: {}, data };
      return json(list);
    }
    let match = /^\/api\/event\/([^/]+)\/customdata$/.exec(path);
    if (match) return json(installation.customData.get(decodeURIComponent(match[1])) ?? { groups: [] });
    match = /^\/api\/event\/([^/]+)$/.exec(path);
    if (match) {
      const event = installation.events.find((candidate) => candidate.id === decodeURIComponent(match![1]));
      return event ? json(event) : json({ error: `event ${match[1]} not found` }, 404);
    }
    match = /^\/api\/location\/([^/]+)$/.exec(path);
    if (match) {
      const location = installation.locations.get(decodeURIComponent(match[1]));
      return location ? json(location) : json({ error: `location ${match[1]} not found` }, 404);
    }
    return json({ error: `${path} not found` }, 404);
  };
}

interface Remotes {
  uitdatabank: FixtureServer;
  ticketmatic: FixtureServer;
  yesplan: FixtureServer;
  account: TicketmaticFixtureAccount;
  close(): Promise<void>;
}

async function startRemotes(): Promise<Remotes> {
  const uitdatabank = await startFixtureServer(() => ({ status: 503 }));
  const values = fixtureValues('');
  const set = {
    places: [fixture<SearchFixtureDocument>('uitdatabank-place.json', values)],
    organizers: [fixture<SearchFixtureDocument>('uitdatabank-organizer.json', values)],
    events: [fixture<SearchFixtureDocument>('uitdatabank-event.json', values)],
  };
  uitdatabank.handle(searchFixtureHandler(set, { clientId: UDB_CLIENT_ID }));

  // The fixture account comes with the connector's recorded events: this one serves only ours.
  const account = new TicketmaticFixtureAccount({ accountName: TM_ACCOUNT, ...TM_CREDENTIALS });
  account.events.clear();
  account.locations.clear();
  account.priceTypes.clear();
  account.replace([fixture<TicketmaticEvent>('ticketmatic-event.json', values)]);
  for (const location of fixture<{ data: TicketmaticEventLocation[] }>('ticketmatic-eventlocations.json', values).data) account.locations.set(location.id, location);
  for (const priceType of fixture<{ data: TicketmaticPriceType[] }>('ticketmatic-pricetypes.json', values).data) account.priceTypes.set(priceType.id, priceType);
  const ticketmatic = await startFixtureServer(account.handler);

  const yesplan = await startFixtureServer(() => ({ status: 503 }));
  const recorded = fixtureValues(yesplan.baseUrl);
  yesplan.handle(
    yesplanHandler({
      events: fixture<YesplanEventList>('yesplan-events.json', recorded).data ?? [],
      locations: new Map([[YP_LOCATION_ID, fixture<YesplanLocation>('yesplan-location.json', recorded)]]),
      customData: new Map([[YP_EVENT_ID, fixture<YesplanCustomData>('yesplan-customdata.json', recorded)]]),
    }),
  );
  return {
    uitdatabank,
    ticketmatic,
    yesplan,
    account,
    close: async () => {
      await Promise.all([uitdatabank.close(), ticketmatic.close(), yesplan.close()]);
    },
  };
}

// ---- the platform's three sources ----

const SOURCES = { ticketing: 'vooruit-tickets', planning: 'vooruit-planning', uitdatabank: 'uit-vooruit' } as const;
type Role = keyof typeof SOURCES;

/** The house's address: Ticketmatic and Yesplan hold rooms without addresses; the source settings give it. */
const VOORUIT = { street: 'Sint-Pietersnieuwstraat', houseNumber: '23', postalCode: '9000' };

const MEMBER = {
  ticketing: entityId('activiteit', SOURCES.ticketing, String(TM_EVENT_ID)),
  planning: entityId('activiteit', SOURCES.planning, YP_EVENT_ID),
  uitdatabank: entityId('activiteit', SOURCES.uitdatabank, UDB_EVENT_ID),
};

async function createSources(platform: TestApp, remotes: Remotes): Promise<void> {
  const settings: Record<Role, { kind: string; name: string; body: Record<string, unknown> }> = {
    ticketing: {
      kind: 'ticketmatic',
      name: 'Vooruit tickets (Ticketmatic)',
      body: {
        baseUrl: remotes.ticketmatic.baseUrl,
        credentials: TM_CREDENTIALS,
        options: {
          accountName: TM_ACCOUNT,
          contingents: ['Tickets'],
          locations: { [String(TM_LOCATION_ID)]: { ...VOORUIT, municipality: 'Gent', country: 'BE' } },
        },
      },
    },
    planning: {
      kind: 'yesplan',
      name: 'Vooruit planning (Yesplan)',
      body: {
        baseUrl: remotes.yesplan.baseUrl,
        credentials: { apiKey: YP_API_KEY },
        options: {
          capacityKeywords: ['ticketing_zaal_capaciteit'],
          includeProfiles: ['Concert', 'Voorstelling'],
          locations: { [YP_LOCATION_ID]: { name: { nl: 'Vooruit - Balzaal' }, address: { ...VOORUIT, municipality: { nl: 'Gent' }, country: 'BE' } } },
        },
      },
    },
    uitdatabank: {
      kind: 'uitdatabank',
      name: 'UiTdatabank: Vooruit',
      body: { baseUrl: remotes.uitdatabank.baseUrl, credentials: { clientId: UDB_CLIENT_ID }, options: {} },
    },
  };
  for (const role of Object.keys(SOURCES) as Role[]) {
    const created = await http(platform.baseUrl, 'POST', '/v1/admin/sources', { token: TEST_ADMIN_TOKEN, body: { id: SOURCES[role], name: settings[role].name, kind: settings[role].kind } });
    expect(created.status).toBe(201);
    const configured = await http(platform.baseUrl, 'PUT', `/v1/admin/sources/${SOURCES[role]}/connector`, { token: TEST_ADMIN_TOKEN, body: { everyMinutes: null, ...settings[role].body } });
    expect({ role, status: configured.status, body: configured.body }).toMatchObject({ status: 200 });
  }
}

interface RunReport {
  status: string;
  fetched: number;
  accepted: number;
  rejected: number;
  unchanged: number;
  availabilityUpdates: number;
  rejections: unknown[];
  error: string | null;
}

async function run(platform: TestApp, role: Role): Promise<RunReport> {
  const started = await http<RunReport>(platform.baseUrl, 'POST', `/v1/admin/sources/${SOURCES[role]}/runs?wait=true`, { token: TEST_ADMIN_TOKEN });
  expect(started.status).toBe(200);
  return started.body;
}

/** What each remote serves: one event, so one activity (UiTdatabank also its place and organizer). */
async function runAll(platform: TestApp, order: Role[]): Promise<void> {
  const expected: Record<Role, Partial<RunReport>> = {
    // The event's seats come with its activity: the fast-lane item after it changes nothing.
    ticketing: { status: 'succeeded', accepted: 1, rejected: 0, availabilityUpdates: 0 },
    // Yesplan's capacity (custom data) reaches its performance only through the fast lane.
    planning: { status: 'succeeded', accepted: 1, rejected: 0, availabilityUpdates: 1 },
    uitdatabank: { status: 'succeeded', accepted: 3, rejected: 0 },
  };
  for (const role of order) {
    const report = await run(platform, role);
    expect({ role, ...report }).toMatchObject({ role, ...expected[role], rejections: [] });
  }
}

// ---- reading the published side ----

const ACTIVITY_FIELDS = `
  id source title description images
  sources { id source externalId method }
  provenance { field source activityId }
  place { iri name address { street houseNumber postalCode } }
  organizer { iri name }
  prices { category amount }
  performances { id start end status scheduleFrom availabilityFrom sameAs availability { capacity remaining level } }
`;

interface PublishedActivity {
  id: string;
  source: string;
  title: string;
  description: string | null;
  images: string[];
  sources: Array<{ id: string; source: string; externalId: string; method: string }>;
  provenance: Array<{ field: string; source: string; activityId: string }>;
  place: { iri: string; name: string; address: { street: string; houseNumber: string; postalCode: string } };
  organizer: { iri: string; name: string } | null;
  prices: Array<{ category: string; amount: number }>;
  performances: Array<{
    id: string;
    start: string;
    end: string | null;
    status: string;
    scheduleFrom: string;
    availabilityFrom: string | null;
    sameAs: string[];
    availability: { capacity: number | null; remaining: number | null; level: string } | null;
  }>;
}

async function listedIn9000(platform: TestApp): Promise<PublishedActivity[]> {
  const result = await graphql<{ activities: { totalCount: number; edges: Array<{ node: PublishedActivity }> } }>(
    platform.baseUrl,
    `{ activities(filter: {postalCode: "9000"}, first: 10) { totalCount edges { node { ${ACTIVITY_FIELDS} } } } }`,
  );
  expect(result.errors).toBeUndefined();
  expect(result.data.activities.totalCount).toBe(result.data.activities.edges.length);
  return result.data.activities.edges.map((edge) => edge.node);
}

async function activityById(platform: TestApp, id: string): Promise<PublishedActivity | null> {
  const result = await graphql<{ activity: PublishedActivity | null }>(platform.baseUrl, `query($id: ID!) { activity(id: $id) { ${ACTIVITY_FIELDS} } }`, { id });
  expect(result.errors).toBeUndefined();
  return result.data.activity;
}

async function performanceIds(platform: TestApp): Promise<Record<Role, string>> {
  const rows: Array<{ id: string; source_id: string }> = await platform.app.get(DataSource).query('SELECT id, source_id FROM performance WHERE source_id = ANY($1::text[])', [Object.values(SOURCES)]);
  const of = (role: Role) => rows.filter((row) => row.source_id === SOURCES[role]).map((row) => row.id);
  for (const role of Object.keys(SOURCES) as Role[]) expect({ role, performances: of(role).length }).toEqual({ role, performances: 1 });
  return { ticketing: of('ticketing')[0], planning: of('planning')[0], uitdatabank: of('uitdatabank')[0] };
}

/**
 * Why the records were (not) linked: the clusters, the review list, and the score of every pair as the
 * Reconciler computes it (same inputs: stored title and place, start delta in minutes). Printed on failure.
 */
async function matchEvidence(platform: TestApp) {
  const database = platform.app.get(DataSource);
  const links = await database.query('SELECT activity_id, cluster_id, method, score FROM activity_link ORDER BY activity_id');
  const candidates = await database.query('SELECT activity_id, other_activity_id, score, reasons, status FROM match_candidate ORDER BY score DESC');
  const subjects: Array<{ id: string; source_id: string; title: MatchInput['title']; place: MatchInput['place']; start_at: Date }> = await database.query(
    `SELECT activity.id, activity.source_id, activity.document->'title' AS title, place.document AS place, performance.start_at
       FROM activity JOIN place ON place.id = activity.place_id JOIN performance ON performance.activity_id = activity.id
      WHERE activity.source_id = ANY($1::text[])`,
    [Object.values(SOURCES)],
  );
  const pairs = subjects.flatMap((left, index) =>
    subjects.slice(index + 1).map((right) => ({
      pair: `${left.source_id} ~ ${right.source_id}`,
      ...matchScore(left, right, Math.round(Math.abs(left.start_at.getTime() - right.start_at.getTime()) / 60_000), 30),
    })),
  );
  return { links, candidates, pairs };
}

/** Exactly one activity listed for 9000, merged from the three records. */
async function theMergedActivity(platform: TestApp): Promise<PublishedActivity> {
  const listed = await listedIn9000(platform);
  if (listed.length !== 1) {
    const evidence = await matchEvidence(platform);
    expect({ listed: listed.map((activity) => `${activity.source}: ${activity.title}`), evidence }).toMatchObject({ listed: [expect.any(String)] });
  }
  return listed[0];
}

/** The merge the issue asks for, the same whichever source came first. */
async function expectMergedByPrecedence(platform: TestApp, activity: PublishedActivity): Promise<void> {
  const performances = await performanceIds(platform);
  expect(activity.sources.map((source) => source.id).sort()).toEqual(Object.values(MEMBER).sort());
  expect(activity.sources.map((source) => source.source).sort()).toEqual(Object.values(SOURCES).sort());
  expect(activity.sources.filter((source) => source.method !== 'own').map((source) => source.method)).toEqual(['matched', 'matched']);
  const from = (field: string) => activity.provenance.find((entry) => entry.field === field);
  expect(from('description')).toEqual({ field: 'description', source: SOURCES.uitdatabank, activityId: MEMBER.uitdatabank });
  expect(from('images')).toEqual({ field: 'images', source: SOURCES.uitdatabank, activityId: MEMBER.uitdatabank });
  expect(from('title')?.source).toBe(SOURCES.uitdatabank);
  expect(from('prices')?.source).toBe(SOURCES.ticketing);
  expect(activity.title).toBe('Dez Mona');
  expect(activity.description).toContain('Gregory Frateur');
  expect(activity.images).toEqual(['https://images.uitdatabank.be/5b6c7d8e-9fa0-4b1c-8d2e-3f4a5b6c7d8e.jpeg']);
  expect(activity.place).toEqual({
    iri: `http://data.test.local/id/locatie/${entityId('locatie', SOURCES.uitdatabank, UDB_PLACE_ID)}`,
    name: 'De Vooruit',
    address: { street: 'Sint-Pietersnieuwstraat', houseNumber: '23', postalCode: '9000' },
  });
  expect(activity.organizer).toEqual({ iri: `http://data.test.local/id/organisator/${entityId('organisator', SOURCES.uitdatabank, UDB_ORGANIZER_ID)}`, name: 'Vooruit vzw' });
  expect(activity.performances).toHaveLength(1);
  const [performance] = activity.performances;
  expect(performance).toMatchObject({
    status: 'scheduled',
    scheduleFrom: SOURCES.planning,
    availabilityFrom: SOURCES.ticketing,
    availability: { capacity: 800, remaining: 37, level: 'LimitedAvailability' },
  });
  expect(new Date(performance.start).toISOString()).toBe(new Date(TIMES.yesplanStart).toISOString());
  expect(new Date(performance.end!).toISOString()).toBe(new Date(TIMES.yesplanEnd).toISOString());
  expect([...performance.sameAs].sort()).toEqual(Object.values(performances).sort());
}

const iri = (id: string) => `http://data.test.local/id/activiteit/${id}`;
const objectsOf = (quads: Quad[], subject: string, predicate: string) =>
  quads.filter((quad) => quad.subject.value === subject && quad.predicate.value === predicate).map((quad) => quad.object.value);

async function seatChange(remotes: Remotes, free: number): Promise<void> {
  const event = remotes.account.events.get(TM_EVENT_ID)!;
  // A sale changes the contingent's counts and stamp, not the event's own lastupdatets (README: worst case).
  remotes.account.update(TM_EVENT_ID, {
    availability: (event.availability ?? []).map((entry) => (entry.tickettypeid === 8101 ? { ...entry, free, sold_paid: 800 - 12 - free, lastupdatets: ticketmaticTs(Date.now()) } : entry)),
  });
}

interface ReceivedChange {
  availabilityChanged: { activityId: string; performanceId?: string; source: string; capacity: number | null; remaining: number | null; level: string | null };
}

/** Three fixture remotes and the platform with the three sources configured against them. */
async function startScenario(): Promise<{ platform: TestApp; remotes: Remotes }> {
  const remotes = await startRemotes();
  const platform = await startTestApp();
  await createSources(platform, remotes);
  return { platform, remotes };
}

// ---- the scenarios ----

describe('one performance arriving from three connectors is published once (e2e: three fixture remotes, Postgres, Redis, BullMQ)', () => {
  let platform: TestApp;
  let remotes: Remotes;

  beforeAll(async () => {
    ({ platform, remotes } = await startScenario());
  });

  afterAll(async () => {
    await platform.close();
    await remotes.close();
  });

  it('runs ticketing, planning, then UiTdatabank: each run succeeds with what its remote served', async () => {
    await runAll(platform, ['ticketing', 'planning', 'uitdatabank']);
  });

  it('lists one activity in 9000: description and image from UiTdatabank, schedule from planning, seats from ticketing', async () => {
    const activity = await theMergedActivity(platform);
    // The oldest record keeps the published identity: here the ticketing one, which came first.
    expect(activity.id).toBe(MEMBER.ticketing);
    await expectMergedByPrecedence(platform, activity);
    const evidence = await matchEvidence(platform);
    expect(evidence.links.every((link: { score: number | null; method: string }) => link.method === 'matched' && (link.score ?? 0) >= 0.85)).toBe(true);
  });

  it('answers the same merged activity for each of the three member ids', async () => {
    const listed = await theMergedActivity(platform);
    for (const id of Object.values(MEMBER)) {
      expect(await activityById(platform, id)).toEqual(listed);
    }
  });

  it('serves the merged activity as linked data from any member IRI, derived from the other two, conforming to shapes/', async () => {
    const validator = await ShaclValidator.fromFiles(defaultShapeFiles());
    const merged = (await activityById(platform, MEMBER.ticketing))!;
    for (const id of Object.values(MEMBER)) {
      const turtle = await http(platform.baseUrl, 'GET', `/id/activiteit/${id}`, { headers: { accept: 'text/turtle' } });
      expect(turtle.status).toBe(200);
      expect(turtle.headers.get('content-type')).toContain('text/turtle');
      const quads = parseTurtle(turtle.text);
      const published = iri(MEMBER.ticketing);
      expect(objectsOf(quads, published, TERMS.wasDerivedFrom).sort()).toEqual([iri(MEMBER.planning), iri(MEMBER.uitdatabank)].sort());
      expect(objectsOf(quads, published, 'http://purl.org/dc/terms/description').some((text) => text.includes('Gregory Frateur'))).toBe(true);
      // The place and organizer are the published ones (UiTdatabank's, as GraphQL shows them), and dereference.
      const linked = [...objectsOf(quads, published, 'http://www.w3.org/ns/prov#atLocation'), ...objectsOf(quads, published, 'http://www.cidoc-crm.org/cidoc-crm/P14_carried_out_by')];
      const statuses = await Promise.all(linked.map(async (target) => (await http(platform.baseUrl, 'GET', target.replace('http://data.test.local', ''), { headers: { accept: 'text/turtle' } })).status));
      expect({ linked, statuses }).toEqual({ linked: [merged.place.iri, merged.organizer!.iri], statuses: [200, 200] });
      const outcome = await validator.validate(quads);
      expect(outcome.results).toEqual([]);
      expect(outcome.conforms).toBe(true);
    }
  });

  it('a seat change in the ticketing feed reaches the published activity and its live subscribers', async () => {
    const client = createClient({ url: `${platform.baseUrl.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: false });
    const published = MEMBER.ticketing;
    const live = subscribe(client, `subscription($id: ID) { availabilityChanged(activityId: $id) { activityId performanceId source capacity remaining level } }`, { id: published });
    await live.ready;
    try {
      await seatChange(remotes, 5);
      const report = await run(platform, 'ticketing');
      expect(report).toMatchObject({ status: 'succeeded', accepted: 0, availabilityUpdates: 1, rejected: 0 });
      const event = (await live.next()) as ReceivedChange;
      expect(event.availabilityChanged).toMatchObject({ activityId: MEMBER.ticketing, source: SOURCES.ticketing, capacity: 800, remaining: 5, level: 'LimitedAvailability' });
      const [performance] = (await theMergedActivity(platform)).performances;
      expect(performance).toMatchObject({ availabilityFrom: SOURCES.ticketing, availability: { capacity: 800, remaining: 5, level: 'LimitedAvailability' } });
    } finally {
      live.dispose();
      await client.dispose();
    }
  });

  it('unlinking the ticketing record publishes it alone again, and its next run does not link it back', async () => {
    const unlinked = await http(platform.baseUrl, 'DELETE', `/v1/admin/reconciliation/links/${MEMBER.ticketing}`, { token: TEST_ADMIN_TOKEN });
    expect(unlinked.status).toBe(200);
    expect(unlinked.body.remaining.sort()).toEqual([MEMBER.planning, MEMBER.uitdatabank].sort());

    const expectSeparate = async () => {
      const listed = await listedIn9000(platform);
      expect(listed).toHaveLength(2);
      const alone = listed.find((activity) => activity.sources.some((source) => source.id === MEMBER.ticketing))!;
      expect(alone.sources).toEqual([expect.objectContaining({ id: MEMBER.ticketing, method: 'own' })]);
      expect(alone.performances[0]).toMatchObject({ scheduleFrom: SOURCES.ticketing, availability: { capacity: 800, remaining: 5 } });
      const rest = listed.find((activity) => activity !== alone)!;
      expect(rest.sources.map((source) => source.id).sort()).toEqual([MEMBER.planning, MEMBER.uitdatabank].sort());
      expect(rest.performances).toHaveLength(1);
      expect(rest.performances[0]).toMatchObject({ scheduleFrom: SOURCES.planning });
      expect(new Date(rest.performances[0].start).toISOString()).toBe(new Date(TIMES.yesplanStart).toISOString());
      expect(rest.description).toContain('Gregory Frateur');
    };
    await expectSeparate();

    // A changed event is accepted again, so reconciliation runs for it: the rejected pairs stay apart.
    remotes.account.update(TM_EVENT_ID, { shortdescription: 'Dez Mona stelt hun nieuwe album voor. Extra rij staanplaatsen.', lastupdatets: ticketmaticTs(Date.now()) });
    const report = await run(platform, 'ticketing');
    expect(report).toMatchObject({ status: 'succeeded', accepted: 1, rejected: 0 });
    await expectSeparate();
    const again = await http(platform.baseUrl, 'POST', '/v1/admin/reconciliation/run', { token: TEST_ADMIN_TOKEN, body: { sourceId: SOURCES.ticketing } });
    expect(again.body).toMatchObject({ activities: 1, linked: 0, proposed: 0 });
    await expectSeparate();
  });
});

describe('the same three records in another order (UiTdatabank, planning, ticketing) give the same published activity', () => {
  let platform: TestApp;
  let remotes: Remotes;

  beforeAll(async () => {
    ({ platform, remotes } = await startScenario());
  });

  afterAll(async () => {
    await platform.close();
    await remotes.close();
  });

  it('merges by precedence, not by arrival; only the identity is the first record', async () => {
    await runAll(platform, ['uitdatabank', 'planning', 'ticketing']);
    const activity = await theMergedActivity(platform);
    expect(activity.id).toBe(MEMBER.uitdatabank);
    await expectMergedByPrecedence(platform, activity);
    for (const id of Object.values(MEMBER)) expect((await activityById(platform, id))?.id).toBe(MEMBER.uitdatabank);
  });

  it('a seat change reaches a subscriber of the published id, whose seats live on another member (the ticketing record)', async () => {
    const client = createClient({ url: `${platform.baseUrl.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: false });
    const live = subscribe(client, `subscription($id: ID) { availabilityChanged(activityId: $id) { activityId source capacity remaining level } }`, { id: MEMBER.uitdatabank });
    await live.ready;
    try {
      await seatChange(remotes, 5);
      expect(await run(platform, 'ticketing')).toMatchObject({ status: 'succeeded', availabilityUpdates: 1 });
      const event = (await live.next()) as ReceivedChange;
      expect(event.availabilityChanged).toMatchObject({ source: SOURCES.ticketing, capacity: 800, remaining: 5, level: 'LimitedAvailability' });
      expect((await theMergedActivity(platform)).performances[0].availability).toEqual({ capacity: 800, remaining: 5, level: 'LimitedAvailability' });
    } finally {
      live.dispose();
      await client.dispose();
    }
  });
});

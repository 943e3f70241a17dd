/**
 * C1 of `npm run bench`: a `uitdatabank` source pulls N synthetic events (3 performances each) with the
 * places and organizers they reference from a local stand-in of the UiTdatabank Search API v3, through
 * the whole connector pipeline (fetch, archive, map, SHACL, store, cursor per page).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

type Entity = 'places' | 'organizers' | 'events';
type JsonObject = Record<string, unknown>;

const IO = 'https://io.uitdatabank.be';
const CLIENT_ID = 'bench-client';
// The Search API's own bounds (pagination guide): the connector must stay inside them.
const MAX_LIMIT = 2000;
const RESULT_WINDOW = 10_000;
const DEFAULT_WORKFLOW_STATUS: Record<Entity, string> = { places: 'READY_FOR_VALIDATION,APPROVED', events: 'READY_FOR_VALIDATION,APPROVED', organizers: 'ACTIVE' };

const CITIES = [
  { postalCode: '9000', nl: 'Gent', fr: 'Gand', street: 'Kouter', latitude: 51.0501, longitude: 3.7229 },
  { postalCode: '2000', nl: 'Antwerpen', fr: 'Anvers', street: 'Meir', latitude: 51.2194, longitude: 4.4025 },
  { postalCode: '3000', nl: 'Leuven', fr: 'Louvain', street: 'Bondgenotenlaan', latitude: 50.8798, longitude: 4.7005 },
  { postalCode: '8000', nl: 'Brugge', fr: 'Bruges', street: 'Markt', latitude: 51.2093, longitude: 3.2247 },
  { postalCode: '1000', nl: 'Brussel', fr: 'Bruxelles', street: 'Wetstraat', latitude: 50.8466, longitude: 4.3528 },
];

const GENRES = [
  { term: { id: '0.50.4.0.0', label: 'Concert', domain: 'eventtype' }, theme: { id: '1.8.3.5.0', label: 'Amusementsmuziek', domain: 'theme' }, nl: 'Concert', fr: 'Concert' },
  { term: { id: '0.55.0.0.0', label: 'Theatervoorstelling', domain: 'eventtype' }, theme: { id: '1.3.1.0.0', label: 'Tekst- en muziektheater', domain: 'theme' }, nl: 'Voorstelling', fr: 'Spectacle' },
  { term: { id: '0.54.0.0.0', label: 'Dansvoorstelling', domain: 'eventtype' }, theme: { id: '1.9.1.0.0', label: 'Hedendaagse dans', domain: 'theme' }, nl: 'Dansavond', fr: 'Soirée de danse' },
];

export interface ConnectorBenchSet {
  places: JsonObject[];
  organizers: JsonObject[];
  events: JsonObject[];
}

/** A stable uuid per (kind, index): the same set on every bench run. */
function uuidFor(kind: string, index: number): string {
  const hex = createHash('sha1').update(`bench-${kind}-${index}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Every document its own second, as in a real index: the connector opens a new window per page then. */
function instant(base: number, index: number): string {
  return new Date(base + index * 1000).toISOString().replace('.000Z', '+00:00');
}

/**
 * N events shaped like UiTdatabank's read examples (event-with-read-example.json): Dutch and French
 * texts, calendarType multiple with 3 subEvents carrying capacity/remainingCapacity, prices, booking
 * info, terms, and location and organizer embedded in full (embed=true). One place per 100 events
 * (at least one), one organizer per 5 places.
 */
export function connectorBenchSet(eventCount: number): ConnectorBenchSet {
  const placeCount = Math.max(1, Math.ceil(eventCount / 100));
  const organizerCount = Math.max(1, Math.ceil(placeCount / 5));
  const created = Date.parse('2026-01-05T09:00:00Z');
  const organizers = Array.from({ length: organizerCount }, (_, index): JsonObject => {
    const id = uuidFor('organizer', index);
    const city = CITIES[index % CITIES.length];
    return {
      '@id': `${IO}/organizers/${id}`,
      '@context': '/contexts/organizer',
      mainLanguage: 'nl',
      url: `https://cultuurhuis-${index}.example.be`,
      name: { nl: `Cultuurhuis ${city.nl} ${index}`, fr: `Maison de la culture ${city.fr} ${index}` },
      address: {
        nl: { addressCountry: 'BE', addressLocality: city.nl, postalCode: city.postalCode, streetAddress: `${city.street} ${index + 1}` },
        fr: { addressCountry: 'BE', addressLocality: city.fr, postalCode: city.postalCode, streetAddress: `${city.street} ${index + 1}` },
      },
      contactPoint: { phone: [`09 ${200 + index} 00 00`], email: [`info@cultuurhuis-${index}.example.be`], url: [`https://cultuurhuis-${index}.example.be`] },
      created: instant(created, index),
      modified: instant(created + 86_400_000, index),
      creator: 'auth0|bench',
      workflowStatus: 'ACTIVE',
      languages: ['nl', 'fr'],
      completedLanguages: ['nl', 'fr'],
    };
  });
  const places = Array.from({ length: placeCount }, (_, index): JsonObject => {
    const id = uuidFor('place', index);
    const city = CITIES[index % CITIES.length];
    return {
      '@id': `${IO}/places/${id}`,
      '@context': '/contexts/place',
      mainLanguage: 'nl',
      name: { nl: `Zaal ${city.nl} ${index}`, fr: `Salle ${city.fr} ${index}` },
      address: {
        nl: { addressCountry: 'BE', addressLocality: city.nl, postalCode: city.postalCode, streetAddress: `${city.street} ${index + 1}` },
        fr: { addressCountry: 'BE', addressLocality: city.fr, postalCode: city.postalCode, streetAddress: `${city.street} ${index + 1}` },
      },
      geo: { latitude: city.latitude + index * 0.0001, longitude: city.longitude + index * 0.0001 },
      calendarType: 'permanent',
      status: { type: 'Available' },
      terms: [{ id: 'OyaPaf64AEmEAYXHeLMAtA', label: 'Zaal of expohal', domain: 'eventtype' }],
      created: instant(created, index),
      modified: instant(created + 86_400_000, index),
      creator: 'auth0|bench',
      workflowStatus: 'APPROVED',
      languages: ['nl', 'fr'],
      completedLanguages: ['nl', 'fr'],
    };
  });
  const events = Array.from({ length: eventCount }, (_, index): JsonObject => {
    const id = uuidFor('event', index);
    const placeIndex = index % placeCount;
    const place = places[placeIndex];
    const organizer = organizers[Math.floor(placeIndex / 5) % organizerCount];
    const city = CITIES[placeIndex % CITIES.length];
    const genre = GENRES[index % GENRES.length];
    const month = String(1 + (index % 9)).padStart(2, '0');
    const subEvent = [0, 1, 2].map((day) => ({
      id: day,
      startDate: `2027-${month}-1${day}T19:00:00+00:00`,
      endDate: `2027-${month}-1${day}T21:30:00+00:00`,
      status: { type: 'Available' },
      bookingAvailability: { type: 'Available', capacity: 400, remainingCapacity: 150 + ((index + day) % 200) },
    }));
    return {
      '@id': `${IO}/events/${id}`,
      '@context': '/contexts/event',
      mainLanguage: 'nl',
      name: { nl: `${genre.nl} ${index} in ${city.nl}`, fr: `${genre.fr} ${index} à ${city.fr}` },
      description: {
        nl: `${genre.nl} ${index}: een avond vol verrassingen in zaal ${placeIndex} in ${city.nl}. Drie speeldata, vrije plaatsing.`,
        fr: `${genre.fr} ${index} : une soirée pleine de surprises. Trois dates, placement libre.`,
      },
      calendarType: 'multiple',
      startDate: subEvent[0].startDate,
      endDate: subEvent[2].endDate,
      status: { type: 'Available' },
      bookingAvailability: { type: 'Available' },
      subEvent,
      availableFrom: '2026-01-05T09:00:00+00:00',
      availableTo: subEvent[2].endDate,
      attendanceMode: 'offline',
      location: place,
      organizer,
      terms: [genre.term, genre.theme, { id: `reg.${1000 + placeIndex}`, label: city.nl, domain: 'flandersregion' }],
      audience: { audienceType: 'everyone' },
      typicalAgeRange: '12-',
      priceInfo: [
        { category: 'base', price: 18 + (index % 5) * 2, priceCurrency: 'EUR', name: { nl: 'Basistarief', fr: 'Tarif de base' } },
        { category: 'tariff', price: 12, priceCurrency: 'EUR', name: { nl: '-26 jaar', fr: '-26 ans' } },
        { category: 'uitpas', price: 4.5, priceCurrency: 'EUR', name: { nl: 'UiTPAS kansentarief', fr: 'Tarif social UiTPAS' } },
      ],
      bookingInfo: {
        url: `https://tickets.example.be/e/${id}`,
        urlLabel: { nl: 'Koop tickets', fr: 'Acheter des billets' },
        email: 'tickets@example.be',
        phone: '09 123 45 67',
      },
      contactPoint: { email: ['info@example.be'], phone: ['09 123 45 67'], url: ['https://www.example.be'] },
      sameAs: [`http://www.uitinvlaanderen.be/agenda/e/bench-${index}/${id}`],
      labels: ['bench'],
      created: instant(created + 2 * 86_400_000, index),
      modified: instant(created + 3 * 86_400_000, index),
      creator: 'auth0|bench',
      workflowStatus: 'APPROVED',
      languages: ['nl', 'fr'],
      completedLanguages: ['nl', 'fr'],
    };
  });
  return { places, organizers, events };
}

interface IndexedDocument {
  time: number;
  workflowStatus: string;
  json: string;
}

export interface SearchApiServer {
  baseUrl: string;
  /** Requests answered, for the report (a stuck cursor shows as far more pages than expected). */
  requests(): number;
  close(): Promise<void>;
}

/**
 * The Search API v3 for what a sync asks: GET /places, /organizers, /events with embed=true,
 * sort[modified]=asc, start/limit inside the result window, workflowStatus, modifiedFrom (places,
 * events) or `q=modified:[X TO *]` (organizers, which have no modifiedFrom), x-client-id. Anything
 * else is answered 400, so a change in what the connector sends fails the bench instead of
 * measuring something else. Documents are serialized once up front: the stand-in must cost the
 * shared cores as little as possible.
 */
export async function startSearchApi(set: ConnectorBenchSet): Promise<SearchApiServer> {
  const index: Record<Entity, IndexedDocument[]> = { places: [], organizers: [], events: [] };
  for (const entity of Object.keys(index) as Entity[]) {
    index[entity] = set[entity]
      .map((document) => ({ time: Date.parse(String(document.modified)), workflowStatus: String(document.workflowStatus), json: JSON.stringify(document) }))
      .sort((left, right) => left.time - right.time);
  }
  let requests = 0;
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests++;
    const reply = answer(request, index);
    response.writeHead(reply.status, { 'content-type': reply.status === 200 ? 'application/ld+json' : 'application/problem+json' });
    response.end(reply.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function answer(request: IncomingMessage, index: Record<Entity, IndexedDocument[]>): { status: number; body: string } {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const entity = url.pathname.replace(/\/+$/, '').slice(1);
  if (request.method !== 'GET' || !(entity === 'places' || entity === 'organizers' || entity === 'events')) return problem(404, `no route ${request.method} ${url.pathname}`);
  if (request.headers['x-client-id'] !== CLIENT_ID) return problem(401, 'x-client-id missing or unknown');
  const params = url.searchParams;
  if (params.get('embed') !== 'true') return problem(400, 'bench stand-in serves embed=true only');
  if (params.get('sort[modified]') !== 'asc') return problem(400, 'bench stand-in serves sort[modified]=asc only');
  const start = Number(params.get('start') ?? 0);
  const limit = Number(params.get('limit') ?? 30);
  if (!Number.isInteger(start) || start < 0 || !Number.isInteger(limit) || limit < 0 || limit > MAX_LIMIT || start + limit > RESULT_WINDOW) {
    return problem(400, `start ${start} / limit ${limit} outside the Search API's bounds`);
  }
  let from = Number.NEGATIVE_INFINITY;
  const q = params.get('q');
  if (entity === 'organizers') {
    if (params.has('modifiedFrom')) return problem(400, '/organizers has no modifiedFrom parameter');
    if (q !== null) {
      const range = /^modified:\[(\S+) TO \*\]$/.exec(q);
      if (!range) return problem(400, `bench stand-in reads only q=modified:[X TO *], got ${q}`);
      from = Date.parse(range[1].replace(/\\(.)/g, '$1'));
    }
  } else {
    if (q !== null) return problem(400, `bench stand-in reads no q on /${entity}, got ${q}`);
    // Without it the API would hide past and unavailable offers: a sync must always disable them.
    if (params.get('disableDefaultFilters') !== 'true') return problem(400, `/${entity} without disableDefaultFilters=true`);
    const modifiedFrom = params.get('modifiedFrom');
    if (modifiedFrom !== null) from = Date.parse(modifiedFrom);
  }
  if (Number.isNaN(from)) return problem(400, 'unreadable modified date-time');
  const statuses = new Set((params.get('workflowStatus') ?? DEFAULT_WORKFLOW_STATUS[entity]).split(',').map((status) => status.trim().toUpperCase()));
  const documents = index[entity];
  // Sorted by modified: the window begins at the first document at or after `from` (inclusive).
  let low = 0;
  let high = documents.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (documents[middle].time < from) low = middle + 1;
    else high = middle;
  }
  const matching = documents.slice(low).filter((document) => statuses.has('*') || statuses.has(document.workflowStatus));
  const member = matching.slice(start, start + limit).map((document) => document.json);
  const body = `{"@context":"http://www.w3.org/ns/hydra/context.jsonld","@type":"PagedCollection","itemsPerPage":${limit},"totalItems":${matching.length},"member":[${member.join(',')}]}`;
  return { status: 200, body };
}

function problem(status: number, detail: string): { status: number; body: string } {
  return { status, body: JSON.stringify({ type: 'https://api.publiq.be/probs/bench', title: 'Bench stand-in', status, detail }) };
}

export interface RunReport {
  id: string;
  status: string;
  durationMs: number | null;
  pages: number;
  fetched: number;
  accepted: number;
  rejected: number;
  unchanged: number;
  deleted: number;
  availabilityUpdates: number;
  rejections: Array<{ externalId: string | null; problems: unknown[] }> | null;
  error: string | null;
}

const FINISHED = new Set(['succeeded', 'failed', 'interrupted', 'skipped']);

/**
 * Points the source's connector at the stand-in and runs it once. `?wait=true` answers the report
 * within 120 s; a longer run answers 202 and is polled (gently: the api's CPU is the platform's).
 */
export async function runConnector(platformUrl: string, adminToken: string, sourceId: string, searchApiUrl: string): Promise<RunReport> {
  const headers = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const configured = await fetch(`${platformUrl}/v1/admin/sources/${sourceId}/connector`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({ baseUrl: searchApiUrl, options: { pageSize: 200 }, credentials: { clientId: CLIENT_ID } }),
  });
  if (!configured.ok) throw new Error(`PUT connector answered ${configured.status}: ${await configured.text()}`);
  const started = await fetch(`${platformUrl}/v1/admin/sources/${sourceId}/runs?wait=true`, { method: 'POST', headers });
  if (started.status !== 200 && started.status !== 202) throw new Error(`POST runs answered ${started.status}: ${await started.text()}`);
  let report = (await started.json()) as RunReport & { runId?: string };
  const runId = report.runId ?? report.id;
  while (!FINISHED.has(report.status)) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const polled = await fetch(`${platformUrl}/v1/admin/runs/${runId}`, { headers });
    if (!polled.ok) throw new Error(`GET run answered ${polled.status}: ${await polled.text()}`);
    report = (await polled.json()) as RunReport;
  }
  return report;
}

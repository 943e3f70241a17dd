/**
 * C2 of `npm run bench`: a `ticketmatic` source reads one account of a local stand-in of the
 * Ticketmatic API v1; each measured change sells seats of one event (its contingent's `free` and
 * `lastupdatets` change, the event's own `lastupdatets` does not: the case the connector's
 * availability lane exists for), a run is started by hand, and a graphql-ws subscriber waits for the
 * new remaining count.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { RunReport } from './connector-bench.js';

const ACCOUNT = 'benchaccount';
const ACCESS_KEY = 'bench-access-key';
const SECRET_KEY = 'bench-secret-key-0123456789';
const CAPACITY = 400;
const INITIAL_FREE = 350;
const STATUS = { draft: 19001, active: 19002, closed: 19003 } as const;
const SIGNED = /^TM-HMAC-SHA256 key=(\S+) ts=(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}) sign=([0-9a-f]{64})$/;
const SINCE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
const KNOWN_PARAMETERS = new Set(['lastupdatesince', 'limit', 'offset', 'simplefilter', 'output']);
const FINISHED = new Set(['succeeded', 'failed', 'interrupted', 'skipped']);

const LOCATIONS = [
  { id: 11, name: 'De Bijloke', street1: 'Jozef Kluyskensstraat', street2: '2', zip: '9000', city: 'Gent', countrycode: 'BE', lat: 51.0436, long: 3.7197, isarchived: false },
  { id: 12, name: 'Vooruit', street1: 'Sint-Pietersnieuwstraat', street2: '23 bus 1', zip: '9000', city: 'Gent', countrycode: 'BE', lat: 51.0478, long: 3.7276, isarchived: false },
];
const PRICE_TYPES = [
  { id: 1, typeid: 2301, name: 'Normaal', isarchived: false, lastupdatets: '2024-03-01 08:00:00' },
  { id: 2, typeid: 2302, name: '-26 jaar', isarchived: false, lastupdatets: '2024-03-01 08:00:00' },
];
const LOOKUP = JSON.stringify({
  locations: Object.fromEntries(LOCATIONS.map((location) => [String(location.id), location])),
  pricetypes: Object.fromEntries(PRICE_TYPES.map((priceType) => [String(priceType.id), priceType])),
  seatranks: {},
});

/** A Ticketmatic timestamp (UTC, microseconds) of this instant. */
function ticketmaticTimestamp(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000`;
}

interface BenchEvent {
  id: number;
  free: number;
  seatStamp: string;
  /** The whole record, serialized again only when its seats change: the stand-in must stay cheap. */
  json: string;
  lastUpdated: string;
}

/** Shaped like the connector's recorded fixtures (https://www.ticketmatic.com/docs/api/types/Event). */
function eventJson(index: number, id: number, free: number, seatStamp: string, lastUpdated: string): string {
  const month = String(1 + (index % 9)).padStart(2, '0');
  const day = String(10 + (index % 18));
  return JSON.stringify({
    id,
    name: `Voorstelling ${index}`,
    description: `Voorstelling ${index} in ${LOCATIONS[index % LOCATIONS.length].name}.`,
    translations: { nameen: `Performance ${index}`, namefr: `Spectacle ${index}` },
    startts: `2027-${month}-${day} 19:00:00`,
    endts: `2027-${month}-${day} 21:30:00`,
    salestartts: '2026-09-01 08:00:00',
    saleendts: `2027-${month}-${day} 19:00:00`,
    locationid: LOCATIONS[index % LOCATIONS.length].id,
    locationname: LOCATIONS[index % LOCATIONS.length].name,
    productionid: 500 + index,
    currentstatus: STATUS.active,
    externalcode: '',
    tags: [],
    contingents: [{ id: 20_000 + index, name: 'Tickets', amount: CAPACITY, eventid: id }],
    availability: [
      { tickettypeid: 20_000 + index, total: CAPACITY, free, complimentary: 0, locked_hard: 0, locked_soft: 0, reserved: 0, sold_paid: CAPACITY - free, sold_unpaid: 0, lastupdatets: seatStamp },
    ],
    prices: {
      contingents: [
        {
          contingentid: 20_000 + index,
          pricetypes: [
            { pricetypeid: 1, saleschannels: [{ saleschannelid: 1, price: 20 + (index % 5), servicecharge: 0 }] },
            { pricetypeid: 2, saleschannels: [{ saleschannelid: 1, price: 12, servicecharge: 0 }] },
          ],
        },
      ],
    },
    createdts: '2026-01-05 09:00:00',
    lastupdatets: lastUpdated,
  });
}

export type TicketingLane = 'changes' | 'availability';

/** One answered request, in this process's performance.now() clock. */
export interface TicketingRequest {
  lane: TicketingLane;
  arrivedAt: number;
  answeredAt: number;
}

export interface TicketingApiServer {
  baseUrl: string;
  eventIds: number[];
  /** Sells seats: the event's contingent gets a new `free` and a fresh `lastupdatets`. Returns the new count. */
  sell(eventId: number): number;
  /** When an availability-lane answer first carried this event with this `free` count. */
  carriedAt(eventId: number, free: number): number | undefined;
  /** Every answered request, in order (the phases of a run). */
  requests(): readonly TicketingRequest[];
  close(): Promise<void>;
}

/**
 * GET /api/1/{account}/events exactly as the connector asks it: limit, offset, simplefilter
 * {"status":[...]}, lastupdatesince ("YYYY-MM-DD hh:mm:ss", whole seconds, inclusive),
 * output=withlookup; every request signed `TM-HMAC-SHA256` as the connector's README documents
 * (HMAC-SHA256 of accesskey + accountname + ts, keyed with the secret key; ts within 30 minutes),
 * else 401. Anything else is 400/404, so a change in what the connector sends fails the bench.
 */
export async function startTicketingApi(eventCount: number): Promise<TicketingApiServer> {
  const base = Date.parse('2026-01-05T09:00:00Z');
  const events: BenchEvent[] = Array.from({ length: eventCount }, (_, index) => {
    const id = 100_001 + index;
    // Distinct seconds: the changes lane's `lastupdatesince` bound then answers one record, not all.
    const lastUpdated = ticketmaticTimestamp(base + index * 1000);
    const seatStamp = ticketmaticTimestamp(base + index * 1000);
    return { id, free: INITIAL_FREE, seatStamp, lastUpdated, json: eventJson(index, id, INITIAL_FREE, seatStamp, lastUpdated) };
  });
  const byId = new Map(events.map((event, index) => [event.id, { event, index }]));
  const carried = new Map<string, number>();
  const log: TicketingRequest[] = [];

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const arrivedAt = performance.now();
    const reply = answer(request, events);
    response.writeHead(reply.status, { 'content-type': 'application/json' });
    response.end(reply.body, () => {
      const answeredAt = performance.now();
      if (!reply.lane) return;
      log.push({ lane: reply.lane, arrivedAt, answeredAt });
      if (reply.lane !== 'availability') return;
      for (const event of reply.events) {
        const key = `${event.id}:${event.free}`;
        if (!carried.has(key)) carried.set(key, answeredAt);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    eventIds: events.map((event) => event.id),
    sell(eventId) {
      const entry = byId.get(eventId);
      if (!entry) throw new Error(`no event ${eventId}`);
      const { event, index } = entry;
      // Down by one per sale, back to full when sold out: consecutive counts always differ.
      event.free = event.free > 0 ? event.free - 1 : INITIAL_FREE;
      event.seatStamp = ticketmaticTimestamp(Date.now());
      carried.delete(`${event.id}:${event.free}`);
      event.json = eventJson(index, event.id, event.free, event.seatStamp, event.lastUpdated);
      return event.free;
    },
    carriedAt: (eventId, free) => carried.get(`${eventId}:${free}`),
    requests: () => log,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

interface Reply {
  status: number;
  body: string;
  lane?: TicketingLane;
  events: BenchEvent[];
}

function problem(status: number, message: string): Reply {
  return { status, body: JSON.stringify({ code: status, message }), events: [] };
}

function signatureProblem(header: string | undefined): string | null {
  const match = SIGNED.exec(header ?? '');
  if (!match) return 'no TM-HMAC-SHA256 authorization';
  const [, key, timestamp, sign] = match;
  if (key !== ACCESS_KEY) return 'unknown access key';
  if (Math.abs(Date.now() - Date.parse(`${timestamp}Z`)) > 30 * 60 * 1000) return 'timestamp outside 30 minutes';
  const expected = createHmac('sha256', SECRET_KEY).update(key + ACCOUNT + timestamp).digest();
  return timingSafeEqual(expected, Buffer.from(sign, 'hex')) ? null : 'bad signature';
}

function answer(request: IncomingMessage, events: BenchEvent[]): Reply {
  const unauthorized = signatureProblem(request.headers.authorization);
  if (unauthorized) return problem(401, `Unauthorized: ${unauthorized}`);
  const url = new URL(request.url ?? '/', 'http://localhost');
  if (request.method !== 'GET' || url.pathname !== `/api/1/${ACCOUNT}/events`) return problem(404, `Not found: ${request.method} ${url.pathname}`);
  const parameters = url.searchParams;
  for (const name of parameters.keys()) if (!KNOWN_PARAMETERS.has(name)) return problem(400, `bench stand-in does not read ${name}`);
  const limit = Number(parameters.get('limit') ?? 100);
  const offset = Number(parameters.get('offset') ?? 0);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000 || !Number.isInteger(offset) || offset < 0) return problem(400, 'Invalid limit or offset');
  const since = parameters.get('lastupdatesince');
  if (since !== null && !SINCE.test(since)) return problem(400, 'lastupdatesince: expected YYYY-MM-DD hh:mm:ss');
  const output = parameters.get('output');
  if (output !== null && output !== 'withlookup') return problem(400, `bench stand-in serves output=withlookup only, got ${output}`);
  let statuses: number[];
  try {
    const filter = JSON.parse(parameters.get('simplefilter') ?? '{"status":[19002,19003]}') as { status?: unknown };
    if (!Array.isArray(filter.status) || !filter.status.every(Number.isInteger)) throw new Error('status');
    statuses = filter.status as number[];
  } catch {
    return problem(400, 'simplefilter: expected {"status":[...]}');
  }
  // The connector's availability lane: the active events, no lookup, no bound.
  const lane: TicketingLane = since === null && output === null && statuses.length === 1 && statuses[0] === STATUS.active ? 'availability' : 'changes';
  // Every bench event is active and sorted by id already.
  const matching = statuses.includes(STATUS.active) ? events.filter((event) => since === null || event.lastUpdated.slice(0, 19) >= since) : [];
  const page = matching.slice(offset, offset + limit);
  const lookup = output === 'withlookup' ? `,"lookup":${LOOKUP}` : '';
  return { status: 200, body: `{"data":[${page.map((event) => event.json).join(',')}],"nbrofresults":${matching.length}${lookup}}`, lane, events: page };
}

function adminHeaders(adminToken: string): Record<string, string> {
  return { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
}

async function startRun(platformUrl: string, adminToken: string, sourceId: string): Promise<string> {
  const started = await fetch(`${platformUrl}/v1/admin/sources/${sourceId}/runs`, { method: 'POST', headers: adminHeaders(adminToken) });
  if (started.status !== 202) throw new Error(`POST runs answered ${started.status}: ${await started.text()}`);
  return ((await started.json()) as { runId: string }).runId;
}

async function finishedRun(platformUrl: string, adminToken: string, runId: string, pollMs: number): Promise<RunReport & { startedAt: string; finishedAt: string | null }> {
  for (;;) {
    const polled = await fetch(`${platformUrl}/v1/admin/runs/${runId}`, { headers: adminHeaders(adminToken) });
    if (!polled.ok) throw new Error(`GET run answered ${polled.status}: ${await polled.text()}`);
    const report = (await polled.json()) as RunReport & { startedAt: string; finishedAt: string | null };
    if (FINISHED.has(report.status)) return report;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Points the source's connector at the stand-in and runs it once, so every event exists before anything is measured. */
export async function loadTicketingSource(platformUrl: string, adminToken: string, sourceId: string, api: TicketingApiServer): Promise<RunReport> {
  const configured = await fetch(`${platformUrl}/v1/admin/sources/${sourceId}/connector`, {
    method: 'PUT',
    headers: adminHeaders(adminToken),
    body: JSON.stringify({ baseUrl: api.baseUrl, options: { accountName: ACCOUNT, pageSize: 100 }, credentials: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY } }),
  });
  if (!configured.ok) throw new Error(`PUT connector answered ${configured.status}: ${await configured.text()}`);
  const report = await finishedRun(platformUrl, adminToken, await startRun(platformUrl, adminToken, sourceId), 200);
  if (report.status !== 'succeeded' || report.accepted !== api.eventIds.length || report.rejected !== 0) {
    throw new Error(`C2: first run ${report.status}${report.error ? ` (${report.error})` : ''}: ${report.accepted} accepted, ${report.rejected} rejected of ${api.eventIds.length} events ${JSON.stringify(report.rejections?.slice(0, 2))}`);
  }
  return report;
}

export interface SeatChangeLatency {
  /** From the POST of the run to the subscriber receiving the new count. */
  fromRequest: number[];
  /** From the stand-in's answer to the availability request that carried the change. */
  fromAnswer: number[];
  /** Medians of the phases of a run, for where the time goes. */
  phases: Record<string, number>;
  missed: string[];
  /** Runs that sent other than exactly one seat count, or accepted records: the lane did more than the change. */
  odd: string[];
}

/**
 * `changes` seat changes, one at a time: sell seats of one event, POST a run (no wait), wait for the
 * subscriber to see the new count, then for the run to end (a run started while one holds the lease
 * is skipped). `warmUp` changes first, unmeasured: JIT compilation of the path is not latency.
 */
export async function measureSeatChanges(platformUrl: string, adminToken: string, sourceId: string, api: TicketingApiServer, changes: number, warmUp = 3): Promise<SeatChangeLatency> {
  const received = new Map<string, number>();
  let waiting: { key: string; resolve: () => void } | undefined;
  const client = createClient({ url: `${platformUrl.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: false });
  const dispose = client.subscribe(
    { query: 'subscription { availabilityChanged { performanceExternalId remaining } }' },
    {
      next: (value) => {
        const at = performance.now();
        const change = (value.data as { availabilityChanged: { performanceExternalId: string; remaining: number } }).availabilityChanged;
        const key = `${change.performanceExternalId}:${change.remaining}`;
        if (!received.has(key)) received.set(key, at);
        if (waiting?.key === key) waiting.resolve();
      },
      error: (error) => console.error(error),
      complete: () => undefined,
    },
  );
  await new Promise((resolve) => setTimeout(resolve, 500));
  const result: SeatChangeLatency = { fromRequest: [], fromAnswer: [], phases: {}, missed: [], odd: [] };
  const phases: Record<string, number[]> = {
    'POST -> 202': [],
    'POST -> run started (worker)': [],
    'run started -> changes-lane request': [],
    'changes-lane answer -> availability-lane request': [],
    'availability answer -> subscriber': [],
    'subscriber -> run finished': [],
  };
  try {
    for (let index = 0; index < warmUp + changes; index++) {
      const eventId = api.eventIds[index % api.eventIds.length];
      const free = api.sell(eventId);
      const key = `${eventId}:${free}`;
      received.delete(key);
      const seen = new Promise<void>((resolve) => {
        waiting = { key, resolve };
        if (received.has(key)) resolve();
      });
      const firstRequest = api.requests().length;
      const postedAt = performance.now();
      const postedWall = performance.timeOrigin + postedAt;
      const runId = await startRun(platformUrl, adminToken, sourceId);
      const answeredAt = performance.now();
      const timedOut = await Promise.race([seen.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 30_000).unref())]);
      waiting = undefined;
      const report = await finishedRun(platformUrl, adminToken, runId, 20);
      if (index < warmUp) continue;
      const at = received.get(key);
      const carried = api.carriedAt(eventId, free);
      if (timedOut || at === undefined) {
        result.missed.push(`${key}: run ${report.status}, ${report.availabilityUpdates} seat counts, ${report.pages} pages${report.error ? `, ${report.error}` : ''}`);
        continue;
      }
      if (report.availabilityUpdates !== 1 || report.accepted !== 0) result.odd.push(`${key}: ${report.availabilityUpdates} seat counts, ${report.accepted} accepted, ${report.pages} pages`);
      result.fromRequest.push(at - postedAt);
      if (carried !== undefined) result.fromAnswer.push(at - carried);
      const requests = api.requests().slice(firstRequest);
      const changesLane = requests.find((request) => request.lane === 'changes');
      const availabilityLane = requests.find((request) => request.lane === 'availability');
      const startedAt = Date.parse(report.startedAt) - performance.timeOrigin;
      phases['POST -> 202'].push(answeredAt - postedAt);
      phases['POST -> run started (worker)'].push(Date.parse(report.startedAt) - postedWall);
      if (changesLane) phases['run started -> changes-lane request'].push(changesLane.arrivedAt - startedAt);
      if (changesLane && availabilityLane) phases['changes-lane answer -> availability-lane request'].push(availabilityLane.arrivedAt - changesLane.answeredAt);
      if (carried !== undefined) phases['availability answer -> subscriber'].push(at - carried);
      if (report.finishedAt) phases['subscriber -> run finished'].push(Date.parse(report.finishedAt) - performance.timeOrigin - at);
    }
  } finally {
    dispose();
    await client.dispose();
  }
  for (const [name, values] of Object.entries(phases)) {
    const sorted = [...values].sort((left, right) => left - right);
    result.phases[name] = sorted[Math.floor(sorted.length / 2)] ?? NaN;
  }
  return result;
}

import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { startFixtureServer, type FixtureServer } from '../../../../test/support/fixture-server.js';
import type { ConnectorContext, ConnectorCredentials } from '../connector.js';
import { HttpClient, RemoteError } from '../http-client.js';
import type { MappedItem } from '../mapped-item.js';
import { CONNECTORS } from '../registry.js';
import { recorded, TicketmaticFixtureAccount } from './testing/ticketmatic-fixture-api.js';
import { ticketmaticConnector, type TicketmaticCursor } from './ticketmatic-connector.js';

const ACCOUNT = 'cultuurhuis';
const CREDENTIALS = { accessKey: 'ak-3f9c1e27b8d04a6e', secretKey: 'sk-9b2d7e61c4a83f05d1e8' };
const OPTIONS = { accountName: ACCOUNT, pageSize: 2, contingents: ['Tickets'], socialPriceTypes: [3] };
const SYNC_1 = new Date('2026-11-20T10:00:00Z');
const SYNC_2 = new Date('2026-11-20T10:10:00Z');
const SYNC_3 = new Date('2026-11-20T10:20:00Z');
const SYNC_4 = new Date('2026-11-20T10:30:00Z');

let server: FixtureServer;
let account: TicketmaticFixtureAccount;

beforeEach(async () => {
  account = new TicketmaticFixtureAccount({ accountName: ACCOUNT, ...CREDENTIALS });
  server = await startFixtureServer(account.handler);
});
afterEach(async () => server.close());

function contextAt(now: Date, options: Record<string, unknown> = OPTIONS, credentials: ConnectorCredentials = CREDENTIALS, attempts = 1): ConnectorContext {
  return {
    sourceId: 'tm-test',
    settings: { baseUrl: server.baseUrl, options },
    credentials,
    http: new HttpClient({ secrets: Object.values(credentials), attempts, minDelayMs: 1, maxDelayMs: 5, timeoutMs: 5000 }),
    now,
  };
}

/** Pages until done as a run does: items mapped per page, the cursor persisted (through JSON) after each. */
async function sync(context: ConnectorContext, cursor: TicketmaticCursor): Promise<{ items: MappedItem[]; cursor: TicketmaticCursor; error?: Error }> {
  const items: MappedItem[] = [];
  let current = cursor;
  for (let page = 0; page < 50; page++) {
    try {
      const fetched = await ticketmaticConnector.fetchPage(context, current);
      items.push(...ticketmaticConnector.mapPage(fetched, context));
      current = JSON.parse(JSON.stringify(fetched.cursor)) as TicketmaticCursor;
      if (fetched.done) return { items, cursor: current };
    } catch (error) {
      return { items, cursor: current, error: error as Error };
    }
  }
  throw new Error('not done after 50 pages');
}

const summary = (items: MappedItem[]) =>
  items.map((item) => {
    switch (item.type) {
      case 'activity':
        return `activity ${item.externalId} ${item.activity.performances[0].status}`;
      case 'availability':
        return `availability ${item.performanceId} ${item.remaining}/${item.capacity}`;
      case 'deletion':
        return `deletion ${item.externalId}`;
      case 'invalid':
        return `invalid ${item.externalId} ${item.problems.map((problem) => problem.path).join(',')}`;
      default:
        return item.type;
    }
  });

const eventRequests = () => server.requests.map((request) => new URL(request.url, 'http://fixture.local')).filter((url) => url.pathname === `/api/1/${ACCOUNT}/events`);

describe('ticketmatic connector over HTTP', () => {
  it('is registered for the kind ticketmatic', () => {
    expect(CONNECTORS.ticketmatic).toBe(ticketmaticConnector);
  });

  it('pages the events with limit/offset, then the active events for seats, signing every request', async () => {
    const { items, cursor, error } = await sync(contextAt(SYNC_1), ticketmaticConnector.initialCursor(contextAt(SYNC_1).settings, SYNC_1));
    expect(error).toBeUndefined();
    expect(summary(items)).toEqual([
      'activity 1001 scheduled',
      'availability 1001 120/300',
      'activity 1002 scheduled',
      'availability 1002 12/450',
      'invalid 1003 /locationid',
      'availability 1003 0/80',
      'activity 1005 scheduled',
      'availability 1005 200/200',
    ]);
    // Two pages of changes (published events only on a first load), two of active events.
    expect(eventRequests().map((url) => [url.searchParams.get('offset'), url.searchParams.get('limit'), url.searchParams.get('simplefilter'), url.searchParams.get('lastupdatesince')])).toEqual([
      ['0', '2', '{"status":[19002,19003]}', null],
      ['2', '2', '{"status":[19002,19003]}', null],
      ['0', '2', '{"status":[19002]}', null],
      ['2', '2', '{"status":[19002]}', null],
    ]);
    for (const request of server.requests) {
      const [, key, timestamp, sign] = /^TM-HMAC-SHA256 key=(\S+) ts=(\S+) sign=(\S+)$/.exec(String(request.headers.authorization)) ?? [];
      expect(key).toBe(CREDENTIALS.accessKey);
      expect(sign).toBe(createHmac('sha256', CREDENTIALS.secretKey).update(`${CREDENTIALS.accessKey}${ACCOUNT}${timestamp}`).digest('hex'));
      expect(request.url).not.toContain(CREDENTIALS.secretKey);
    }
    expect(JSON.stringify(cursor)).not.toContain(CREDENTIALS.secretKey);
    expect(JSON.stringify(cursor)).not.toContain(CREDENTIALS.accessKey);
    // The cycle is complete; the next run starts a new one from the latest change seen, to the microsecond.
    expect(cursor).toMatchObject({ lane: 'availability', complete: true, changedAfter: null, maxChanged: '2026-11-20 09:30:12.345678', cycleStartedAt: '2026-11-20 10:00:00.000000' });
  });

  it('maps an event with its place, prices, translations and seats of the counted contingents', async () => {
    const { items } = await sync(contextAt(SYNC_1), ticketmaticConnector.initialCursor(contextAt(SYNC_1).settings, SYNC_1));
    const first = items.find((item) => item.type === 'activity' && item.externalId === '1001');
    expect(first?.type === 'activity' && first.activity).toMatchObject({
      externalId: '1001',
      title: { nl: 'Strijkkwartet Danel', en: 'Danel String Quartet', fr: 'Quatuor Danel' },
      place: { externalId: '11', name: { nl: 'De Bijloke' }, address: { street: 'Jozef Kluyskensstraat', houseNumber: '2', postalCode: '9000', municipality: { nl: 'Gent' }, country: 'BE' } },
      performances: [{ externalId: '1001', start: '2027-02-01T19:00:00Z', end: '2027-02-01T21:00:00Z', status: 'scheduled', availability: { capacity: 300, remaining: 120, changedAt: '2026-11-20T09:12:40.118Z' } }],
      prices: [
        { category: 'base', name: { nl: 'Normaal' }, amount: 24, currency: 'EUR' },
        { category: 'tariff', name: { nl: '-26 jaar' }, amount: 12, currency: 'EUR' },
        { category: 'social', name: { nl: 'UiTPAS kansentarief' }, amount: 6, currency: 'EUR' },
      ],
    });
    const invalid = items.find((item) => item.type === 'invalid');
    expect(invalid?.type === 'invalid' && invalid.problems[0].message.nl).toContain('Kelder Handelsbeurs');
    expect(invalid?.type === 'invalid' && invalid.problems[0].message.en).toContain('options.locations["13"]');
  });

  it('resumes after a failure in the middle from the persisted cursor, losing and doubling nothing', async () => {
    const uninterrupted = await sync(contextAt(SYNC_1), ticketmaticConnector.initialCursor(contextAt(SYNC_1).settings, SYNC_1));
    server.requests.length = 0;

    // Second page of the changes lane fails (no retries in this context): the run stops there.
    let answered = 0;
    account.afterEventsRequest = () => {
      answered += 1;
      if (answered === 1) server.failNext(1, { status: 503, body: { code: 503, message: 'Service unavailable' } });
    };
    const failed = await sync(contextAt(SYNC_1), ticketmaticConnector.initialCursor(contextAt(SYNC_1).settings, SYNC_1));
    expect(failed.error).toBeInstanceOf(RemoteError);
    expect((failed.error as RemoteError).status).toBe(503);
    expect(failed.error?.message).not.toContain(CREDENTIALS.secretKey);
    expect(failed.cursor).toMatchObject({ lane: 'changes', offset: 2, complete: false });

    account.afterEventsRequest = undefined;
    const resumed = await sync(contextAt(SYNC_1), failed.cursor);
    expect(resumed.error).toBeUndefined();
    expect(summary([...failed.items, ...resumed.items])).toEqual(summary(uninterrupted.items));
    expect(resumed.cursor).toEqual(uninterrupted.cursor);
    // The resumed run asks for the failed page again, not the first one.
    expect(eventRequests().slice(-4).map((url) => url.searchParams.get('offset'))).toEqual(['2', '2', '0', '2']);
  });

  it('retries a passing failure itself when the client has attempts left', async () => {
    server.failNext(1);
    const { items, error } = await sync(contextAt(SYNC_1, OPTIONS, CREDENTIALS, 3), ticketmaticConnector.initialCursor(contextAt(SYNC_1).settings, SYNC_1));
    expect(error).toBeUndefined();
    expect(items).toHaveLength(8);
  });

  it('sends changed events, withdrawn events as deletions and availability-only changes through the fast lane', async () => {
    const first = await sync(contextAt(SYNC_1), ticketmaticConnector.initialCursor(contextAt(SYNC_1).settings, SYNC_1));
    account.replace(recorded.changedEvents());
    server.requests.length = 0;

    const second = await sync(contextAt(SYNC_2), first.cursor);
    expect(second.error).toBeUndefined();
    expect(summary(second.items)).toEqual([
      'activity 1002 cancelled',
      'availability 1002 450/450',
      'deletion 1005',
      // 1001's event did not change; its seats did (availability lane).
      'availability 1001 96/300',
    ]);
    const changed = second.items.find((item) => item.type === 'activity');
    expect(changed?.type === 'activity' && changed.activity.title).toEqual({ nl: 'Rosas danst Rosas (herneming)', en: 'Rosas danst Rosas (revival)' });
    // lastupdatesince has whole seconds as documented; the microseconds tie-break drops 1001 (09:30:12.1).
    expect(eventRequests()[0].searchParams.get('lastupdatesince')).toBe('2026-11-20 09:30:12');
    expect(eventRequests()[0].searchParams.get('simplefilter')).toBe('{"status":[19001,19002,19003]}');

    // Nothing changed since: nothing is sent again.
    const third = await sync(contextAt(SYNC_3), second.cursor);
    expect(third.error).toBeUndefined();
    expect(third.items).toEqual([]);
  });

  it('does not lose an event that changes on a page already read while the cycle runs', async () => {
    const first = await sync(contextAt(SYNC_1), ticketmaticConnector.initialCursor(contextAt(SYNC_1).settings, SYNC_1));
    const second = await sync(contextAt(SYNC_2), first.cursor);
    // Before the third cycle 1001 and 1003 change: pages [1001, 1002] and [1003].
    account.update(1001, { lastupdatets: '2026-11-20 10:15:00.000000' });
    account.update(1003, { lastupdatets: '2026-11-20 10:15:00.000000', locationid: 12, locationname: 'Vooruit' });
    // While the cycle runs, 1001 changes after its page was read and 1003 after that, before its page.
    let answered = 0;
    account.afterEventsRequest = () => {
      answered += 1;
      if (answered !== 1) return;
      account.update(1001, { name: 'Strijkkwartet Danel (nieuwe datum)', lastupdatets: '2026-11-20 10:20:10.000000' });
      account.update(1003, { lastupdatets: '2026-11-20 10:20:20.000000' });
    };
    const third = await sync(contextAt(SYNC_3), second.cursor);
    expect(summary(third.items).filter((line) => line.startsWith('activity'))).toEqual(['activity 1001 scheduled', 'activity 1003 scheduled']);

    account.afterEventsRequest = undefined;
    const fourth = await sync(contextAt(SYNC_4), third.cursor);
    // 1001's second change is read again thanks to the overlap; 1003 was sent as it is and is not doubled.
    expect(summary(fourth.items)).toEqual(['activity 1001 scheduled', 'availability 1001 120/300']);
    const renamed = fourth.items[0];
    expect(renamed.type === 'activity' && renamed.activity.title.nl).toBe('Strijkkwartet Danel (nieuwe datum)');
  });

  it('gets a 401 for a wrong signature and reports it without the secret', async () => {
    const wrong = { accessKey: CREDENTIALS.accessKey, secretKey: 'sk-not-the-right-secret-42' };
    const { error, items } = await sync(contextAt(SYNC_1, OPTIONS, wrong, 3), ticketmaticConnector.initialCursor(contextAt(SYNC_1).settings, SYNC_1));
    expect(error).toBeInstanceOf(RemoteError);
    expect((error as RemoteError).status).toBe(401);
    expect(error?.message).not.toContain(wrong.secretKey);
    expect(items).toEqual([]);
    // 401 is not retried.
    expect(server.requests).toHaveLength(1);
  });
});

describe('ticketmatic orders lane', () => {
  const ORDERS = { ...OPTIONS, orders: { priceTypes: { '3': 'uitpas' }, salesChannels: { '2': 'online' } } };

  it('needs PSEUDONYM_KEY: without it the lane fails with the reason, after the events were read', async () => {
    const { items, error } = await sync(contextAt(SYNC_1, ORDERS), ticketmaticConnector.initialCursor(contextAt(SYNC_1).settings, SYNC_1));
    expect(error?.message).toContain('PSEUDONYM_KEY is not set');
    expect(items.some((item) => item.type === 'activity')).toBe(true);
  });

  it('returns (for the archive) stripped pages only: no contact data leaves fetchPage', async () => {
    const context = { ...contextAt(SYNC_1, ORDERS), pseudonymKey: 'test-pseudonym-key-0123456789' };
    let cursor = ticketmaticConnector.initialCursor(context.settings, SYNC_1);
    const bodies: string[] = [];
    const items: MappedItem[] = [];
    for (let page = 0; page < 20; page++) {
      const fetched = await ticketmaticConnector.fetchPage(context, cursor);
      if (fetched.cursor.lane === 'orders') bodies.push(...fetched.responses.map((response) => response.body.toString('utf8')));
      items.push(...ticketmaticConnector.mapPage(fetched, context));
      cursor = JSON.parse(JSON.stringify(fetched.cursor)) as TicketmaticCursor;
      if (fetched.done) break;
    }
    // 4 orders in pages of 2
    expect(bodies).toHaveLength(2);
    for (const body of bodies) {
      expect(JSON.parse(body).format).toBe('cdp-participation-stripped/1');
      for (const personal of ['Peeters', 'an.peeters@example.org', '1984-05-03', 'Kortrijksesteenweg', '+32 475', 'Utrecht', '"9101"', 'BE0123456789']) expect(body).not.toContain(personal);
    }
    const tickets = items.flatMap((item) => (item.type === 'participation' ? item.items : []));
    expect(tickets.map((item) => [item.externalId, item.ticket?.priceCategory, item.ticket?.channel, item.ticket?.participant.birthYear])).toEqual([
      ['880001', 'basis', 'other', 1984],
      ['880002', 'basis', 'other', 2009],
      ['880003', 'uitpas', 'online', 1991],
      ['880005', 'basis', 'other', 1958],
      // An unknown event is refused at storage (the performance lookup), not here.
      ['880006', 'basis', 'other', 1958],
    ]);
    expect(cursor).toMatchObject({ lane: 'orders', complete: true, maxOrders: '2026-11-14 11:00:05.000000' });
  });
});

import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FixtureHandler, FixtureReply, RecordedRequest } from '../../../../../test/support/fixture-server.js';
import type { TicketmaticContact, TicketmaticEvent, TicketmaticEventLocation, TicketmaticOrder, TicketmaticPriceType } from '../raw-types.js';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as T;

/** The recorded payloads (shaped as https://www.ticketmatic.com/docs/api documents them). */
export const recorded = {
  events: () => fixture<{ data: TicketmaticEvent[]; nbrofresults: number }>('events.json').data,
  changedEvents: () => fixture<{ data: TicketmaticEvent[]; nbrofresults: number }>('events-changed.json').data,
  locations: () => fixture<{ data: TicketmaticEventLocation[] }>('eventlocations.json').data,
  priceTypes: () => fixture<{ data: TicketmaticPriceType[] }>('pricetypes.json').data,
  /** Orders with their tickets and the contacts they name (made-up people, the personal data a real account holds). */
  orders: () => fixture<{ data: TicketmaticOrder[] }>('orders.json').data,
  contacts: () => fixture<{ contacts: TicketmaticContact[] }>('orders.json').contacts,
};

export interface FixtureAccountOptions {
  accountName: string;
  accessKey: string;
  secretKey: string;
  /** The server's clock, for the documented 30-minute validity of a signed request. */
  now?: () => Date;
}

const SIGNED = /^TM-HMAC-SHA256 key=(\S+) ts=(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}) sign=([0-9a-f]{64})$/;
const SINCE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * One Ticketmatic account behind the fixture server: GET /api/1/{accountname}/events with limit,
 * offset, lastupdatesince, simplefilter.status and output=withlookup, answering the documented
 * {data, nbrofresults, lookup} envelope. Every request must carry a valid TM-HMAC-SHA256 signature,
 * checked here from the documentation (not with the client's code), or it gets 401.
 */
export class TicketmaticFixtureAccount {
  readonly events = new Map<number, TicketmaticEvent>();
  readonly locations = new Map<number, TicketmaticEventLocation>(recorded.locations().map((location) => [location.id, location]));
  readonly priceTypes = new Map<number, TicketmaticPriceType>(recorded.priceTypes().map((priceType) => [priceType.id, priceType]));
  readonly orders = new Map<number, TicketmaticOrder>(recorded.orders().map((order) => [order.orderid, order]));
  readonly contacts = new Map<number, TicketmaticContact>(recorded.contacts().map((contact) => [contact.id, contact]));
  /** Called after each answered events request (a test can change the account while a run pages). */
  afterEventsRequest?: () => void;

  constructor(private readonly options: FixtureAccountOptions) {
    this.replace(recorded.events());
  }

  /** Puts these event records in place of those with the same id (or adds them). */
  replace(events: TicketmaticEvent[]): void {
    for (const event of events) this.events.set(event.id, structuredClone(event));
  }

  update(id: number, change: Partial<TicketmaticEvent>): void {
    const event = this.events.get(id);
    if (!event) throw new Error(`no event ${id}`);
    this.events.set(id, { ...event, ...structuredClone(change) });
  }

  readonly handler: FixtureHandler = (request, url) => {
    const unauthorized = this.checkSignature(request);
    if (unauthorized) return unauthorized;
    if (request.method === 'GET' && url.pathname === `/api/1/${this.options.accountName}/orders`) return this.listOrders(url);
    if (request.method !== 'GET' || url.pathname !== `/api/1/${this.options.accountName}/events`) {
      return { status: 404, body: { code: 404, message: `Not found: ${url.pathname}` } };
    }
    const reply = this.list(url);
    this.afterEventsRequest?.();
    return reply;
  };

  private list(url: URL): FixtureReply {
    const parameters = url.searchParams;
    const limit = parameters.has('limit') ? Number(parameters.get('limit')) : 100;
    const offset = parameters.has('offset') ? Number(parameters.get('offset')) : 0;
    if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) return { status: 400, body: { code: 400, message: 'Invalid limit or offset' } };
    const since = parameters.get('lastupdatesince');
    if (since !== null && !SINCE.test(since)) return { status: 400, body: { code: 400, message: 'lastupdatesince: expected YYYY-MM-DD hh:mm:ss' } };
    let statuses = [19002, 19003]; // documented default: Active and Closed
    if (parameters.has('simplefilter')) {
      const filter = JSON.parse(parameters.get('simplefilter') as string) as { status?: number[] };
      if (filter.status) statuses = filter.status;
    }
    const matching = [...this.events.values()]
      .filter((event) => statuses.includes(event.currentstatus as number))
      // Seconds precision, inclusive: a record updated within the given second is answered again.
      .filter((event) => since === null || (event.lastupdatets as string).slice(0, 19) >= since)
      .sort((first, second) => first.id - second.id);
    const data = matching.slice(offset, offset + limit);
    const body: Record<string, unknown> = { data, nbrofresults: matching.length };
    if (parameters.get('output') === 'withlookup') {
      body.lookup = {
        locations: Object.fromEntries(data.flatMap((event) => (this.locations.has(event.locationid as number) ? [[String(event.locationid), this.locations.get(event.locationid as number)]] : []))),
        pricetypes: Object.fromEntries(
          data
            .flatMap((event) => event.prices?.contingents?.flatMap((contingent) => contingent.pricetypes?.map((priceType) => priceType.pricetypeid) ?? []) ?? [])
            .filter((id) => this.priceTypes.has(id))
            .map((id) => [String(id), this.priceTypes.get(id)]),
        ),
        seatranks: {},
      };
    }
    return { status: 200, body };
  }

  /** GET /orders: limit, offset, lastupdatesince (seconds, inclusive), output=withlookup adds the contacts the page names. */
  private listOrders(url: URL): FixtureReply {
    const parameters = url.searchParams;
    const limit = parameters.has('limit') ? Number(parameters.get('limit')) : 100;
    const offset = parameters.has('offset') ? Number(parameters.get('offset')) : 0;
    const since = parameters.get('lastupdatesince');
    if (since !== null && !SINCE.test(since)) return { status: 400, body: { code: 400, message: 'lastupdatesince: expected YYYY-MM-DD hh:mm:ss' } };
    const matching = [...this.orders.values()]
      .filter((order) => since === null || (order.lastupdatets as string).slice(0, 19) >= since)
      .sort((first, second) => first.orderid - second.orderid);
    const data = matching.slice(offset, offset + limit);
    const body: Record<string, unknown> = { data, nbrofresults: matching.length };
    if (parameters.get('output') === 'withlookup') {
      const ids = new Set(data.flatMap((order) => [order.customerid, ...(order.tickets ?? []).map((ticket) => ticket.ticketholderid)].filter((id): id is number => id !== undefined)));
      body.lookup = { contacts: Object.fromEntries([...ids].filter((id) => this.contacts.has(id)).map((id) => [String(id), this.contacts.get(id)])) };
    }
    return { status: 200, body };
  }

  private checkSignature(request: RecordedRequest): FixtureReply | null {
    const match = SIGNED.exec(String(request.headers.authorization ?? ''));
    const denied: FixtureReply = { status: 401, body: { code: 401, message: 'Unauthorized' } };
    if (!match) return denied;
    const [, key, timestamp, sign] = match;
    if (key !== this.options.accessKey) return denied;
    const age = (this.options.now?.() ?? new Date()).getTime() - Date.parse(`${timestamp}Z`);
    if (Math.abs(age) > 30 * 60 * 1000) return denied;
    const expected = createHmac('sha256', this.options.secretKey).update(key + this.options.accountName + timestamp).digest();
    return timingSafeEqual(expected, Buffer.from(sign, 'hex')) ? null : denied;
  }
}

import type { Connector, ConnectorContext, ConnectorPage } from '../connector.js';
import { mappingProblem, type MappedItem } from '../mapped-item.js';
import { TicketmaticClient } from './ticketmatic-client.js';
import { availabilityItem, eventSeats, isWithdrawn, mapChangedEvent, type EventListPage, type EventSeats } from './ticketmatic-mapper.js';
import { checkTicketmaticSettings, readTicketmaticOptions, type TicketmaticOptions } from './ticketmatic-options.js';
import { EVENT_STATUS, type TicketmaticEvent, type TicketmaticEventList } from './raw-types.js';
import { canonicalTimestamp, earliest, lastUpdateSinceParameter, latest, minusSeconds, timestampFromDate } from './timestamps.js';
import { latestOrderUpdate, strippedOrdersPage } from './ticketmatic-orders.js';
import { STRIPPED_PAYLOAD_FORMAT, type StrippedPayload } from '@platform/research';

/**
 * Where a Ticketmatic source is. A cycle reads two lanes, each paged with limit/offset:
 * - `changes`: events with `lastupdatesince` (drafts included, so a withdrawn event becomes a deletion);
 * - `availability`: the active events, for seat counts that changed without the event changing;
 * - `orders` (with `options.orders`): orders updated since the last cycle, their tickets stripped of
 *   personal data in `fetchPage`, so the page that is archived holds the stripped form only.
 * The bounds of a cycle (`changedAfter`, `availabilityAfter`, `sent*`) stay fixed while it runs, so
 * `mapPage` filters every page with exactly what `fetchPage` filtered it with, also when mapped again
 * from the archive. Timestamps are canonical Ticketmatic timestamps (UTC, microseconds).
 */
export interface TicketmaticCursor {
  v: 1;
  lane: 'changes' | 'availability' | 'orders';
  /** Events of this lane's list already read (the next `offset`). */
  offset: number;
  /** This lane has been read to the end; the next fetch moves on to the next lane or cycle. */
  complete: boolean;
  /** Events changed after this are mapped (null: the first load, everything). */
  changedAfter: string | null;
  /** Seat counts stamped after this go to the fast lane (null until the first availability lane). */
  availabilityAfter: string | null;
  /** Event id -> lastupdatets / seat stamp already sent after the bounds (the overlap window), not sent again. */
  sentChanges: Record<string, string>;
  sentAvailability: Record<string, string>;
  /** The cycle's progress: when it began (our clock), the latest stamps seen, and what it sent. */
  cycleStartedAt: string | null;
  maxChanged: string | null;
  maxAvailability: string | null;
  sendingChanges: Record<string, string>;
  sendingAvailability: Record<string, string>;
  /** Orders updated after this are read (null: every order, the first time); absent in cursors of before the lane. */
  ordersAfter?: string | null;
  /** The latest `lastupdatets` of the orders this cycle read. */
  maxOrders?: string | null;
}

export const ticketmaticConnector: Connector<TicketmaticCursor> = {
  kind: 'ticketmatic',

  checkSettings: checkTicketmaticSettings,

  initialCursor(): TicketmaticCursor {
    return {
      v: 1,
      lane: 'changes',
      offset: 0,
      complete: false,
      changedAfter: null,
      availabilityAfter: null,
      sentChanges: {},
      sentAvailability: {},
      cycleStartedAt: null,
      maxChanged: null,
      maxAvailability: null,
      sendingChanges: {},
      sendingAvailability: {},
      ordersAfter: null,
      maxOrders: null,
    };
  },

  async fetchPage(context: ConnectorContext, previous: TicketmaticCursor): Promise<ConnectorPage<TicketmaticCursor>> {
    const options = readTicketmaticOptions(context.settings);
    const client = new TicketmaticClient(context.http, context.settings.baseUrl, options.accountName, {
      accessKey: context.credentials.accessKey ?? '',
      secretKey: context.credentials.secretKey ?? '',
    });
    const cursor = advance(readCursor(previous), context.now, options);
    if (cursor.lane === 'orders') return fetchOrders(client, context, cursor, options);
    const { response, list } = await client.listEvents({
      ...(cursor.lane === 'changes' && cursor.changedAfter ? { lastUpdateSince: lastUpdateSinceParameter(cursor.changedAfter) } : {}),
      limit: options.pageSize,
      offset: cursor.offset,
      statuses:
        cursor.lane === 'availability'
          ? [EVENT_STATUS.active]
          : cursor.changedAfter === null
            ? [EVENT_STATUS.active, EVENT_STATUS.closed]
            : [EVENT_STATUS.draft, EVENT_STATUS.active, EVENT_STATUS.closed],
      withLookup: cursor.lane === 'changes',
      salesChannelId: options.salesChannelId,
    });
    const events = list.data ?? [];
    const next = recordProgress(cursor, events, options);
    next.offset = cursor.offset + events.length;
    next.complete = events.length < options.pageSize || next.offset >= list.nbrofresults;
    return { responses: [response], cursor: next, done: next.complete && next.lane === 'availability' && !options.orders };
  },

  mapPage(page, context): MappedItem[] {
    const options = readTicketmaticOptions(context.settings);
    const cursor = page.cursor;
    const items: MappedItem[] = [];
    if (cursor.lane === 'orders') {
      for (const response of page.responses) {
        const stripped = parseStripped(response.body);
        if (!stripped) items.push({ type: 'invalid', externalId: null, problems: [mappingProblem('/', `De pagina van ${response.url} is geen gestripte deelnamepagina.`, `The page of ${response.url} is not a stripped participation page.`)] });
        else items.push({ type: 'participation', items: stripped.items });
      }
      return items;
    }
    for (const response of page.responses) {
      const list = parseList(response.body);
      if (!list) {
        items.push({ type: 'invalid', externalId: null, problems: [mappingProblem('/', `Het antwoord van ${response.url} is geen Ticketmatic-evenementenlijst ({data, nbrofresults}).`, `The response of ${response.url} is not a Ticketmatic event list ({data, nbrofresults}).`)] });
        continue;
      }
      const listPage: EventListPage = { events: list.data ?? [], locations: list.lookup?.locations, priceTypes: list.lookup?.pricetypes };
      if (cursor.lane === 'changes') {
        for (const { event, seats } of selectChanged(listPage.events, cursor, options)) {
          items.push(...mapChangedEvent(event, listPage, options, context.now));
          // Seats of a changed event also take the fast lane: subscribers see them at once.
          if (seats && !isWithdrawn(event) && Number.isInteger(event.id)) items.push(availabilityItem(event.id, seats));
        }
      } else {
        for (const { event, seats } of selectAvailability(listPage.events, cursor, options)) items.push(availabilityItem(event.id, seats));
      }
    }
    return items;
  },
};

/**
 * One page of orders: read, stripped at once (the contacts' personal data goes no further than this
 * function), and returned as the stripped page that the run archives and maps.
 */
async function fetchOrders(client: TicketmaticClient, context: ConnectorContext, cursor: TicketmaticCursor, options: TicketmaticOptions): Promise<ConnectorPage<TicketmaticCursor>> {
  if (!context.pseudonymKey) {
    throw new Error('ticketmatic orders: PSEUDONYM_KEY is not set; participation (orders) cannot be pulled without it (or remove options.orders)');
  }
  const { url, list } = await client.listOrders({
    ...(cursor.ordersAfter ? { lastUpdateSince: lastUpdateSinceParameter(cursor.ordersAfter) } : {}),
    limit: options.pageSize,
    offset: cursor.offset,
  });
  const orders = list.data ?? [];
  const stripped = strippedOrdersPage(list, options, options.orders!, { sourceId: context.sourceId, pseudonymKey: context.pseudonymKey, now: context.now });
  const next: TicketmaticCursor = { ...cursor, maxOrders: latest(cursor.maxOrders ?? null, latestOrderUpdate(orders)), offset: cursor.offset + orders.length };
  next.complete = orders.length < options.pageSize || next.offset >= list.nbrofresults;
  return { responses: [{ url, contentType: 'application/json', body: Buffer.from(JSON.stringify(stripped)) }], cursor: next, done: next.complete };
}

/** Moves a complete lane on: changes -> availability (-> orders); the last lane -> the next cycle (new bounds). */
function advance(cursor: TicketmaticCursor, now: Date, options: TicketmaticOptions): TicketmaticCursor {
  let next: TicketmaticCursor = { ...cursor };
  // The orders lane of a source whose orders option was removed since: the cycle ends here.
  if (next.lane === 'orders' && !options.orders) next.complete = true;
  if (next.complete && next.lane === 'availability' && options.orders) {
    next = { ...next, lane: 'orders', offset: 0, complete: false, maxOrders: null };
  } else if (next.complete && next.lane === 'changes') {
    const windowStart = windowStartOf(next, now, options);
    const availabilityAfter = next.availabilityAfter ?? windowStart;
    next = {
      ...next,
      lane: 'availability',
      offset: 0,
      complete: false,
      availabilityAfter,
      // What the changes lane already sent is not sent again by the availability lane.
      sentAvailability: after({ ...next.sentAvailability, ...next.sendingAvailability }, availabilityAfter),
    };
  } else if (next.complete && (next.lane === 'availability' || next.lane === 'orders')) {
    const windowStart = windowStartOf(next, now, options);
    // Orders re-read in the overlap are harmless: a ticket sent again unchanged is stored as `unchanged`.
    const ordersAfter =
      next.lane === 'orders' ? (next.maxOrders ? latest(next.ordersAfter ?? null, earliest(next.maxOrders, windowStart)) : (next.ordersAfter ?? windowStart)) : (next.ordersAfter ?? null);
    // Never past the cycle's start (less the overlap): a record that changed on a page already read
    // while the cycle ran is read again by the next cycle instead of being lost.
    const changedAfter = next.maxChanged ? latest(next.changedAfter, earliest(next.maxChanged, windowStart)) : (next.changedAfter ?? windowStart);
    const availabilityAfter = next.maxAvailability ? latest(next.availabilityAfter, earliest(next.maxAvailability, windowStart)) : (next.availabilityAfter ?? windowStart);
    next = {
      v: 1,
      lane: 'changes',
      offset: 0,
      complete: false,
      changedAfter,
      availabilityAfter,
      sentChanges: after({ ...next.sentChanges, ...next.sendingChanges }, changedAfter),
      sentAvailability: after({ ...next.sentAvailability, ...next.sendingAvailability }, availabilityAfter),
      cycleStartedAt: null,
      maxChanged: null,
      maxAvailability: null,
      sendingChanges: {},
      sendingAvailability: {},
      ordersAfter,
      maxOrders: null,
    };
  }
  if (next.cycleStartedAt === null) next.cycleStartedAt = timestampFromDate(now);
  return next;
}

function windowStartOf(cursor: TicketmaticCursor, now: Date, options: TicketmaticOptions): string {
  return minusSeconds(cursor.cycleStartedAt ?? timestampFromDate(now), options.overlapSeconds);
}

/** The entries stamped after the bound: the only ones a later cycle could read again. */
function after(stamps: Record<string, string>, bound: string | null): Record<string, string> {
  return Object.fromEntries(Object.entries(stamps).filter(([, stamp]) => bound === null || stamp > bound));
}

function recordProgress(cursor: TicketmaticCursor, events: TicketmaticEvent[], options: TicketmaticOptions): TicketmaticCursor {
  const next: TicketmaticCursor = { ...cursor, sendingChanges: { ...cursor.sendingChanges }, sendingAvailability: { ...cursor.sendingAvailability } };
  // Kept only while a later lane or cycle could read the record again: changes after the next cycle's
  // lowest possible bound (the window start), seats after the bound the availability lane filters with.
  const windowStart = minusSeconds(cursor.cycleStartedAt as string, options.overlapSeconds);
  const availabilityBound = cursor.availabilityAfter ?? windowStart;
  for (const event of events) {
    if (cursor.lane === 'changes') next.maxChanged = latest(next.maxChanged, canonicalTimestamp(event.lastupdatets));
    next.maxAvailability = latest(next.maxAvailability, eventSeats(event, options)?.stamp ?? null);
  }
  const sent = cursor.lane === 'changes' ? selectChanged(events, cursor, options) : selectAvailability(events, cursor, options);
  for (const { event, seats } of sent) {
    const changed = canonicalTimestamp(event.lastupdatets);
    if (cursor.lane === 'changes' && changed && changed > windowStart) next.sendingChanges[String(event.id)] = changed;
    if (seats?.stamp && seats.stamp > availabilityBound && !isWithdrawn(event)) next.sendingAvailability[String(event.id)] = seats.stamp;
  }
  return next;
}

/** The events of a changes page that are mapped: changed after the bound and not sent already. */
function selectChanged(events: TicketmaticEvent[], cursor: TicketmaticCursor, options: TicketmaticOptions): Array<{ event: TicketmaticEvent; seats: EventSeats | null }> {
  return events
    .filter((event) => {
      const changed = canonicalTimestamp(event.lastupdatets);
      // `lastupdatesince` has whole seconds: the API may answer records from just before the bound.
      if (cursor.changedAfter !== null && changed !== null && changed <= cursor.changedAfter) return false;
      if (changed !== null && cursor.sentChanges[String(event.id)] === changed) return false;
      // On the first load a draft was never published here: nothing to delete.
      return !(cursor.changedAfter === null && isWithdrawn(event));
    })
    .map((event) => ({ event, seats: eventSeats(event, options) }));
}

/** The events of an availability page whose seats changed after the bound and were not sent already. */
function selectAvailability(events: TicketmaticEvent[], cursor: TicketmaticCursor, options: TicketmaticOptions): Array<{ event: TicketmaticEvent; seats: EventSeats }> {
  const selected: Array<{ event: TicketmaticEvent; seats: EventSeats }> = [];
  for (const event of events) {
    const seats = eventSeats(event, options);
    // Without a stamp a change cannot be told from no change; the changes lane still carries the seats.
    if (!seats?.stamp || !Number.isInteger(event.id)) continue;
    if (cursor.availabilityAfter !== null && seats.stamp <= cursor.availabilityAfter) continue;
    if (cursor.sentAvailability[String(event.id)] === seats.stamp) continue;
    selected.push({ event, seats });
  }
  return selected;
}

function parseStripped(body: Buffer): StrippedPayload | null {
  try {
    const payload = JSON.parse(body.toString('utf8')) as Partial<StrippedPayload> | null;
    return payload?.format === STRIPPED_PAYLOAD_FORMAT && Array.isArray(payload.items) ? (payload as StrippedPayload) : null;
  } catch {
    return null;
  }
}

function parseList(body: Buffer): TicketmaticEventList | null {
  try {
    const list = JSON.parse(body.toString('utf8')) as Partial<TicketmaticEventList> | null;
    return typeof list === 'object' && list !== null && (list.data === null || Array.isArray(list.data)) ? (list as TicketmaticEventList) : null;
  } catch {
    return null;
  }
}

/** A persisted cursor of another shape (an older version, a hand edit) stops the run with a clear message. */
function readCursor(value: unknown): TicketmaticCursor {
  const cursor = value as Partial<TicketmaticCursor> | null;
  if (typeof cursor !== 'object' || cursor === null || cursor.v !== 1 || (cursor.lane !== 'changes' && cursor.lane !== 'availability' && cursor.lane !== 'orders') || !Number.isInteger(cursor.offset)) {
    throw new Error(`ticketmatic: unknown cursor ${JSON.stringify(value)?.slice(0, 200)}; reset the source's cursor to start again`);
  }
  return cursor as TicketmaticCursor;
}


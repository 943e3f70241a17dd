import {
  BelgianGeography,
  SALES_CHANNELS,
  STRIPPED_PAYLOAD_FORMAT,
  stripTicket,
  TICKET_PRICE_CATEGORIES,
  type SalesChannel,
  type StrippedPayload,
  type TicketPriceCategory,
} from '@platform/research';
import { ORDER_STATUS, type TicketmaticContact, type TicketmaticOrder, type TicketmaticOrderList } from './raw-types.js';
import { canonicalTimestamp, isoFromTimestamp } from './timestamps.js';
import type { TicketmaticOptions } from './ticketmatic-options.js';

/** `options.orders` of a ticketmatic source: pull the orders' tickets into participation (research). */
export interface TicketmaticOrderOptions {
  /** Price type id -> price category; unmapped: `socialPriceTypes` are kansentarief, the rest basis. */
  priceTypes: Record<string, TicketPriceCategory>;
  /** Sales channel id -> channel; unmapped: other. */
  salesChannels: Record<string, SalesChannel>;
}

export const ORDER_OPTION_PROBLEMS = (value: unknown): Array<{ path: string; nl: string; en: string }> => {
  if (value === undefined) return [];
  const problems: Array<{ path: string; nl: string; en: string }> = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ path: '/options/orders', nl: 'orders moet een object zijn ({"priceTypes": {...}, "salesChannels": {...}}).', en: 'orders must be an object ({"priceTypes": {...}, "salesChannels": {...}}).' }];
  }
  const orders = value as Record<string, unknown>;
  for (const [key, allowed] of [
    ['priceTypes', TICKET_PRICE_CATEGORIES],
    ['salesChannels', SALES_CHANNELS],
  ] as const) {
    const map = orders[key];
    if (map === undefined) continue;
    if (typeof map !== 'object' || map === null || Array.isArray(map)) {
      problems.push({ path: `/options/orders/${key}`, nl: `${key} moet een object zijn: id -> waarde.`, en: `${key} must be an object: id -> value.` });
      continue;
    }
    for (const [id, mapped] of Object.entries(map)) {
      if (!/^\d+$/.test(id) || !(allowed as readonly string[]).includes(mapped as string)) {
        problems.push({
          path: `/options/orders/${key}/${id}`,
          nl: `${key}: ${id} -> ${JSON.stringify(mapped)} is ongeldig; sleutels zijn Ticketmatic-id's, waarden een van ${allowed.join(', ')}.`,
          en: `${key}: ${id} -> ${JSON.stringify(mapped)} is invalid; keys are Ticketmatic ids, values one of ${allowed.join(', ')}.`,
        });
      }
    }
  }
  for (const key of Object.keys(orders)) {
    if (key !== 'priceTypes' && key !== 'salesChannels') problems.push({ path: `/options/orders/${key}`, nl: `Onbekende optie orders.${key}.`, en: `Unknown option orders.${key}.` });
  }
  return problems;
};

export function readOrderOptions(value: unknown): TicketmaticOrderOptions | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const orders = value as Partial<TicketmaticOrderOptions>;
  return { priceTypes: { ...(orders.priceTypes ?? {}) }, salesChannels: { ...(orders.salesChannels ?? {}) } };
}

/**
 * The tickets of Ticketmatic orders in the platform's documented participation format (docs/guide-
 * researchers.md), with the whole contact as the participant: `stripTicket` then drops every personal
 * field (names, e-mail, addresses, phone numbers, birth date reduced to the year, the zip to the
 * municipality) and reports it, exactly as for a push. Unconfirmed orders sold nothing and are left out.
 */
export function participationTicketsOf(list: TicketmaticOrderList, options: TicketmaticOptions, orderOptions: TicketmaticOrderOptions): unknown[] {
  const contacts = list.lookup?.contacts ?? {};
  const tickets: unknown[] = [];
  for (const order of list.data ?? []) {
    if (order.status === ORDER_STATUS.unconfirmed) continue;
    const soldAt = canonicalTimestamp(order.createdts);
    const channel = orderOptions.salesChannels[String(order.saleschannelid)] ?? 'other';
    for (const ticket of order.tickets ?? []) {
      const holder = ticket.ticketholderid !== undefined ? contacts[String(ticket.ticketholderid)] : undefined;
      const contact = holder ?? order.customer ?? (order.customerid !== undefined ? contacts[String(order.customerid)] : undefined);
      const priceType = ticket.pricetypeid;
      const priceCategory: TicketPriceCategory =
        orderOptions.priceTypes[String(priceType)] ?? (priceType !== undefined && options.socialPriceTypes.includes(priceType) ? 'kansentarief' : 'basis');
      tickets.push({
        id: String(ticket.id),
        transaction: String(order.orderid),
        performance: String(ticket.eventid),
        // An unreadable timestamp stays as it came: the stripping rejects it with its reason.
        soldAt: soldAt ? isoFromTimestamp(soldAt) : order.createdts,
        priceCategory,
        price: typeof ticket.price === 'number' ? ticket.price : 0,
        channel,
        ...(ticket.accesscontrolstatus !== undefined ? { attended: ticket.accesscontrolstatus > 0 } : {}),
        ...(contact ? { participant: participantOf(contact) } : {}),
      });
    }
  }
  return tickets;
}

/** The contact in the push format's participant fields; everything else it holds is passed on to be dropped (and reported). */
function participantOf(contact: TicketmaticContact): Record<string, unknown> {
  const { id, email, birthdate, addresses, ...rest } = contact;
  const home = addresses?.find((address) => !address.countrycode || address.countrycode === 'BE') ?? addresses?.[0];
  const country = home?.countrycode?.toUpperCase();
  return {
    ...rest,
    id: String(id),
    ...(email ? { email } : {}),
    ...(birthdate ? { birthDate: birthdate } : {}),
    ...(home?.zip && (!country || country === 'BE') ? { postcode: home.zip.trim() } : {}),
    ...(country && country !== 'BE' ? { country } : {}),
    // The street, house number and city are not wanted at all: passed on only so the report names them.
    ...(addresses ? { addresses } : {}),
  };
}

/**
 * An orders page to what is archived: the stripped form (format cdp-participation-stripped/1), so the
 * contacts' personal data never reaches the archive or the database.
 */
export function strippedOrdersPage(list: TicketmaticOrderList, options: TicketmaticOptions, orderOptions: TicketmaticOrderOptions, context: { sourceId: string; pseudonymKey: string; now: Date }): StrippedPayload {
  const strip = { sourceId: context.sourceId, pseudonymKey: context.pseudonymKey, geography: BelgianGeography.load(), now: context.now };
  return {
    format: STRIPPED_PAYLOAD_FORMAT,
    receivedFormat: 'ticketmatic',
    items: participationTicketsOf(list, options, orderOptions).map((ticket, position) => stripTicket(ticket, position, strip)),
  };
}

export function latestOrderUpdate(orders: TicketmaticOrder[]): string | null {
  let latest: string | null = null;
  for (const order of orders) {
    const stamp = canonicalTimestamp(order.lastupdatets);
    if (stamp && (latest === null || stamp > latest)) latest = stamp;
  }
  return latest;
}

import {
  availabilityLevelFor,
  SUPPORTED_LANGUAGES,
  type Activity,
  type ItemProblem,
  type JsonValue,
  type Address,
  type LangString,
  type PerformanceStatus,
  type Place,
  type Price,
  type PriceCategory,
} from '@platform/domain';
import { mappingProblem, type MappedAvailability, type MappedItem } from '../mapped-item.js';
import type { LocationAddressOption, TicketmaticOptions } from './ticketmatic-options.js';
import { EVENT_STATUS, PRICE_TYPE_CATEGORY, type TicketmaticEvent, type TicketmaticEventList, type TicketmaticPriceType } from './raw-types.js';
import { canonicalTimestamp, isoFromTimestamp, latest } from './timestamps.js';

/** Seats of an event summed over the contingents that count, and when they last changed. */
export interface EventSeats {
  capacity: number;
  remaining: number;
  /** Latest `lastupdatets` of the counted contingents (canonical), null when Ticketmatic gave none. */
  stamp: string | null;
}

export function countedContingentIds(event: TicketmaticEvent, options: Pick<TicketmaticOptions, 'contingents'>): Set<number> | null {
  if (!options.contingents) return null;
  const names = new Set(options.contingents.filter((entry): entry is string => typeof entry === 'string').map((name) => name.trim().toLowerCase()));
  const ids = new Set(options.contingents.filter((entry): entry is number => typeof entry === 'number'));
  for (const contingent of [...(event.contingents ?? []), ...(event.seatingplancontingents ?? [])]) {
    if (contingent.name && names.has(contingent.name.trim().toLowerCase())) ids.add(contingent.id);
  }
  return ids;
}

export function eventSeats(event: TicketmaticEvent, options: Pick<TicketmaticOptions, 'contingents'>): EventSeats | null {
  const counted = countedContingentIds(event, options);
  const entries = (event.availability ?? []).filter((entry) => entry && Number.isFinite(entry.total) && Number.isFinite(entry.free) && (counted === null || counted.has(entry.tickettypeid)));
  if (entries.length === 0) return null;
  return {
    capacity: entries.reduce((sum, entry) => sum + Math.max(0, entry.total), 0),
    // `free` is what can still be sold; soft locks and reservations are not for sale right now.
    remaining: entries.reduce((sum, entry) => sum + Math.max(0, entry.free), 0),
    stamp: entries.reduce<string | null>((stamp, entry) => latest(stamp, canonicalTimestamp(entry.lastupdatets)), null),
  };
}

/** The fast-lane item for an event's performance (its external id is the Ticketmatic event id). */
export function availabilityItem(eventId: number, seats: EventSeats): MappedAvailability {
  return { type: 'availability', performanceId: String(eventId), capacity: seats.capacity, remaining: Math.min(seats.remaining, seats.capacity) };
}

/** One parsed list response: the events and the lookups that came with them. */
export interface EventListPage {
  events: TicketmaticEvent[];
  locations: NonNullable<TicketmaticEventList['lookup']>['locations'];
  priceTypes: NonNullable<TicketmaticEventList['lookup']>['pricetypes'];
}

/** An event that Ticketmatic no longer sells publicly: redrafted (the state an event must be in to be deleted). */
export function isWithdrawn(event: TicketmaticEvent): boolean {
  return event.currentstatus === EVENT_STATUS.draft;
}

/** Maps one changed event: an activity (with its seats), a deletion, or the reasons it cannot be mapped. */
export function mapChangedEvent(event: TicketmaticEvent, page: EventListPage, options: TicketmaticOptions, now: Date): MappedItem[] {
  if (!Number.isInteger(event.id) || event.id <= 0) {
    return [{ type: 'invalid', externalId: null, problems: [mappingProblem('/id', `Een evenement ${event.name ? `(${event.name}) ` : ''}heeft geen geldig id: ${JSON.stringify(event.id ?? null)}.`, `An event ${event.name ? `(${event.name}) ` : ''}has no valid id: ${JSON.stringify(event.id ?? null)}.`)] }];
  }
  const externalId = String(event.id);
  if (isWithdrawn(event)) return [{ type: 'deletion', externalId, entity: 'activity' }];
  const label = event.name ? `${externalId} (${event.name})` : externalId;
  const problems: ItemProblem[] = [];

  const title = translated(event, 'name', options.language);
  if (!title) problems.push(mappingProblem('/name', `Evenement ${label} heeft geen naam.`, `Event ${label} has no name.`));

  const start = canonicalTimestamp(event.startts);
  if (!start) {
    problems.push(mappingProblem('/startts', `Evenement ${label} heeft geen geldig begintijdstip (startts: ${JSON.stringify(event.startts ?? null)}).`, `Event ${label} has no valid start time (startts: ${JSON.stringify(event.startts ?? null)}).`));
  }

  const place = placeOf(event, page, options);
  if ('problem' in place) problems.push(place.problem);

  if (problems.length > 0 || !title || !start || 'problem' in place) return [{ type: 'invalid', externalId, problems }];

  const end = canonicalTimestamp(event.endts);
  const seats = eventSeats(event, options);
  const changedAt = seats?.stamp ?? canonicalTimestamp(event.lastupdatets);
  const activity: Activity = {
    externalId,
    title,
    place: place.place,
    performances: [
      {
        externalId,
        start: isoFromTimestamp(start),
        ...(end && end >= start ? { end: isoFromTimestamp(end) } : {}),
        status: statusOf(event, options),
        ...(seats
          ? {
              availability: {
                capacity: seats.capacity,
                remaining: Math.min(seats.remaining, seats.capacity),
                level: availabilityLevelFor(seats.capacity, seats.remaining),
                // The seat stamp, not the clock: mapping the same record twice gives the same activity.
                changedAt: changedAt ? isoFromTimestamp(changedAt) : now.toISOString(),
              },
            }
          : {}),
      },
    ],
    prices: pricesOf(event, page, options),
  };
  const description = translated(event, 'description', options.language) ?? translated(event, 'shortdescription', options.language);
  if (description) activity.description = description;
  const saleStart = canonicalTimestamp(event.salestartts);
  const saleEnd = canonicalTimestamp(event.saleendts);
  if (saleStart || saleEnd) {
    activity.booking = { ...(saleStart ? { availableFrom: isoFromTimestamp(saleStart) } : {}), ...(saleEnd ? { availableUntil: isoFromTimestamp(saleEnd) } : {}) };
  }
  if (event.image && /^https?:\/\//.test(event.image)) activity.images = [event.image];
  // The house's own link to the same event elsewhere (e.g. its UiTdatabank id): reconciliation links by it.
  const code = event.externalcode?.trim();
  if (code && options.externalCodeLinksTo) activity.links = [{ ...options.externalCodeLinksTo, externalId: code }];
  activity.mainLanguage = options.language;
  // The record kept whole (subtitle and production have no model field yet); seats are
  // left out because the performance carries them and they change with every sale.
  const { availability: _seats, ...record } = event;
  activity.sourceDocument = { format: 'ticketmatic-event', document: record as unknown as Record<string, JsonValue> };

  return [{ type: 'activity', externalId, activity }];
}

/** A translatable field: the base-language value plus "<field><lang>" entries of `translations`. */
function translated(event: TicketmaticEvent, field: 'name' | 'description' | 'shortdescription', baseLanguage: string): LangString | undefined {
  const text: LangString = {};
  const base = event[field];
  if (typeof base === 'string' && base.trim() !== '') text[baseLanguage] = base.trim();
  for (const language of SUPPORTED_LANGUAGES) {
    const value = event.translations?.[`${field}${language}`];
    if (typeof value === 'string' && value.trim() !== '') text[language] = value.trim();
  }
  return Object.keys(text).length > 0 ? text : undefined;
}

function statusOf(event: TicketmaticEvent, options: TicketmaticOptions): PerformanceStatus {
  const tags = new Set((event.tags ?? []).map((tag) => tag.trim().toLowerCase()));
  if (options.cancelledTags.some((tag) => tags.has(tag.toLowerCase()))) return 'cancelled';
  if (options.postponedTags.some((tag) => tags.has(tag.toLowerCase()))) return 'postponed';
  return 'scheduled';
}

function placeOf(event: TicketmaticEvent, page: EventListPage, options: TicketmaticOptions): { place: Place } | { problem: ReturnType<typeof mappingProblem> } {
  const label = event.name ? `${event.id} (${event.name})` : String(event.id);
  if (!Number.isInteger(event.locationid) || !event.locationid) {
    return { problem: mappingProblem('/locationid', `Evenement ${label} heeft geen locatie (locationid ontbreekt).`, `Event ${label} has no location (locationid is missing).`) };
  }
  const locationId = String(event.locationid);
  const location = page.locations?.[locationId];
  const name = location?.name?.trim() || event.locationname?.trim();
  const configured = options.locations[locationId];
  const address = configured ? configuredAddress(configured) : location ? locationAddress(location) : null;
  if (!address) {
    const where = name ? `${locationId} (${name})` : locationId;
    return {
      problem: mappingProblem(
        '/locationid',
        `Locatie ${where} van evenement ${label} heeft in Ticketmatic geen adres met postcode en gemeente, en options.locations["${locationId}"] geeft er geen: een activiteit heeft een adres nodig.`,
        `Location ${where} of event ${label} has no address with postal code and municipality in Ticketmatic, and options.locations["${locationId}"] gives none: an activity needs an address.`,
      ),
    };
  }
  const place: Place = { externalId: locationId, name: { [options.language]: name || locationId }, address };
  if (location && typeof location.lat === 'number' && typeof location.long === 'number' && (location.lat !== 0 || location.long !== 0)) {
    place.geo = { latitude: location.lat, longitude: location.long };
  }
  return { place };
}

function configuredAddress(option: LocationAddressOption): Address {
  return {
    ...(option.street ? { street: option.street } : {}),
    ...(option.houseNumber ? { houseNumber: option.houseNumber } : {}),
    ...(option.box ? { box: option.box } : {}),
    postalCode: option.postalCode,
    municipality: { nl: option.municipality },
    country: (option.country ?? 'BE').toUpperCase(),
  };
}

/** EventLocation: street1 is the street, street2 "Nr. + Box" ("12", "12 bus 3", "12/3"). */
function locationAddress(location: NonNullable<EventListPage['locations']>[string]): Address | null {
  const postalCode = location.zip?.trim();
  const municipality = location.city?.trim();
  if (!postalCode || !municipality) return null;
  const address: Address = { postalCode, municipality: { nl: municipality }, country: (location.countrycode?.trim() || 'BE').toUpperCase() };
  if (location.street1?.trim()) address.street = location.street1.trim();
  const number = location.street2?.trim();
  if (number) {
    const parts = /^(\S+?)\s*(?:\/|\bbus\b|\bbox\b)\s*(\S+)$/i.exec(number);
    if (parts) {
      address.houseNumber = parts[1];
      address.box = parts[2];
    } else {
      address.houseNumber = number;
    }
  }
  return address;
}

const CATEGORY_BY_TYPE: Partial<Record<number, PriceCategory>> = {
  [PRICE_TYPE_CATEGORY.normal]: 'base',
  [PRICE_TYPE_CATEGORY.reduction]: 'tariff',
  // Special (VIP, ...) is another tariff, not the base price.
  [PRICE_TYPE_CATEGORY.special]: 'tariff',
  [PRICE_TYPE_CATEGORY.free]: 'free',
};

/**
 * One price per price type: the price in the configured sales channel, else the lowest over the
 * channels (what a buyer can get); over the contingents that count. Subscription price types are
 * left out: they are part of a subscription, not a ticket one can buy.
 */
function pricesOf(event: TicketmaticEvent, page: EventListPage, options: TicketmaticOptions): Price[] {
  const counted = countedContingentIds(event, options);
  const lowest = new Map<number, number>();
  for (const contingent of event.prices?.contingents ?? []) {
    if (counted && !counted.has(contingent.contingentid)) continue;
    for (const priceType of contingent.pricetypes ?? []) {
      for (const channel of priceType.saleschannels ?? []) {
        if (options.salesChannelId !== undefined && channel.saleschannelid !== options.salesChannelId) continue;
        if (!Number.isFinite(channel.price) || channel.price < 0) continue;
        const known = lowest.get(priceType.pricetypeid);
        if (known === undefined || channel.price < known) lowest.set(priceType.pricetypeid, channel.price);
      }
    }
  }
  const prices: Price[] = [];
  for (const [priceTypeId, amount] of lowest) {
    const priceType: TicketmaticPriceType | undefined = page.priceTypes?.[String(priceTypeId)];
    if (priceType?.typeid === PRICE_TYPE_CATEGORY.subscription) continue;
    const category: PriceCategory = options.socialPriceTypes.includes(priceTypeId) ? 'social' : (priceType && CATEGORY_BY_TYPE[priceType.typeid]) || 'tariff';
    const name = priceType?.name?.trim();
    prices.push({
      category,
      name: name ? { [options.language]: name } : { nl: `Prijstype ${priceTypeId}`, en: `Price type ${priceTypeId}` },
      amount: category === 'free' ? 0 : Math.round(amount * 100) / 100,
      currency: 'EUR',
    });
  }
  return prices;
}

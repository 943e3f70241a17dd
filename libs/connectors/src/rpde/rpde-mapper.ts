import type { Address, LangString, Organizer, Performance, PerformanceStatus, Place, Price } from '@platform/domain';
import { availabilityLevelFor } from '@platform/domain';
import { parseTurtle, quadsToActivities } from '@platform/linked-data';
import type { ConnectorContext, FetchedResponse } from '../connector.js';
import { mappingProblem, type ActivityDraft, type MappedItem } from '../mapped-item.js';
import { RPDE_OSLO_QUADS_CONTENT_TYPE, type RpdeItem, type RpdeOsloQuads, type RpdePage } from './rpde-types.js';

type Json = Record<string, unknown>;
type Problems = ReturnType<typeof mappingProblem>[];

/** schema.org / OpenActive types read as an activity with performances. */
const EVENT_TYPES = new Set(['Event', 'ScheduledSession', 'SessionSeries', 'ScheduleEvent', 'HeadlineEvent', 'EventSeries', 'CourseInstance', 'OnDemandEvent']);

// https://schema.org/EventStatusType
const EVENT_STATUS: Record<string, PerformanceStatus> = {
  EventScheduled: 'scheduled',
  EventRescheduled: 'scheduled',
  EventMovedOnline: 'scheduled',
  EventCancelled: 'cancelled',
  EventPostponed: 'postponed',
};

const OPENACTIVE_OR_SCHEMA_CONTEXT = /^https?:\/\/(openactive\.io|schema\.org)\b/;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function contexts(data: Json): string[] {
  const context = data['@context'];
  return (Array.isArray(context) ? context : [context]).filter((entry): entry is string => typeof entry === 'string');
}

/** JSON-LD in the OSLO vocabulary (an OSLO or the platform's context, or crm:E7_Activity), as opposed to OpenActive JSON-LD. */
export function isOsloJsonLd(data: unknown): boolean {
  if (!isObject(data) || data['@context'] === undefined) return false;
  const named = contexts(data);
  if (named.length > 0 && named.every((url) => OPENACTIVE_OR_SCHEMA_CONTEXT.test(url))) return false;
  return named.some((url) => /data\.vlaanderen\.be|cultuurdata-platform/.test(url)) || typeOf(data).some((type) => /Activiteit|E7_Activity/.test(type));
}

function typeOf(data: Json): string[] {
  const type = data['@type'] ?? data.type;
  return (Array.isArray(type) ? type : [type]).filter((entry): entry is string => typeof entry === 'string').map((entry) => entry.replace(/^(https?:\/\/schema\.org\/|schema:)/, ''));
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (typeof value === 'number') return String(value);
  return undefined;
}

function number(value: unknown): number | undefined {
  const parsed = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(parsed) ? parsed : undefined;
}

/** A JSON-LD string value, a {"@value", "@language"} object or an array of those. */
function langString(value: unknown, language: string): LangString | undefined {
  const values = Array.isArray(value) ? value : [value];
  const result: LangString = {};
  for (const entry of values) {
    if (typeof entry === 'string' && entry.trim() !== '') result[language] ??= entry;
    else if (isObject(entry) && typeof entry['@value'] === 'string') result[typeof entry['@language'] === 'string' ? entry['@language'] : language] ??= entry['@value'];
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

function idOf(node: Json): string | undefined {
  const identifier = node.identifier;
  return text(identifier) ?? (isObject(identifier) ? text(identifier.value) ?? text(identifier['@value']) : undefined) ?? text(node['@id']) ?? text(node.id) ?? text(node.url);
}

function dateTime(value: unknown): string | undefined {
  const candidate = text(value);
  // the canonical model wants a date-time with an offset (or Z): a local time is ambiguous
  return candidate && /T\d{2}:\d{2}/.test(candidate) && /(Z|[+-]\d{2}:?\d{2})$/.test(candidate) && !Number.isNaN(Date.parse(candidate)) ? candidate : undefined;
}

/** "Rubenslei 12A" -> street "Rubenslei", house number "12A" (the Belgian order). */
function splitStreet(streetAddress: string): Pick<Address, 'street' | 'houseNumber'> {
  const match = /^(.*\S)\s+(\d+[\w/-]*)$/.exec(streetAddress.trim());
  return match ? { street: match[1], houseNumber: match[2] } : { street: streetAddress.trim() };
}

function readPlace(location: unknown, where: string, language: string, problems: Problems): Place | undefined {
  if (!isObject(location)) {
    problems.push(mappingProblem(where, 'location (schema:Place) ontbreekt', 'location (schema:Place) is missing'));
    return undefined;
  }
  const externalId = idOf(location);
  if (!externalId) problems.push(mappingProblem(`${where}/identifier`, 'de plaats heeft geen identifier, @id of url', 'the place has no identifier, @id or url'));
  const name = langString(location.name, language);
  if (!name) problems.push(mappingProblem(`${where}/name`, 'de plaats heeft geen naam', 'the place has no name'));
  const address = location.address;
  if (!isObject(address)) {
    problems.push(mappingProblem(`${where}/address`, 'address (schema:PostalAddress) ontbreekt', 'address (schema:PostalAddress) is missing'));
    return undefined;
  }
  const postalCode = text(address.postalCode);
  if (!postalCode) problems.push(mappingProblem(`${where}/address/postalCode`, 'postalCode ontbreekt', 'postalCode is missing'));
  const municipality = langString(address.addressLocality, language);
  if (!municipality) problems.push(mappingProblem(`${where}/address/addressLocality`, 'addressLocality ontbreekt', 'addressLocality is missing'));
  if (!externalId || !name || !postalCode || !municipality) return undefined;
  const streetAddress = text(address.streetAddress);
  const country = text(address.addressCountry) ?? (isObject(address.addressCountry) ? text(address.addressCountry.identifier) : undefined);
  const place: Place = {
    externalId,
    name,
    address: { ...(streetAddress ? splitStreet(streetAddress) : {}), postalCode, municipality, ...(country ? { country } : {}) },
  };
  const geo = isObject(location.geo) ? location.geo : undefined;
  const latitude = number(geo?.latitude ?? location.latitude);
  const longitude = number(geo?.longitude ?? location.longitude);
  if (latitude !== undefined && longitude !== undefined) place.geo = { latitude, longitude };
  return place;
}

function readOrganizer(value: unknown, language: string): Organizer | undefined {
  const node = Array.isArray(value) ? value[0] : value;
  if (!isObject(node)) return undefined;
  const name = langString(node.name, language);
  if (!name) return undefined;
  const organizer: Organizer = { externalId: idOf(node) ?? `name:${Object.values(name)[0]}`, name };
  const email = text(node.email);
  if (email) organizer.email = email;
  const phone = text(node.telephone);
  if (phone) organizer.phone = phone;
  const url = text(node.url);
  if (url) organizer.url = url;
  return organizer;
}

function readPrices(value: unknown, where: string, language: string, problems: Problems): Price[] {
  const offers = (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter(isObject);
  const prices: Price[] = [];
  offers.forEach((offer, position) => {
    const amount = number(offer.price);
    if (amount === undefined || amount < 0) {
      problems.push(mappingProblem(`${where}/${position}/price`, 'offers[].price is geen bedrag', 'offers[].price is not an amount'));
      return;
    }
    const category = amount === 0 ? 'free' : prices.some((price) => price.category === 'base') ? 'tariff' : 'base';
    const name = langString(offer.name, language) ?? (category === 'free' ? { nl: 'Gratis', en: 'Free' } : category === 'base' ? { nl: 'Basistarief', en: 'Standard' } : { nl: 'Tarief', en: 'Tariff' });
    prices.push({ category, name, amount, currency: text(offer.priceCurrency) ?? 'EUR' });
  });
  return prices;
}

function readStatus(value: unknown, where: string, problems: Problems): PerformanceStatus {
  const status = text(value);
  if (status === undefined) return 'scheduled';
  const known = EVENT_STATUS[status.replace(/^(https?:\/\/schema\.org\/|schema:)/, '')];
  if (known) return known;
  problems.push(mappingProblem(`${where}/eventStatus`, `onbekende eventStatus ${status}`, `unknown eventStatus ${status}`));
  return 'scheduled';
}

/**
 * An OpenActive / schema.org event as an activity. A ScheduledSession takes what it does not say itself
 * (name, description, location, organizer, offers) from its superEvent SessionSeries, as OpenActive
 * specifies; each session item is its own activity with the session as its one performance.
 */
function mapEvent(item: RpdeItem, data: Json, language: string, now: Date): MappedItem {
  const externalId = String(item.id);
  const problems: Problems = [];
  const parent = isObject(data.superEvent) ? data.superEvent : {};
  const field = (name: string) => data[name] ?? parent[name];
  const title = langString(field('name'), language);
  if (!title) problems.push(mappingProblem('/data/name', 'name ontbreekt (ook op superEvent)', 'name is missing (also on superEvent)'));
  const locationWhere = data.location !== undefined ? '/data/location' : '/data/superEvent/location';
  const place = readPlace(field('location'), locationWhere, language, problems);
  const types = typeOf(data);
  const performances: Performance[] = [];
  const start = dateTime(data.startDate);
  if (data.startDate !== undefined && !start) {
    problems.push(mappingProblem('/data/startDate', `startDate ${String(data.startDate)} is geen datum-tijd met tijdzone`, `startDate ${String(data.startDate)} is not a date-time with an offset`));
  } else if (!start && !types.includes('SessionSeries') && !types.includes('EventSeries')) {
    problems.push(mappingProblem('/data/startDate', 'startDate ontbreekt', 'startDate is missing'));
  }
  if (start) {
    const performance: Performance = { externalId, start, status: readStatus(data.eventStatus, '/data', problems) };
    const end = dateTime(data.endDate);
    if (data.endDate !== undefined && !end) problems.push(mappingProblem('/data/endDate', 'endDate is geen datum-tijd met tijdzone', 'endDate is not a date-time with an offset'));
    if (end) performance.end = end;
    const capacity = number(data.maximumAttendeeCapacity);
    const remaining = number(data.remainingAttendeeCapacity);
    if (remaining !== undefined && capacity !== undefined && remaining > capacity) {
      problems.push(mappingProblem('/data/remainingAttendeeCapacity', 'remainingAttendeeCapacity is groter dan maximumAttendeeCapacity', 'remainingAttendeeCapacity exceeds maximumAttendeeCapacity'));
    } else if (remaining !== undefined) {
      performance.availability = {
        level: availabilityLevelFor(capacity ?? remaining, remaining),
        ...(capacity !== undefined ? { capacity } : {}),
        remaining,
        changedAt: dateTime(data.dateModified) ?? now.toISOString(),
      };
    }
    performances.push(performance);
  }
  const prices = readPrices(field('offers'), data.offers !== undefined ? '/data/offers' : '/data/superEvent/offers', language, problems);
  if (problems.length > 0 || !title || !place) return { type: 'invalid', externalId, problems };
  const activity: ActivityDraft = { externalId, title, place, performances, prices };
  const description = langString(field('description'), language);
  if (description) activity.description = description;
  const organizer = readOrganizer(field('organizer'), language);
  if (organizer) activity.organizer = organizer;
  const url = text(field('url'));
  if (url) activity.url = url;
  const images = (Array.isArray(field('image')) ? (field('image') as unknown[]) : [field('image')])
    .map((image) => text(image) ?? (isObject(image) ? text(image.url) : undefined))
    .filter((image): image is string => image !== undefined);
  if (images.length > 0) activity.images = images;
  return { type: 'activity', externalId, activity };
}

function mapOslo(item: RpdeItem, quads: RpdeOsloQuads['items'][string] | undefined): MappedItem {
  const externalId = String(item.id);
  if (!quads) {
    return { type: 'invalid', externalId, problems: [mappingProblem('/data', 'de OSLO JSON-LD van dit item werd niet omgezet bij het ophalen', 'the OSLO JSON-LD of this item was not converted when fetched')] };
  }
  if ('error' in quads) {
    return { type: 'invalid', externalId, problems: [mappingProblem('/data', `geen geldige JSON-LD: ${quads.error}`, `not valid JSON-LD: ${quads.error}`)] };
  }
  let found;
  try {
    found = quadsToActivities(parseTurtle(quads.nquads));
  } catch (error) {
    return { type: 'invalid', externalId, problems: [mappingProblem('/data', `RDF niet leesbaar: ${(error as Error).message}`, `RDF not readable: ${(error as Error).message}`)] };
  }
  if (found.length !== 1) {
    return {
      type: 'invalid',
      externalId,
      problems: [mappingProblem('/data', `verwacht één OSLO-activiteit (crm:E7_Activity), gevonden: ${found.length}`, `expected one OSLO activity (crm:E7_Activity), found ${found.length}`)],
    };
  }
  const [own] = found;
  if (!own.activity) {
    return { type: 'invalid', externalId, problems: own.errors.map((error) => mappingProblem(`/data/${error.path}`, error.message.nl, error.message.en)) };
  }
  // the RPDE id is the identity: a later tombstone names only that id
  return { type: 'activity', externalId, activity: { ...own.activity, externalId } };
}

function mapItem(item: unknown, position: number, osloQuads: RpdeOsloQuads['items'], language: string, now: Date): MappedItem {
  if (!isObject(item) || (typeof item.id !== 'string' && typeof item.id !== 'number')) {
    return { type: 'invalid', externalId: null, problems: [mappingProblem(`/items/${position}`, 'RPDE-item zonder id', 'RPDE item without an id')] };
  }
  const rpdeItem = item as unknown as RpdeItem;
  const externalId = String(rpdeItem.id);
  if (rpdeItem.state === 'deleted') return { type: 'deletion', externalId };
  if (rpdeItem.state !== 'updated') {
    return { type: 'invalid', externalId, problems: [mappingProblem(`/items/${position}/state`, `onbekende state ${String(rpdeItem.state)} (verwacht updated of deleted)`, `unknown state ${String(rpdeItem.state)} (expected updated or deleted)`)] };
  }
  if (!isObject(rpdeItem.data)) {
    return { type: 'invalid', externalId, problems: [mappingProblem(`/items/${position}/data`, 'een updated item zonder data', 'an updated item without data')] };
  }
  if (isOsloJsonLd(rpdeItem.data)) return mapOslo(rpdeItem, osloQuads[externalId]);
  const types = typeOf(rpdeItem.data);
  if (!types.some((type) => EVENT_TYPES.has(type) || /Event$/.test(type))) {
    return {
      type: 'invalid',
      externalId,
      problems: [mappingProblem(`/items/${position}/data/@type`, `type ${types.join(', ') || '(geen)'} is geen schema.org- of OpenActive-evenement`, `type ${types.join(', ') || '(none)'} is not a schema.org or OpenActive event`)],
    };
  }
  return mapEvent(rpdeItem, rpdeItem.data, language, now);
}

/** Maps the archived responses of one RPDE page. Within a page the last item for an id wins (RPDE order is modified order). */
export function mapRpdePage(responses: FetchedResponse[], context: Pick<ConnectorContext, 'settings' | 'now'>): MappedItem[] {
  const language = typeof context.settings.options.language === 'string' ? context.settings.options.language : 'nl';
  const osloQuads: RpdeOsloQuads['items'] = {};
  for (const response of responses.filter((candidate) => candidate.contentType === RPDE_OSLO_QUADS_CONTENT_TYPE)) {
    Object.assign(osloQuads, (JSON.parse(response.body.toString('utf8')) as RpdeOsloQuads).items);
  }
  const byId = new Map<string, MappedItem>();
  const withoutId: MappedItem[] = [];
  for (const response of responses.filter((candidate) => candidate.contentType !== RPDE_OSLO_QUADS_CONTENT_TYPE)) {
    const page = JSON.parse(response.body.toString('utf8')) as RpdePage;
    page.items.forEach((item, position) => {
      const mapped = mapItem(item, position, osloQuads, language, context.now);
      if (mapped.type === 'invalid' && mapped.externalId === null) withoutId.push(mapped);
      else if ('externalId' in mapped && mapped.externalId !== null) {
        byId.delete(mapped.externalId);
        byId.set(mapped.externalId, mapped);
      }
    });
  }
  return [...byId.values(), ...withoutId];
}

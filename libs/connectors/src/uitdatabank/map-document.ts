import type {
  Address,
  AgeRange,
  Availability,
  AvailabilityLevel,
  BookingInfo,
  CalendarType,
  ConceptRef,
  ContactPoint,
  DayOfWeek,
  ItemProblem,
  SourceDocument,
  LangString,
  MediaObject,
  OpeningHours,
  Organizer,
  Performance,
  PerformanceStatus,
  Period,
  Place,
  Price,
  PriceCategory,
  Video,
} from '@platform/domain';
import {
  ATTENDANCE_MODES,
  AUDIENCE_TYPES,
  CALENDAR_TYPES,
  DAYS_OF_WEEK,
  DEFAULT_AVAILABILITY_THRESHOLDS,
  SUPPORTED_LANGUAGES,
  availabilityLevelFor,
} from '@platform/domain';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import type { ActivityDraft, MappedActivity, MappedItem } from '../mapped-item.js';
import { mappingProblem } from '../mapped-item.js';
import type { MapperContext } from '../push-mappers.js';
import type {
  UdbBookingAvailability,
  UdbContactPoint,
  UdbEvent,
  UdbLanguageMap,
  UdbLocalizedAddress,
  UdbOrganizer,
  UdbPlace,
  UdbStatus,
  UdbSubEvent,
  UdbTerm,
} from './raw-types.js';

/** `format` of the kept original record (Activity.sourceDocument). */
export const UITDATABANK_DOCUMENT_FORMAT = 'uitdatabank-jsonld';

/**
 * Base of the taxonomy term IRIs, as udb3-backend's OSLO Turtle writes them (config `taxonomy.terms`):
 * `dcterms:type <https://taxonomy.uitdatabank.be/terms/0.50.4.0.0>`. Production base; the test
 * environment publishes https://taxonomy-test.uitdatabank.be/terms/ (see README).
 */
export const UITDATABANK_TERMS_BASE = 'https://taxonomy.uitdatabank.be/terms/';

const dateTimeFormat = fullFormats['date-time'];
function isRfc3339DateTime(value: string): boolean {
  if (typeof dateTimeFormat === 'object' && 'validate' in dateTimeFormat && typeof dateTimeFormat.validate === 'function') {
    return Boolean((dateTimeFormat.validate as (text: string) => boolean)(value));
  }
  return false;
}

export type UitdatabankEntity = 'activity' | 'place' | 'organizer';

/** UiTdatabank status.type -> performance status (Available / Unavailable / TemporarilyUnavailable). */
const STATUS_BY_TYPE: Record<string, PerformanceStatus> = {
  Available: 'scheduled',
  Unavailable: 'cancelled',
  TemporarilyUnavailable: 'postponed',
};

const PRICE_CATEGORY_BY_UDB: Record<string, PriceCategory> = {
  base: 'base',
  tariff: 'tariff',
  // UiTPAS tariffs are the reduced prices for UiTPAS holders (kansentarief): the social tariff.
  uitpas: 'social',
};

const DEFAULT_BASE_PRICE_NAME: LangString = { nl: 'Basistarief', fr: 'Tarif de base', en: 'Base tariff', de: 'Basisrate' };

/** Which entity a document is: from the path of its `@id` (…/events/{uuid}), else from `@type`. */
/** UiTdatabank gives an online event this location (the nil uuid): it is no place. */
export const UITDATABANK_VIRTUAL_PLACE = '00000000-0000-0000-0000-000000000000';

export function uitdatabankEntityOf(document: Record<string, unknown>): UitdatabankEntity | undefined {
  const id = typeof document['@id'] === 'string' ? document['@id'] : '';
  const segment = /\/(events|places|organizers|event|place|organizer)\/[^/]+\/?$/.exec(id)?.[1];
  const kind = segment ?? (typeof document['@type'] === 'string' ? document['@type'].toLowerCase() : undefined);
  if (kind === 'events' || kind === 'event') return 'activity';
  if (kind === 'places' || kind === 'place') return 'place';
  if (kind === 'organizers' || kind === 'organizer') return 'organizer';
  return undefined;
}

/** The UiTdatabank id (uuid) at the end of an `@id` IRI, or undefined. */
export function uitdatabankIdOf(iriValue: unknown): string | undefined {
  if (typeof iriValue !== 'string') return undefined;
  const last = iriValue.replace(/\/+$/, '').split('/').pop();
  return last !== undefined && last !== '' && !last.includes(':') ? last : undefined;
}

/**
 * One UiTdatabank event, place or organizer document (GET /events/{id}, or a Search API v3 result member
 * with embed=true) to its items: an activity (plus its embedded place and organizer, so they are stored
 * for later references), a place, an organizer, a deletion, or an invalid item. Never throws.
 */
export function mapUitdatabankDocument(document: unknown, context: MapperContext): MappedItem[] {
  if (!isObject(document)) {
    return [invalid(null, [mappingProblem('', 'Het document is geen JSON-object.', 'The document is not a JSON object.')])];
  }
  const entity = uitdatabankEntityOf(document);
  const externalId = uitdatabankIdOf(document['@id']);
  if (externalId === undefined || entity === undefined) {
    return [
      invalid(externalId ?? null, [
        mappingProblem(
          '/@id',
          'Het document heeft geen @id van de vorm …/events/{id}, …/places/{id} of …/organizers/{id}: het is geen UiTdatabank-event, -locatie of -organisator.',
          'The document has no @id of the form …/events/{id}, …/places/{id} or …/organizers/{id}: it is not a UiTdatabank event, place or organizer.',
        ),
      ]),
    ];
  }
  const workflowStatus = document.workflowStatus;
  if (workflowStatus === 'DELETED' || workflowStatus === 'REJECTED') {
    return [{ type: 'deletion', externalId, entity }];
  }
  try {
    if (entity === 'place') return [mapPlaceDocument(document as UdbPlace, externalId)];
    if (entity === 'organizer') return [mapOrganizerDocument(document as UdbOrganizer, externalId)];
    return mapEventDocument(document as UdbEvent, externalId, context);
  } catch (error) {
    // A shape the checks below did not foresee must still become a per-item problem, never a failed run.
    const reason = error instanceof Error ? error.message : String(error);
    return [
      invalid(externalId, [
        mappingProblem('', `Het document kon niet gelezen worden: ${reason}.`, `The document could not be read: ${reason}.`),
      ]),
    ];
  }
}

/** Collects the problems of one record while it is mapped. */
class Problems {
  readonly list: ItemProblem[] = [];

  add(path: string, nl: string, en: string): void {
    this.list.push(mappingProblem(path, nl, en));
  }
}

function invalid(externalId: string | null, problems: ItemProblem[]): MappedItem {
  return { type: 'invalid', externalId, problems };
}

function mapEventDocument(event: UdbEvent, externalId: string, context: MapperContext): MappedItem[] {
  const problems = new Problems();
  const title = languageMap(event.name, '/name', problems, 'naam', 'name');
  if (title === undefined) {
    problems.add('/name', 'Het event heeft geen naam (name met minstens één taal).', 'The event has no name (name with at least one language).');
  }
  const changedAt = validDateTime(event.modified) ?? context.now.toISOString();
  const calendar = mapCalendar(event, externalId, changedAt, problems);

  const items: MappedItem[] = [];
  let place: Place | undefined;
  let placeRef: string | undefined;
  // UiTdatabank's defaults when a document leaves them out: offline, for everyone (its OSLO output says so too).
  const attendanceMode = oneOf(event.attendanceMode, ATTENDANCE_MODES, '/attendanceMode', problems) ?? 'offline';
  if (isObject(event.location)) {
    const locationId = uitdatabankIdOf(event.location['@id']);
    if (locationId === undefined) {
      problems.add('/location/@id', 'De locatie heeft geen @id (…/places/{id}).', 'The location has no @id (…/places/{id}).');
    } else if (attendanceMode === 'online' && locationId === UITDATABANK_VIRTUAL_PLACE) {
      // UiTdatabank's stand-in location of an online event (its OSLO Turtle names no place at all): no place.
    } else if (event.location.name === undefined && event.location.address === undefined) {
      placeRef = locationId;
    } else {
      place = mapPlace(event.location, locationId, '/location', problems);
    }
  } else {
    problems.add(
      '/location',
      'Het event heeft geen locatie: UiTdatabank geeft ook online events een (virtuele) location.',
      'The event has no location: UiTdatabank gives online events a (virtual) location too.',
    );
  }

  let organizer: Organizer | undefined;
  let organizerRef: string | undefined;
  if (isObject(event.organizer)) {
    const organizerId = uitdatabankIdOf(event.organizer['@id']);
    if (organizerId === undefined) {
      problems.add('/organizer/@id', 'De organisator heeft geen @id (…/organizers/{id}).', 'The organizer has no @id (…/organizers/{id}).');
    } else if (event.organizer.name === undefined) {
      organizerRef = organizerId;
    } else {
      organizer = mapOrganizer(event.organizer, organizerId, '/organizer', problems);
    }
  }

  const terms = mapTerms(event.terms, problems);
  const prices = mapPrices(event.priceInfo, problems);
  const booking = mapBooking(event.bookingInfo, problems);

  if (problems.list.length > 0 || title === undefined || calendar === undefined) {
    return [invalid(externalId, problems.list)];
  }

  const activity: ActivityDraft = {
    externalId,
    title,
    ...optional('description', languageMap(event.description, '/description', problems, 'beschrijving', 'description')),
    ...optional('type', terms.type),
    ...optional('theme', terms.theme),
    // A place known by its id only (placeRef): the pipeline fills it from the stored place of this source.
    ...optional('place', place),
    ...optional('organizer', organizer),
    performances: calendar.performances,
    prices,
    ...optional('booking', booking),
    ...optional('images', images(event)),
    calendarType: calendar.calendarType,
    ...optional('period', calendar.period),
    ...optional('openingHours', calendar.openingHours),
    ...optional('status', statusOf(event.status)),
    ...optional('facilities', terms.facilities.length > 0 ? terms.facilities : undefined),
    audience: oneOf(event.audience?.audienceType, AUDIENCE_TYPES, '/audience/audienceType', problems) ?? 'everyone',
    ...optional('labels', strings(event.labels)),
    ...optional('hiddenLabels', strings(event.hiddenLabels)),
    attendanceMode,
    ...optional('onlineUrl', typeof event.onlineUrl === 'string' && event.onlineUrl !== '' ? event.onlineUrl : undefined),
    ...optional('typicalAgeRange', ageRange(event.typicalAgeRange, problems)),
    ...optional('contactPoint', contactPoint(event.contactPoint)),
    ...optional('sameAs', strings(event.sameAs)),
    ...optional('media', media(event)),
    ...optional('videos', videos(event)),
    ...optional('mainLanguage', typeof event.mainLanguage === 'string' ? event.mainLanguage : undefined),
    sourceDocument: { format: UITDATABANK_DOCUMENT_FORMAT, document: event as SourceDocument['document'] },
  };
  // audienceType and typicalAgeRange are checked while building; a bad one still rejects the record.
  if (problems.list.length > 0) return [invalid(externalId, problems.list)];

  const mapped: MappedActivity = {
    type: 'activity',
    externalId,
    activity,
    ...optional('placeRef', placeRef),
    ...optional('organizerRef', organizerRef),
  };
  // The activity last: the pipeline stores the embedded place and organizer before it resolves references.
  return [...items, mapped];
}

interface Calendar {
  calendarType: CalendarType;
  performances: Performance[];
  period?: Period;
  openingHours?: OpeningHours[];
}

function mapCalendar(event: UdbEvent, externalId: string, changedAt: string, problems: Problems): Calendar | undefined {
  const calendarType = oneOf(event.calendarType, CALENDAR_TYPES, '/calendarType', problems);
  if (calendarType === undefined) {
    if (event.calendarType === undefined) {
      problems.add(
        '/calendarType',
        'Het event heeft geen calendarType (single, multiple, periodic of permanent).',
        'The event has no calendarType (single, multiple, periodic or permanent).',
      );
    }
    return undefined;
  }
  const openingHours = mapOpeningHours(event.openingHours, problems);
  if (calendarType === 'single' || calendarType === 'multiple') {
    const subEvents: UdbSubEvent[] = Array.isArray(event.subEvent)
      ? event.subEvent
      : // Older documents of a single calendar carry only startDate/endDate.
        event.startDate !== undefined
        ? [{ id: 0, startDate: event.startDate, endDate: event.endDate, status: event.status, bookingAvailability: event.bookingAvailability }]
        : [];
    if (subEvents.length === 0) {
      problems.add(
        '/subEvent',
        `Een event met calendarType ${calendarType} heeft minstens één subEvent nodig.`,
        `An event with calendarType ${calendarType} needs at least one subEvent.`,
      );
      return undefined;
    }
    const performances: Performance[] = [];
    subEvents.forEach((subEvent, index) => {
      const performance = mapSubEvent(subEvent, index, externalId, event.status, changedAt, problems);
      if (performance) performances.push(performance);
    });
    return { calendarType, performances, ...optional('openingHours', openingHours) };
  }
  if (calendarType === 'periodic') {
    const start = dateTime(event.startDate, '/startDate', problems, true);
    const end = dateTime(event.endDate, '/endDate', problems, true);
    if (start === undefined || end === undefined) return undefined;
    if (Date.parse(end) < Date.parse(start)) {
      problems.add('/endDate', `endDate (${end}) ligt vóór startDate (${start}).`, `endDate (${end}) is before startDate (${start}).`);
      return undefined;
    }
    return { calendarType, performances: [], period: { start, end }, ...optional('openingHours', openingHours) };
  }
  return { calendarType, performances: [], ...optional('openingHours', openingHours) };
}

function mapSubEvent(
  subEvent: UdbSubEvent,
  index: number,
  externalId: string,
  eventStatus: UdbStatus | undefined,
  changedAt: string,
  problems: Problems,
): Performance | undefined {
  const path = `/subEvent/${index}`;
  if (!isObject(subEvent)) {
    problems.add(path, 'Het subEvent is geen object.', 'The subEvent is not an object.');
    return undefined;
  }
  const start = dateTime(subEvent.startDate, `${path}/startDate`, problems, true);
  const end = dateTime(subEvent.endDate, `${path}/endDate`, problems, false);
  if (start === undefined) return undefined;
  if (end !== undefined && Date.parse(end) < Date.parse(start)) {
    problems.add(`${path}/endDate`, `endDate (${end}) ligt vóór startDate (${start}).`, `endDate (${end}) is before startDate (${start}).`);
    return undefined;
  }
  // subEvent.id is its index on the event; performance ids are unique per source, so prefix the event id.
  const subEventId = typeof subEvent.id === 'number' && Number.isInteger(subEvent.id) ? subEvent.id : index;
  const status = statusOf(subEvent.status as UdbStatus | undefined, `${path}/status/type`, problems) ?? statusOf(eventStatus) ?? 'scheduled';
  const availability = mapBookingAvailability(
    subEvent.bookingAvailability as UdbBookingAvailability | undefined,
    `${path}/bookingAvailability`,
    changedAt,
    problems,
  );
  return {
    externalId: performanceExternalId(externalId, subEventId),
    start,
    ...optional('end', end),
    status,
    ...optional('availability', availability),
  };
}

/** The performance id of a UiTdatabank subEvent: `{event uuid}:{subEvent id}`. */
export function performanceExternalId(eventId: string, subEventId: number): string {
  return `${eventId}:${subEventId}`;
}

function mapBookingAvailability(
  value: UdbBookingAvailability | undefined,
  path: string,
  changedAt: string,
  problems: Problems,
): Availability | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    problems.add(path, 'bookingAvailability is geen object.', 'bookingAvailability is not an object.');
    return undefined;
  }
  const capacity = seatCount(value.capacity, `${path}/capacity`, problems);
  const remaining = seatCount(value.remainingCapacity, `${path}/remainingCapacity`, problems);
  if (capacity !== undefined && remaining !== undefined && remaining > capacity) {
    problems.add(
      `${path}/remainingCapacity`,
      `remainingCapacity (${remaining}) is groter dan capacity (${capacity}).`,
      `remainingCapacity (${remaining}) is greater than capacity (${capacity}).`,
    );
    return undefined;
  }
  let level: AvailabilityLevel | undefined;
  if (value.type === 'Unavailable') level = 'OutOfStock';
  else if (remaining !== undefined) {
    // Without a capacity only the absolute threshold applies (a ratio needs a total).
    level = availabilityLevelFor(capacity ?? 0, remaining, DEFAULT_AVAILABILITY_THRESHOLDS);
  } else if (value.type === 'Available') level = 'InStock';
  else if (value.type !== undefined) {
    problems.add(
      `${path}/type`,
      `Onbekend bookingAvailability.type "${String(value.type)}" (Available of Unavailable).`,
      `Unknown bookingAvailability.type "${String(value.type)}" (Available or Unavailable).`,
    );
  }
  if (level === undefined) return undefined;
  return { ...optional('capacity', capacity), ...optional('remaining', remaining), level, changedAt };
}

function seatCount(value: unknown, path: string, problems: Problems): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    problems.add(path, `${JSON.stringify(value)} is geen aantal plaatsen (geheel getal ≥ 0).`, `${JSON.stringify(value)} is not a seat count (integer ≥ 0).`);
    return undefined;
  }
  return value;
}

function statusOf(status: UdbStatus | undefined, path?: string, problems?: Problems): PerformanceStatus | undefined {
  if (!isObject(status) || status.type === undefined) return undefined;
  const mapped = STATUS_BY_TYPE[String(status.type)];
  if (mapped === undefined && path !== undefined) {
    problems?.add(
      path,
      `Onbekend status.type "${String(status.type)}" (Available, Unavailable of TemporarilyUnavailable).`,
      `Unknown status.type "${String(status.type)}" (Available, Unavailable or TemporarilyUnavailable).`,
    );
  }
  return mapped;
}

function mapOpeningHours(value: unknown, problems: Problems): OpeningHours[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    problems.add('/openingHours', 'openingHours is geen lijst.', 'openingHours is not a list.');
    return undefined;
  }
  const result: OpeningHours[] = [];
  value.forEach((entry: unknown, index) => {
    const path = `/openingHours/${index}`;
    if (!isObject(entry)) {
      problems.add(path, 'Openingsuren zijn geen object.', 'Opening hours are not an object.');
      return;
    }
    const opens = clockTime(entry.opens, `${path}/opens`, problems);
    const closes = clockTime(entry.closes, `${path}/closes`, problems);
    const days = Array.isArray(entry.dayOfWeek) ? entry.dayOfWeek : [];
    const daysOfWeek = days.filter((day): day is DayOfWeek => (DAYS_OF_WEEK as readonly unknown[]).includes(day));
    if (days.length === 0 || daysOfWeek.length !== days.length) {
      problems.add(
        `${path}/dayOfWeek`,
        'dayOfWeek moet een niet-lege lijst van monday … sunday zijn.',
        'dayOfWeek must be a non-empty list of monday … sunday.',
      );
      return;
    }
    if (opens !== undefined && closes !== undefined) result.push({ opens, closes, daysOfWeek });
  });
  return result.length > 0 ? result : undefined;
}

function clockTime(value: unknown, path: string, problems: Problems): string | undefined {
  const match = typeof value === 'string' ? /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(value) : null;
  if (!match) {
    problems.add(path, `${JSON.stringify(value)} is geen uur (H:MM of HH:MM).`, `${JSON.stringify(value)} is not a time of day (H:MM or HH:MM).`);
    return undefined;
  }
  return `${match[1].padStart(2, '0')}:${match[2]}`;
}

/** An ISO 8601 date-time with offset (UiTdatabank's format), normalised to what it says; else a problem. */
function dateTime(value: unknown, path: string, problems: Problems, required: boolean): string | undefined {
  if (value === undefined || value === null) {
    if (required) problems.add(path, 'De datum ontbreekt.', 'The date is missing.');
    return undefined;
  }
  const parsed = validDateTime(value);
  if (parsed === undefined) {
    problems.add(
      path,
      `${JSON.stringify(value)} is geen ISO 8601-tijdstip met tijdzone (bv. 2026-05-17T20:00:00+02:00).`,
      `${JSON.stringify(value)} is not an ISO 8601 date-time with offset (e.g. 2026-05-17T20:00:00+02:00).`,
    );
  }
  return parsed;
}

function validDateTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  // RFC 3339 with a required offset (ajv-formats' full date-time check: also rejects 2026-02-30)
  return isRfc3339DateTime(value) ? value : undefined;
}

function mapTerms(value: unknown, problems: Problems): { type?: ConceptRef; theme?: ConceptRef; facilities: ConceptRef[] } {
  const result: { type?: ConceptRef; theme?: ConceptRef; facilities: ConceptRef[] } = { facilities: [] };
  if (value === undefined) return result;
  if (!Array.isArray(value)) {
    problems.add('/terms', 'terms is geen lijst.', 'terms is not a list.');
    return result;
  }
  value.forEach((term: UdbTerm, index) => {
    if (!isObject(term) || typeof term.id !== 'string' || term.id === '') {
      problems.add(`/terms/${index}/id`, 'De term heeft geen id.', 'The term has no id.');
      return;
    }
    const concept: ConceptRef = {
      iri: UITDATABANK_TERMS_BASE + encodeURIComponent(term.id),
      ...(typeof term.label === 'string' && term.label !== '' ? { label: { nl: term.label } } : {}),
    };
    // OSLO allows one type and one theme (dcterms:type, cp:thema max 1); UiTdatabank the same per domain.
    if (term.domain === 'eventtype') {
      if (result.type) {
        problems.add(`/terms/${index}`, 'Meer dan één term van het domein eventtype.', 'More than one term of the eventtype domain.');
      } else result.type = concept;
    } else if (term.domain === 'theme') {
      if (result.theme) {
        problems.add(`/terms/${index}`, 'Meer dan één term van het domein theme.', 'More than one term of the theme domain.');
      } else result.theme = concept;
    } else if (term.domain === 'facility') {
      result.facilities.push(concept);
    }
    // Other domains (flandersregion, …) are derived by UiTdatabank; they stay in the source document.
  });
  return result;
}

function mapPrices(value: unknown, problems: Problems): Price[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.add('/priceInfo', 'priceInfo is geen lijst.', 'priceInfo is not a list.');
    return [];
  }
  const prices: Price[] = [];
  value.forEach((entry: unknown, index) => {
    const path = `/priceInfo/${index}`;
    if (!isObject(entry)) {
      problems.add(path, 'De prijs is geen object.', 'The price is not an object.');
      return;
    }
    const category = typeof entry.category === 'string' ? PRICE_CATEGORY_BY_UDB[entry.category] : undefined;
    if (category === undefined) {
      problems.add(
        `${path}/category`,
        `Onbekende prijscategorie ${JSON.stringify(entry.category)} (base, tariff of uitpas).`,
        `Unknown price category ${JSON.stringify(entry.category)} (base, tariff or uitpas).`,
      );
      return;
    }
    if (typeof entry.price !== 'number' || !Number.isFinite(entry.price) || entry.price < 0) {
      problems.add(`${path}/price`, `${JSON.stringify(entry.price)} is geen prijs (getal ≥ 0).`, `${JSON.stringify(entry.price)} is not a price (number ≥ 0).`);
      return;
    }
    const name = languageMap(entry.name, `${path}/name`, problems, 'naam', 'name') ?? (category === 'base' ? DEFAULT_BASE_PRICE_NAME : undefined);
    if (name === undefined) {
      problems.add(`${path}/name`, 'Een tarief heeft een naam nodig.', 'A tariff needs a name.');
      return;
    }
    const currency = typeof entry.priceCurrency === 'string' && /^[A-Z]{3}$/.test(entry.priceCurrency) ? entry.priceCurrency : 'EUR';
    prices.push({ category, name, amount: entry.price, currency });
  });
  return prices;
}

function mapBooking(value: unknown, problems: Problems): BookingInfo | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) {
    problems.add('/bookingInfo', 'bookingInfo is geen object.', 'bookingInfo is not an object.');
    return undefined;
  }
  const booking: BookingInfo = {
    ...optional('url', nonEmpty(value.url)),
    ...optional('urlLabel', languageMap(value.urlLabel, '/bookingInfo/urlLabel', problems, 'linktekst', 'link text')),
    ...optional('email', nonEmpty(value.email)),
    ...optional('phone', nonEmpty(value.phone)),
    ...optional('availableFrom', dateTime(value.availabilityStarts, '/bookingInfo/availabilityStarts', problems, false)),
    ...optional('availableUntil', dateTime(value.availabilityEnds, '/bookingInfo/availabilityEnds', problems, false)),
  };
  return Object.keys(booking).length > 0 ? booking : undefined;
}

function ageRange(value: unknown, problems: Problems): AgeRange | undefined {
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? /^(\d*)-(\d*)$/.exec(value) : null;
  if (!match) {
    problems.add(
      '/typicalAgeRange',
      `${JSON.stringify(value)} is geen leeftijdsbereik (bv. "6-12", "-12", "18-").`,
      `${JSON.stringify(value)} is not an age range (e.g. "6-12", "-12", "18-").`,
    );
    return undefined;
  }
  const range: AgeRange = {
    ...optional('min', match[1] !== '' ? Number(match[1]) : undefined),
    ...optional('max', match[2] !== '' ? Number(match[2]) : undefined),
  };
  if (range.min !== undefined && range.max !== undefined && range.min > range.max) {
    problems.add('/typicalAgeRange', `De minimumleeftijd is groter dan de maximumleeftijd in "${value}".`, `The minimum age is above the maximum age in "${value}".`);
    return undefined;
  }
  return range.min === undefined && range.max === undefined ? undefined : range;
}

function contactPoint(value: UdbContactPoint | undefined): ContactPoint | undefined {
  if (!isObject(value)) return undefined;
  const result: ContactPoint = {
    ...optional('emails', strings(value.email)),
    ...optional('phones', strings(value.phone)),
    ...optional('urls', strings(value.url)),
  };
  return Object.keys(result).length > 0 ? result : undefined;
}

function images(event: UdbEvent): string[] | undefined {
  const urls = (Array.isArray(event.mediaObject) ? event.mediaObject : [])
    .map((object) => (isObject(object) ? nonEmpty(object.contentUrl) : undefined))
    .filter((url): url is string => url !== undefined);
  // The main image first, as UiTdatabank's `image` names it.
  const main = nonEmpty(event.image);
  const ordered = main !== undefined ? [main, ...urls.filter((url) => url !== main)] : urls;
  return ordered.length > 0 ? ordered : undefined;
}

function media(event: UdbEvent): MediaObject[] | undefined {
  const result: MediaObject[] = [];
  for (const object of Array.isArray(event.mediaObject) ? event.mediaObject : []) {
    const url = isObject(object) ? nonEmpty(object.contentUrl) : undefined;
    if (url === undefined) continue;
    result.push({
      url,
      ...optional('identifier', nonEmpty(object.id) ?? uitdatabankIdOf(object['@id'])),
      ...optional('thumbnailUrl', nonEmpty(object.thumbnailUrl)),
      ...optional('description', nonEmpty(object.description)),
      ...optional('copyrightHolder', nonEmpty(object.copyrightHolder)),
      ...optional('language', nonEmpty(object.inLanguage)),
    });
  }
  return result.length > 0 ? result : undefined;
}

function videos(event: UdbEvent): Video[] | undefined {
  const result: Video[] = [];
  for (const video of Array.isArray(event.videos) ? event.videos : []) {
    const url = isObject(video) ? nonEmpty(video.url) : undefined;
    if (url === undefined) continue;
    result.push({
      url,
      ...optional('identifier', nonEmpty(video.id)),
      ...optional('embedUrl', nonEmpty(video.embedUrl)),
      ...optional('copyrightHolder', nonEmpty(video.copyrightHolder)),
      ...optional('language', nonEmpty(video.language)),
    });
  }
  return result.length > 0 ? result : undefined;
}

function mapPlaceDocument(document: UdbPlace, externalId: string): MappedItem {
  const problems = new Problems();
  const place = mapPlace(document, externalId, '', problems);
  if (!place || problems.list.length > 0) return invalid(externalId, problems.list);
  return { type: 'place', externalId, place };
}

function mapOrganizerDocument(document: UdbOrganizer, externalId: string): MappedItem {
  const problems = new Problems();
  const organizer = mapOrganizer(document, externalId, '', problems);
  if (!organizer || problems.list.length > 0) return invalid(externalId, problems.list);
  return { type: 'organizer', externalId, organizer };
}

function mapPlace(document: UdbPlace, externalId: string, path: string, problems: Problems): Place | undefined {
  const name = languageMap(document.name, `${path}/name`, problems, 'naam', 'name');
  if (name === undefined) {
    problems.add(`${path}/name`, 'De locatie heeft geen naam.', 'The place has no name.');
  }
  const address = mapAddress(document.address, document.mainLanguage, `${path}/address`, problems, true);
  if (name === undefined || address === undefined) return undefined;
  const geo = document.geo;
  const hasGeo = isObject(geo) && typeof geo.latitude === 'number' && typeof geo.longitude === 'number';
  // A place's eventtype term says what kind of venue it is (dcterms:type on the Locatie, as udb3-backend writes it).
  const type = Array.isArray(document.terms) ? mapTerms(document.terms, new Problems()).type : undefined;
  return {
    externalId,
    name,
    address,
    ...(hasGeo ? { geo: { latitude: geo.latitude!, longitude: geo.longitude! } } : {}),
    ...optional('type', type),
  };
}

function mapOrganizer(document: UdbOrganizer, externalId: string, path: string, problems: Problems): Organizer | undefined {
  const name = languageMap(document.name, `${path}/name`, problems, 'naam', 'name');
  if (name === undefined) {
    problems.add(`${path}/name`, 'De organisator heeft geen naam.', 'The organizer has no name.');
    return undefined;
  }
  const contact = contactPoint(document.contactPoint);
  return {
    externalId,
    name,
    ...optional('email', contact?.emails?.[0]),
    ...optional('phone', contact?.phones?.[0]),
    ...optional('url', nonEmpty(document.url) ?? contact?.urls?.[0]),
  };
}

/**
 * A UiTdatabank address (one localized address per official language) to ours: the municipality in
 * every language, street and number from the main language's streetAddress.
 */
function mapAddress(
  value: UdbPlace['address'],
  mainLanguage: string | undefined,
  path: string,
  problems: Problems,
  required: boolean,
): Address | undefined {
  if (!isObject(value) || Object.keys(value).length === 0) {
    if (required) problems.add(path, 'Het adres ontbreekt.', 'The address is missing.');
    return undefined;
  }
  const languages = Object.keys(value).filter((language) => isObject(value[language]));
  const language =
    [mainLanguage, 'nl', ...languages].find((candidate) => candidate !== undefined && languages.includes(candidate)) ?? languages[0];
  const main: UdbLocalizedAddress | undefined = language !== undefined ? value[language] : undefined;
  if (main === undefined || typeof main.postalCode !== 'string' || main.postalCode.trim() === '') {
    problems.add(`${path}/${language ?? 'nl'}/postalCode`, 'Het adres heeft geen postcode.', 'The address has no postal code.');
    return undefined;
  }
  const municipality: LangString = {};
  for (const candidate of languages) {
    const locality = nonEmpty(value[candidate]?.addressLocality);
    if (locality !== undefined) municipality[candidate] = locality;
  }
  if (Object.keys(municipality).length === 0) {
    problems.add(`${path}/${language}/addressLocality`, 'Het adres heeft geen gemeente.', 'The address has no municipality.');
    return undefined;
  }
  const street = splitStreetAddress(nonEmpty(main.streetAddress));
  return {
    ...street,
    postalCode: main.postalCode.trim(),
    municipality,
    country: nonEmpty(main.addressCountry)?.toUpperCase() ?? 'BE',
  };
}

/**
 * "Wetstraat 1", "Kerkstraat 12A bus 3" -> street, house number, box (what OSLO's locn:thoroughfare /
 * locatorDesignator / Adresvoorstelling.busnummer want; udb3-backend splits it the same way).
 */
export function splitStreetAddress(value: string | undefined): Pick<Address, 'street' | 'houseNumber' | 'box'> {
  if (value === undefined) return {};
  const match = /^(.+?)\s+(\d+[A-Za-z]?(?:[-/]\d+[A-Za-z]?)?)(?:\s*(?:bus|boîte|box|b\.)\s*(\S+))?$/i.exec(value.trim());
  if (!match) return { street: value.trim() };
  return { street: match[1].trim(), houseNumber: match[2], ...optional('box', match[3]) };
}

/** A UiTdatabank language map (nl, fr, en, de) to a LangString; other keys are a problem. */
function languageMap(value: unknown, path: string, problems: Problems, whatNl: string, whatEn: string): LangString | undefined {
  if (value === undefined) return undefined;
  // Some old documents carry a plain string (the main language's text).
  if (typeof value === 'string') return value.trim() !== '' ? { nl: value } : undefined;
  if (!isObject(value)) {
    problems.add(path, `De ${whatNl} is geen object per taal.`, `The ${whatEn} is not an object per language.`);
    return undefined;
  }
  const result: LangString = {};
  for (const [language, text] of Object.entries(value as UdbLanguageMap)) {
    if (!(SUPPORTED_LANGUAGES as readonly string[]).includes(language)) {
      problems.add(`${path}/${language}`, `Taal "${language}" wordt niet ondersteund (nl, fr, en, de).`, `Language "${language}" is not supported (nl, fr, en, de).`);
      continue;
    }
    if (typeof text === 'string' && text.trim() !== '') result[language] = text;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string, problems: Problems): T | undefined {
  if (value === undefined) return undefined;
  if ((allowed as readonly unknown[]).includes(value)) return value as T;
  problems.add(
    path,
    `${JSON.stringify(value)} is geen toegelaten waarde (${allowed.join(', ')}).`,
    `${JSON.stringify(value)} is not an allowed value (${allowed.join(', ')}).`,
  );
  return undefined;
}

function strings(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const result = value.filter((entry): entry is string => typeof entry === 'string' && entry !== '');
  return result.length > 0 ? result : undefined;
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{key: value}` when value is defined, else `{}`: keeps absent fields absent (stable content hash). */
function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

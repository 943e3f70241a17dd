import { ATTENDANCE_MODES, brusselsOffset, AUDIENCE_TYPES, AVAILABILITY_LEVELS, type AttendanceMode, type AvailabilityLevel, type PerformanceStatus } from '@platform/domain';
import { FACETS, SORT_FIELDS, type ActivitySearchQuery, type FacetName, type SearchSort, type SortField } from '@platform/storage';

/** A search parameter that cannot be read: names it, says why, in Dutch and English. */
export class SearchParameterError extends Error {
  constructor(
    readonly parameter: string,
    readonly messages: { nl: string; en: string },
  ) {
    super(`${parameter}: ${messages.en}`);
  }
}

/** Raw values as a query string (strings, repeated = arrays) or GraphQL (typed) gives them. */
export type RawParameters = Record<string, unknown>;

export interface ParsedSearch {
  query: ActivitySearchQuery;
  sort: SearchSort;
  facets: FacetName[];
  limit: number;
  after?: string;
}

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 30;

/** The parameters of GET /v1/activities (UiTdatabank Search API v3 names where they mean the same). */
export const SEARCH_PARAMETERS = [
  'text', 'dateFrom', 'dateTo', 'localTimeFrom', 'localTimeTo', 'coordinates', 'distance', 'bounds', 'postalCode', 'regions',
  'termIds', 'labels', 'organizerId', 'locationId', 'audienceType', 'minAge', 'maxAge', 'price', 'minPrice', 'maxPrice', 'free',
  'bookingAvailability', 'availability', 'minRemainingSeats', 'status', 'attendanceMode', 'languages', 'modifiedFrom', 'modifiedTo',
  'facets', 'limit', 'after', 'sort',
] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const STATUS_NAMES: Record<string, PerformanceStatus> = {
  available: 'scheduled',
  scheduled: 'scheduled',
  temporarilyunavailable: 'postponed',
  postponed: 'postponed',
  unavailable: 'cancelled',
  cancelled: 'cancelled',
};
const DISTANCE_UNITS: Record<string, number> = { m: 0.001, meters: 0.001, km: 1, kilometers: 1, mi: 1.609344, miles: 1.609344 };

function fail(parameter: string, nl: string, en: string): never {
  throw new SearchParameterError(parameter, { nl, en });
}

/** Midnight (or the last millisecond) of a calendar day in Brussels. */
function brusselsDay(day: string, end: boolean): Date {
  const noon = new Date(`${day}T12:00:00Z`);
  const start = new Date(`${day}T00:00:00${brusselsOffset(noon)}`);
  return end ? new Date(start.getTime() + 24 * 3600_000 - 1) : start;
}

/**
 * Reads the search parameters of REST and GraphQL alike, so both accept and refuse the same values.
 * `prefix` names GraphQL arguments in errors ("filter.dateFrom").
 */
export class SearchParameterReader {
  private readonly used = new Set<string>();

  constructor(
    private readonly raw: RawParameters,
    private readonly prefix = '',
  ) {}

  /** Everything at once; unknown parameters are refused (a typo must not silently widen a search). */
  static read(raw: RawParameters, options: { prefix?: string; strict?: boolean; defaultLimit?: number } = {}): ParsedSearch {
    const reader = new SearchParameterReader(raw, options.prefix);
    const parsed = reader.parse(options.defaultLimit ?? DEFAULT_LIMIT);
    if (options.strict) reader.refuseUnknown();
    return parsed;
  }

  private name(parameter: string): string {
    return `${this.prefix}${parameter}`;
  }

  /** The values of a parameter: `p`, `p[]` (repeated or not) and, for lists, comma-separated. */
  private values(parameter: string): unknown[] {
    const found: unknown[] = [];
    for (const key of [parameter, `${parameter}[]`]) {
      if (!(key in this.raw)) continue;
      this.used.add(key);
      const value = this.raw[key];
      if (value === undefined || value === null) continue;
      found.push(...(Array.isArray(value) ? value : [value]));
    }
    return found;
  }

  private one(parameter: string): unknown {
    const values = this.values(parameter);
    if (values.length > 1) fail(this.name(parameter), 'mag maar één keer voorkomen.', 'may be given only once.');
    return values[0];
  }

  private string(parameter: string): string | undefined {
    const value = this.one(parameter);
    if (value === undefined) return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') fail(this.name(parameter), 'moet tekst zijn.', 'must be a text.');
    const text = String(value).trim();
    return text === '' ? undefined : text;
  }

  private list(parameter: string, options: { commas?: boolean } = {}): string[] | undefined {
    const values = this.values(parameter).flatMap((value) => {
      if (typeof value !== 'string' && typeof value !== 'number') fail(this.name(parameter), 'moet tekst zijn.', 'must be a text.');
      return options.commas === false ? [String(value)] : String(value).split(',');
    });
    const trimmed = values.map((value) => value.trim()).filter(Boolean);
    return trimmed.length > 0 ? trimmed : undefined;
  }

  private number(parameter: string, options: { integer?: boolean; min?: number; max?: number } = {}): number | undefined {
    const value = this.one(parameter);
    if (value === undefined || value === '') return undefined;
    const number = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : NaN;
    const kind = options.integer ? { nl: 'een geheel getal', en: 'a whole number' } : { nl: 'een getal', en: 'a number' };
    if (!Number.isFinite(number) || (options.integer && !Number.isInteger(number))) {
      fail(this.name(parameter), `moet ${kind.nl} zijn, niet ${JSON.stringify(value)}.`, `must be ${kind.en}, not ${JSON.stringify(value)}.`);
    }
    if (options.min !== undefined && number < options.min) fail(this.name(parameter), `moet minstens ${options.min} zijn.`, `must be at least ${options.min}.`);
    if (options.max !== undefined && number > options.max) fail(this.name(parameter), `mag hoogstens ${options.max} zijn.`, `must be at most ${options.max}.`);
    return number;
  }

  private boolean(parameter: string): boolean | undefined {
    const value = this.one(parameter);
    if (value === undefined || value === '') return undefined;
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    fail(this.name(parameter), `moet true of false zijn, niet ${JSON.stringify(value)}.`, `must be true or false, not ${JSON.stringify(value)}.`);
  }

  private instant(parameter: string, endOfDay: boolean): Date | undefined {
    const value = this.one(parameter);
    if (value === undefined || value === '') return undefined;
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
    const text = typeof value === 'string' ? value.trim() : '';
    if (DATE_ONLY.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`))) return brusselsDay(text, endOfDay);
    if (DATE_TIME.test(text) && !Number.isNaN(Date.parse(text))) return new Date(text);
    fail(
      this.name(parameter),
      `moet een ISO 8601-datum-tijd met tijdzone zijn (2027-03-04T10:30:00+01:00) of een datum (2027-03-04), niet ${JSON.stringify(value)}.`,
      `must be an ISO 8601 date-time with offset (2027-03-04T10:30:00+01:00) or a date (2027-03-04), not ${JSON.stringify(value)}.`,
    );
  }

  private localTime(parameter: string): string | undefined {
    const value = this.string(parameter);
    if (value === undefined) return undefined;
    if (!LOCAL_TIME.test(value)) fail(this.name(parameter), `moet een uur UU:MM zijn (08:30), niet ${JSON.stringify(value)}.`, `must be a time HH:MM (08:30), not ${JSON.stringify(value)}.`);
    return value;
  }

  private oneOf<T extends string>(parameter: string, allowed: readonly T[], values: string[] | undefined): T[] | undefined {
    if (!values) return undefined;
    for (const value of values) {
      if (!allowed.includes(value as T)) {
        fail(this.name(parameter), `onbekende waarde ${JSON.stringify(value)}; mogelijk: ${allowed.join(', ')}.`, `unknown value ${JSON.stringify(value)}; allowed: ${allowed.join(', ')}.`);
      }
    }
    return values as T[];
  }

  private coordinatePair(parameter: string, text: string): { latitude: number; longitude: number } {
    const match = /^\s*([-+]?\d{1,3}(?:\.\d+)?)\s*,\s*([-+]?\d{1,3}(?:\.\d+)?)\s*$/.exec(text);
    const latitude = Number(match?.[1]);
    const longitude = Number(match?.[2]);
    if (!match || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
      fail(
        this.name(parameter),
        `moet "breedtegraad,lengtegraad" in WGS84 zijn (51.0543,3.7174), niet ${JSON.stringify(text)}.`,
        `must be "latitude,longitude" in WGS84 (51.0543,3.7174), not ${JSON.stringify(text)}.`,
      );
    }
    return { latitude, longitude };
  }

  parse(defaultLimit: number): ParsedSearch {
    const query: ActivitySearchQuery = {};
    const text = this.string('text');
    if (text !== undefined) query.text = text;
    query.dateFrom = this.instant('dateFrom', false);
    query.dateTo = this.instant('dateTo', true);
    if (query.dateFrom && query.dateTo && query.dateFrom > query.dateTo) fail(this.name('dateTo'), 'ligt vóór dateFrom.', 'is before dateFrom.');
    query.localTimeFrom = this.localTime('localTimeFrom');
    query.localTimeTo = this.localTime('localTimeTo');
    query.modifiedFrom = this.instant('modifiedFrom', false);
    query.modifiedTo = this.instant('modifiedTo', true);

    const coordinates = this.string('coordinates');
    const distance = this.string('distance');
    if (coordinates && !distance) fail(this.name('distance'), 'is nodig samen met coordinates (bv. 10km).', 'is needed with coordinates (e.g. 10km).');
    if (distance && !coordinates) fail(this.name('coordinates'), 'is nodig samen met distance.', 'is needed with distance.');
    if (coordinates && distance) {
      const point = this.coordinatePair('coordinates', coordinates);
      const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(distance);
      const unit = DISTANCE_UNITS[(match?.[2] || 'km').toLowerCase()];
      const distanceKm = match && unit ? Number(match[1]) * unit : NaN;
      if (!Number.isFinite(distanceKm) || distanceKm <= 0 || distanceKm > 1000) {
        fail(
          this.name('distance'),
          `moet een afstand tot 1000 km zijn met eenheid m, km of mi (10km, 500m), niet ${JSON.stringify(distance)}.`,
          `must be a distance up to 1000 km with unit m, km or mi (10km, 500m), not ${JSON.stringify(distance)}.`,
        );
      }
      query.near = { ...point, distanceKm };
    }
    const bounds = this.string('bounds');
    if (bounds) {
      const corners = bounds.split('|');
      if (corners.length !== 2) fail(this.name('bounds'), 'moet "zuid,west|noord,oost" zijn.', 'must be "south,west|north,east".');
      const southWest = this.coordinatePair('bounds', corners[0]);
      const northEast = this.coordinatePair('bounds', corners[1]);
      if (southWest.latitude > northEast.latitude) fail(this.name('bounds'), 'de zuidwestelijke hoek ligt ten noorden van de noordoostelijke.', 'the south-west corner lies north of the north-east one.');
      query.bounds = { south: southWest.latitude, west: southWest.longitude, north: northEast.latitude, east: northEast.longitude };
    }

    const postalCodes = this.list('postalCode');
    for (const code of postalCodes ?? []) {
      if (!/^[0-9A-Za-z*-]{1,10}$/.test(code)) fail(this.name('postalCode'), `geen postcode: ${JSON.stringify(code)} (jokerteken: *).`, `not a postal code: ${JSON.stringify(code)} (wildcard: *).`);
    }
    query.postalCodes = postalCodes;
    query.regions = this.list('regions')?.map((region) => {
      const match = /^(?:nis-)?(\d{5})$/i.exec(region);
      if (!match) fail(this.name('regions'), `geen NIS-code van een gemeente, provincie of gewest: ${JSON.stringify(region)} (bv. 44021 of nis-44021).`, `not a NIS code of a municipality, province or region: ${JSON.stringify(region)} (e.g. 44021 or nis-44021).`);
      return match[1];
    });
    query.termIds = this.list('termIds');
    query.labels = this.list('labels', { commas: false });
    for (const [parameter, key] of [['organizerId', 'organizerIds'], ['locationId', 'locationIds']] as const) {
      const ids = this.list(parameter);
      for (const id of ids ?? []) if (!UUID.test(id)) fail(this.name(parameter), `geen platform-id (uuid): ${JSON.stringify(id)}.`, `not a platform id (uuid): ${JSON.stringify(id)}.`);
      query[key] = ids;
    }
    const audience = this.oneOf('audienceType', [...AUDIENCE_TYPES, '*'] as const, this.list('audienceType'));
    if (audience && audience.length > 1) fail(this.name('audienceType'), 'één waarde.', 'one value only.');
    query.audienceType = audience?.[0];
    query.minAge = this.number('minAge', { integer: true, min: 0, max: 150 });
    query.maxAge = this.number('maxAge', { integer: true, min: 0, max: 150 });
    query.price = this.number('price', { min: 0 });
    query.minPrice = this.number('minPrice', { min: 0 });
    query.maxPrice = this.number('maxPrice', { min: 0 });
    query.free = this.boolean('free');
    const booking = this.oneOf('bookingAvailability', ['Available', 'Unavailable'] as const, this.list('bookingAvailability'));
    if (booking && booking.length > 1) fail(this.name('bookingAvailability'), 'één waarde.', 'one value only.');
    query.bookingAvailability = booking?.[0];
    query.availability = this.oneOf<AvailabilityLevel>('availability', AVAILABILITY_LEVELS, this.list('availability'));
    // Seat counts are Postgres integers: a larger number is a 400 here, not an overflow in the query.
    query.minRemainingSeats = this.number('minRemainingSeats', { integer: true, min: 0, max: 2_147_483_647 });
    query.status = this.list('status')?.map((status) => {
      const value = STATUS_NAMES[status.toLowerCase()];
      if (!value) fail(this.name('status'), `onbekende status ${JSON.stringify(status)}; mogelijk: Available, TemporarilyUnavailable, Unavailable (of scheduled, postponed, cancelled).`, `unknown status ${JSON.stringify(status)}; allowed: Available, TemporarilyUnavailable, Unavailable (or scheduled, postponed, cancelled).`);
      return value;
    });
    query.attendanceMode = this.oneOf<AttendanceMode>('attendanceMode', ATTENDANCE_MODES, this.list('attendanceMode'));
    query.languages = this.list('languages')?.map((language) => {
      if (!/^[a-z]{2}$/.test(language)) fail(this.name('languages'), `geen taalcode van twee letters: ${JSON.stringify(language)}.`, `not a two-letter language code: ${JSON.stringify(language)}.`);
      return language;
    });

    const facets = this.oneOf<FacetName>('facets', FACETS, this.list('facets')) ?? [];
    const limit = this.number('limit', { integer: true, min: 1, max: MAX_LIMIT }) ?? defaultLimit;
    const after = this.string('after');
    const sort = this.sort(query);
    for (const key of Object.keys(query) as Array<keyof ActivitySearchQuery>) if (query[key] === undefined) delete query[key];
    return { query, sort, facets, limit, ...(after ? { after } : {}) };
  }

  /** `sort[start]=asc` (UiTdatabank style), or GraphQL's `{by, order}`. Default: relevance with text, else start. */
  private sort(query: ActivitySearchQuery): SearchSort {
    const given: Array<{ by: string; order: unknown; parameter: string }> = [];
    for (const key of Object.keys(this.raw)) {
      const match = /^sort\[(\w+)\]$/.exec(key);
      if (match) {
        this.used.add(key);
        given.push({ by: match[1], order: this.raw[key], parameter: key });
      }
    }
    const structured = this.raw.sort;
    if (structured !== undefined && structured !== null) {
      this.used.add('sort');
      if (typeof structured !== 'object' || Array.isArray(structured)) fail(this.name('sort'), 'gebruik sort[start]=asc (of sort[distance], sort[modified], sort[score]).', 'use sort[start]=asc (or sort[distance], sort[modified], sort[score]).');
      for (const [by, order] of Object.entries(structured as Record<string, unknown>)) given.push({ by, order, parameter: `sort[${by}]` });
    }
    if (given.length > 1) fail(this.name('sort'), 'sorteer op één veld.', 'sort by one field only.');
    if (given.length === 0) return query.text ? { by: 'relevance', order: 'desc' } : { by: 'start', order: 'asc' };
    const by = (given[0].by === 'score' ? 'relevance' : given[0].by) as SortField;
    if (!SORT_FIELDS.includes(by)) fail(this.name(given[0].parameter), `onbekend sorteerveld; mogelijk: start, distance, modified, score (relevance).`, `unknown sort field; allowed: start, distance, modified, score (relevance).`);
    const order = String(given[0].order).toLowerCase();
    if (order !== 'asc' && order !== 'desc') fail(this.name(given[0].parameter), 'moet asc of desc zijn.', 'must be asc or desc.');
    if (by === 'distance' && !query.near) fail(this.name(given[0].parameter), 'sorteren op afstand vraagt coordinates en distance.', 'sorting by distance needs coordinates and distance.');
    if (by === 'relevance' && !query.text) fail(this.name(given[0].parameter), 'sorteren op relevantie vraagt text.', 'sorting by relevance needs text.');
    return { by, order };
  }

  private refuseUnknown(): void {
    const unknown = Object.keys(this.raw).filter((key) => !this.used.has(key));
    if (unknown.length > 0) {
      const hint = unknown.includes('start') ? ' Paging is by cursor: follow view.next (parameter after).' : '';
      fail(unknown[0], `onbekende parameter; mogelijk: ${SEARCH_PARAMETERS.join(', ')}.`, `unknown parameter; allowed: ${SEARCH_PARAMETERS.join(', ')}.${hint}`);
    }
  }
}

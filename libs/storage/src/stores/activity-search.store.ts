import { LRUCache } from 'lru-cache';
import { In, type DataSource } from 'typeorm';
import type { AttendanceMode, AudienceType, AvailabilityLevel, LangString, PerformanceStatus } from '@platform/domain';
import { ActivityEntity } from '../entities/index.js';
import { InvalidCursorError } from './activity-query.store.js';

/** A search over published activities; every given condition must hold (see docs/guide-search.md). */
export interface ActivitySearchQuery {
  /** Words that must all occur (stemmed per language, accents folded, prefixes) in titles, descriptions, venue names. */
  text?: string;
  /** Happening at some moment in [dateFrom, dateTo]. */
  dateFrom?: Date;
  dateTo?: Date;
  /** Happening at some local (Europe/Brussels) time of day in [localTimeFrom, localTimeTo], "HH:MM". */
  localTimeFrom?: string;
  localTimeTo?: string;
  near?: { latitude: number; longitude: number; distanceKm: number };
  bounds?: { south: number; west: number; north: number; east: number };
  /** Postal codes; `*` is a wildcard ("90*"). Any of them. */
  postalCodes?: string[];
  /** NIS codes of municipalities, provinces or regions. Any of them. */
  regions?: string[];
  /** Concept IRIs or their last path segment (type, theme, facility, place type). All of them. */
  termIds?: string[];
  /** Labels or hidden labels (case-insensitive). All of them. */
  labels?: string[];
  organizerIds?: string[];
  locationIds?: string[];
  /** `*` = any; default in the API is `everyone`. */
  audienceType?: AudienceType | '*';
  /** Meant for ages overlapping [minAge, maxAge]; activities without an age range are for all ages. */
  minAge?: number;
  maxAge?: number;
  /** Base tariff in EUR. */
  price?: number;
  minPrice?: number;
  maxPrice?: number;
  free?: boolean;
  /** Available: a performance (in the date and time window) not sold out and not cancelled. */
  bookingAvailability?: 'Available' | 'Unavailable';
  /** A performance at one of these levels. */
  availability?: AvailabilityLevel[];
  /** A performance with at least this many seats left. */
  minRemainingSeats?: number;
  status?: PerformanceStatus[];
  attendanceMode?: AttendanceMode[];
  /** Has a title or description in every one of these languages. */
  languages?: string[];
  modifiedFrom?: Date;
  modifiedTo?: Date;
  sourceId?: string;
  /** Exact concept IRIs (the older GraphQL filter fields). */
  typeIri?: string;
  themeIri?: string;
}

export const SORT_FIELDS = ['start', 'distance', 'modified', 'relevance'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export interface SearchSort {
  by: SortField;
  order: 'asc' | 'desc';
}

export const FACETS = ['types', 'themes', 'facilities', 'regions', 'availability'] as const;
export type FacetName = (typeof FACETS)[number];

export interface FacetValue {
  value: string;
  label?: LangString;
  count: number;
}

export interface SearchHit {
  id: string;
  /** The sort key of this hit (epoch seconds for dates, km for distance, rank for relevance). */
  sortValue: number;
  /** Km from `near`, when given. */
  distanceKm: number | null;
}

export interface SearchResult {
  hits: SearchHit[];
  rows: ActivityEntity[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
  facets: Partial<Record<FacetName, FacetValue[]>>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EARTH_RADIUS_KM = 6371.0088;

/** Opaque keyset cursor: the sort it belongs to, the sort value and the id of the last hit. */
export function encodeSearchCursor(sort: SearchSort, hit: SearchHit): string {
  const value = Number.isFinite(hit.sortValue) ? hit.sortValue : String(hit.sortValue);
  return Buffer.from(JSON.stringify([`${sort.by}:${sort.order}`, value, hit.id])).toString('base64url');
}

function decodeSearchCursor(cursor: string, sort: SearchSort): [number, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 3 && typeof value[2] === 'string' && UUID.test(value[2])) {
      if (value[0] !== `${sort.by}:${sort.order}`) {
        throw new InvalidCursorError(`Deze cursor hoort bij een andere sortering / this cursor belongs to another sort order (${value[0]})`);
      }
      const number = typeof value[1] === 'number' ? value[1] : value[1] === 'Infinity' ? Infinity : value[1] === '-Infinity' ? -Infinity : NaN;
      if (!Number.isNaN(number)) return [number, value[2]];
    }
  } catch (error) {
    if (error instanceof InvalidCursorError) throw error;
  }
  throw new InvalidCursorError(`Ongeldige cursor / not a cursor of this API: ${cursor}`);
}

/** Builds parameterised SQL: every value goes through $n. */
class Parameters {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The start sort of an activity alone (no performance conditions): its first start, by opening hours its period start. */
const START_ORDER = "coalesce(CASE WHEN m.by_opening_hours THEN m.period_start ELSE m.first_start END, 'infinity'::timestamptz)";

interface PageRow {
  id: string;
  sort_value: number | string;
  distance_km: number | null;
}

interface MatchedParts {
  from: string;
  where: string[];
  sortValue: string;
  distance: string;
  rowOrder?: string;
}

const LOCAL_START = "(p.start_at AT TIME ZONE 'Europe/Brussels')";
const LOCAL_END = "(coalesce(p.end_at, p.start_at) AT TIME ZONE 'Europe/Brussels')";

/**
 * The search of GraphQL `activities` and REST `GET /v1/activities`. A source record matches when every
 * condition holds for it; a reconciled cluster is listed once (as its published id) when any of its records
 * matches. Date, time, seat and status conditions hold for one and the same performance; an activity that runs
 * by opening hours answers them by its period and opening hours.
 */
export class ActivitySearchStore {
  /** Totals per query at a change-log head (see count); bounded, least recently used first out. */
  private readonly counts = new LRUCache<string, { head: string; total: number }>({ max: 1000 });

  constructor(private readonly dataSource: DataSource) {}

  async search(query: ActivitySearchQuery, sort: SearchSort, first: number, after?: string, facets: readonly FacetName[] = []): Promise<SearchResult> {
    const cursor = after ? decodeSearchCursor(after, sort) : undefined;
    const { rows, totalCount } = this.inIndexOrder(query, sort) ? await this.pageInIndexOrder(query, sort, first, cursor) : await this.pageByGrouping(query, sort, first, cursor);
    const hits: SearchHit[] = rows.slice(0, first).map((row) => ({ id: row.id, sortValue: Number(row.sort_value), distanceKm: row.distance_km === null ? null : Number(row.distance_km) }));
    const entities = await this.dataSource.getRepository(ActivityEntity).findBy({ id: In(hits.map((hit) => hit.id)) });
    const byId = new Map(entities.map((entity) => [entity.id, entity]));
    const found = hits.filter((hit) => byId.has(hit.id));
    return {
      hits: found,
      rows: found.map((hit) => byId.get(hit.id)!),
      totalCount,
      hasNextPage: rows.length > first,
      endCursor: found.length > 0 ? encodeSearchCursor(sort, found[found.length - 1]) : null,
      facets: facets.length > 0 ? await this.facets(query, sort, facets) : {},
    };
  }

  /**
   * Whether a page can come in index order: the sort is a key of the activity row alone, and the conditions are
   * broad (the audience; for the modified sort its own range). A narrow condition in an ordered scan would read
   * rows until enough match, all of them when none does; by grouping it reads only the matches.
   */
  private inIndexOrder(query: ActivitySearchQuery, sort: SearchSort): boolean {
    if (this.matchedParts(query, sort, new Parameters()).rowOrder === undefined) return false;
    return Object.entries(query).every(
      ([name, value]) => value === undefined || name === 'audienceType' || (sort.by === 'modified' && (name === 'modifiedFrom' || name === 'modifiedTo')),
    );
  }

  /**
   * Any query: every matching record grouped by its published id (a cluster sorts by its best record), then the
   * page. Reads every match, so it costs what the conditions leave.
   */
  private async pageByGrouping(query: ActivitySearchQuery, sort: SearchSort, first: number, cursor?: [number, string]): Promise<{ rows: PageRow[]; totalCount: number }> {
    const parameters = new Parameters();
    const matched = this.matchedSql(query, sort, parameters);
    const direction = sort.order === 'asc' ? 'ASC' : 'DESC';
    const keyset = cursor ? `WHERE (sort_value, id) ${sort.order === 'asc' ? '>' : '<'} (${parameters.add(cursor[0])}::float8, ${parameters.add(cursor[1])}::uuid)` : '';
    const rows: Array<PageRow & { total: number }> = await this.dataSource.query(
      `WITH matched AS (${matched}),
            results AS (SELECT published_id AS id, ${sort.order === 'asc' ? 'min' : 'max'}(sort_value) AS sort_value, min(distance_km) AS distance_km FROM matched GROUP BY published_id)
       SELECT id, sort_value, distance_km, (SELECT count(*) FROM results)::int AS total
         FROM results ${keyset}
        ORDER BY sort_value ${direction}, id ${direction}
        LIMIT ${parameters.add(first + 1)}`,
      parameters.values,
    );
    // The page after the last one has no row to carry the total: count again.
    const totalCount = rows[0]?.total ?? (await this.count(query, sort));
    return { rows, totalCount };
  }

  /**
   * A sort key of the activity row alone (start without performance conditions, modified), broad conditions: the
   * records outside any cluster come in the order of an index (activity_start_order_idx, activity_modified_order_idx)
   * and stop at the page size, so an unfiltered page reads one page of rows, not the catalogue. Reconciled
   * clusters (few) are grouped as in pageByGrouping and merged in. The total is counted once per state of the
   * change log (see count).
   */
  private async pageInIndexOrder(query: ActivitySearchQuery, sort: SearchSort, first: number, cursor?: [number, string]): Promise<{ rows: PageRow[]; totalCount: number }> {
    const parameters = new Parameters();
    const { from, where, sortValue, distance, rowOrder } = this.matchedParts(query, sort, parameters);
    const ascending = sort.order === 'asc';
    const direction = ascending ? 'ASC' : 'DESC';
    const clustered = this.matchedSql(query, sort, parameters, 'link.activity_id IS NOT NULL');
    const singles = [...where, 'link.activity_id IS NULL'];
    let keyset = '';
    if (cursor) {
      const [value, id] = [parameters.add(cursor[0]), parameters.add(cursor[1])];
      const after = ascending ? '>' : '<';
      keyset = `WHERE (sort_value, id) ${after} (${value}::float8, ${id}::uuid)`;
      // The index range (a millisecond wide of the cursor's epoch seconds), then the exact keyset on the same value.
      singles.push(ascending ? `${rowOrder} >= to_timestamp(${value}::float8) - interval '1 millisecond'` : `${rowOrder} <= to_timestamp(${value}::float8) + interval '1 millisecond'`);
      singles.push(`(${sortValue}, m.id) ${after} (${value}::float8, ${id}::uuid)`);
    }
    const limit = parameters.add(first + 1);
    const rows: PageRow[] = await this.dataSource.query(
      `WITH clusters AS (SELECT published_id AS id, ${ascending ? 'min' : 'max'}(sort_value) AS sort_value, min(distance_km) AS distance_km FROM (${clustered}) matched GROUP BY published_id),
            singles AS (SELECT m.id, ${sortValue} AS sort_value, ${distance} AS distance_km FROM ${from} WHERE ${singles.join(' AND ')}
                         ORDER BY ${rowOrder} ${direction}, m.id ${direction} LIMIT ${limit})
       SELECT id, sort_value, distance_km FROM (SELECT * FROM clusters ${keyset} UNION ALL SELECT * FROM singles) page
        ORDER BY sort_value ${direction}, id ${direction}
        LIMIT ${limit}`,
      parameters.values,
    );
    return { rows, totalCount: await this.count(query, sort) };
  }

  /**
   * How many published activities match. Kept per (query, change-log head): every write that can change a search
   * answer appends to the change log in its transaction, and the head only moves when such a write commits
   * (appendChanges), so a count made at head h holds until the head moves. Head and count come from one statement
   * (one snapshot).
   */
  private async count(query: ActivitySearchQuery, sort: SearchSort): Promise<number> {
    const parameters = new Parameters();
    const { from, where } = this.matchedParts(query, sort, parameters);
    const conditions = (extra: string) => [...where, extra].join(' AND ');
    // Records outside a cluster count once each (no DISTINCT over the catalogue); clusters once per cluster.
    const total = `(SELECT count(*) FROM ${from} WHERE ${conditions('link.activity_id IS NULL')})
                 + (SELECT count(DISTINCT link.cluster_id) FROM ${from} WHERE ${conditions('link.activity_id IS NOT NULL')})`;
    const key = `${total}\u0000${JSON.stringify(parameters.values)}`;
    const [{ head }] = (await this.dataSource.query('SELECT coalesce(max(seq), 0)::text AS head FROM change_log')) as Array<{ head: string }>;
    const known = this.counts.get(key);
    if (known && known.head === head) return known.total;
    const [row] = (await this.dataSource.query(`SELECT (SELECT coalesce(max(seq), 0)::text FROM change_log) AS head, (${total})::int AS total`, parameters.values)) as Array<{
      head: string;
      total: number;
    }>;
    this.counts.set(key, { head: row.head, total: row.total });
    return row.total;
  }

  /** Counts per value over everything the query matches (each published activity once per value). */
  private async facets(query: ActivitySearchQuery, sort: SearchSort, names: readonly FacetName[]): Promise<Partial<Record<FacetName, FacetValue[]>>> {
    const parameters = new Parameters();
    const matched = this.matchedSql(query, sort, parameters);
    const parts: string[] = [];
    if (names.includes('types')) {
      parts.push(`SELECT 'types' AS facet, a.document->'type'->>'iri' AS value, (array_agg(a.document->'type'->'label'))[1] AS label, count(DISTINCT m.published_id)::int AS count
                    FROM matched m JOIN activity a ON a.id = m.record_id WHERE a.document->'type'->>'iri' IS NOT NULL GROUP BY 2`);
    }
    if (names.includes('themes')) {
      parts.push(`SELECT 'themes' AS facet, a.document->'theme'->>'iri' AS value, (array_agg(a.document->'theme'->'label'))[1] AS label, count(DISTINCT m.published_id)::int AS count
                    FROM matched m JOIN activity a ON a.id = m.record_id WHERE a.document->'theme'->>'iri' IS NOT NULL GROUP BY 2`);
    }
    if (names.includes('facilities')) {
      parts.push(`SELECT 'facilities' AS facet, facility->>'iri' AS value, (array_agg(facility->'label'))[1] AS label, count(DISTINCT m.published_id)::int AS count
                    FROM matched m JOIN activity a ON a.id = m.record_id
                    CROSS JOIN LATERAL jsonb_array_elements(CASE jsonb_typeof(a.document->'facilities') WHEN 'array' THEN a.document->'facilities' ELSE '[]'::jsonb END) facility
                   WHERE facility->>'iri' IS NOT NULL GROUP BY 2`);
    }
    if (names.includes('regions')) {
      parts.push(`SELECT 'regions' AS facet, code AS value, NULL::jsonb AS label, count(DISTINCT m.published_id)::int AS count
                    FROM matched m JOIN activity a ON a.id = m.record_id JOIN place pl ON pl.id = a.place_id CROSS JOIN LATERAL unnest(pl.region_codes) code GROUP BY 2`);
    }
    if (names.includes('availability')) {
      parts.push(`SELECT 'availability' AS facet, p.availability_level AS value, NULL::jsonb AS label, count(DISTINCT m.published_id)::int AS count
                    FROM matched m JOIN performance p ON p.activity_id = m.record_id WHERE p.availability_level IS NOT NULL GROUP BY 2`);
    }
    const rows: Array<{ facet: FacetName; value: string; label: LangString | null; count: number }> = await this.dataSource.query(
      `WITH matched AS (${matched}) ${parts.join(' UNION ALL ')} ORDER BY 4 DESC, 2`,
      parameters.values,
    );
    const regionNames = names.includes('regions') ? await this.regionNames(rows.filter((row) => row.facet === 'regions').map((row) => row.value)) : new Map();
    const result: Partial<Record<FacetName, FacetValue[]>> = Object.fromEntries(names.map((name) => [name, []]));
    for (const row of rows) {
      const label = row.facet === 'regions' ? regionNames.get(row.value) : (row.label ?? undefined);
      result[row.facet]!.push({ value: row.value, ...(label ? { label } : {}), count: row.count });
    }
    return result;
  }

  /** Names of municipality, province and region NIS codes. */
  async regionNames(codes: string[]): Promise<Map<string, LangString>> {
    const names = new Map<string, LangString>(Object.entries(PROVINCES_AND_REGIONS));
    const municipalities = codes.filter((code) => !names.has(code));
    if (municipalities.length > 0) {
      const rows: Array<{ nis5: string; name_nl: string; name_fr: string }> = await this.dataSource.query(
        'SELECT nis5, name_nl, name_fr FROM municipality WHERE nis5 = ANY($1::text[])',
        [municipalities],
      );
      for (const row of rows) names.set(row.nis5, { nl: row.name_nl, fr: row.name_fr });
    }
    return new Map(codes.flatMap((code) => (names.has(code) ? [[code, names.get(code)!] as const] : [])));
  }

  /** The FROM, the conditions and the sort value of the matching source records (see matchedSql). */
  private matchedParts(query: ActivitySearchQuery, sort: SearchSort, parameters: Parameters): MatchedParts {
    const where: string[] = [];
    const add = (value: unknown) => parameters.add(value);

    let textQuery: string | undefined;
    if (query.text !== undefined) {
      const words = searchWords(query.text);
      textQuery = `cdp_search_query(${add(words)}::text[])`;
      where.push(`m.search_vector @@ ${textQuery}`);
    }
    let distance = 'NULL::float8';
    // Conditions on the venue alone, written for a place alias: they also pick the venues of the place-term index below.
    const venue: Array<(alias: string) => string> = [];
    if (query.near) {
      const { latitude, longitude, distanceKm } = query.near;
      const lat = add(latitude);
      const lon = add(longitude);
      const distanceFrom = (alias: string) =>
        `(${EARTH_RADIUS_KM} * 2 * asin(least(1, sqrt(power(sin(radians(${alias}.latitude - ${lat}::float8) / 2), 2) + cos(radians(${lat}::float8)) * cos(radians(${alias}.latitude)) * power(sin(radians(${alias}.longitude - ${lon}::float8) / 2), 2)))))`;
      distance = distanceFrom('pl');
      // The bounding box lets the place index narrow the candidates before the exact distance.
      const latitudeSpan = distanceKm / 111.19;
      const longitudeSpan = distanceKm / Math.max(0.01, 111.19 * Math.cos((latitude * Math.PI) / 180));
      const [south, north, west, east, radius] = [latitude - latitudeSpan, latitude + latitudeSpan, longitude - longitudeSpan, longitude + longitudeSpan, distanceKm].map(add);
      venue.push((alias) => `${alias}.latitude BETWEEN ${south} AND ${north}`);
      venue.push((alias) => `${alias}.longitude BETWEEN ${west} AND ${east}`);
      venue.push((alias) => `${distanceFrom(alias)} <= ${radius}`);
    }
    if (query.bounds) {
      const bounds = query.bounds;
      const [south, west, north, east] = [bounds.south, bounds.west, bounds.north, bounds.east].map(add);
      // West beyond east: the box crosses the antimeridian.
      const crosses = bounds.west > bounds.east;
      venue.push((alias) => `${alias}.latitude BETWEEN ${south} AND ${north}`);
      venue.push((alias) => (crosses ? `(${alias}.longitude >= ${west} OR ${alias}.longitude <= ${east})` : `${alias}.longitude BETWEEN ${west} AND ${east}`));
    }
    where.push(...venue.map((condition) => condition('pl')));
    let terms = query.termIds ?? [];
    let activities = 'activity';
    if (venue.length > 0 && terms.length > 0) {
      // Venues in range x the first term, one GIN scan (cdp_place_terms: "<place uuid> <term>"): the same rows as
      // place in range AND term_ids @> {term}, without reading every activity of every venue in range. OFFSET 0 keeps
      // it one scan: otherwise the planner may repeat it for every venue (it cannot see how many keys there are).
      const keys = `(SELECT coalesce(array_agg(venue.id::text || ' ' || ${add(terms[0])}::text), '{}') FROM place venue WHERE ${venue.map((condition) => condition('venue')).join(' AND ')})`;
      activities = `(SELECT * FROM activity WHERE cdp_place_terms(place_id, term_ids) && ${keys} OFFSET 0)`;
      terms = terms.slice(1);
    }
    if (query.postalCodes?.length) {
      const patterns = query.postalCodes.map((code) => code.replace(/[\\%_]/g, (character) => `\\${character}`).replaceAll('*', '%'));
      where.push(`m.postal_code LIKE ANY(${add(patterns)}::text[])`);
    }
    if (query.regions?.length) where.push(`pl.region_codes && ${add(query.regions)}::text[]`);
    if (terms.length > 0) where.push(`m.term_ids @> ${add(terms)}::text[]`);
    if (query.labels?.length) where.push(`m.labels @> ${add(query.labels.map((label) => label.toLowerCase()))}::text[]`);
    if (query.organizerIds?.length) where.push(`m.organizer_id = ANY(${add(query.organizerIds)}::uuid[])`);
    if (query.locationIds?.length) where.push(`m.place_id = ANY(${add(query.locationIds)}::uuid[])`);
    if (query.audienceType && query.audienceType !== '*') where.push(`m.audience = ${add(query.audienceType)}`);
    if (query.minAge !== undefined) where.push(`coalesce(m.max_age, 1000) >= ${add(query.minAge)}`);
    if (query.maxAge !== undefined) where.push(`coalesce(m.min_age, 0) <= ${add(query.maxAge)}`);
    if (query.price !== undefined) where.push(`m.base_price = ${add(query.price)}::numeric`);
    if (query.minPrice !== undefined) where.push(`m.base_price >= ${add(query.minPrice)}::numeric`);
    if (query.maxPrice !== undefined) where.push(`m.base_price <= ${add(query.maxPrice)}::numeric`);
    if (query.free !== undefined) where.push(query.free ? 'm.is_free' : 'NOT m.is_free');
    if (query.attendanceMode?.length) where.push(`m.attendance_mode = ANY(${add(query.attendanceMode)}::text[])`);
    if (query.languages?.length) where.push(`m.languages @> ${add(query.languages)}::text[]`);
    if (query.modifiedFrom) where.push(`m.modified_at >= ${add(query.modifiedFrom)}`);
    if (query.modifiedTo) where.push(`m.modified_at <= ${add(query.modifiedTo)}`);
    if (query.sourceId) where.push(`m.source_id = ${add(query.sourceId)}`);
    if (query.typeIri) where.push(`m.type_iri = ${add(query.typeIri)}`);
    if (query.themeIri) where.push(`m.theme_iri = ${add(query.themeIri)}`);

    // Conditions that one performance must meet together; the same conditions by opening hours for the others.
    const performance: string[] = [];
    const openingHours: string[] = [];
    const dateFrom = query.dateFrom ? add(query.dateFrom) : undefined;
    const dateTo = query.dateTo ? add(query.dateTo) : undefined;
    if (dateFrom) performance.push(`coalesce(p.end_at, p.start_at) >= ${dateFrom}::timestamptz`);
    if (dateTo) performance.push(`p.start_at <= ${dateTo}::timestamptz`);
    const timeFrom = query.localTimeFrom ? add(query.localTimeFrom) : undefined;
    const timeTo = query.localTimeTo ? add(query.localTimeTo) : undefined;
    if (timeTo) performance.push(`${LOCAL_START}::time <= ${timeTo}::time`);
    if (timeFrom) performance.push(`(CASE WHEN ${LOCAL_END}::date > ${LOCAL_START}::date THEN '24:00'::time ELSE ${LOCAL_END}::time END) >= ${timeFrom}::time`);
    if (dateFrom || dateTo || timeFrom || timeTo) {
      openingHours.push(
        `cdp_open_between(m.document, m.period_start, m.period_end, ${dateFrom ?? 'NULL'}::timestamptz, ${dateTo ?? 'NULL'}::timestamptz, ${timeFrom ?? 'NULL'}::time, ${timeTo ?? 'NULL'}::time)`,
      );
    }
    if (query.availability?.length) {
      const levels = add(query.availability);
      performance.push(`p.availability_level = ANY(${levels}::text[])`);
      openingHours.push('false');
    }
    if (query.minRemainingSeats !== undefined) {
      performance.push(`p.remaining >= ${add(query.minRemainingSeats)}`);
      openingHours.push('false');
    }
    if (query.bookingAvailability === 'Available') {
      performance.push(`coalesce(p.availability_level, 'InStock') <> 'OutOfStock' AND p.status <> 'cancelled'`);
      openingHours.push(`m.status <> 'cancelled'`);
    }
    if (query.status?.length) {
      const statuses = add(query.status);
      performance.push(`p.status = ANY(${statuses}::text[])`);
      openingHours.push(`m.status = ANY(${statuses}::text[])`);
    }
    const hasPerformanceConditions = performance.length > 0;
    // first_start / last_end bound every performance of the activity: outside them none can be in the window.
    const envelope = [...(dateTo ? [`m.first_start <= ${dateTo}::timestamptz`] : []), ...(dateFrom ? [`m.last_end >= ${dateFrom}::timestamptz`] : [])];
    const performanceMatch = `(${[...envelope, `EXISTS (SELECT 1 FROM performance p WHERE p.activity_id = m.id${performance.map((condition) => ` AND ${condition}`).join('')})`].join(' AND ')})`;
    const openingHoursMatch = `(m.by_opening_hours${openingHours.map((condition) => ` AND ${condition}`).join('')})`;
    if (query.bookingAvailability === 'Unavailable') {
      // Nothing left to book: no performance in the window that is bookable, and not an open-hours activity.
      const window = performance.filter((condition) => !condition.startsWith('coalesce(p.availability_level'));
      where.push(`NOT m.by_opening_hours AND NOT EXISTS (SELECT 1 FROM performance p WHERE p.activity_id = m.id${window.map((condition) => ` AND ${condition}`).join('')} AND coalesce(p.availability_level, 'InStock') <> 'OutOfStock' AND p.status <> 'cancelled')`);
      if (window.length > 0) where.push(`EXISTS (SELECT 1 FROM performance p WHERE p.activity_id = m.id${window.map((condition) => ` AND ${condition}`).join('')})`);
    } else if (hasPerformanceConditions) {
      where.push(`(${performanceMatch} OR ${openingHoursMatch})`);
    }

    let sortValue: string;
    // A sort key that is a column (or expression) of the activity row alone, so an index can give the order.
    let rowOrder: string | undefined;
    switch (sort.by) {
      case 'start': {
        // The first start that meets the date and time conditions; by opening hours: the period start (or dateFrom).
        if (!hasPerformanceConditions) {
          rowOrder = START_ORDER;
          sortValue = `extract(epoch FROM ${START_ORDER})::float8`;
          break;
        }
        const performanceStart = `(SELECT min(p.start_at) FROM performance p WHERE p.activity_id = m.id${performance.map((condition) => ` AND ${condition}`).join('')})`;
        const openStart = `greatest(m.period_start, ${dateFrom ?? 'NULL'}::timestamptz)`;
        sortValue = `coalesce(extract(epoch FROM CASE WHEN m.by_opening_hours THEN ${openStart} ELSE ${performanceStart} END)::float8, 'Infinity'::float8)`;
        break;
      }
      case 'modified':
        rowOrder = 'm.modified_at';
        sortValue = 'extract(epoch FROM m.modified_at)::float8';
        break;
      case 'distance':
        sortValue = query.near ? `coalesce(${distance}, 'Infinity'::float8)` : "'Infinity'::float8";
        break;
      case 'relevance':
        sortValue = textQuery ? `ts_rank_cd(m.search_vector, ${textQuery})::float8` : '0::float8';
        break;
    }
    return {
      from: `${activities} m
              LEFT JOIN place pl ON pl.id = m.place_id  -- online activities have no place (venue conditions then fail on NULL)
              LEFT JOIN activity_link link ON link.activity_id = m.id`,
      where,
      sortValue,
      distance,
      rowOrder,
    };
  }

  /** One row per matching source record: its published id, sort value and distance. */
  private matchedSql(query: ActivitySearchQuery, sort: SearchSort, parameters: Parameters, only?: string): string {
    const { from, where, sortValue, distance } = this.matchedParts(query, sort, parameters);
    const conditions = only ? [...where, only] : where;
    return `SELECT coalesce(link.cluster_id, m.id) AS published_id, m.id AS record_id, ${sortValue} AS sort_value, ${distance} AS distance_km
              FROM ${from}
             ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}`;
  }
}

/** Words of a text query: letters and digits, lower case (the database folds accents). */
export function searchWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 32);
}

/** NIS codes of the provinces and regions (municipalities are in the municipality table). */
export const PROVINCES_AND_REGIONS: Record<string, LangString> = {
  '10000': { nl: 'Provincie Antwerpen', fr: "Province d'Anvers" },
  '20001': { nl: 'Provincie Vlaams-Brabant', fr: 'Province du Brabant flamand' },
  '20002': { nl: 'Provincie Waals-Brabant', fr: 'Province du Brabant wallon' },
  '30000': { nl: 'Provincie West-Vlaanderen', fr: 'Province de Flandre-Occidentale' },
  '40000': { nl: 'Provincie Oost-Vlaanderen', fr: 'Province de Flandre-Orientale' },
  '50000': { nl: 'Provincie Henegouwen', fr: 'Province de Hainaut' },
  '60000': { nl: 'Provincie Luik', fr: 'Province de Liège' },
  '70000': { nl: 'Provincie Limburg', fr: 'Province de Limbourg' },
  '80000': { nl: 'Provincie Luxemburg', fr: 'Province de Luxembourg' },
  '90000': { nl: 'Provincie Namen', fr: 'Province de Namur' },
  '02000': { nl: 'Vlaams Gewest', fr: 'Région flamande' },
  '03000': { nl: 'Waals Gewest', fr: 'Région wallonne' },
  '04000': { nl: 'Brussels Hoofdstedelijk Gewest', fr: 'Région de Bruxelles-Capitale' },
};

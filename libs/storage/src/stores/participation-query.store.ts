import type { DataSource } from 'typeorm';
import { cubeFromRollup, rollupFor } from './participation-rollup.js';

/** Dimensions participation can be grouped by: one name per concept, the same in GraphQL, CSV and the cube. */
export const PARTICIPATION_DIMENSIONS = [
  'activity',
  'performance',
  'organizer',
  'venue',
  'venueMunicipality',
  'homeMunicipality',
  'homeProvince',
  'homeRegion',
  'ageBand',
  'priceCategory',
  'channel',
  'activityType',
  'activityTheme',
  'day',
  'week',
  'month',
  'season',
  'year',
] as const;
export type ParticipationDimension = (typeof PARTICIPATION_DIMENSIONS)[number];

/** Missing values (no birth year, no home postcode) form their own category, distinct from the total. */
export const UNKNOWN = '_U';

const LOCAL_START = "(performance_start AT TIME ZONE 'Europe/Brussels')";

/** The SQL of each dimension over `participation_ticket` (NULL where unknown: coalesced to UNKNOWN). */
export const PARTICIPATION_EXPRESSIONS: Record<ParticipationDimension, string> = {
  activity: 'activity_id::text',
  performance: 'performance_id::text',
  organizer: 'organization',
  venue: 'place_id::text',
  venueMunicipality: 'venue_nis5',
  homeMunicipality: 'home_nis5',
  homeProvince: 'home_province',
  homeRegion: 'home_region',
  ageBand: 'age_band',
  priceCategory: 'price_category',
  channel: 'channel',
  activityType: 'activity_type',
  activityTheme: 'activity_theme',
  day: `to_char(${LOCAL_START}, 'YYYY-MM-DD')`,
  week: `to_char(${LOCAL_START}, 'IYYY-"W"IW')`,
  month: `to_char(${LOCAL_START}, 'YYYY-MM')`,
  // The cultural season runs from September to August ("2025-2026").
  season: `CASE WHEN extract(month FROM ${LOCAL_START}) >= 9 THEN extract(year FROM ${LOCAL_START})::int || '-' || (extract(year FROM ${LOCAL_START})::int + 1)
           ELSE (extract(year FROM ${LOCAL_START})::int - 1) || '-' || extract(year FROM ${LOCAL_START})::int END`,
  year: `to_char(${LOCAL_START}, 'YYYY')`,
};

export interface ParticipationFilter {
  activity?: string[];
  performance?: string[];
  organizer?: string[];
  venue?: string[];
  venueMunicipality?: string[];
  homeMunicipality?: string[];
  homeProvince?: string[];
  homeRegion?: string[];
  ageBand?: string[];
  priceCategory?: string[];
  channel?: string[];
  activityType?: string[];
  activityTheme?: string[];
  /** Performances starting on or after / before (ISO date-times). */
  from?: string;
  to?: string;
  /** Leave these organisations out (a comparator's peer group without the organisation itself). */
  excludeOrganizer?: string[];
}

/** One cell of the raw (unprotected) table: never leaves the server as it is. */
export interface RawCell {
  /** One code per grouped dimension; `_T` where the cell is a margin over that dimension. */
  coordinates: string[];
  tickets: number;
  persons: number;
  revenueCents: number;
  /** Sums of the records' integer keys (exact, as decimal strings). */
  ticketKeySum: string;
  personKeySum: string;
  organizations: number;
}

export interface RawContribution {
  coordinates: string[];
  organization: string;
  revenueCents: number;
}

function where(filter: ParticipationFilter, parameters: unknown[]): string {
  const conditions = ["status = 'sold'"];
  for (const dimension of PARTICIPATION_DIMENSIONS) {
    const values = (filter as Record<string, string[] | undefined>)[dimension];
    if (!values || values.length === 0) continue;
    parameters.push(values);
    conditions.push(`coalesce(${PARTICIPATION_EXPRESSIONS[dimension]}, '${UNKNOWN}') = ANY($${parameters.length}::text[])`);
  }
  if (filter.excludeOrganizer?.length) {
    parameters.push(filter.excludeOrganizer);
    conditions.push(`NOT (organization = ANY($${parameters.length}::text[]))`);
  }
  if (filter.from) {
    parameters.push(filter.from);
    conditions.push(`performance_start >= $${parameters.length}::timestamptz`);
  }
  if (filter.to) {
    parameters.push(filter.to);
    conditions.push(`performance_start < $${parameters.length}::timestamptz`);
  }
  return conditions.join(' AND ');
}

/** Aggregates of stored tickets with every margin (GROUP BY CUBE), for the research lib to protect. */
export class ParticipationQueryStore {
  constructor(private readonly dataSource: DataSource) {}

  /** Moves on with every committed participation write: the key under which protected tables may be cached. */
  async version(): Promise<string> {
    const rows: Array<{ version: string }> = await this.dataSource.query('SELECT version::text AS version FROM participation_version WHERE id = 1');
    return rows[0]?.version ?? '0';
  }

  /**
   * The raw table with every margin: from a rollup (RD6) when one answers it exactly (no filter, the
   * groupBy within one maintained dimension set), else from the tickets. Both give the same cells in
   * the same order.
   */
  async cube(groupBy: readonly ParticipationDimension[], filter: ParticipationFilter): Promise<{ cells: RawCell[]; contributions: RawContribution[] }> {
    const rollup = rollupFor(groupBy, filter);
    if (rollup) return cubeFromRollup((sql, parameters) => this.dataSource.query(sql, parameters), rollup, groupBy);
    return this.cubeFromTickets(groupBy, filter);
  }

  /** The raw table from the tickets themselves (one GROUP BY CUBE over every ticket under the filter). */
  async cubeFromTickets(groupBy: readonly ParticipationDimension[], filter: ParticipationFilter): Promise<{ cells: RawCell[]; contributions: RawContribution[] }> {
    const parameters: unknown[] = [];
    const condition = where(filter, parameters);
    const columns = groupBy.map((dimension, index) => `coalesce(${PARTICIPATION_EXPRESSIONS[dimension]}, '${UNKNOWN}') AS d${index}`);
    const grouping = groupBy.length === 0 ? '' : `GROUP BY CUBE(${groupBy.map((_, index) => `d${index}`).join(', ')})`;
    const flags = groupBy.map((_, index) => `GROUPING(d${index}) AS g${index}`);
    const select = (extra: string) => [...groupBy.map((_, index) => `d${index}`), ...flags, extra].join(', ');
    const base = `SELECT ${[...columns, 'organization', 'price_cents', 'ticket_key', 'person_key', 'person_cell_key'].join(', ')} FROM participation_ticket WHERE ${condition}`;
    const cells: Array<Record<string, string | number | null>> = await this.dataSource.query(
      `WITH base AS (${base})
       SELECT ${select(`count(*) AS tickets, count(DISTINCT person_key) AS persons, coalesce(sum(price_cents), 0) AS revenue,
                  coalesce(sum(ticket_key), 0)::text AS ticket_keys, coalesce(sum(DISTINCT person_cell_key), 0)::text AS person_keys,
                  count(DISTINCT organization) AS organizations`)}
         FROM base ${grouping}`,
      parameters,
    );
    const contributionGrouping = groupBy.length === 0 ? 'GROUP BY organization' : `GROUP BY organization, CUBE(${groupBy.map((_, index) => `d${index}`).join(', ')})`;
    const contributions: Array<Record<string, string | number | null>> = await this.dataSource.query(
      `WITH base AS (${base}) SELECT ${select('organization, sum(price_cents) AS revenue')} FROM base ${contributionGrouping}`,
      parameters,
    );
    const coordinates = (row: Record<string, string | number | null>) => groupBy.map((_, index) => (Number(row[`g${index}`]) === 1 ? '_T' : String(row[`d${index}`])));
    return {
      cells: cells.map((row) => ({
        coordinates: coordinates(row),
        tickets: Number(row.tickets),
        persons: Number(row.persons),
        revenueCents: Number(row.revenue),
        ticketKeySum: String(row.ticket_keys),
        personKeySum: String(row.person_keys),
        organizations: Number(row.organizations),
      })),
      contributions: contributions.map((row) => ({ coordinates: coordinates(row), organization: String(row.organization), revenueCents: Number(row.revenue) })),
    };
  }

  /**
   * Tickets per organisation, venue municipality and activity type (for peer groups: each
   * organisation's main venue and main type), under the same filter as the statistics.
   */
  async organizationProfiles(filter: ParticipationFilter): Promise<Array<{ organization: string; venueNis5: string | null; activityType: string | null; tickets: number }>> {
    const parameters: unknown[] = [];
    const rows: Array<{ organization: string; venue_nis5: string | null; activity_type: string | null; tickets: string }> = await this.dataSource.query(
      `SELECT organization, venue_nis5, activity_type, count(*) AS tickets FROM participation_ticket WHERE ${where(filter, parameters)} GROUP BY 1, 2, 3`,
      parameters,
    );
    return rows.map((row) => ({ organization: row.organization, venueNis5: row.venue_nis5, activityType: row.activity_type, tickets: Number(row.tickets) }));
  }

  /** The first and last performance start of the tickets under a filter (null when there are none). */
  async span(filter: ParticipationFilter): Promise<{ first: Date; last: Date } | null> {
    const parameters: unknown[] = [];
    const [row]: Array<{ first: Date | null; last: Date | null }> = await this.dataSource.query(
      `SELECT min(performance_start) AS first, max(performance_start) AS last FROM participation_ticket WHERE ${where(filter, parameters)}`,
      parameters,
    );
    return row?.first && row.last ? { first: new Date(row.first), last: new Date(row.last) } : null;
  }
}

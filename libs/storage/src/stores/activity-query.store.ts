import type { DataSource } from 'typeorm';
import { In } from 'typeorm';
import type { AvailabilityLevel } from '@platform/domain';
import { ActivityEntity, OrganizerEntity, PerformanceEntity, PlaceEntity } from '../entities/index.js';

export interface ActivityFilter {
  /** Words that must all occur in a title, description or venue name (any language). */
  text?: string;
  /** Activities with a performance starting in [from, to). */
  from?: Date;
  to?: Date;
  postalCode?: string;
  typeIri?: string;
  themeIri?: string;
  organizerId?: string;
  placeId?: string;
  /** Activities with at least one performance at this level. */
  availabilityLevel?: AvailabilityLevel;
  sourceId?: string;
}

export interface ActivityPage {
  items: ActivityEntity[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

export class InvalidCursorError extends Error {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Activities without performances sort last.
const SORT_KEY = "COALESCE(activity.first_start, 'infinity'::timestamptz)";

/** Opaque keyset cursor (first start, id) of an activity in the default order. */
export function encodeCursor(activity: Pick<ActivityEntity, 'firstStart' | 'id'>): string {
  return Buffer.from(JSON.stringify([activity.firstStart?.toISOString() ?? 'infinity', activity.id])).toString('base64url');
}

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      (value[0] === 'infinity' || !Number.isNaN(Date.parse(value[0]))) &&
      typeof value[1] === 'string' &&
      UUID.test(value[1])
    ) {
      return value as [string, string];
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidCursorError(`Ongeldige cursor / not a cursor of this API: ${cursor}`);
}

/** Reads of the projection for GraphQL and the JSON-LD resources. */
export class ActivityQueryStore {
  constructor(private readonly dataSource: DataSource) {}

  findActivity(id: string): Promise<ActivityEntity | null> {
    return this.dataSource.getRepository(ActivityEntity).findOneBy({ id });
  }

  findActivities(ids: string[]): Promise<ActivityEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(ActivityEntity).findBy({ id: In(ids) });
  }

  findPerformance(id: string): Promise<PerformanceEntity | null> {
    return this.dataSource.getRepository(PerformanceEntity).findOneBy({ id });
  }

  findPlace(id: string): Promise<PlaceEntity | null> {
    return this.dataSource.getRepository(PlaceEntity).findOneBy({ id });
  }

  findOrganizer(id: string): Promise<OrganizerEntity | null> {
    return this.dataSource.getRepository(OrganizerEntity).findOneBy({ id });
  }

  findPlaces(ids: string[]): Promise<PlaceEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(PlaceEntity).findBy({ id: In(ids) });
  }

  findOrganizers(ids: string[]): Promise<OrganizerEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(OrganizerEntity).findBy({ id: In(ids) });
  }

  /** Performances of many activities in one query, in their published order. */
  performancesOf(activityIds: string[]): Promise<PerformanceEntity[]> {
    if (activityIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(PerformanceEntity)
      .find({ where: { activityId: In(activityIds) }, order: { activityId: 'ASC', position: 'ASC' } });
  }

  async search(filter: ActivityFilter, first: number, after?: string): Promise<ActivityPage> {
    const query = this.dataSource.getRepository(ActivityEntity).createQueryBuilder('activity');
    // A reconciled activity is listed once, as its cluster; a filter matches when any of its source records
    // matches (what calendars see is merged from them), and its performances are those of all its records.
    query.andWhere('NOT EXISTS (SELECT 1 FROM activity_link link WHERE link.activity_id = activity.id AND link.cluster_id <> activity.id)');
    const anyRecord = (condition: string) =>
      `activity.id IN (SELECT COALESCE(link.cluster_id, member.id) FROM activity member LEFT JOIN activity_link link ON link.activity_id = member.id WHERE ${condition})`;
    const ofCluster = '(performance.activity_id = activity.id OR performance.activity_id IN (SELECT link.activity_id FROM activity_link link WHERE link.cluster_id = activity.id))';
    if (filter.text?.trim()) {
      // Prefix match on every word: "jaz gent" finds "Jazz in Gent".
      const words = filter.text
        .toLowerCase()
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean)
        .map((word) => `${word}:*`);
      if (words.length > 0) {
        query.andWhere(anyRecord("to_tsvector('simple', member.search_text) @@ to_tsquery('simple', :tsQuery)"), { tsQuery: words.join(' & ') });
      }
    }
    if (filter.from || filter.to) {
      const conditions = [ofCluster];
      if (filter.from) conditions.push('performance.start_at >= :from');
      if (filter.to) conditions.push('performance.start_at < :to');
      query.andWhere(`EXISTS (SELECT 1 FROM performance WHERE ${conditions.join(' AND ')})`, { from: filter.from, to: filter.to });
    }
    if (filter.availabilityLevel) {
      query.andWhere(`EXISTS (SELECT 1 FROM performance WHERE ${ofCluster} AND performance.availability_level = :level)`, { level: filter.availabilityLevel });
    }
    if (filter.postalCode) query.andWhere(anyRecord('member.postal_code = :postalCode'), { postalCode: filter.postalCode });
    if (filter.typeIri) query.andWhere(anyRecord('member.type_iri = :typeIri'), { typeIri: filter.typeIri });
    if (filter.themeIri) query.andWhere(anyRecord('member.theme_iri = :themeIri'), { themeIri: filter.themeIri });
    if (filter.organizerId) query.andWhere(anyRecord('member.organizer_id = :organizerId'), { organizerId: filter.organizerId });
    if (filter.placeId) query.andWhere(anyRecord('member.place_id = :placeId'), { placeId: filter.placeId });
    if (filter.sourceId) query.andWhere(anyRecord('member.source_id = :sourceId'), { sourceId: filter.sourceId });

    const totalCount = await query.clone().getCount();
    if (after) {
      const [start, id] = decodeCursor(after);
      query.andWhere(`(${SORT_KEY}, activity.id) > (:afterStart::timestamptz, :afterId::uuid)`, { afterStart: start, afterId: id });
    }
    const rows = await query
      .orderBy(SORT_KEY, 'ASC')
      .addOrderBy('activity.id', 'ASC')
      .limit(first + 1)
      .getMany();
    const items = rows.slice(0, first);
    return {
      items,
      totalCount,
      hasNextPage: rows.length > first,
      endCursor: items.length > 0 ? encodeCursor(items[items.length - 1]) : null,
    };
  }
}

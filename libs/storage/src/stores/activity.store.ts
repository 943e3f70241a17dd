// The jsonb document holds recursive JSON (an original source record), which typeorm's deep-partial type cannot follow.
import type { DataSource, EntityManager } from 'typeorm';
import { In } from 'typeorm';
import { canonicalJson, entityId, type Activity, type Availability, type AvailabilityChange, type AvailabilityLevel, type Organizer, type Place, type PerformanceStatus } from '@platform/domain';
import { ActivityEntity, OrganizerEntity, PerformanceEntity, PlaceEntity } from '../entities/index.js';
import { appendChanges, type ChangeEntry } from './change-log.store.js';
import { detachFromCluster } from './reconciliation.store.js';
import { storedDocuments, upsertRows, type BulkTable } from './bulk-write.js';

export type SourceIriEntity = 'activity' | 'place' | 'organizer';

export interface SourceIriEntry {
  entityType: SourceIriEntity;
  iri: string;
  externalId: string;
}

export interface ActivityWrite {
  activity: Activity;
  contentHash: string;
}

export interface WriteOutcome {
  activityId: string;
  status: 'accepted' | 'unchanged';
}

export interface UpsertResult {
  outcomes: WriteOutcome[];
  availabilityChanges: AvailabilityChange[];
  /**
   * The change-log entries of this write. The caller appends them (appendChanges) as the LAST statement
   * of its transaction: the change-log lock is then held for the shortest time.
   */
  changes: ChangeEntry[];
}

interface ActivityRow {
  id: string;
  source_id: string;
  external_id: string;
  content_hash: string;
  document: object;
  search_text: string;
  place_id: string | null;
  organizer_id: string | null;
  type_iri: string | null;
  theme_iri: string | null;
  postal_code: string | null;
  first_start: string | null;
  last_end: string | null;
  created_at: string;
  modified_at: string;
}

const ACTIVITY_TABLE: BulkTable<ActivityRow> = {
  name: 'activity',
  columns: {
    id: 'uuid',
    source_id: 'text',
    external_id: 'text',
    content_hash: 'text',
    document: 'jsonb',
    search_text: 'text',
    place_id: 'uuid',
    organizer_id: 'uuid',
    type_iri: 'text',
    theme_iri: 'text',
    postal_code: 'text',
    first_start: 'timestamptz',
    last_end: 'timestamptz',
    created_at: 'timestamptz',
    modified_at: 'timestamptz',
  },
  conflict: ['id'],
  update: ['content_hash', 'document', 'search_text', 'place_id', 'organizer_id', 'type_iri', 'theme_iri', 'postal_code', 'first_start', 'last_end', 'modified_at'],
};

interface PerformanceRow {
  id: string;
  activity_id: string;
  source_id: string;
  external_id: string;
  position: number;
  start_at: string;
  end_at: string | null;
  status: PerformanceStatus;
  capacity: number | null;
  remaining: number | null;
  availability_level: AvailabilityLevel | null;
  availability_changed_at: string | null;
}

const PERFORMANCE_TABLE: BulkTable<PerformanceRow> = {
  name: 'performance',
  columns: {
    id: 'uuid',
    activity_id: 'uuid',
    source_id: 'text',
    external_id: 'text',
    position: 'integer',
    start_at: 'timestamptz',
    end_at: 'timestamptz',
    status: 'text',
    capacity: 'integer',
    remaining: 'integer',
    availability_level: 'text',
    availability_changed_at: 'timestamptz',
  },
  conflict: ['id'],
  update: ['activity_id', 'position', 'start_at', 'end_at', 'status', 'capacity', 'remaining', 'availability_level', 'availability_changed_at'],
};

interface PlaceRow {
  id: string;
  source_id: string;
  external_id: string;
  name: object;
  postal_code: string;
  document: object;
  modified_at: string;
}

const PLACE_TABLE: BulkTable<PlaceRow> = {
  name: 'place',
  columns: { id: 'uuid', source_id: 'text', external_id: 'text', name: 'jsonb', postal_code: 'text', document: 'jsonb', modified_at: 'timestamptz' },
  conflict: ['id'],
  update: ['name', 'postal_code', 'document', 'modified_at'],
};

interface OrganizerRow {
  id: string;
  source_id: string;
  external_id: string;
  name: object;
  document: object;
  modified_at: string;
}

const ORGANIZER_TABLE: BulkTable<OrganizerRow> = {
  name: 'organizer',
  columns: { id: 'uuid', source_id: 'text', external_id: 'text', name: 'jsonb', document: 'jsonb', modified_at: 'timestamptz' },
  conflict: ['id'],
  update: ['name', 'document', 'modified_at'],
};

function searchTextOf(activity: Activity): string {
  return [...Object.values(activity.title), ...Object.values(activity.description ?? {}), ...Object.values(activity.place?.name ?? {})]
    .filter((text): text is string => Boolean(text))
    .join(' \n');
}

function availabilityColumns(availability: Availability | undefined) {
  return {
    capacity: availability?.capacity ?? null,
    remaining: availability?.remaining ?? null,
    availabilityLevel: availability?.level ?? null,
    availabilityChangedAt: availability ? new Date(availability.changedAt) : null,
  };
}

function sameAvailability(
  before: Pick<PerformanceEntity, 'capacity' | 'remaining' | 'availabilityLevel'> | undefined,
  after: ReturnType<typeof availabilityColumns>,
): boolean {
  return (
    before !== undefined &&
    before.capacity === after.capacity &&
    before.remaining === after.remaining &&
    before.availabilityLevel === after.availabilityLevel
  );
}

/** Writes of the activity projection. Every write appends to the change log in the same transaction. */
export class ActivityStore {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Upserts validated activities of one source. Items whose content hash matches the stored one are
   * left untouched (a re-send is a no-op); the others replace their stored version under the same ids.
   */
  async upsert(manager: EntityManager, sourceId: string, writes: ActivityWrite[], now = new Date()): Promise<UpsertResult> {
    const ids = writes.map((write) => entityId('activiteit', sourceId, write.activity.externalId));
    // Read again inside the transaction: a concurrent batch may have stored the same content first.
    const existing = new Map(
      ((await manager.query('SELECT id, content_hash FROM activity WHERE id = ANY($1::uuid[])', [ids])) as Array<{ id: string; content_hash: string }>).map(
        (row) => [row.id, row.content_hash],
      ),
    );
    const outcomes: WriteOutcome[] = [];
    // Last occurrence wins when a batch repeats an external id.
    const changed = new Map<string, Activity>();
    writes.forEach((write, index) => {
      const id = ids[index];
      const unchanged = existing.get(id) === write.contentHash && !changed.has(id);
      outcomes.push({ activityId: id, status: unchanged ? 'unchanged' : 'accepted' });
      if (!unchanged) changed.set(id, write.activity);
    });
    if (changed.size === 0) return { outcomes, availabilityChanges: [], changes: [] };

    const hashes = new Map(writes.map((write, index) => [ids[index], write.contentHash]));
    const changes: ChangeEntry[] = [];
    changes.push(...(await this.upsertPlaces(manager, sourceId, [...changed.values()].flatMap((activity) => (activity.place ? [activity.place] : [])), now)));
    changes.push(...(await this.upsertOrganizers(manager, sourceId, [...changed.values()].flatMap((activity) => (activity.organizer ? [activity.organizer] : [])), now)));

    const activityRows = [...changed.entries()].map(([id, activity]) => {
      // Instants, not ISO strings: "20:00+01:00" and "19:30Z" sort the other way as text.
      const starts = activity.performances.map((performance) => Date.parse(performance.start)).sort((left, right) => left - right);
      const ends = activity.performances.map((performance) => Date.parse(performance.end ?? performance.start)).sort((left, right) => left - right);
      return {
        id,
        source_id: sourceId,
        external_id: activity.externalId,
        content_hash: hashes.get(id)!,
        document: { ...activity, performances: activity.performances.map(({ availability: _live, ...rest }) => rest) },
        search_text: searchTextOf(activity),
        place_id: activity.place ? entityId('locatie', sourceId, activity.place.externalId) : null,
        organizer_id: activity.organizer ? entityId('organisator', sourceId, activity.organizer.externalId) : null,
        type_iri: activity.type?.iri ?? null,
        theme_iri: activity.theme?.iri ?? null,
        postal_code: activity.place?.address.postalCode ?? null,
        first_start: starts.length ? new Date(starts[0]).toISOString() : null,
        last_end: ends.length ? new Date(ends[ends.length - 1]).toISOString() : null,
        // Kept on conflict: created_at is not in the update list.
        created_at: now.toISOString(),
        modified_at: now.toISOString(),
      };
    });
    await upsertRows(manager, ACTIVITY_TABLE, activityRows);
    const availabilityChanges = await this.replacePerformances(manager, sourceId, changed, now);
    changes.push(...activityRows.map((row) => ({ entityType: 'activity' as const, entityId: row.id, sourceId, operation: 'upsert' as const })));
    return { outcomes, availabilityChanges, changes };
  }

  /** Stored content hashes by external id: lets the pipeline skip validating items that did not change. */
  async contentHashes(sourceId: string, externalIds: string[]): Promise<Map<string, string>> {
    if (externalIds.length === 0) return new Map();
    const rows: Array<{ external_id: string; content_hash: string }> = await this.dataSource.query(
      'SELECT external_id, content_hash FROM activity WHERE source_id = $1 AND external_id = ANY($2::text[])',
      [sourceId, externalIds],
    );
    return new Map(rows.map((row) => [row.external_id, row.content_hash]));
  }

  /** Stored place / organizer documents by id in canonical JSON: lets the pipeline skip unchanged ones. */
  canonicalDocuments(entity: 'place' | 'organizer', ids: string[]): Promise<Map<string, string>> {
    return storedDocuments(this.dataSource.manager, entity, ids);
  }

  /**
   * What is stored for these activities as the platform serves it: the document plus each performance's
   * live availability (the fast lane writes that to the performance rows only).
   */
  async storedActivities(sourceId: string, externalIds: string[]): Promise<Map<string, Activity>> {
    if (externalIds.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(ActivityEntity).find({ where: { sourceId, externalId: In(externalIds) }, select: { id: true, externalId: true, document: true } });
    if (rows.length === 0) return new Map();
    const performances = await this.dataSource.getRepository(PerformanceEntity).find({ where: { activityId: In(rows.map((row) => row.id)) } });
    const live = new Map(performances.map((row) => [`${row.activityId} ${row.externalId}`, row]));
    return new Map(
      rows.map((row) => {
        const document = row.document as Activity;
        const withSeats = document.performances.map((performance) => {
          const stored = live.get(`${row.id} ${performance.externalId}`);
          if (!stored?.availabilityLevel || !stored.availabilityChangedAt) return performance;
          const availability: Availability = { level: stored.availabilityLevel, changedAt: stored.availabilityChangedAt.toISOString() };
          if (stored.capacity !== null) availability.capacity = stored.capacity;
          if (stored.remaining !== null) availability.remaining = stored.remaining;
          return { ...performance, availability };
        });
        return [row.externalId, { ...document, performances: withSeats }];
      }),
    );
  }

  /** Which activity (external id) each of these performances belongs to now. */
  async performanceOwners(sourceId: string, performanceExternalIds: string[]): Promise<Map<string, string>> {
    if (performanceExternalIds.length === 0) return new Map();
    const rows: Array<{ performance: string; activity: string }> = await this.dataSource.query(
      `SELECT performance.external_id AS performance, activity.external_id AS activity
         FROM performance JOIN activity ON activity.id = performance.activity_id
        WHERE performance.source_id = $1 AND performance.external_id = ANY($2::text[])`,
      [sourceId, performanceExternalIds],
    );
    return new Map(rows.map((row) => [row.performance, row.activity]));
  }

  /** The stored places of a source by external id: a record that references its place by id gets it from here. */
  async placesByExternalId(sourceId: string, externalIds: string[]): Promise<Map<string, Place>> {
    if (externalIds.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(PlaceEntity).find({ where: { sourceId, externalId: In(externalIds) }, select: { externalId: true, document: true } });
    return new Map(rows.map((row) => [row.externalId, row.document as Place]));
  }

  /** The external ids of what the source stored under these IRIs (its RDF named them so). */
  async externalIdsByIri(sourceId: string, entityType: SourceIriEntity, iris: string[]): Promise<Map<string, string>> {
    if (iris.length === 0) return new Map();
    const rows: Array<{ iri: string; external_id: string }> = await this.dataSource.query(
      'SELECT iri, external_id FROM source_iri WHERE source_id = $1 AND entity_type = $2 AND iri = ANY($3::text[])',
      [sourceId, entityType, iris],
    );
    return new Map(rows.map((row) => [row.iri, row.external_id]));
  }

  /** Records the IRIs a source's RDF gave what was stored (in the batch's transaction). */
  async recordIris(manager: EntityManager, sourceId: string, entries: SourceIriEntry[]): Promise<void> {
    const unique = [...new Map(entries.map((entry) => [`${entry.entityType} ${entry.iri}`, entry])).values()];
    if (unique.length === 0) return;
    await manager.query(
      `INSERT INTO source_iri (source_id, entity_type, iri, external_id)
         SELECT $1, entry.entity_type, entry.iri, entry.external_id
           FROM unnest($2::text[], $3::text[], $4::text[]) AS entry(entity_type, iri, external_id)
       ON CONFLICT (source_id, entity_type, iri) DO UPDATE SET external_id = EXCLUDED.external_id`,
      [sourceId, unique.map((entry) => entry.entityType), unique.map((entry) => entry.iri), unique.map((entry) => entry.externalId)],
    );
  }

  async organizersByExternalId(sourceId: string, externalIds: string[]): Promise<Map<string, Organizer>> {
    if (externalIds.length === 0) return new Map();
    const rows = await this.dataSource
      .getRepository(OrganizerEntity)
      .find({ where: { sourceId, externalId: In(externalIds) }, select: { externalId: true, document: true } });
    return new Map(rows.map((row) => [row.externalId, row.document as Organizer]));
  }

  /**
   * Deletes inside the caller's transaction (the caller appends the returned change). A place or
   * organizer that activities still use is kept: `in-use` with the count.
   */
  async deleteEntity(
    manager: EntityManager,
    sourceId: string,
    entity: 'activity' | 'place' | 'organizer',
    externalId: string,
  ): Promise<{ status: 'deleted'; changes: ChangeEntry[]; id: string } | { status: 'not-found' } | { status: 'in-use'; activities: number }> {
    const kind = entity === 'activity' ? 'activiteit' : entity === 'place' ? 'locatie' : 'organisator';
    const id = entityId(kind, sourceId, externalId);
    if (entity !== 'activity') {
      const column = entity === 'place' ? 'place_id' : 'organizer_id';
      const [{ count }] = await manager.query(`SELECT count(*)::int AS count FROM activity WHERE ${column} = $1`, [id]);
      if (count > 0) return { status: 'in-use', activities: count };
    }
    // The other records of its cluster are published differently now: they are change-logged too.
    const clusterChanges = entity === 'activity' ? await detachFromCluster(manager, id) : [];
    const target = entity === 'activity' ? ActivityEntity : entity === 'place' ? PlaceEntity : OrganizerEntity;
    const result = await manager.getRepository(target).delete({ id });
    if ((result.affected ?? 0) === 0) return { status: 'not-found' };
    return { status: 'deleted', id, changes: [{ entityType: entity, entityId: id, sourceId, operation: 'delete' }, ...clusterChanges] };
  }

  /** Removes an activity (and its performances); returns false when it did not exist. */
  async delete(sourceId: string, externalId: string): Promise<string | null> {
    const id = entityId('activiteit', sourceId, externalId);
    return this.dataSource.transaction(async (manager) => {
      const clusterChanges = await detachFromCluster(manager, id);
      const result = await manager.getRepository(ActivityEntity).delete({ id });
      if ((result.affected ?? 0) === 0) return null;
      await appendChanges(manager, [{ entityType: 'activity', entityId: id, sourceId, operation: 'delete' }, ...clusterChanges]);
      return id;
    });
  }

  /** Places on their own (a venue record of a connector) or with their activities; unchanged ones are left alone. */
  async upsertPlaces(manager: EntityManager, sourceId: string, list: Place[], now: Date): Promise<ChangeEntry[]> {
    if (list.length === 0) return [];
    const places = new Map(list.map((place) => [entityId('locatie', sourceId, place.externalId), place]));
    const before = await storedDocuments(manager, 'place', [...places.keys()]);
    const rows = [...places.entries()]
      .filter(([id, place]) => before.get(id) !== canonicalJson(place))
      .map(([id, place]) => ({
        id,
        source_id: sourceId,
        external_id: place.externalId,
        name: place.name,
        postal_code: place.address.postalCode,
        document: place,
        modified_at: now.toISOString(),
      }));
    if (rows.length === 0) return [];
    await upsertRows(manager, PLACE_TABLE, rows);
    return rows.map((row) => ({ entityType: 'place', entityId: row.id, sourceId, operation: 'upsert' }));
  }

  async upsertOrganizers(manager: EntityManager, sourceId: string, list: Organizer[], now: Date): Promise<ChangeEntry[]> {
    const organizers = new Map(list.map((organizer) => [entityId('organisator', sourceId, organizer.externalId), organizer]));
    if (organizers.size === 0) return [];
    const before = await storedDocuments(manager, 'organizer', [...organizers.keys()]);
    const rows = [...organizers.entries()]
      .filter(([id, organizer]) => before.get(id) !== canonicalJson(organizer))
      .map(([id, organizer]) => ({ id, source_id: sourceId, external_id: organizer.externalId, name: organizer.name, document: organizer, modified_at: now.toISOString() }));
    if (rows.length === 0) return [];
    await upsertRows(manager, ORGANIZER_TABLE, rows);
    return rows.map((row) => ({ entityType: 'organizer', entityId: row.id, sourceId, operation: 'upsert' }));
  }

  /** Performances follow their activity: new ones are inserted, changed ones updated, dropped ones removed. */
  private async replacePerformances(
    manager: EntityManager,
    sourceId: string,
    activities: Map<string, Activity>,
    now: Date,
  ): Promise<AvailabilityChange[]> {
    const activityIds = [...activities.keys()];
    const before = new Map(
      (
        (await manager.query(
          'SELECT id, capacity, remaining, availability_level, availability_changed_at FROM performance WHERE activity_id = ANY($1::uuid[])',
          [activityIds],
        )) as Array<{ id: string; capacity: number | null; remaining: number | null; availability_level: AvailabilityLevel | null; availability_changed_at: Date | string | null }>
      ).map((row) => [
        row.id,
        {
          capacity: row.capacity,
          remaining: row.remaining,
          availabilityLevel: row.availability_level,
          availabilityChangedAt: row.availability_changed_at === null ? null : new Date(row.availability_changed_at),
        },
      ]),
    );
    const rows: PerformanceRow[] = [];
    const availabilityChanges: AvailabilityChange[] = [];
    for (const [activityId, activity] of activities) {
      const placeId = activity.place ? entityId('locatie', sourceId, activity.place.externalId) : null;
      activity.performances.forEach((performance, position) => {
        const id = entityId('uitvoering', sourceId, performance.externalId);
        const stored = before.get(id);
        // A push without seat counts leaves what the fast lane (or an earlier push) stored.
        const availability = performance.availability || !stored ? availabilityColumns(performance.availability) : stored;
        rows.push({
          id,
          activity_id: activityId,
          source_id: sourceId,
          external_id: performance.externalId,
          position,
          start_at: new Date(performance.start).toISOString(),
          end_at: performance.end ? new Date(performance.end).toISOString() : null,
          status: performance.status,
          capacity: availability.capacity,
          remaining: availability.remaining,
          availability_level: availability.availabilityLevel,
          availability_changed_at: availability.availabilityChangedAt?.toISOString() ?? null,
        });
        if (performance.availability && !sameAvailability(stored, availability)) {
          availabilityChanges.push({
            performanceId: id,
            performanceExternalId: performance.externalId,
            activityId,
            placeId,
            sourceId,
            capacity: availability.capacity,
            remaining: availability.remaining,
            level: availability.availabilityLevel,
            changedAt: (availability.availabilityChangedAt ?? now).toISOString(),
          });
        }
      });
    }
    const keep = new Set(rows.map((row) => row.id));
    const dropped = [...before.keys()].filter((id) => !keep.has(id));
    if (dropped.length > 0) await manager.query('DELETE FROM performance WHERE id = ANY($1::uuid[])', [dropped]);
    await upsertRows(manager, PERFORMANCE_TABLE, rows);
    return availabilityChanges;
  }
}

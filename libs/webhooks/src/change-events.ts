import type { DataSource, EntityManager } from 'typeorm';
import type { ChangeEntityType, ChangeOperation } from '@platform/storage';

/** One change-log entry with what filters need to know of it (the place and organizer of an activity). */
export interface ChangeEvent {
  seq: string;
  entityType: ChangeEntityType;
  entityId: string;
  sourceId: string;
  operation: ChangeOperation;
  detail: Record<string, unknown> | null;
  occurredAt: Date;
  /** False for a deletion of something the platform has no facts of: filters on place or organizer let it through. */
  factsKnown: boolean;
  placeId: string | null;
  organizerId: string | null;
  postalCode: string | null;
  /** Municipality names in every language given, lower-cased and without accents. */
  municipalities: string[];
}

/** What a delivery, an SSE event and a feed consumer get for one change. */
export interface ChangeEventData {
  /** The change number: `seq` of the change log, the RPDE `afterChangeNumber` cursor, the SSE event id. */
  changeNumber: string;
  entityType: ChangeEntityType;
  operation: ChangeOperation;
  id: string;
  sourceId: string;
  occurredAt: string;
  /** The dereferenceable IRI of the resource (JSON-LD, Turtle, HTML by content negotiation). */
  resource: string;
  /** The feed position right after this change: read on from here and nothing is missed or repeated. */
  feed: string;
  /** Seats and level after the change (availability changes only). */
  availability?: Record<string, unknown>;
}

const IRI_KIND: Record<ChangeEntityType, string> = { activity: 'activiteit', place: 'locatie', organizer: 'organisator' };
const FEED: Record<ChangeEntityType, string> = { activity: 'activities', place: 'places', organizer: 'organizers' };

export function normalizeName(name: string): string {
  return name.normalize('NFD').replace(/\p{Diacritic}/gu, '').trim().toLowerCase();
}

export function eventType(event: Pick<ChangeEvent, 'entityType' | 'operation'>): string {
  return `${event.entityType}.${event.operation}`;
}

export function toEventData(event: ChangeEvent, publicBaseUrl: string): ChangeEventData {
  return {
    changeNumber: event.seq,
    entityType: event.entityType,
    operation: event.operation,
    id: event.entityId,
    sourceId: event.sourceId,
    occurredAt: event.occurredAt.toISOString(),
    resource: `${publicBaseUrl}/id/${IRI_KIND[event.entityType]}/${event.entityId}`,
    feed: `${publicBaseUrl}/feeds/${FEED[event.entityType]}?afterChangeNumber=${event.seq}`,
    ...(event.operation === 'availability' && event.detail ? { availability: event.detail } : {}),
  };
}

/** The Standard Webhooks payload shape: `{type, timestamp, data}`. */
export function webhookPayload(event: ChangeEvent, publicBaseUrl: string): string {
  return JSON.stringify({ type: eventType(event), timestamp: event.occurredAt.toISOString(), data: toEventData(event, publicBaseUrl) });
}

interface ChangeRow {
  seq: string;
  entity_type: ChangeEntityType;
  entity_id: string;
  source_id: string;
  operation: ChangeOperation;
  detail: Record<string, unknown> | null;
  occurred_at: Date;
}

interface FactsRow {
  id: string;
  place_id: string | null;
  organizer_id: string | null;
  postal_code: string | null;
  municipalities: string[] | null;
}

type Queryable = Pick<DataSource | EntityManager, 'query'>;

const MUNICIPALITIES = `coalesce(ARRAY(SELECT lower(value) FROM jsonb_each_text(place.document->'address'->'municipality')), '{}')`;

/**
 * Reads the change log (in `seq` order, which is commit order: change-log.store.ts) and attaches the
 * facts filters match on. `remember` (the webhook dispatcher) keeps each activity's facts, so its
 * deletion can be matched after the row is gone.
 */
export async function readChangeEvents(db: Queryable, afterSeq: string, limit: number, options: { remember?: boolean; upToSeq?: string } = {}): Promise<ChangeEvent[]> {
  const rows: ChangeRow[] = await db.query(
    `SELECT seq::text AS seq, entity_type, entity_id, source_id, operation, detail, occurred_at
       FROM change_log WHERE seq > $1 ${options.upToSeq ? 'AND seq <= $3' : ''} ORDER BY change_log.seq LIMIT $2`,
    options.upToSeq ? [afterSeq, limit, options.upToSeq] : [afterSeq, limit],
  );
  return enrich(db, rows, options.remember ?? false);
}

/** Changes that happened at or after `since` start after this sequence number. */
export async function seqBefore(db: Queryable, since: Date): Promise<string> {
  const [row] = await db.query(`SELECT coalesce(min(seq) - 1, (SELECT coalesce(max(seq), 0) FROM change_log))::text AS seq FROM change_log WHERE occurred_at >= $1`, [since]);
  return row.seq;
}

export async function headSeq(db: Queryable): Promise<string> {
  const [row] = await db.query(`SELECT coalesce(max(seq), 0)::text AS seq FROM change_log`);
  return row.seq;
}

async function enrich(db: Queryable, rows: ChangeRow[], remember: boolean): Promise<ChangeEvent[]> {
  if (rows.length === 0) return [];
  const ids = (type: ChangeEntityType) => [...new Set(rows.filter((row) => row.entity_type === type).map((row) => row.entity_id))];
  const activityIds = ids('activity');
  const placeIds = ids('place');
  const activities = new Map<string, FactsRow>();
  if (activityIds.length > 0) {
    const live: FactsRow[] = await db.query(
      `SELECT activity.id, activity.place_id, activity.organizer_id, place.postal_code, ${MUNICIPALITIES} AS municipalities
         FROM activity LEFT JOIN place ON place.id = activity.place_id WHERE activity.id = ANY($1::uuid[])`,
      [activityIds],
    );
    for (const row of live) activities.set(row.id, row);
    const missing = activityIds.filter((id) => !activities.has(id));
    if (missing.length > 0) {
      const remembered: FactsRow[] = await db.query(
        `SELECT activity_id AS id, place_id, organizer_id, postal_code, municipalities FROM webhook_activity_facts WHERE activity_id = ANY($1::uuid[])`,
        [missing],
      );
      for (const row of remembered) activities.set(row.id, row);
    }
    if (remember && live.length > 0) {
      await db.query(
        `INSERT INTO webhook_activity_facts (activity_id, place_id, organizer_id, postal_code, municipalities)
           SELECT * FROM jsonb_to_recordset($1::jsonb)
             AS input(activity_id uuid, place_id uuid, organizer_id uuid, postal_code text, municipalities text[])
         ON CONFLICT (activity_id) DO UPDATE SET place_id = excluded.place_id, organizer_id = excluded.organizer_id,
                  postal_code = excluded.postal_code, municipalities = excluded.municipalities`,
        [
          JSON.stringify(
            live.map((row) => ({ activity_id: row.id, place_id: row.place_id, organizer_id: row.organizer_id, postal_code: row.postal_code, municipalities: row.municipalities ?? [] })),
          ),
        ],
      );
    }
  }
  const places = new Map<string, FactsRow>();
  if (placeIds.length > 0) {
    const live: FactsRow[] = await db.query(
      `SELECT place.id, place.id AS place_id, NULL::uuid AS organizer_id, place.postal_code, ${MUNICIPALITIES} AS municipalities
         FROM place WHERE place.id = ANY($1::uuid[])`,
      [placeIds],
    );
    for (const row of live) places.set(row.id, row);
  }
  return rows.map((row) => {
    const base = {
      seq: String(row.seq),
      entityType: row.entity_type,
      entityId: row.entity_id,
      sourceId: row.source_id,
      operation: row.operation,
      detail: row.detail,
      occurredAt: new Date(row.occurred_at),
    };
    const facts = row.entity_type === 'activity' ? activities.get(row.entity_id) : row.entity_type === 'place' ? places.get(row.entity_id) : undefined;
    if (row.entity_type === 'organizer') {
      return { ...base, factsKnown: true, placeId: null, organizerId: row.entity_id, postalCode: null, municipalities: [] };
    }
    if (row.entity_type === 'place' && !facts) {
      // A deleted place is still that place.
      return { ...base, factsKnown: row.operation !== 'delete', placeId: row.entity_id, organizerId: null, postalCode: null, municipalities: [] };
    }
    return {
      ...base,
      factsKnown: Boolean(facts),
      placeId: facts?.place_id ?? null,
      organizerId: facts?.organizer_id ?? null,
      postalCode: facts?.postal_code ?? null,
      municipalities: (facts?.municipalities ?? []).map(normalizeName),
    };
  });
}

import { randomBytes, randomUUID } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { rollupsAfterWrite, rollupsBeforeWrite } from './participation-rollup.js';
import { hashKey } from './source.store.js';

/** What a stored ticket holds: only what statistics need (see the migration: no personal column exists). */
export interface ParticipationRow {
  id: string;
  sourceId: string;
  ticketExternalId: string;
  transactionExternalId: string | null;
  performanceId: string;
  activityId: string;
  organizerId: string | null;
  /** The organisation the ticket counts for: the organizer, else the source. */
  organization: string;
  placeId: string;
  venueNis5: string | null;
  activityType: string | null;
  activityTheme: string | null;
  performanceStart: Date;
  soldAt: Date;
  priceCategory: string;
  priceCents: number;
  channel: string;
  status: string;
  attended: boolean | null;
  ticketKey: number;
  personKey: string;
  personCellKey: number;
  birthYear: number | null;
  ageBand: string | null;
  homeNis5: string | null;
  homeProvince: string | null;
  homeRegion: string | null;
  homeSector: string | null;
  homeCountry: string | null;
}

/** What a ticket's performance tells about it (resolved by the vendor's performance id). */
export interface PerformanceContext {
  performanceId: string;
  activityId: string;
  organizerId: string | null;
  placeId: string;
  postalCode: string;
  typeIri: string | null;
  themeIri: string | null;
  start: Date;
}

const COLUMNS: Array<[keyof ParticipationRow, string, string]> = [
  ['id', 'id', 'uuid'],
  ['sourceId', 'source_id', 'text'],
  ['ticketExternalId', 'ticket_external_id', 'text'],
  ['transactionExternalId', 'transaction_external_id', 'text'],
  ['performanceId', 'performance_id', 'uuid'],
  ['activityId', 'activity_id', 'uuid'],
  ['organizerId', 'organizer_id', 'uuid'],
  ['organization', 'organization', 'text'],
  ['placeId', 'place_id', 'uuid'],
  ['venueNis5', 'venue_nis5', 'text'],
  ['activityType', 'activity_type', 'text'],
  ['activityTheme', 'activity_theme', 'text'],
  ['performanceStart', 'performance_start', 'timestamptz'],
  ['soldAt', 'sold_at', 'timestamptz'],
  ['priceCategory', 'price_category', 'text'],
  ['priceCents', 'price_cents', 'integer'],
  ['channel', 'channel', 'text'],
  ['status', 'status', 'text'],
  ['attended', 'attended', 'boolean'],
  ['ticketKey', 'ticket_key', 'bigint'],
  ['personKey', 'person_key', 'text'],
  ['personCellKey', 'person_cell_key', 'bigint'],
  ['birthYear', 'birth_year', 'smallint'],
  ['ageBand', 'age_band', 'text'],
  ['homeNis5', 'home_nis5', 'text'],
  ['homeProvince', 'home_province', 'text'],
  ['homeRegion', 'home_region', 'text'],
  ['homeSector', 'home_sector', 'text'],
  ['homeCountry', 'home_country', 'text'],
];

/** Participation tickets: bulk upsert (unnest: one statement per batch) and the performances they name. */
export class ParticipationStore {
  constructor(private readonly dataSource: DataSource) {}

  async performances(sourceId: string, externalIds: string[]): Promise<Map<string, PerformanceContext>> {
    if (externalIds.length === 0) return new Map();
    const rows: Array<{
      external_id: string;
      performance_id: string;
      activity_id: string;
      organizer_id: string | null;
      place_id: string;
      postal_code: string;
      type_iri: string | null;
      theme_iri: string | null;
      start_at: Date;
    }> = await this.dataSource.query(
      `SELECT performance.external_id, performance.id AS performance_id, activity.id AS activity_id, activity.organizer_id, activity.place_id,
              activity.postal_code, activity.type_iri, activity.theme_iri, performance.start_at
         FROM performance JOIN activity ON activity.id = performance.activity_id
        WHERE performance.source_id = $1 AND performance.external_id = ANY($2::text[])`,
      [sourceId, [...new Set(externalIds)]],
    );
    return new Map(
      rows.map((row) => [
        row.external_id,
        {
          performanceId: row.performance_id,
          activityId: row.activity_id,
          organizerId: row.organizer_id,
          placeId: row.place_id,
          postalCode: row.postal_code,
          typeIri: row.type_iri,
          themeIri: row.theme_iri,
          start: new Date(row.start_at),
        },
      ]),
    );
  }

  /**
   * Inserts or updates tickets; returns the ids actually written (a re-sent identical ticket is not).
   * The rows travel as one JSON parameter per chunk, their own property names as the record's columns
   * (json_to_recordset): one native JSON.stringify of the rows as they are, instead of 30 arrays of
   * literals that the driver would serialise value by value, or a copy of each row under column names
   * (both measured: most of the write's CPU, on pg and on PGlite alike). The content hash is Postgres's
   * md5 of each row's JSON text as sent (decision R18): in JavaScript a SHA-256 over a second
   * serialisation of every row cost ~10 µs a ticket, a third of the write's CPU.
   */
  async upsert(manager: EntityManager, batchId: string, rows: ParticipationRow[]): Promise<Set<string>> {
    const written = new Set<string>();
    const names = COLUMNS.map(([, column]) => column);
    const updated = [...names.filter((name) => name !== 'id'), 'content_hash', 'batch_id'];
    const record = COLUMNS.map(([property, , type]) => `"${property}" ${type}`).join(', ');
    // The rollups (RD6) follow the tickets in this transaction: the touched person keys before and after.
    const touched = await rollupsBeforeWrite(manager, rows.map((row) => row.id), rows.map((row) => row.personCellKey));
    for (let offset = 0; offset < rows.length; offset += 5000) {
      const chunk = offset === 0 && rows.length <= 5000 ? rows : rows.slice(offset, offset + 5000);
      const result: Array<{ id: string }> = await manager.query(
        `INSERT INTO participation_ticket (${names.join(', ')}, content_hash, batch_id)
         SELECT ${COLUMNS.map(([property]) => `r."${property}"`).join(', ')}, md5(e::text), $2::uuid
           FROM json_array_elements($1::json) AS e, json_to_record(e) AS r(${record})
         ON CONFLICT (id) DO UPDATE SET ${updated.map((name) => `${name} = EXCLUDED.${name}`).join(', ')}, modified_at = now()
           WHERE participation_ticket.content_hash IS DISTINCT FROM EXCLUDED.content_hash
         RETURNING id`,
        [JSON.stringify(chunk), batchId],
      );
      for (const row of result) written.add(row.id);
    }
    await rollupsAfterWrite(manager, touched);
    // In this transaction: cached protected tables are stale from its commit on (see the migration).
    if (written.size > 0) await manager.query('UPDATE participation_version SET version = version + 1 WHERE id = 1');
    return written;
  }

  async count(): Promise<number> {
    const [row]: Array<{ count: string }> = await this.dataSource.query('SELECT count(*) AS count FROM participation_ticket');
    return Number(row.count);
  }
}

export interface ResearcherCaller {
  keyId: string;
  name: string;
}

/** Researcher keys: issued by an admin, they read participation statistics and nothing else. */
export class ResearcherKeyStore {
  constructor(private readonly dataSource: DataSource) {}

  async issue(name: string): Promise<{ keyId: string; key: string }> {
    const key = `cdr_${randomBytes(32).toString('base64url')}`;
    const keyId = randomUUID();
    await this.dataSource.query('INSERT INTO researcher_key (id, name, key_hash, key_prefix) VALUES ($1, $2, $3, $4)', [keyId, name, hashKey(key), key.slice(0, 8)]);
    return { keyId, key };
  }

  async list(): Promise<Array<{ keyId: string; name: string; keyPrefix: string; createdAt: Date; revokedAt: Date | null }>> {
    const rows: Array<{ id: string; name: string; key_prefix: string; created_at: Date; revoked_at: Date | null }> = await this.dataSource.query(
      'SELECT id, name, key_prefix, created_at, revoked_at FROM researcher_key ORDER BY created_at',
    );
    return rows.map((row) => ({ keyId: row.id, name: row.name, keyPrefix: row.key_prefix, createdAt: row.created_at, revokedAt: row.revoked_at }));
  }

  async revoke(keyId: string): Promise<boolean> {
    const result: [unknown[], number] = await this.dataSource.query('UPDATE researcher_key SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [keyId]);
    return result[1] > 0;
  }

  async authenticate(key: string): Promise<ResearcherCaller | null> {
    const rows: Array<{ id: string; name: string }> = await this.dataSource.query('SELECT id, name FROM researcher_key WHERE key_hash = $1 AND revoked_at IS NULL', [hashKey(key)]);
    return rows.length > 0 ? { keyId: rows[0].id, name: rows[0].name } : null;
  }
}

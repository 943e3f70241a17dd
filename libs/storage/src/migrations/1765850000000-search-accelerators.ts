import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search (P3) without visiting every activity of every venue in range:
 * - `cdp_place_terms(place_id, term_ids)`, one key "<place uuid> <term>" per term, in a GIN index: a distance or
 *   bounds search with a term asks for the venues in range and the term in one index scan. No pending list
 *   (fastupdate off): until the next vacuum every search would read it whole (7x the CPU per search after a bulk load);
 * - `first_start` / `last_end` are the earliest start and the latest end (or start) of the activity's performances,
 *   so a date window can skip activities whose performances all lie outside it before looking at one. Until now
 *   they were picked by sorting ISO strings, which misorders times given with different UTC offsets; they are
 *   recomputed from the performance table where they differ (the ingest now compares instants).
 */
export class SearchAccelerators1765850000000 implements MigrationInterface {
  name = 'SearchAccelerators1765850000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION cdp_place_terms(place uuid, terms text[]) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT array_agg(place::text || ' ' || term) FROM unnest(terms) term
      $$;
      CREATE INDEX activity_place_terms_idx ON activity USING gin (cdp_place_terms(place_id, term_ids)) WITH (fastupdate = off);
      UPDATE activity SET first_start = envelope.first_start, last_end = envelope.last_end
        FROM (SELECT activity_id, min(start_at) AS first_start, max(coalesce(end_at, start_at)) AS last_end FROM performance GROUP BY activity_id) envelope
       WHERE envelope.activity_id = activity.id
         AND (activity.first_start IS DISTINCT FROM envelope.first_start OR activity.last_end IS DISTINCT FROM envelope.last_end);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX activity_place_terms_idx;
      DROP FUNCTION cdp_place_terms(uuid, text[]);
    `);
  }
}

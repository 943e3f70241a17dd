import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pages sorted by start or by modified, without text, read in index order (ActivitySearchStore.pageInIndexOrder):
 * an unfiltered page of 100,000 activities reads one page of rows instead of grouping all of them.
 * - `activity_start_order_idx`: the start sort of an activity alone (its first start; by opening hours its period
 *   start; none: last), then its id, the keyset's tie-break;
 * - `activity_modified_order_idx` (modified_at, id) replaces `activity_modified_idx` (modified_at), which it
 *   covers for `modifiedFrom` / `modifiedTo`.
 */
export class SearchOrder1765870000000 implements MigrationInterface {
  name = 'SearchOrder1765870000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX activity_start_order_idx ON activity ((coalesce(CASE WHEN by_opening_hours THEN period_start ELSE first_start END, 'infinity'::timestamptz)), id);
      CREATE INDEX activity_modified_order_idx ON activity (modified_at, id);
      DROP INDEX activity_modified_idx;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX activity_modified_idx ON activity (modified_at);
      DROP INDEX activity_modified_order_idx;
      DROP INDEX activity_start_order_idx;
    `);
  }
}

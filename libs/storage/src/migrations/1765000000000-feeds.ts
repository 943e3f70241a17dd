import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Change feeds (RPDE, LDES) read the change log per entity type in sequence order; the RPDE item cache
 * keeps the rendered JSON-LD of an item at its change number. The timestamp of a change is taken when
 * its row is written (under the change-log lock), so it follows the sequence, instead of the start of
 * the writing transaction, which a long batch can hold for seconds while shorter ones commit.
 */
export class Feeds1765000000000 implements MigrationInterface {
  name = 'Feeds1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX change_log_type_seq_idx ON change_log(entity_type, seq);
      ALTER TABLE change_log ALTER COLUMN occurred_at SET DEFAULT clock_timestamp();
      CREATE TABLE rpde_item (
        feed text NOT NULL,
        id uuid NOT NULL,
        modified bigint NOT NULL,
        -- the JSON text as rendered, spliced into pages as is (jsonb would reorder keys and cost a parse)
        data text NOT NULL,
        PRIMARY KEY (feed, id)
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE rpde_item;
      ALTER TABLE change_log ALTER COLUMN occurred_at SET DEFAULT now();
      DROP INDEX change_log_type_seq_idx;
    `);
  }
}

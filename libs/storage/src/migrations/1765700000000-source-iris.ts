import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The IRIs a source's RDF gives its places, organizers and activities, so that a later document that
 * names one by IRI only (UiTdatabank's events name their place so) finds what the source stored. And an
 * online activity may have no place (OSLO's Activiteit.locatie is optional; UiTdatabank's online events
 * name none in their Turtle).
 */
export class SourceIris1765700000000 implements MigrationInterface {
  name = 'SourceIris1765700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE source_iri (
        source_id text NOT NULL REFERENCES source(id) ON DELETE CASCADE,
        entity_type text NOT NULL,
        iri text NOT NULL,
        external_id text NOT NULL,
        PRIMARY KEY (source_id, entity_type, iri)
      );
      ALTER TABLE activity ALTER COLUMN place_id DROP NOT NULL, ALTER COLUMN postal_code DROP NOT NULL;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE source_iri');
    await queryRunner.query('ALTER TABLE activity ALTER COLUMN place_id SET NOT NULL, ALTER COLUMN postal_code SET NOT NULL');
  }
}

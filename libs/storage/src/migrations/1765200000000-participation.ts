import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Participation (tickets and attendance) for research, stripped of personal data before it gets here:
 * no name, contact, address, customer number or birth date column exists. The dimensions statistics
 * group by are resolved from the performance at ingest (denormalised), so aggregates scan one table.
 * Researcher keys are separate from vendor keys: they read aggregates, they never push.
 */
export class Participation1765200000000 implements MigrationInterface {
  name = 'Participation1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE participation_ticket (
        id uuid PRIMARY KEY,
        source_id text NOT NULL,
        ticket_external_id text NOT NULL,
        transaction_external_id text,
        performance_id uuid NOT NULL,
        activity_id uuid NOT NULL,
        organizer_id uuid,
        organization text NOT NULL,
        place_id uuid NOT NULL,
        venue_nis5 text,
        activity_type text,
        activity_theme text,
        performance_start timestamptz NOT NULL,
        sold_at timestamptz NOT NULL,
        price_category text NOT NULL,
        price_cents integer NOT NULL,
        channel text NOT NULL,
        status text NOT NULL,
        attended boolean,
        ticket_key bigint NOT NULL,
        person_key text NOT NULL,
        person_cell_key bigint NOT NULL,
        birth_year smallint,
        age_band text,
        home_nis5 text,
        home_province text,
        home_region text,
        home_sector text,
        home_country text,
        content_hash text NOT NULL,
        batch_id uuid NOT NULL,
        modified_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (source_id, ticket_external_id)
      );
      CREATE INDEX participation_ticket_activity_idx ON participation_ticket(activity_id);
      CREATE INDEX participation_ticket_organization_idx ON participation_ticket(organization);
      CREATE INDEX participation_ticket_start_idx ON participation_ticket(performance_start);
      CREATE TABLE researcher_key (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        key_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE researcher_key; DROP TABLE participation_ticket;`);
  }
}

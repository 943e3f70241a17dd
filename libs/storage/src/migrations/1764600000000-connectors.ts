import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Connectors (settings, secrets, cursor, run lease), their runs, and where archived payloads came from. */
export class Connectors1764600000000 implements MigrationInterface {
  name = 'Connectors1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE connector (
        source_id text PRIMARY KEY REFERENCES source(id) ON DELETE CASCADE,
        base_url text NOT NULL,
        every_minutes integer CHECK (every_minutes > 0),
        options jsonb NOT NULL DEFAULT '{}',
        credentials jsonb NOT NULL DEFAULT '{}',
        cursor jsonb,
        cursor_updated_at timestamptz,
        lease_run_id uuid,
        lease_until timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE connector_run (
        id uuid PRIMARY KEY,
        source_id text NOT NULL REFERENCES source(id) ON DELETE CASCADE,
        trigger text NOT NULL,
        status text NOT NULL,
        started_at timestamptz NOT NULL,
        finished_at timestamptz,
        pages integer NOT NULL DEFAULT 0,
        fetched integer NOT NULL DEFAULT 0,
        accepted integer NOT NULL DEFAULT 0,
        rejected integer NOT NULL DEFAULT 0,
        unchanged integer NOT NULL DEFAULT 0,
        deleted integer NOT NULL DEFAULT 0,
        availability_updates integer NOT NULL DEFAULT 0,
        rejections jsonb NOT NULL DEFAULT '[]',
        error text,
        cursor_start jsonb,
        cursor_end jsonb
      );
      CREATE INDEX connector_run_source_idx ON connector_run(source_id, started_at);
      ALTER TABLE raw_payload ADD COLUMN origin text, ADD COLUMN run_id uuid;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE raw_payload DROP COLUMN origin, DROP COLUMN run_id;
      DROP TABLE connector_run; DROP TABLE connector;
    `);
  }
}

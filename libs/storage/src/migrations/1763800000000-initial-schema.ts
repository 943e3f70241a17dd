import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Sources, keys, the raw archive, batches with per-item reports, the projection and the change log. */
export class InitialSchema1763800000000 implements MigrationInterface {
  name = 'InitialSchema1763800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE source (
        id text PRIMARY KEY,
        name text NOT NULL,
        kind text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE TABLE api_client (
        id uuid PRIMARY KEY,
        source_id text NOT NULL REFERENCES source(id) ON DELETE CASCADE,
        key_hash text NOT NULL UNIQUE,
        key_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      );
      CREATE INDEX api_client_source_idx ON api_client(source_id);
      CREATE TABLE raw_payload (
        id uuid PRIMARY KEY,
        source_id text NOT NULL REFERENCES source(id),
        kind text NOT NULL,
        content_type text NOT NULL,
        body bytea NOT NULL,
        size_bytes integer NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX raw_payload_source_idx ON raw_payload(source_id, received_at);
      CREATE TABLE ingest_batch (
        id uuid PRIMARY KEY,
        source_id text NOT NULL REFERENCES source(id),
        payload_id uuid NOT NULL REFERENCES raw_payload(id),
        status text NOT NULL,
        item_count integer NOT NULL DEFAULT 0,
        accepted integer NOT NULL DEFAULT 0,
        rejected integer NOT NULL DEFAULT 0,
        unchanged integer NOT NULL DEFAULT 0,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      );
      CREATE INDEX ingest_batch_source_idx ON ingest_batch(source_id, created_at);
      CREATE TABLE validation_report (
        batch_id uuid NOT NULL REFERENCES ingest_batch(id) ON DELETE CASCADE,
        position integer NOT NULL,
        source_id text NOT NULL,
        external_id text,
        status text NOT NULL,
        activity_id uuid,
        results jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (batch_id, position)
      );
      CREATE INDEX validation_report_item_idx ON validation_report(source_id, external_id);
      CREATE TABLE place (
        id uuid PRIMARY KEY,
        source_id text NOT NULL REFERENCES source(id),
        external_id text NOT NULL,
        name jsonb NOT NULL,
        postal_code text NOT NULL,
        document jsonb NOT NULL,
        modified_at timestamptz NOT NULL,
        UNIQUE (source_id, external_id)
      );
      CREATE INDEX place_postal_code_idx ON place(postal_code);
      CREATE TABLE organizer (
        id uuid PRIMARY KEY,
        source_id text NOT NULL REFERENCES source(id),
        external_id text NOT NULL,
        name jsonb NOT NULL,
        document jsonb NOT NULL,
        modified_at timestamptz NOT NULL,
        UNIQUE (source_id, external_id)
      );
      CREATE TABLE activity (
        id uuid PRIMARY KEY,
        source_id text NOT NULL REFERENCES source(id),
        external_id text NOT NULL,
        content_hash text NOT NULL,
        document jsonb NOT NULL,
        search_text text NOT NULL,
        place_id uuid NOT NULL REFERENCES place(id),
        organizer_id uuid REFERENCES organizer(id),
        type_iri text,
        theme_iri text,
        postal_code text NOT NULL,
        first_start timestamptz,
        last_end timestamptz,
        created_at timestamptz NOT NULL,
        modified_at timestamptz NOT NULL,
        UNIQUE (source_id, external_id)
      );
      CREATE INDEX activity_place_idx ON activity(place_id);
      CREATE INDEX activity_organizer_idx ON activity(organizer_id);
      CREATE INDEX activity_postal_code_idx ON activity(postal_code);
      CREATE INDEX activity_dates_idx ON activity(first_start, last_end);
      CREATE INDEX activity_search_idx ON activity USING gin (to_tsvector('simple', search_text));
      CREATE TABLE performance (
        id uuid PRIMARY KEY,
        activity_id uuid NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
        source_id text NOT NULL,
        external_id text NOT NULL,
        position integer NOT NULL,
        start_at timestamptz NOT NULL,
        end_at timestamptz,
        status text NOT NULL,
        capacity integer CHECK (capacity >= 0),
        remaining integer CHECK (remaining >= 0 AND (capacity IS NULL OR remaining <= capacity)),
        availability_level text,
        availability_changed_at timestamptz,
        UNIQUE (source_id, external_id)
      );
      CREATE INDEX performance_activity_idx ON performance(activity_id);
      CREATE INDEX performance_start_idx ON performance(start_at);
      CREATE TABLE change_log (
        seq bigserial PRIMARY KEY,
        entity_type text NOT NULL,
        entity_id uuid NOT NULL,
        source_id text NOT NULL,
        operation text NOT NULL,
        detail jsonb,
        occurred_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX change_log_entity_idx ON change_log(entity_id, seq);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE change_log; DROP TABLE performance; DROP TABLE activity; DROP TABLE organizer; DROP TABLE place;
      DROP TABLE validation_report; DROP TABLE ingest_batch; DROP TABLE raw_payload; DROP TABLE api_client; DROP TABLE source;
    `);
  }
}

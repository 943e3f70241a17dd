import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Push with replay: consumers (calendar platforms) and their keys, webhook subscriptions, the delivery
 * log, the dispatcher's cursor in the change log, and the last known place/organizer of each activity
 * (so a deletion can still be matched against a subscription's place or organizer filter).
 */
export class Webhooks1765100000000 implements MigrationInterface {
  name = 'Webhooks1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE consumer (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      ALTER TABLE api_client ALTER COLUMN source_id DROP NOT NULL;
      ALTER TABLE api_client ADD COLUMN kind text NOT NULL DEFAULT 'vendor';
      ALTER TABLE api_client ADD COLUMN consumer_id text REFERENCES consumer(id) ON DELETE CASCADE;
      ALTER TABLE api_client ADD CONSTRAINT api_client_owner_check
        CHECK ((kind = 'vendor' AND source_id IS NOT NULL AND consumer_id IS NULL) OR (kind = 'consumer' AND consumer_id IS NOT NULL AND source_id IS NULL));
      CREATE INDEX api_client_consumer_idx ON api_client(consumer_id);

      CREATE TABLE webhook_subscription (
        id uuid PRIMARY KEY,
        consumer_id text NOT NULL REFERENCES consumer(id) ON DELETE CASCADE,
        url text NOT NULL,
        description text,
        secret jsonb NOT NULL,
        filters jsonb NOT NULL,
        status text NOT NULL DEFAULT 'active',
        disabled_reason text,
        disabled_at timestamptz,
        created_after_seq bigint NOT NULL,
        last_success_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX webhook_subscription_consumer_idx ON webhook_subscription(consumer_id);

      CREATE TABLE webhook_delivery (
        id uuid PRIMARY KEY,
        subscription_id uuid NOT NULL REFERENCES webhook_subscription(id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        message_id text NOT NULL,
        event_type text NOT NULL,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        generation int NOT NULL DEFAULT 0,
        attempts int NOT NULL DEFAULT 0,
        attempt_log jsonb NOT NULL DEFAULT '[]',
        last_attempt_at timestamptz,
        last_status_code int,
        last_error text,
        next_attempt_at timestamptz,
        delivered_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (subscription_id, seq)
      );
      CREATE INDEX webhook_delivery_pending_idx ON webhook_delivery(created_at) WHERE status = 'pending';

      CREATE TABLE webhook_dispatch_cursor (
        id text PRIMARY KEY,
        last_seq bigint NOT NULL
      );
      INSERT INTO webhook_dispatch_cursor (id, last_seq) SELECT 'webhooks', coalesce(max(seq), 0) FROM change_log;

      CREATE TABLE webhook_activity_facts (
        activity_id uuid PRIMARY KEY,
        place_id uuid,
        organizer_id uuid,
        postal_code text,
        municipalities text[] NOT NULL DEFAULT '{}'
      );
      INSERT INTO webhook_activity_facts (activity_id, place_id, organizer_id, postal_code, municipalities)
        SELECT activity.id, activity.place_id, activity.organizer_id, place.postal_code,
               coalesce(ARRAY(SELECT lower(value) FROM jsonb_each_text(place.document->'address'->'municipality')), '{}')
          FROM activity LEFT JOIN place ON place.id = activity.place_id;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP TABLE webhook_activity_facts; DROP TABLE webhook_dispatch_cursor; DROP TABLE webhook_delivery; DROP TABLE webhook_subscription;
      DELETE FROM api_client WHERE kind = 'consumer';
      ALTER TABLE api_client DROP CONSTRAINT api_client_owner_check;
      ALTER TABLE api_client DROP COLUMN consumer_id; ALTER TABLE api_client DROP COLUMN kind;
      ALTER TABLE api_client ALTER COLUMN source_id SET NOT NULL;
      DROP TABLE consumer;
    `);
  }
}

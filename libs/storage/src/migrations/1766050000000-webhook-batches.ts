import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Batched webhook delivery (decision W11), opt-in per subscription:
 * - `webhook_subscription.batch`: null = one request per change (as before), or `{maxSize, maxWaitMs}`;
 * - `webhook_delivery.batch_id`: the `webhook-id` of the batch that carries (or carried) the change,
 *   set before its first attempt, so a retry sends the same changes as the same message; null for a
 *   change sent on its own. A replay clears it (the replayed change goes out in a new batch);
 * - `webhook_message`: the body of a change, stored once; the dispatcher's delivery rows have no body
 *   of their own (it was the same text for every subscription: 50 copies per change in P7). A replayed
 *   delivery keeps its own body, as before;
 * - `webhook_delivery_pending_idx` (pending by created_at) goes: since W10 every query of pending
 *   messages goes by subscription and change number (`webhook_delivery_run_idx`), and it was one of
 *   four index entries written per message.
 */
export class WebhookBatches1766050000000 implements MigrationInterface {
  name = 'WebhookBatches1766050000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE webhook_subscription ADD COLUMN batch jsonb;
      ALTER TABLE webhook_delivery ADD COLUMN batch_id text;
      CREATE TABLE webhook_message (seq bigint PRIMARY KEY, body text NOT NULL);
      ALTER TABLE webhook_delivery ALTER COLUMN body DROP NOT NULL;
      DROP INDEX webhook_delivery_pending_idx;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX webhook_delivery_pending_idx ON webhook_delivery(created_at) WHERE status = 'pending';
      UPDATE webhook_delivery SET body = message.body FROM webhook_message message WHERE webhook_delivery.body IS NULL AND message.seq = webhook_delivery.seq;
      ALTER TABLE webhook_delivery ALTER COLUMN body SET NOT NULL;
      DROP TABLE webhook_message;
      ALTER TABLE webhook_delivery DROP COLUMN batch_id;
      ALTER TABLE webhook_subscription DROP COLUMN batch;
    `);
  }
}

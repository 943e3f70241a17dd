import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Batched webhook delivery (decision W11), opt-in per subscription:
 * - `webhook_subscription.batch`: null = one request per change (as before), or `{maxSize, maxWaitMs}`;
 * - `webhook_delivery.batch_id`: the `webhook-id` of the batch that carries (or carried) the change,
 *   set before its first attempt, so a retry sends the same changes as the same message; null for a
 *   change sent on its own. A replay clears it (the replayed change goes out in a new batch).
 */
export class WebhookBatches1766050000000 implements MigrationInterface {
  name = 'WebhookBatches1766050000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE webhook_subscription ADD COLUMN batch jsonb;
      ALTER TABLE webhook_delivery ADD COLUMN batch_id text;
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE webhook_delivery DROP COLUMN batch_id;
      ALTER TABLE webhook_subscription DROP COLUMN batch;
    `);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook delivery runs (decision W10): one job per subscription sends its pending messages in
 * change-number order.
 * - `webhook_subscription.run_token` / `run_until`: the lease of the run in progress (one per
 *   subscription at a time, across worker processes; a run whose worker died is taken over when it lapses);
 * - `webhook_delivery.run_attempts`: attempts of the current generation (a replay starts the retry
 *   schedule again; `attempts` keeps counting for the log);
 * - the pending messages of one subscription in order, from an index (the log itself grows for ever).
 */
export class WebhookRuns1765900000000 implements MigrationInterface {
  name = 'WebhookRuns1765900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE webhook_subscription ADD COLUMN run_token uuid, ADD COLUMN run_until timestamptz;
      ALTER TABLE webhook_delivery ADD COLUMN run_attempts int NOT NULL DEFAULT 0;
      UPDATE webhook_delivery SET run_attempts = attempts WHERE status = 'pending';
      CREATE INDEX webhook_delivery_run_idx ON webhook_delivery(subscription_id, seq) WHERE status = 'pending';
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX webhook_delivery_run_idx;
      ALTER TABLE webhook_delivery DROP COLUMN run_attempts;
      ALTER TABLE webhook_subscription DROP COLUMN run_token, DROP COLUMN run_until;
    `);
  }
}

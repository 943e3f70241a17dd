import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The console's read paths: a source's rejected items newest first, and the last hour of finished batches and connector runs (throughput charts), without scanning whole tables.
 */
export class ConsoleIndexes1765600000000 implements MigrationInterface {
  name = 'ConsoleIndexes1765600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX ingest_batch_finished_idx ON ingest_batch(finished_at);
      CREATE INDEX validation_report_rejected_idx ON validation_report(source_id, created_at DESC) WHERE status = 'rejected';
      CREATE INDEX connector_run_finished_idx ON connector_run(finished_at);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DROP INDEX connector_run_finished_idx;
      DROP INDEX validation_report_rejected_idx;
      DROP INDEX ingest_batch_finished_idx;
    `);
  }
}

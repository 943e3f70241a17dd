import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Clusters of activities that are one (reconciliation), declared links, the matches waiting for a person's
 * decision, and the activities still to reconcile (written with the batch, so a crash loses none).
 */
export class Reconciliation1764800000000 implements MigrationInterface {
  name = 'Reconciliation1764800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE activity_link (
        activity_id uuid PRIMARY KEY REFERENCES activity(id) ON DELETE CASCADE,
        cluster_id uuid NOT NULL,
        method text NOT NULL,
        score real,
        linked_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX activity_link_cluster_idx ON activity_link(cluster_id);
      CREATE TABLE match_candidate (
        id uuid PRIMARY KEY,
        activity_id uuid NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
        other_activity_id uuid NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
        score real NOT NULL,
        reasons jsonb NOT NULL,
        status text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        decided_at timestamptz,
        CHECK (activity_id < other_activity_id),
        UNIQUE (activity_id, other_activity_id)
      );
      CREATE INDEX match_candidate_status_idx ON match_candidate(status, created_at);
      CREATE TABLE declared_link (
        activity_id uuid NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
        target_source text,
        target_kind text,
        target_external_id text NOT NULL
      );
      CREATE INDEX declared_link_activity_idx ON declared_link(activity_id);
      CREATE INDEX declared_link_target_idx ON declared_link(target_external_id);
      CREATE TABLE reconciliation_pending (
        activity_id uuid PRIMARY KEY REFERENCES activity(id) ON DELETE CASCADE,
        queued_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE reconciliation_pending; DROP TABLE declared_link; DROP TABLE match_candidate; DROP TABLE activity_link;`);
  }
}

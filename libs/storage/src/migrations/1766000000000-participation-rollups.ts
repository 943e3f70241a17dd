import type { MigrationInterface, QueryRunner } from 'typeorm';
import { rebuildParticipationRollups } from '../stores/participation-rollup.js';

/**
 * Participation rollups (decision RD6): the raw cube of a few typical dimension sets, kept exact on
 * every ticket write (libs/storage/src/stores/participation-rollup.ts), so that the first query of a
 * typical table reads stored cells instead of every ticket. A write recomputes the tickets of the
 * person keys it touches: the index on `person_cell_key` finds them. Filled from the stored tickets.
 */
export class ParticipationRollups1766000000000 implements MigrationInterface {
  name = 'ParticipationRollups1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE INDEX participation_ticket_person_cell_key_idx ON participation_ticket(person_cell_key);
      CREATE TABLE participation_rollup_cell (
        rollup text NOT NULL,
        grouping integer NOT NULL,
        coordinates text[] NOT NULL,
        tickets bigint NOT NULL,
        persons bigint NOT NULL,
        revenue bigint NOT NULL,
        ticket_keys numeric NOT NULL,
        person_keys numeric NOT NULL,
        PRIMARY KEY (rollup, grouping, coordinates)
      );
      CREATE INDEX participation_rollup_cell_empty_idx ON participation_rollup_cell(rollup) WHERE tickets = 0;
      CREATE TABLE participation_rollup_contribution (
        rollup text NOT NULL,
        grouping integer NOT NULL,
        coordinates text[] NOT NULL,
        organization text NOT NULL,
        tickets bigint NOT NULL,
        revenue bigint NOT NULL,
        PRIMARY KEY (rollup, grouping, coordinates, organization)
      );
      CREATE INDEX participation_rollup_contribution_empty_idx ON participation_rollup_contribution(rollup) WHERE tickets = 0;
    `);
    await rebuildParticipationRollups((sql, parameters) => queryRunner.query(sql, parameters));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE participation_rollup_contribution; DROP TABLE participation_rollup_cell; DROP INDEX participation_ticket_person_cell_key_idx;');
  }
}

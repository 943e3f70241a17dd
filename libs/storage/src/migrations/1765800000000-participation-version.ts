import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One counter that every participation write moves on, in the writing transaction: protected tables
 * are cached under it (the suppression audit of a large table takes seconds), and a cached table is
 * never served after a commit that could change it. A timestamp would not do: a transaction that
 * started earlier can commit later.
 */
export class ParticipationVersion1765800000000 implements MigrationInterface {
  name = 'ParticipationVersion1765800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE participation_version (id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1), version bigint NOT NULL);
      INSERT INTO participation_version (id, version) VALUES (1, 0);
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE participation_version');
  }
}

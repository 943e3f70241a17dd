import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ChangeOperation = 'upsert' | 'delete' | 'availability';
export type ChangeEntityType = 'activity' | 'place' | 'organizer';

/**
 * The append-only change log every feed is cut from. Rows are only inserted, under a transaction-level
 * advisory lock taken just before the insert, so sequence numbers become visible in commit order.
 */
@Entity('change_log')
export class ChangeLogEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) seq!: string;
  @Column('text', { name: 'entity_type' }) entityType!: ChangeEntityType;
  @Column('uuid', { name: 'entity_id' }) entityId!: string;
  @Column('text', { name: 'source_id' }) sourceId!: string;
  @Column('text') operation!: ChangeOperation;
  @Column('jsonb', { nullable: true }) detail!: object | null;
  @Column('timestamptz', { name: 'occurred_at', default: () => 'now()' }) occurredAt!: Date;
}

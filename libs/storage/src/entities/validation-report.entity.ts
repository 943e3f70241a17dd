import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type ItemStatus = 'accepted' | 'rejected' | 'unchanged' | 'deleted';

/** What happened to one item of a batch: the per-item feedback a vendor reads back. */
@Entity('validation_report')
@Index(['sourceId', 'externalId'])
export class ValidationReportEntity {
  @PrimaryColumn('uuid', { name: 'batch_id' }) batchId!: string;
  @PrimaryColumn('integer') position!: number;
  @Column('text', { name: 'source_id' }) sourceId!: string;
  @Column('text', { name: 'external_id', nullable: true }) externalId!: string | null;
  @Column('text') status!: ItemStatus;
  @Column('uuid', { name: 'activity_id', nullable: true }) activityId!: string | null;
  /** ValidationResult[] (SHACL results and mapping errors, messages in nl and en). */
  @Column('jsonb', { default: () => "'[]'" }) results!: object[];
  @Column('timestamptz', { name: 'created_at', default: () => 'now()' }) createdAt!: Date;
}

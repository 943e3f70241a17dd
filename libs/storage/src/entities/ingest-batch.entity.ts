import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type BatchStatus = 'queued' | 'processing' | 'done' | 'failed';

@Entity('ingest_batch')
export class IngestBatchEntity {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('text', { name: 'source_id' }) sourceId!: string;
  @Column('uuid', { name: 'payload_id' }) payloadId!: string;
  @Column('text') status!: BatchStatus;
  @Column('integer', { name: 'item_count', default: 0 }) itemCount!: number;
  @Column('integer', { default: 0 }) accepted!: number;
  @Column('integer', { default: 0 }) rejected!: number;
  @Column('integer', { default: 0 }) unchanged!: number;
  @Column('text', { nullable: true }) error!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
}

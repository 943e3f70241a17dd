import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'interrupted' | 'skipped';
export type RunTrigger = 'schedule' | 'manual' | 'cli';

/** One rejected record of a run, as the run report shows it. */
export interface RunRejection {
  externalId: string | null;
  batchId: string;
  position: number;
  problems: object[];
}

/** What one connector run did: the report an operator reads. */
@Entity('connector_run')
@Index(['sourceId', 'startedAt'])
export class ConnectorRunEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'source_id' }) sourceId!: string;
  @Column('text') trigger!: RunTrigger;
  @Column('text') status!: RunStatus;
  @Column('timestamptz', { name: 'started_at' }) startedAt!: Date;
  @Column('timestamptz', { name: 'finished_at', nullable: true }) finishedAt!: Date | null;
  @Column('integer') pages!: number;
  /** Records fetched (every mapped item, whatever became of it). */
  @Column('integer') fetched!: number;
  @Column('integer') accepted!: number;
  @Column('integer') rejected!: number;
  @Column('integer') unchanged!: number;
  @Column('integer') deleted!: number;
  /** Seat counts sent through the availability fast lane. */
  @Column('integer', { name: 'availability_updates' }) availabilityUpdates!: number;
  /** The first rejections with their reasons (the batches hold all of them). */
  @Column('jsonb') rejections!: RunRejection[];
  @Column('text', { nullable: true }) error!: string | null;
  @Column('jsonb', { name: 'cursor_start', nullable: true }) cursorStart!: object | null;
  @Column('jsonb', { name: 'cursor_end', nullable: true }) cursorEnd!: object | null;
}

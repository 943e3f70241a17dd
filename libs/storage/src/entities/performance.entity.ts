import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { AvailabilityLevel, PerformanceStatus } from '@platform/domain';

/** One performance (OSLO sub-activity) with its live availability: the fast lane writes only here. */
@Entity('performance')
@Index(['sourceId', 'externalId'], { unique: true })
export class PerformanceEntity {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('uuid', { name: 'activity_id' }) activityId!: string;
  @Column('text', { name: 'source_id' }) sourceId!: string;
  @Column('text', { name: 'external_id' }) externalId!: string;
  @Column('integer') position!: number;
  @Index() @Column('timestamptz', { name: 'start_at' }) startAt!: Date;
  @Column('timestamptz', { name: 'end_at', nullable: true }) endAt!: Date | null;
  @Column('text') status!: PerformanceStatus;
  @Column('integer', { nullable: true }) capacity!: number | null;
  @Column('integer', { nullable: true }) remaining!: number | null;
  @Column('text', { name: 'availability_level', nullable: true }) availabilityLevel!: AvailabilityLevel | null;
  @Column('timestamptz', { name: 'availability_changed_at', nullable: true }) availabilityChangedAt!: Date | null;
}

import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The pull side of a source: where and how often to fetch, the secrets, and how far it got. */
@Entity('connector')
export class ConnectorEntity {
  @PrimaryColumn('text', { name: 'source_id' }) sourceId!: string;
  @Column('text', { name: 'base_url' }) baseUrl!: string;
  /** Minutes between scheduled runs; null = runs start only by hand. */
  @Column('integer', { name: 'every_minutes', nullable: true }) everyMinutes!: number | null;
  @Column('jsonb') options!: Record<string, unknown>;
  /** Never returned by the API, never logged; sealed at rest when CREDENTIALS_KEY is set (SecretBox). */
  @Column('jsonb') credentials!: Record<string, string>;
  /** Set when the stored credentials cannot be opened with this process's key (not a column). */
  credentialsUnreadable?: string;
  /** The connector's own position in the remote feed; written in the same transaction as a page's items. */
  @Column('jsonb', { nullable: true }) cursor!: object | null;
  @Column('timestamptz', { name: 'cursor_updated_at', nullable: true }) cursorUpdatedAt!: Date | null;
  /** One run at a time per source: the run holding the lease, and until when (renewed per page). */
  @Column('uuid', { name: 'lease_run_id', nullable: true }) leaseRunId!: string | null;
  @Column('timestamptz', { name: 'lease_until', nullable: true }) leaseUntil!: Date | null;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}

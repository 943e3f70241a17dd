import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** `participation` payloads are archived in their stripped form only (no personal data is ever archived). */
export type PayloadKind = 'activities' | 'availability' | 'connector' | 'participation';

/** Every accepted request body, stored verbatim before anything else looks at it. */
@Entity('raw_payload')
export class RawPayloadEntity {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('text', { name: 'source_id' }) sourceId!: string;
  @Column('text') kind!: PayloadKind;
  @Column('text', { name: 'content_type' }) contentType!: string;
  /** The exact bytes received (not necessarily valid UTF-8). */
  @Column('bytea') body!: Buffer;
  @Column('integer', { name: 'size_bytes' }) sizeBytes!: number;
  /** Where a connector fetched it (its URL, secrets redacted); null for pushed bodies. */
  @Column('text', { nullable: true }) origin!: string | null;
  /** The connector run that fetched it. */
  @Column('uuid', { name: 'run_id', nullable: true }) runId!: string | null;
  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' }) receivedAt!: Date;
}

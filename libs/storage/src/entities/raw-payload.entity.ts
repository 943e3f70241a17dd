import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type PayloadKind = 'activities' | 'availability';

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
  @CreateDateColumn({ name: 'received_at', type: 'timestamptz' }) receivedAt!: Date;
}

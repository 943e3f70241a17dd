import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type ApiClientKind = 'vendor' | 'consumer';

/** A vendor key of a source, or a consumer key of a calendar platform (webhooks). Only a SHA-256 of the key is stored: keys are 256-bit random, so no salt or KDF is needed. */
@Entity('api_client')
export class ApiClientEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { default: 'vendor' }) kind!: ApiClientKind;
  /** Set on vendor keys. */
  @Index() @Column('text', { name: 'source_id', nullable: true }) sourceId!: string | null;
  /** Set on consumer keys. */
  @Index() @Column('text', { name: 'consumer_id', nullable: true }) consumerId!: string | null;
  @Index({ unique: true }) @Column('text', { name: 'key_hash' }) keyHash!: string;
  /** First characters of the key, to tell keys apart in listings without revealing them. */
  @Column('text', { name: 'key_prefix' }) keyPrefix!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}

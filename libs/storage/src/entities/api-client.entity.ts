import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A vendor key of a source. Only a SHA-256 of the key is stored: keys are 256-bit random, so no salt or KDF is needed. */
@Entity('api_client')
export class ApiClientEntity {
  @PrimaryColumn('uuid') id!: string;
  @Index() @Column('text', { name: 'source_id' }) sourceId!: string;
  @Index({ unique: true }) @Column('text', { name: 'key_hash' }) keyHash!: string;
  /** First characters of the key, to tell keys apart in listings without revealing them. */
  @Column('text', { name: 'key_prefix' }) keyPrefix!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column('timestamptz', { name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
}

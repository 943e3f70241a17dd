import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export const SOURCE_KINDS = ['push', 'uitdatabank', 'ticketmatic', 'yesplan', 'rpde', 'ldes'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** A system that delivers data: a vendor pushing, or (later) a connector pulling. */
@Entity('source')
export class SourceEntity {
  @PrimaryColumn('text') id!: string;
  @Column('text') name!: string;
  @Column('text') kind!: SourceKind;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}

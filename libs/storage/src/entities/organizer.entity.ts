import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { LangString, Organizer } from '@platform/domain';

@Entity('organizer')
@Index(['sourceId', 'externalId'], { unique: true })
export class OrganizerEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'source_id' }) sourceId!: string;
  @Column('text', { name: 'external_id' }) externalId!: string;
  @Column('jsonb') name!: LangString;
  @Column('jsonb') document!: Organizer;
  @Column('timestamptz', { name: 'modified_at' }) modifiedAt!: Date;
}

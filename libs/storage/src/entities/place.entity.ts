import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { LangString, Place } from '@platform/domain';

@Entity('place')
@Index(['sourceId', 'externalId'], { unique: true })
export class PlaceEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'source_id' }) sourceId!: string;
  @Column('text', { name: 'external_id' }) externalId!: string;
  @Column('jsonb') name!: LangString;
  @Index() @Column('text', { name: 'postal_code' }) postalCode!: string;
  @Column('jsonb') document!: Place;
  @Column('timestamptz', { name: 'modified_at' }) modifiedAt!: Date;
}

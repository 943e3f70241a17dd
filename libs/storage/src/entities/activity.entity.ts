import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Activity } from '@platform/domain';

/** The read projection of an activity; performances (with live availability) live in their own table. */
@Entity('activity')
@Index(['sourceId', 'externalId'], { unique: true })
export class ActivityEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('text', { name: 'source_id' }) sourceId!: string;
  @Column('text', { name: 'external_id' }) externalId!: string;
  /** Hash of the canonical item: an identical re-send is a no-op. */
  @Column('text', { name: 'content_hash' }) contentHash!: string;
  /** The canonical item without performances' availability (that is read live from performance). */
  @Column('jsonb') document!: Activity;
  /** All titles and descriptions, for full-text search. */
  @Column('text', { name: 'search_text' }) searchText!: string;
  /** Null only for an online activity without a place. */
  @Index() @Column('uuid', { name: 'place_id', nullable: true }) placeId!: string | null;
  @Index() @Column('uuid', { name: 'organizer_id', nullable: true }) organizerId!: string | null;
  @Column('text', { name: 'type_iri', nullable: true }) typeIri!: string | null;
  @Column('text', { name: 'theme_iri', nullable: true }) themeIri!: string | null;
  @Index() @Column('text', { name: 'postal_code', nullable: true }) postalCode!: string | null;
  @Column('timestamptz', { name: 'first_start', nullable: true }) firstStart!: Date | null;
  @Column('timestamptz', { name: 'last_end', nullable: true }) lastEnd!: Date | null;
  @Column('timestamptz', { name: 'created_at' }) createdAt!: Date;
  @Column('timestamptz', { name: 'modified_at' }) modifiedAt!: Date;
}

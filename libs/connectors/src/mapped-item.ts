import type { Activity, AvailabilityLevel, ItemProblem, Organizer, Place } from '@platform/domain';
import type { StrippedItem } from '@platform/research';

/**
 * What a source mapper makes of the records it reads: pure data, no I/O. The pipeline does the rest
 * (references resolved, RDF, SHACL, one transaction with the change log, live publish).
 */
export type MappedItem = MappedActivity | MappedPlace | MappedOrganizer | MappedDeletion | MappedInvalid | MappedAvailability | MappedParticipation;

/** An activity in the canonical model whose place may still be a reference (`placeRef`). */
export type ActivityDraft = Omit<Activity, 'place'> & { place?: Place };

/** An activity in the canonical model. */
export interface MappedActivity {
  type: 'activity';
  externalId: string;
  activity: ActivityDraft;
  /**
   * The record names its place by the source's id only (a UiTdatabank event with `location: {"@id"}`):
   * the pipeline fills `activity.place` from the place stored for that id, or rejects the item.
   */
  placeRef?: string;
  /** The same for the organizer. */
  organizerRef?: string;
}

/** A venue described on its own (a UiTdatabank place document, a Yesplan location). */
export interface MappedPlace {
  type: 'place';
  externalId: string;
  place: Place;
}

/** An organizer described on its own. */
export interface MappedOrganizer {
  type: 'organizer';
  externalId: string;
  organizer: Organizer;
}

/** The record is gone at the source (UiTdatabank DELETED/REJECTED, an RPDE tombstone, ...). */
export interface MappedDeletion {
  type: 'deletion';
  externalId: string;
  /** What was deleted; activities unless said otherwise. */
  entity?: 'activity' | 'place' | 'organizer';
}

/** A record that cannot be mapped: rejected with the reasons, as an invalid pushed item is. */
export interface MappedInvalid {
  type: 'invalid';
  externalId: string | null;
  problems: ItemProblem[];
}

/** A seat count for a performance the platform already knows (ticketing feeds): the fast lane. */
export interface MappedAvailability {
  type: 'availability';
  performanceId: string;
  capacity?: number;
  remaining?: number;
  level?: AvailabilityLevel;
}

/** Tickets for research, already stripped of personal data (the archived page holds this form only). */
export interface MappedParticipation {
  type: 'participation';
  items: StrippedItem[];
}

/** A problem of a record, with the where (JSON pointer in the record) and the why in Dutch and English. */
export function mappingProblem(path: string, nl: string, en: string, constraint = 'mapping'): ItemProblem {
  return { focusNode: '/', path, severity: 'Violation', message: { nl, en }, constraint };
}

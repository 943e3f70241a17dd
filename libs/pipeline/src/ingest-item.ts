import type { Activity, ItemProblem, Organizer, Place } from '@platform/domain';
import type { ActivityDraft, MappedItem } from '@platform/connectors';
import { contentHash } from './content-hash.js';

/**
 * One item of a batch as the pipeline evaluates it, whatever it came from (a pushed item in the
 * platform's format, OSLO RDF, a UiTdatabank document, a connector's record).
 */
export type IngestItem = ActivityItem | PlaceItem | OrganizerItem | DeletionItem;

export interface ActivityItem {
  kind: 'activity';
  externalId: string | null;
  /** Absent when the item could not be read (then `problems` say why); a draft until its references are resolved. */
  activity?: Activity | ActivityDraft;
  /** Identity of the item's content, taken before time-dependent defaults are filled in. */
  contentHash?: string;
  problems: ItemProblem[];
  /** The record names its place / organizer by the source's id only: resolved before validation. */
  placeRef?: string;
  organizerRef?: string;
  /** ... or by an IRI (RDF): resolved from the batch, or the place / organizer the source stored under that IRI. */
  placeIri?: string;
  organizerIri?: string;
  /** The IRI the source's RDF gives the activity (its place and organizer are recorded by theirs too). */
  subjectIri?: string;
}

export interface PlaceItem {
  kind: 'place';
  externalId: string;
  /** Absent when the record could not be read (then `problems` say why). */
  place?: Place;
  problems: ItemProblem[];
  /** The IRI the source's RDF names the place by, so that later documents can refer to it. */
  subjectIri?: string;
}

export interface OrganizerItem {
  kind: 'organizer';
  externalId: string;
  organizer?: Organizer;
  problems: ItemProblem[];
  subjectIri?: string;
}

export interface DeletionItem {
  kind: 'deletion';
  externalId: string;
  entity: 'activity' | 'place' | 'organizer';
  problems: ItemProblem[];
}

/** A connector's or dialect mapper's items as batch items (availability items take the fast lane instead). */
export function ingestItemsOf(mapped: MappedItem[]): IngestItem[] {
  return mapped.flatMap((item): IngestItem[] => {
    switch (item.type) {
      case 'activity':
        return [
          {
            kind: 'activity',
            externalId: item.externalId,
            activity: item.activity,
            // References are resolved later; the hash is taken then, over what will be stored.
            contentHash: item.placeRef || item.organizerRef ? undefined : contentHash(item.activity),
            problems: [],
            placeRef: item.placeRef,
            organizerRef: item.organizerRef,
          },
        ];
      case 'place':
        return [{ kind: 'place', externalId: item.externalId, place: item.place, problems: [] }];
      case 'organizer':
        return [{ kind: 'organizer', externalId: item.externalId, organizer: item.organizer, problems: [] }];
      case 'deletion':
        return [{ kind: 'deletion', externalId: item.externalId, entity: item.entity ?? 'activity', problems: [] }];
      case 'invalid':
        return [{ kind: 'activity', externalId: item.externalId, problems: item.problems }];
      case 'availability':
      case 'participation':
        return [];
    }
  });
}

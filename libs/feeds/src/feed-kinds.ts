import type { ChangeEntityType } from '@platform/storage';

/** The feeds the platform serves, one per kind of entity in the change log. */
export const FEED_NAMES = ['activities', 'places', 'organizers'] as const;
export type FeedName = (typeof FEED_NAMES)[number];

export interface FeedKind {
  name: FeedName;
  entityType: ChangeEntityType;
  /** RPDE `kind`: the OSLO class name the item's JSON-LD is typed with. */
  rpdeKind: string;
  /** Path segment of the platform IRIs: {PUBLIC_BASE_URL}/id/{segment}/{uuid}. */
  iriSegment: string;
  title: { nl: string; en: string };
}

export const FEED_KINDS: Record<FeedName, FeedKind> = {
  activities: { name: 'activities', entityType: 'activity', rpdeKind: 'Activiteit', iriSegment: 'activiteit', title: { nl: 'Activiteiten', en: 'Activities' } },
  places: { name: 'places', entityType: 'place', rpdeKind: 'Plaats', iriSegment: 'locatie', title: { nl: 'Locaties', en: 'Places' } },
  organizers: { name: 'organizers', entityType: 'organizer', rpdeKind: 'Organisator', iriSegment: 'organisator', title: { nl: 'Organisatoren', en: 'Organizers' } },
};

export function isFeedName(value: string): value is FeedName {
  return (FEED_NAMES as readonly string[]).includes(value);
}

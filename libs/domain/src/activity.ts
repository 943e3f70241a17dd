/**
 * The canonical model of the platform: plain TypeScript, no Nest, no TypeORM, no RDF.
 * Every source (push JSON, OSLO JSON-LD/Turtle, later connectors) is mapped into these types;
 * linked-data turns them into OSLO Cultuurparticipatie quads, storage persists them.
 */

/** Text per language, keyed by BCP-47 tag ("nl", "fr", "en", "de"). At least one entry. */
export type LangString = Partial<Record<string, string>>;

export const SUPPORTED_LANGUAGES = ['nl', 'fr', 'en', 'de'] as const;

/** A SKOS concept: either a full IRI or a code from one of the platform's concept schemes. */
export interface ConceptRef {
  /** Absolute IRI of the concept (e.g. https://data.cultuurparticipatie.be/id/concept/ActiviteitType/concert). */
  iri: string;
  /** Human label per language, optional (kept for display, never used as identity). */
  label?: LangString;
}

export interface GeoPoint {
  latitude: number;
  longitude: number;
}

export interface Address {
  street?: string;
  houseNumber?: string;
  box?: string;
  postalCode: string;
  municipality: LangString;
  /** ISO 3166-1 alpha-2, default "BE". */
  country?: string;
}

export interface Place {
  /** The source's own id for the venue. */
  externalId: string;
  name: LangString;
  address: Address;
  geo?: GeoPoint;
}

export interface Organizer {
  externalId: string;
  name: LangString;
  email?: string;
  phone?: string;
  url?: string;
}

export const AVAILABILITY_LEVELS = ['InStock', 'LimitedAvailability', 'OutOfStock'] as const;
export type AvailabilityLevel = (typeof AVAILABILITY_LEVELS)[number];

export const PERFORMANCE_STATUSES = ['scheduled', 'cancelled', 'postponed'] as const;
export type PerformanceStatus = (typeof PERFORMANCE_STATUSES)[number];

export interface Availability {
  /** Seats in total; absent when the vendor only reports a level. */
  capacity?: number;
  /** Seats still for sale; 0 <= remaining <= capacity. */
  remaining?: number;
  level: AvailabilityLevel;
  /** ISO date-time of the last change of capacity, remaining or level. */
  changedAt: string;
}

/** One performance (OSLO sub-activity) of an activity. */
export interface Performance {
  externalId: string;
  /** ISO 8601 date-time with offset. */
  start: string;
  end?: string;
  status: PerformanceStatus;
  availability?: Availability;
}

export const PRICE_CATEGORIES = ['base', 'tariff', 'social', 'free'] as const;
export type PriceCategory = (typeof PRICE_CATEGORIES)[number];

export interface Price {
  category: PriceCategory;
  name: LangString;
  amount: number;
  /** ISO 4217, default EUR. */
  currency: string;
}

export interface BookingInfo {
  url?: string;
  email?: string;
  phone?: string;
  /** When booking opens / closes (ISO date-time). */
  availableFrom?: string;
  availableUntil?: string;
}

export interface Activity {
  /** The vendor's own id; (source, externalId) is the identity of the activity. */
  externalId: string;
  title: LangString;
  description?: LangString;
  /** Activity type concept (OSLO dcterms:type, max one). */
  type?: ConceptRef;
  /** Theme concept (OSLO cp:thema, max one). */
  theme?: ConceptRef;
  place: Place;
  organizer?: Organizer;
  performances: Performance[];
  prices: Price[];
  booking?: BookingInfo;
  /** Public web page of the activity. */
  url?: string;
  images?: string[];
}

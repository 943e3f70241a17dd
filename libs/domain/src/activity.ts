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
  /** Kind of venue (OSLO dcterms:type on the Locatie; UiTdatabank's place eventtype term). */
  type?: ConceptRef;
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
  /** Text of the booking link per language (UiTdatabank urlLabel). */
  urlLabel?: LangString;
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
  /** Where it takes place; absent only for an online activity (attendanceMode "online") that names no place. */
  place?: Place;
  organizer?: Organizer;
  performances: Performance[];
  prices: Price[];
  booking?: BookingInfo;
  /** Public web page of the activity. */
  url?: string;
  images?: string[];

  // The fields below are optional, so the push format and stored data without them keep working.

  /** How the activity's time is given (UiTdatabank calendarType); absent = one performance per date. */
  calendarType?: CalendarType;
  /** Overall period of a periodic activity (m8g:PeriodOfTime); permanent activities have none. */
  period?: Period;
  /** Weekly opening hours of a periodic or permanent activity (schema:OpeningHoursSpecification). */
  openingHours?: OpeningHours[];
  /** Status of the activity as a whole (a periodic or permanent one has no performance to carry it). */
  status?: PerformanceStatus;
  /** Facility concepts (accessibility and services: UiTdatabank facility terms). */
  facilities?: ConceptRef[];
  /** Who may attend (UiTdatabank audienceType). */
  audience?: AudienceType;
  /** Free labels; `hiddenLabels` are used for curation but not shown to the public. */
  labels?: string[];
  hiddenLabels?: string[];
  /** Physical, online or both (OSLO Activiteit.locatieType / Aanwezigheidsmodus). */
  attendanceMode?: AttendanceMode;
  /** Where an online or mixed activity is followed. */
  onlineUrl?: string;
  /** Ages the activity is meant for, in years (both ends inclusive; an open end is absent). */
  typicalAgeRange?: AgeRange;
  /** General contact of the activity (not the booking contact). */
  contactPoint?: ContactPoint;
  /** The same activity elsewhere (e.g. its UiTinVlaanderen page). */
  sameAs?: string[];
  /**
   * Declared links: this activity is the one another source knows by that id (a ticketing vendor gives
   * the UiTdatabank event id). Reconciliation publishes linked activities as one.
   */
  links?: SourceLink[];
  /** Images with their credits (richer than `images`, which keeps plain URLs). */
  media?: MediaObject[];
  videos?: Video[];
  /** Language the record was written in, and the languages it is (completely) available in. */
  mainLanguage?: string;
  /**
   * The record as the source published it (e.g. the UiTdatabank JSON-LD document), kept whole so that
   * fields without a model counterpart are not dropped. Stored with the activity's document and part of
   * its content hash.
   */
  sourceDocument?: SourceDocument;
}

/** Another source's id of the same activity: a platform source id, or any source of a kind ("uitdatabank"). */
export interface SourceLink {
  source?: string;
  sourceKind?: string;
  externalId: string;
}

export const CALENDAR_TYPES = ['single', 'multiple', 'periodic', 'permanent'] as const;
export type CalendarType = (typeof CALENDAR_TYPES)[number];

export const DAYS_OF_WEEK = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type DayOfWeek = (typeof DAYS_OF_WEEK)[number];

export interface Period {
  /** ISO 8601 date-time with offset. */
  start: string;
  end?: string;
}

/** Opening hours on some days of the week: `opens`/`closes` as HH:MM local time. */
export interface OpeningHours {
  opens: string;
  closes: string;
  daysOfWeek: DayOfWeek[];
}

export const AUDIENCE_TYPES = ['everyone', 'members', 'education'] as const;
export type AudienceType = (typeof AUDIENCE_TYPES)[number];

export const ATTENDANCE_MODES = ['offline', 'online', 'mixed'] as const;
export type AttendanceMode = (typeof ATTENDANCE_MODES)[number];

export interface AgeRange {
  min?: number;
  max?: number;
}

export interface ContactPoint {
  emails?: string[];
  phones?: string[];
  urls?: string[];
}

export interface MediaObject {
  url: string;
  /** The source's own id of the image, when it has one. */
  identifier?: string;
  thumbnailUrl?: string;
  description?: string;
  copyrightHolder?: string;
  /** BCP-47 tag. */
  language?: string;
}

export interface Video {
  url: string;
  identifier?: string;
  embedUrl?: string;
  copyrightHolder?: string;
  language?: string;
}

/** A value of parsed JSON (one level typed: a recursive type is too deep for TypeORM's entity typing). */
export type JsonValue = string | number | boolean | null | object;

/** An original record: its format (e.g. "uitdatabank-jsonld") and the parsed JSON. */
export interface SourceDocument {
  format: string;
  document: { [key: string]: JsonValue };
}

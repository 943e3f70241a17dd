/**
 * UiTdatabank JSON-LD documents as GET /events/{id}, /places/{id}, /organizers/{id} (and Search API v3
 * results with embed=true) return them, after cultuurnet/udb3-json-schemas (event.json, place.json,
 * organizer.json). Only what the mapper reads is typed; every field is optional because the mapper
 * checks what it gets (a pushed document is untrusted input).
 */

export type UdbLanguageMap = Partial<Record<string, string>>;

export interface UdbTerm {
  id?: string;
  label?: string;
  domain?: string;
}

export interface UdbStatus {
  type?: string;
  reason?: UdbLanguageMap;
}

export interface UdbBookingAvailability {
  type?: string;
  capacity?: number;
  remainingCapacity?: number;
}

export interface UdbSubEvent {
  id?: number;
  startDate?: string;
  endDate?: string;
  status?: UdbStatus;
  bookingAvailability?: UdbBookingAvailability;
}

export interface UdbOpeningHours {
  opens?: string;
  closes?: string;
  dayOfWeek?: string[];
}

export interface UdbLocalizedAddress {
  addressCountry?: string;
  addressLocality?: string;
  postalCode?: string;
  streetAddress?: string;
}

export interface UdbPriceInfo {
  category?: string;
  price?: number;
  priceCurrency?: string;
  name?: UdbLanguageMap;
}

export interface UdbBookingInfo {
  phone?: string;
  email?: string;
  url?: string;
  urlLabel?: UdbLanguageMap;
  availabilityStarts?: string;
  availabilityEnds?: string;
}

export interface UdbContactPoint {
  phone?: string[];
  email?: string[];
  url?: string[];
}

export interface UdbMediaObject {
  '@id'?: string;
  id?: string;
  contentUrl?: string;
  thumbnailUrl?: string;
  description?: string;
  copyrightHolder?: string;
  inLanguage?: string;
}

export interface UdbVideo {
  id?: string;
  url?: string;
  embedUrl?: string;
  language?: string;
  copyrightHolder?: string;
}

/** Fields events, places and organizers share. */
export interface UdbDocumentBase {
  '@id'?: string;
  '@type'?: string;
  '@context'?: string;
  mainLanguage?: string;
  name?: UdbLanguageMap;
  description?: UdbLanguageMap;
  workflowStatus?: string;
  created?: string;
  modified?: string;
  labels?: string[];
  hiddenLabels?: string[];
  languages?: string[];
  completedLanguages?: string[];
}

export interface UdbPlace extends UdbDocumentBase {
  address?: Partial<Record<string, UdbLocalizedAddress>>;
  geo?: { latitude?: number; longitude?: number };
  terms?: UdbTerm[];
}

export interface UdbOrganizer extends UdbDocumentBase {
  url?: string;
  address?: Partial<Record<string, UdbLocalizedAddress>>;
  contactPoint?: UdbContactPoint;
}

export interface UdbEvent extends UdbDocumentBase {
  calendarType?: string;
  startDate?: string;
  endDate?: string;
  status?: UdbStatus;
  bookingAvailability?: UdbBookingAvailability;
  subEvent?: UdbSubEvent[];
  openingHours?: UdbOpeningHours[];
  attendanceMode?: string;
  onlineUrl?: string;
  location?: UdbPlace;
  organizer?: UdbOrganizer;
  terms?: UdbTerm[];
  audience?: { audienceType?: string };
  typicalAgeRange?: string;
  priceInfo?: UdbPriceInfo[];
  bookingInfo?: UdbBookingInfo;
  contactPoint?: UdbContactPoint;
  mediaObject?: UdbMediaObject[];
  image?: string;
  videos?: UdbVideo[];
  sameAs?: string[];
  url?: string;
}

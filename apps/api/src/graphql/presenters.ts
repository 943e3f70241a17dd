import type { LangString } from '@platform/domain';
import type { ActivityEntity, OrganizerEntity, PerformanceEntity, PlaceEntity } from '@platform/storage';
import type { Activity, LangText, Organizer, Performance, Place } from './activity.model.js';

export type IriKind = 'activiteit' | 'locatie' | 'organisator';

export const iriOf = (publicBaseUrl: string, kind: IriKind, id: string) => `${publicBaseUrl}/id/${kind}/${id}`;

/** The text in `language`, else Dutch, else whatever language there is. */
export function pick(text: LangString | undefined, language: string): string | null {
  if (!text) return null;
  return text[language] ?? text.nl ?? Object.values(text).find((value) => value !== undefined) ?? null;
}

export function langTexts(text: LangString | undefined): LangText[] {
  return Object.entries(text ?? {}).flatMap(([language, value]) => (value ? [{ language, value }] : []));
}

export function presentActivity(row: ActivityEntity, language: string, publicBaseUrl: string): Activity {
  const document = row.document;
  const concept = (value: typeof document.type) => (value ? { iri: value.iri, label: pick(value.label, language) } : null);
  return {
    id: row.id,
    iri: iriOf(publicBaseUrl, 'activiteit', row.id),
    source: row.sourceId,
    externalId: row.externalId,
    title: pick(document.title, language) ?? '',
    titles: langTexts(document.title),
    description: pick(document.description, language),
    descriptions: langTexts(document.description),
    type: concept(document.type),
    theme: concept(document.theme),
    prices: document.prices.map((price) => ({ ...price, name: pick(price.name, language) ?? '' })),
    booking: document.booking
      ? {
          ...document.booking,
          availableFrom: document.booking.availableFrom ? new Date(document.booking.availableFrom) : null,
          availableUntil: document.booking.availableUntil ? new Date(document.booking.availableUntil) : null,
        }
      : null,
    url: document.url ?? null,
    images: document.images ?? [],
    calendarType: document.calendarType ?? null,
    period: document.period ? { start: new Date(document.period.start), end: document.period.end ? new Date(document.period.end) : null } : null,
    openingHours: document.openingHours ?? [],
    status: document.status ?? null,
    facilities: (document.facilities ?? []).map((facility) => concept(facility)!),
    audience: document.audience ?? null,
    labels: document.labels ?? [],
    attendanceMode: document.attendanceMode ?? null,
    onlineUrl: document.onlineUrl ?? null,
    typicalAgeRange: document.typicalAgeRange
      ? { min: document.typicalAgeRange.min ?? null, max: document.typicalAgeRange.max ?? null }
      : null,
    firstStart: row.firstStart,
    lastEnd: row.lastEnd,
    createdAt: row.createdAt,
    modifiedAt: row.modifiedAt,
    placeId: row.placeId,
    organizerId: row.organizerId,
    language,
  };
}

export function presentPerformance(row: PerformanceEntity, publicBaseUrl: string): Performance {
  return {
    id: row.id,
    iri: iriOf(publicBaseUrl, 'activiteit', row.id),
    externalId: row.externalId,
    start: row.startAt,
    end: row.endAt,
    status: row.status,
    availability: row.availabilityLevel
      ? { capacity: row.capacity, remaining: row.remaining, level: row.availabilityLevel, changedAt: row.availabilityChangedAt }
      : null,
  };
}

export function presentPlace(row: PlaceEntity, language: string, publicBaseUrl: string): Place {
  const { address, geo } = row.document;
  return {
    id: row.id,
    iri: iriOf(publicBaseUrl, 'locatie', row.id),
    externalId: row.externalId,
    name: pick(row.name, language) ?? '',
    names: langTexts(row.name),
    address: {
      street: address.street,
      houseNumber: address.houseNumber,
      box: address.box,
      postalCode: address.postalCode,
      municipality: pick(address.municipality, language) ?? '',
      country: address.country ?? 'BE',
    },
    geo: geo ?? null,
  };
}

export function presentOrganizer(row: OrganizerEntity, language: string, publicBaseUrl: string): Organizer {
  return {
    id: row.id,
    iri: iriOf(publicBaseUrl, 'organisator', row.id),
    externalId: row.externalId,
    name: pick(row.name, language) ?? '',
    names: langTexts(row.name),
    email: row.document.email ?? null,
    phone: row.document.phone ?? null,
    url: row.document.url ?? null,
  };
}

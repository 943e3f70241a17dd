import type { LangString, MergedActivity } from '@platform/domain';
import type { ActivityEntity, ClusterMemberRow, OrganizerEntity, PerformanceEntity, PlaceEntity } from '@platform/storage';
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
    sources: [{ id: row.id, iri: iriOf(publicBaseUrl, 'activiteit', row.id), source: row.sourceId, externalId: row.externalId, method: 'own' }],
    provenance: [],
  };
}

/**
 * A reconciled activity: the root's identity with the merged fields, every member as a source, per-field
 * provenance, and the performances merged across sources (schedule and seats each from their best source).
 */
export function presentMerged(view: { row: ActivityEntity; merged: MergedActivity; members: ClusterMemberRow[] }, language: string, publicBaseUrl: string): Activity {
  const { row, merged, members } = view;
  const starts = merged.performances.map((performance) => Date.parse(performance.start)).sort((a, b) => a - b);
  const ends = merged.performances.map((performance) => Date.parse(performance.end ?? performance.start)).sort((a, b) => a - b);
  const member = (activityId: string) => members.find((candidate) => candidate.activityId === activityId);
  const synthetic = {
    ...row,
    document: merged.activity,
    placeId: member(merged.placeFrom.activityId)?.placeId ?? row.placeId,
    organizerId: merged.organizerFrom ? (member(merged.organizerFrom.activityId)?.organizerId ?? null) : null,
    firstStart: starts.length > 0 ? new Date(starts[0]) : row.firstStart,
    lastEnd: ends.length > 0 ? new Date(ends[ends.length - 1]) : row.lastEnd,
    modifiedAt: new Date(Math.max(...members.map((candidate) => candidate.modifiedAt.getTime()))),
  } as ActivityEntity;
  return {
    ...presentActivity(synthetic, language, publicBaseUrl),
    sources: members.map((candidate) => ({
      id: candidate.activityId,
      iri: iriOf(publicBaseUrl, 'activiteit', candidate.activityId),
      source: candidate.sourceId,
      externalId: candidate.externalId,
      method: candidate.activityId === row.id ? 'own' : candidate.method,
    })),
    provenance: merged.provenance.map(({ field, sourceId, activityId }) => ({ field, source: sourceId, activityId })),
    mergedPerformances: merged.performances.map((performance) => ({
      id: performance.id,
      iri: iriOf(publicBaseUrl, 'activiteit', performance.id),
      externalId: performance.externalId,
      start: new Date(performance.start),
      end: performance.end ? new Date(performance.end) : null,
      status: performance.status,
      availability: performance.availability
        ? { ...performance.availability, changedAt: performance.availability.changedAt ? new Date(performance.availability.changedAt) : null }
        : null,
      scheduleFrom: performance.scheduleFrom,
      availabilityFrom: performance.availabilityFrom,
      sameAs: performance.sameAs,
    })),
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
    scheduleFrom: row.sourceId,
    availabilityFrom: row.availabilityLevel ? row.sourceId : null,
    sameAs: [row.id],
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

import { brusselsDateTime, type Activity, type AvailabilityLevel, type Organizer, type Performance, type PerformanceStatus, type Place } from '@platform/domain';

/** What the schema.org description of one published activity is made of (live availability on the performances). */
export interface SchemaOrgEventInput {
  iri: string;
  activity: Activity;
  /** The platform IRI of each performance, in the order of `activity.performances`. */
  performanceIris: string[];
  /** Absent for an online activity without a place. */
  place?: Place;
  placeIri?: string;
  organizer?: Organizer | null;
  organizerIri?: string | null;
  /** When the activity was first published: offers are valid from then unless booking opens later. */
  createdAt: Date;
  language?: string;
}

export type JsonObject = { [key: string]: unknown };

const SCHEMA = 'https://schema.org/';

const EVENT_STATUS: Record<PerformanceStatus, string> = {
  scheduled: `${SCHEMA}EventScheduled`,
  cancelled: `${SCHEMA}EventCancelled`,
  postponed: `${SCHEMA}EventPostponed`,
};

const ATTENDANCE_MODE = {
  offline: `${SCHEMA}OfflineEventAttendanceMode`,
  online: `${SCHEMA}OnlineEventAttendanceMode`,
  mixed: `${SCHEMA}MixedEventAttendanceMode`,
} as const;

function text(value: Record<string, string | undefined> | undefined, language: string): string | undefined {
  if (!value) return undefined;
  return value[language] ?? value.nl ?? Object.values(value).find((entry) => entry !== undefined);
}

function compact<T extends JsonObject>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && !(Array.isArray(value) && value.length === 0))) as T;
}

/** The best level over several performances: someone can still book if any performance has seats. */
function overallLevel(levels: Array<AvailabilityLevel | undefined>): AvailabilityLevel | undefined {
  const known = levels.filter((level): level is AvailabilityLevel => level !== undefined);
  if (known.length === 0) return undefined;
  if (known.includes('InStock')) return 'InStock';
  if (known.includes('LimitedAvailability')) return 'LimitedAvailability';
  return 'OutOfStock';
}

/**
 * schema.org `Event` JSON-LD of the kind search engines read for event results
 * (https://schema.org/Event; Google's Event structured data): the activity as an Event, one sub-event per
 * performance, dates in Europe/Brussels time with their offset, a Place with a PostalAddress, offers with
 * availability from the live seat counts.
 */
export function activityToSchemaOrg(input: SchemaOrgEventInput, options: { context?: boolean } = {}): JsonObject {
  const { activity } = input;
  const language = input.language ?? 'nl';
  const mode = activity.attendanceMode ?? 'offline';
  const address = input.place?.address;
  const place =
    input.place && address
      ? compact({
          '@type': 'Place',
          '@id': input.placeIri,
          name: text(input.place.name, language),
          address: compact({
            '@type': 'PostalAddress',
            streetAddress: [address.street, address.houseNumber, address.box ? `bus ${address.box}` : undefined].filter(Boolean).join(' ') || undefined,
            postalCode: address.postalCode,
            addressLocality: text(address.municipality, language),
            addressCountry: address.country ?? 'BE',
          }),
          geo: input.place.geo ? { '@type': 'GeoCoordinates', latitude: input.place.geo.latitude, longitude: input.place.geo.longitude } : undefined,
        })
      : undefined;
  const virtual = activity.onlineUrl ? { '@type': 'VirtualLocation', url: activity.onlineUrl } : undefined;
  const location = mode === 'online' ? (virtual ?? place) : mode === 'mixed' && virtual && place ? [place, virtual] : (place ?? virtual);
  const images = [...(activity.media ?? []).map((media) => media.url), ...(activity.images ?? [])];
  const offerUrl = activity.booking?.url ?? activity.url ?? input.iri;
  const validFrom = brusselsDateTime(activity.booking?.availableFrom ?? input.createdAt);
  const offers = (level: AvailabilityLevel | undefined, validThrough: string | undefined) =>
    activity.prices.map((price) =>
      compact({
        '@type': 'Offer',
        name: text(price.name, language),
        price: price.amount,
        priceCurrency: price.currency,
        availability: level ? `${SCHEMA}${level}` : undefined,
        validFrom,
        validThrough,
        url: offerUrl,
        category: price.category,
      }),
    );
  const organizer = input.organizer
    ? compact({ '@type': 'Organization', '@id': input.organizerIri ?? undefined, name: text(input.organizer.name, language), url: input.organizer.url, email: input.organizer.email, telephone: input.organizer.phone })
    : undefined;
  const ageRange = activity.typicalAgeRange
    ? `${activity.typicalAgeRange.min ?? 0}-${activity.typicalAgeRange.max ?? ''}`
    : undefined;

  const performanceEvent = (performance: Performance, index: number) =>
    compact({
      '@type': 'Event',
      '@id': input.performanceIris[index],
      name: text(activity.title, language),
      startDate: brusselsDateTime(performance.start),
      endDate: performance.end ? brusselsDateTime(performance.end) : undefined,
      eventStatus: EVENT_STATUS[performance.status],
      eventAttendanceMode: ATTENDANCE_MODE[mode],
      location,
      maximumAttendeeCapacity: performance.availability?.capacity,
      remainingAttendeeCapacity: performance.availability?.remaining,
      offers: offers(performance.availability?.level, activity.booking?.availableUntil ? brusselsDateTime(activity.booking.availableUntil) : brusselsDateTime(performance.start)),
      url: activity.url ?? input.iri,
    });

  const performances = [...activity.performances].map((performance, index) => ({ performance, index })).sort((left, right) => Date.parse(left.performance.start) - Date.parse(right.performance.start));
  const starts = performances.map(({ performance }) => performance.start);
  const ends = performances.map(({ performance }) => performance.end ?? performance.start).sort((left, right) => Date.parse(left) - Date.parse(right));
  const statuses = activity.performances.map((performance) => performance.status);
  // The whole activity is cancelled (postponed) only when every performance is.
  const status: PerformanceStatus =
    activity.status ?? (statuses.length > 0 && statuses.every((entry) => entry === 'cancelled') ? 'cancelled' : statuses.length > 0 && statuses.every((entry) => entry !== 'scheduled') ? 'postponed' : 'scheduled');
  const startDate = starts[0] ?? activity.period?.start;
  const endDate = ends[ends.length - 1] ?? activity.period?.end;
  const schedule = (activity.openingHours ?? []).map((hours) =>
    compact({
      '@type': 'Schedule',
      byDay: hours.daysOfWeek.map((day) => `${SCHEMA}${day[0].toUpperCase()}${day.slice(1)}`),
      startTime: `${hours.opens}:00`,
      endTime: `${hours.closes}:00`,
      startDate: activity.period?.start ? brusselsDateTime(activity.period.start).slice(0, 10) : undefined,
      endDate: activity.period?.end ? brusselsDateTime(activity.period.end).slice(0, 10) : undefined,
      scheduleTimezone: 'Europe/Brussels',
    }),
  );

  return compact({
    ...(options.context === false ? {} : { '@context': SCHEMA }),
    '@type': 'Event',
    '@id': input.iri,
    name: text(activity.title, language),
    description: text(activity.description, language),
    startDate: startDate ? brusselsDateTime(startDate) : undefined,
    endDate: endDate ? brusselsDateTime(endDate) : undefined,
    eventStatus: EVENT_STATUS[status],
    eventAttendanceMode: ATTENDANCE_MODE[mode],
    eventSchedule: schedule,
    location,
    image: images.length > 0 ? [...new Set(images)] : undefined,
    organizer,
    offers: offers(overallLevel(activity.performances.map((performance) => performance.availability?.level)), activity.booking?.availableUntil ? brusselsDateTime(activity.booking.availableUntil) : undefined),
    isAccessibleForFree: activity.prices.length > 0 && activity.prices.every((price) => price.amount === 0) ? true : undefined,
    typicalAgeRange: ageRange,
    inLanguage: activity.mainLanguage,
    keywords: activity.labels?.length ? activity.labels.join(', ') : undefined,
    url: activity.url ?? input.iri,
    sameAs: activity.sameAs,
    subEvent: performances.map(({ performance, index }) => performanceEvent(performance, index)),
  });
}

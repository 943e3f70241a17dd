import type { Activity, Performance } from '@platform/domain';

/** Test data: a complete activity (every optional field set) with overrides. */
export function buildPerformance(overrides: Partial<Performance> = {}): Performance {
  return {
    externalId: 'perf-1',
    start: '2026-03-01T20:00:00+01:00',
    end: '2026-03-01T22:00:00+01:00',
    status: 'scheduled',
    availability: { capacity: 500, remaining: 40, level: 'LimitedAvailability', changedAt: '2026-02-20T10:15:00+01:00' },
    ...overrides,
  };
}

/** Performance ids derive from the activity id: a vendor's performance ids are unique across activities. */
export function buildActivity(overrides: Partial<Activity> = {}): Activity {
  const externalId = overrides.externalId ?? 'evt-42';
  return {
    externalId,
    title: { nl: 'Bart Peeters live', en: 'Bart Peeters live' },
    description: { nl: 'Een avond vol liedjes.' },
    type: {
      iri: 'https://data.cultuurparticipatie.be/id/concept/ActiviteitType/concert',
      label: { nl: 'Concert' },
    },
    theme: { iri: 'https://data.cultuurparticipatie.be/id/concept/ThemaType/pop' },
    place: {
      externalId: 'venue-7',
      name: { nl: 'Ancienne Belgique' },
      address: {
        street: 'Anspachlaan',
        houseNumber: '110',
        box: 'A',
        postalCode: '1000',
        municipality: { nl: 'Brussel', fr: 'Bruxelles' },
        country: 'BE',
      },
      geo: { latitude: 50.8472409, longitude: 4.3488349 },
    },
    organizer: {
      externalId: 'org-3',
      name: { nl: 'AB vzw' },
      email: 'info@abconcerts.be',
      phone: '+3225482424',
      url: 'https://www.abconcerts.be',
    },
    performances: [
      buildPerformance({ externalId: `${externalId}-perf-1` }),
      buildPerformance({
        externalId: `${externalId}-perf-2`,
        start: '2026-03-02T20:00:00+01:00',
        end: '2026-03-02T22:00:00+01:00',
        availability: { capacity: 500, remaining: 0, level: 'OutOfStock', changedAt: '2026-02-21T09:00:00+01:00' },
      }),
      buildPerformance({
        externalId: `${externalId}-perf-3`,
        start: '2026-03-03T20:00:00+01:00',
        end: undefined,
        status: 'cancelled',
        availability: undefined,
      }),
    ],
    prices: [
      { category: 'base', name: { nl: 'Basistarief' }, amount: 32.5, currency: 'EUR' },
      { category: 'social', name: { nl: 'Sociaal tarief', en: 'Social tariff' }, amount: 8, currency: 'EUR' },
    ],
    booking: {
      url: 'https://www.abconcerts.be/tickets',
      email: 'tickets@abconcerts.be',
      phone: '+3225482424',
      availableFrom: '2025-12-01T10:00:00+01:00',
      availableUntil: '2026-03-03T18:00:00+01:00',
    },
    url: 'https://www.abconcerts.be/bart-peeters',
    images: ['https://www.abconcerts.be/img/bart.jpg'],
    ...overrides,
  };
}

export const TEST_CONTEXT = {
  sourceId: 'demo-ticketing',
  publicBaseUrl: 'https://data.cultuurdata.test',
  processedAt: '2026-02-22T08:00:00+00:00',
  createdAt: '2025-11-30T12:00:00+01:00',
  modifiedAt: '2026-02-21T09:00:00+01:00',
};

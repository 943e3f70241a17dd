import type { Activity, Performance } from '@platform/domain';

let counter = 0;

/** A valid push item; override what the test is about. */
export function anActivity(overrides: Partial<Activity> = {}): Activity {
  counter += 1;
  const id = overrides.externalId ?? `evt-${process.pid}-${counter}`;
  return {
    externalId: id,
    title: { nl: `Concert ${counter}`, en: `Concert ${counter}` },
    description: { nl: 'Een avond kamermuziek.' },
    type: { iri: 'https://data.cultuurparticipatie.be/id/concept/ActiviteitType/concert', label: { nl: 'Concert' } },
    place: {
      externalId: 'venue-1',
      name: { nl: 'De Bijloke' },
      address: { street: 'Jozef Kluyskensstraat', houseNumber: '2', postalCode: '9000', municipality: { nl: 'Gent' }, country: 'BE' },
      geo: { latitude: 51.0436, longitude: 3.7197 },
    },
    organizer: { externalId: 'org-1', name: { nl: 'Muziekcentrum De Bijloke' }, url: 'https://www.bijloke.be' },
    performances: [aPerformance(`${id}-p1`), aPerformance(`${id}-p2`, { start: '2027-02-02T20:00:00+01:00', end: '2027-02-02T22:00:00+01:00' })],
    prices: [{ category: 'base', name: { nl: 'Basistarief', en: 'Standard' }, amount: 24, currency: 'EUR' }],
    booking: { url: 'https://www.bijloke.be/tickets' },
    url: 'https://www.bijloke.be/concert',
    ...overrides,
  };
}

export function aPerformance(externalId: string, overrides: Partial<Performance> = {}): Performance {
  return {
    externalId,
    start: '2027-02-01T20:00:00+01:00',
    end: '2027-02-01T22:00:00+01:00',
    status: 'scheduled',
    availability: { capacity: 500, remaining: 200, level: 'InStock', changedAt: '2026-11-20T10:00:00Z' },
    ...overrides,
  };
}

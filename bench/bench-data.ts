import type { Activity } from '@platform/domain';

const CITIES = [
  { postalCode: '9000', name: 'Gent', latitude: 51.05, longitude: 3.72 },
  { postalCode: '2000', name: 'Antwerpen', latitude: 51.22, longitude: 4.4 },
  { postalCode: '3000', name: 'Leuven', latitude: 50.88, longitude: 4.7 },
  { postalCode: '8000', name: 'Brugge', latitude: 51.21, longitude: 3.22 },
];

/** Synthetic but shape-realistic activities: 3 performances with seats, 2 prices, booking info, 50 venues. */
export function benchActivities(count: number, sourceId: string): Activity[] {
  return Array.from({ length: count }, (_, index) => {
    const venue = index % 50;
    // A venue is always in the same city: one place, one description.
    const city = CITIES[venue % CITIES.length];
    return {
      externalId: `a${index}`,
      title: { nl: `Voorstelling ${index}`, en: `Performance ${index}` },
      description: { nl: `Beschrijving van voorstelling ${index} in ${city.name}.` },
      type: { iri: 'https://data.cultuurparticipatie.be/id/concept/ActiviteitType/concert' },
      place: {
        externalId: `venue-${venue}`,
        name: { nl: `Zaal ${venue}` },
        address: { street: 'Kouter', houseNumber: String(venue + 1), postalCode: city.postalCode, municipality: { nl: city.name } },
        geo: { latitude: city.latitude, longitude: city.longitude },
      },
      organizer: { externalId: `org-${venue % 10}`, name: { nl: `Organisator ${venue % 10}` } },
      performances: [0, 1, 2].map((day) => ({
        externalId: `${sourceId}-a${index}-p${day}`,
        start: `2027-0${1 + (index % 6)}-1${day}T20:00:00+01:00`,
        end: `2027-0${1 + (index % 6)}-1${day}T22:00:00+01:00`,
        status: 'scheduled' as const,
        availability: { capacity: 400, remaining: 150 + day, level: 'InStock' as const, changedAt: '2026-11-20T10:00:00Z' },
      })),
      prices: [
        { category: 'base' as const, name: { nl: 'Basistarief' }, amount: 22, currency: 'EUR' },
        { category: 'social' as const, name: { nl: 'UiTPAS' }, amount: 5.5, currency: 'EUR' },
      ],
      booking: { url: `https://tickets.example.be/a${index}` },
    };
  });
}

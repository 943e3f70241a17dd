import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { entityId, type Activity } from '@platform/domain';
import { aPerformance, anActivity } from '../../../../test/support/factories.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { openDataSource } from '../data-source.js';
import { SourceEntity } from '../entities/index.js';
import { ActivitySearchStore, type ActivitySearchQuery, type SearchSort } from './activity-search.store.js';
import { ActivityStore } from './activity.store.js';

const CONCEPT = 'https://data.cultuurparticipatie.be/id/concept';
const CONCERT = { iri: `${CONCEPT}/ActiviteitType/concert`, label: { nl: 'Concert' } };
const THEATER = { iri: `${CONCEPT}/ActiviteitType/theatervoorstelling`, label: { nl: 'Theatervoorstelling' } };
const EXPO = { iri: `${CONCEPT}/ActiviteitType/tentoonstelling`, label: { nl: 'Tentoonstelling' } };
const JAZZ = { iri: `${CONCEPT}/Thema/jazz`, label: { nl: 'Jazz' } };
const WHEELCHAIR = { iri: `${CONCEPT}/Faciliteit/rolstoeltoegankelijk`, label: { nl: 'Rolstoeltoegankelijk' } };

const gentVenue = (externalId = 'bijloke') => ({
  externalId,
  name: { nl: 'De Bijloke' },
  address: { street: 'Jozef Kluyskensstraat', houseNumber: '2', postalCode: '9000', municipality: { nl: 'Gent' }, country: 'BE' },
  geo: { latitude: 51.0436, longitude: 3.7197 },
});
// No coordinates: the search places it at the centroid of Antwerpen.
const antwerpVenue = { externalId: 'toneelhuis', name: { nl: 'Toneelhuis' }, address: { street: 'Komedieplaats', houseNumber: '18', postalCode: '2000', municipality: { nl: 'Antwerpen' } } };
const brugesVenue = { externalId: 'concertgebouw', name: { nl: 'Concertgebouw' }, address: { postalCode: '8000', municipality: { nl: 'Brugge' } }, geo: { latitude: 51.2024, longitude: 3.2199 } };
const liegeVenue = { externalId: 'opera-liege', name: { fr: 'Opéra royal de Wallonie' }, address: { postalCode: '4000', municipality: { fr: 'Liège' } }, geo: { latitude: 50.6427, longitude: 5.5733 } };

/** A small catalogue where each activity differs from the others in the fields a test is about. */
const catalogue: Record<string, Activity> = {
  // Gent, concert + jazz, two performances in February 2027 at 20:00, base 24 EUR, in stock.
  jazz: anActivity({
    externalId: 'jazz',
    title: { nl: 'Jazzconcerten in de Bijloke', en: 'Jazz concerts at the Bijloke' },
    description: { nl: 'Twee avonden met de beste muzikanten.' },
    type: CONCERT,
    theme: JAZZ,
    facilities: [WHEELCHAIR],
    labels: ['Zomer', 'UiTPAS'],
    typicalAgeRange: { min: 12 },
    place: gentVenue(),
  }),
  // Antwerpen (no geo), theatre, sold out, one performance 10 March 2027 at 15:00, French title too.
  hamlet: anActivity({
    externalId: 'hamlet',
    title: { nl: 'Hamlet', fr: 'Hamlet à Anvers' },
    description: { nl: 'Het stuk van Shakespeare.', fr: 'La pièce de Shakespeare, élève de théâtre.' },
    type: THEATER,
    place: antwerpVenue,
    organizer: { externalId: 'toneelhuis-org', name: { nl: 'Toneelhuis vzw' } },
    prices: [{ category: 'base', name: { nl: 'Basis' }, amount: 18, currency: 'EUR' }],
    audience: 'education',
    typicalAgeRange: { min: 6, max: 12 },
    performances: [aPerformance('hamlet-p1', { start: '2027-03-10T15:00:00+01:00', end: '2027-03-10T17:00:00+01:00', availability: { capacity: 100, remaining: 0, level: 'OutOfStock', changedAt: '2026-11-20T10:00:00Z' } })],
  }),
  // Brugge, concert, free, limited availability (5 seats), July 2027 (summer time), online too.
  organ: anActivity({
    externalId: 'organ',
    title: { nl: 'Orgelconcert', de: 'Orgelkonzert' },
    description: { de: 'Ein Konzert für die ganze Familie.' },
    type: CONCERT,
    place: brugesVenue,
    organizer: { externalId: 'cgb', name: { nl: 'Concertgebouw Brugge' } },
    prices: [{ category: 'base', name: { nl: 'Gratis' }, amount: 0, currency: 'EUR' }],
    attendanceMode: 'mixed',
    onlineUrl: 'https://stream.example.org/orgel',
    performances: [aPerformance('organ-p1', { start: '2027-07-04T11:00:00+02:00', end: '2027-07-04T12:00:00+02:00', availability: { capacity: 300, remaining: 5, level: 'LimitedAvailability', changedAt: '2026-11-20T10:00:00Z' } })],
  }),
  // Liège, French only, cancelled, 30 EUR, April 2027 evening.
  opera: anActivity({
    externalId: 'opera',
    title: { fr: 'Les opéras de Verdi' },
    description: { fr: 'Une soirée à l’opéra.' },
    type: CONCERT,
    place: liegeVenue,
    organizer: undefined,
    prices: [{ category: 'base', name: { fr: 'Tarif' }, amount: 30, currency: 'EUR' }, { category: 'social', name: { fr: 'Social' }, amount: 5, currency: 'EUR' }],
    performances: [aPerformance('opera-p1', { start: '2027-04-02T20:00:00+02:00', end: '2027-04-02T23:00:00+02:00', status: 'cancelled', availability: undefined })],
  }),
  // Gent, a permanent exhibition open Tuesday to Sunday 10:00-18:00.
  expo: anActivity({
    externalId: 'expo',
    title: { nl: 'Vaste collectie' },
    type: EXPO,
    calendarType: 'permanent',
    openingHours: [{ opens: '10:00', closes: '18:00', daysOfWeek: ['tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] }],
    place: gentVenue('msk'),
    organizer: { externalId: 'msk', name: { nl: 'MSK' } },
    prices: [{ category: 'base', name: { nl: 'Basis' }, amount: 12, currency: 'EUR' }],
    performances: [],
  }),
  // Brugge, a periodic exhibition in May 2027, weekends 14:00-17:00.
  festival: anActivity({
    externalId: 'festival',
    title: { nl: 'Meifestival' },
    type: EXPO,
    calendarType: 'periodic',
    period: { start: '2027-05-01T00:00:00+02:00', end: '2027-05-31T23:59:59+02:00' },
    openingHours: [{ opens: '14:00', closes: '17:00', daysOfWeek: ['saturday', 'sunday'] }],
    place: { ...brugesVenue, externalId: 'markt', name: { nl: 'Markt' } },
    organizer: undefined,
    prices: [],
    performances: [],
  }),
};

describe('activity search (integration, real Postgres)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let search: ActivitySearchStore;
  const id = (externalId: string) => entityId('activiteit', 'house', externalId);
  const name = new Map(Object.keys(catalogue).map((key) => [id(key), key]));
  const find = async (query: ActivitySearchQuery, sort: SearchSort = { by: 'start', order: 'asc' }) =>
    (await search.search(query, sort, 100)).hits.map((hit) => name.get(hit.id) ?? hit.id);
  const set = async (query: ActivitySearchQuery) => (await find(query)).sort();

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource({ url: database.url, dataDir: './data' });
    await dataSource.getRepository(SourceEntity).insert([
      { id: 'house', name: 'House', kind: 'push' },
      { id: 'other', name: 'Other', kind: 'push' },
    ]);
    await dataSource.transaction((manager) =>
      new ActivityStore(dataSource).upsert(manager, 'house', Object.values(catalogue).map((activity, index) => ({ activity, contentHash: `h${index}` }))),
    );
    search = new ActivitySearchStore(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('full text is Dutch-aware (stemming, prefixes), folds accents, and searches fr/en/de too', async () => {
    expect(await set({ text: 'concert' })).toEqual(['jazz', 'organ']); // "Jazzconcerten" is not stemmed to it, "concerts" (en) is
    expect(await set({ text: 'muzikant' })).toEqual(['jazz']); // nl stem of "muzikanten"
    expect(await set({ text: 'jaz bijl' })).toEqual(['jazz']); // prefixes, venue name
    expect(await set({ text: 'opera' })).toEqual(['opera']); // "opéras": accent folded, French plural stemmed
    expect(await set({ text: 'ELEVE théâtre' })).toEqual(['hamlet']); // "élève de théâtre", case and accents
    expect(await set({ text: 'konzert familie' })).toEqual(['organ']); // German
    expect(await set({ text: 'de shakespeare' })).toEqual(['hamlet']); // a stop word need not occur
    expect(await set({ text: 'xylofoon' })).toEqual([]);
    const ranked = await find({ text: 'orgelconcert' }, { by: 'relevance', order: 'desc' });
    expect(ranked[0]).toBe('organ');
  });

  it('dateFrom/dateTo: performances that overlap, and periodic and permanent activities by their opening hours', async () => {
    expect(await set({ dateFrom: new Date('2027-03-01T00:00:00+01:00'), dateTo: new Date('2027-03-31T23:59:59+02:00') })).toEqual(['expo', 'hamlet']);
    // Saturday 8 May 2027: the festival (weekends) and the permanent collection are open.
    expect(await set({ dateFrom: new Date('2027-05-08T00:00:00+02:00'), dateTo: new Date('2027-05-08T23:59:59+02:00') })).toEqual(['expo', 'festival']);
    // Monday 10 May 2027: the museum is closed on Mondays, the festival only opens at weekends.
    expect(await set({ dateFrom: new Date('2027-05-10T00:00:00+02:00'), dateTo: new Date('2027-05-10T23:59:59+02:00') })).toEqual([]);
    // After closing time on a Saturday.
    expect(await set({ dateFrom: new Date('2027-05-08T18:30:00+02:00'), dateTo: new Date('2027-05-08T23:59:59+02:00') })).toEqual([]);
    // June: the festival is over.
    expect(await set({ dateFrom: new Date('2027-06-05T00:00:00+02:00'), dateTo: new Date('2027-06-06T23:59:59+02:00') })).toEqual(['expo']);
    // A performance still running at dateFrom counts (22:00 end).
    expect(await set({ dateFrom: new Date('2027-02-01T21:00:00+01:00'), dateTo: new Date('2027-02-01T23:00:00+01:00') })).toEqual(['jazz']);
  });

  it('localTimeFrom/localTimeTo: Brussels local time of performances and opening hours', async () => {
    // 11:00 in summer time (09:00 UTC) is morning in Brussels.
    expect(await set({ localTimeFrom: '09:00', localTimeTo: '12:00' })).toEqual(['expo', 'organ']);
    expect(await set({ localTimeFrom: '19:00', localTimeTo: '23:00' })).toEqual(['jazz', 'opera']);
    expect(await set({ localTimeFrom: '14:30', localTimeTo: '15:30' })).toEqual(['expo', 'festival', 'hamlet']);
    // Date and time must hold together: March afternoons.
    expect(await set({ dateFrom: new Date('2027-03-01T00:00:00+01:00'), dateTo: new Date('2027-03-31T00:00:00+02:00'), localTimeFrom: '19:00', localTimeTo: '23:00' })).toEqual([]);
  });

  it('coordinates + distance (places without geo at their municipality centroid), bounds, and sort by distance', async () => {
    const gent = { latitude: 51.0543, longitude: 3.7174 };
    expect(await set({ near: { ...gent, distanceKm: 5 } })).toEqual(['expo', 'jazz']);
    expect(await set({ near: { ...gent, distanceKm: 60 } })).toEqual(['expo', 'festival', 'hamlet', 'jazz', 'organ']);
    const byDistance = await search.search({ near: { ...gent, distanceKm: 200 } }, { by: 'distance', order: 'asc' }, 100);
    expect(byDistance.hits.map((hit) => name.get(hit.id))).toEqual(['jazz', 'expo', 'hamlet', 'organ', 'festival', 'opera'].sort((left, right) => {
      const distance = (key: string) => byDistance.hits.find((hit) => name.get(hit.id) === key)!.distanceKm!;
      return distance(left) - distance(right) || id(left).localeCompare(id(right));
    }));
    expect(byDistance.hits[0].distanceKm).toBeGreaterThan(1);
    expect(byDistance.hits[0].distanceKm).toBeLessThan(2);
    // Antwerpen's centroid, ~50 km from Gent.
    const hamlet = byDistance.hits.find((hit) => name.get(hit.id) === 'hamlet')!;
    expect(hamlet.distanceKm).toBeGreaterThan(40);
    expect(hamlet.distanceKm).toBeLessThan(60);
    expect(await set({ bounds: { south: 50.5, west: 5, north: 51, east: 6 } })).toEqual(['opera']);
  });

  it('postalCode with wildcard, regions by municipality, province and region NIS code', async () => {
    expect(await set({ postalCodes: ['9000'] })).toEqual(['expo', 'jazz']);
    expect(await set({ postalCodes: ['8*', '2*'] })).toEqual(['festival', 'hamlet', 'organ']);
    expect(await set({ regions: ['44021'] })).toEqual(['expo', 'jazz']); // Gent
    expect(await set({ regions: ['30000'] })).toEqual(['festival', 'organ']); // West-Vlaanderen
    expect(await set({ regions: ['03000'] })).toEqual(['opera']); // Wallonia
    expect(await set({ regions: ['02000'] })).toEqual(['expo', 'festival', 'hamlet', 'jazz', 'organ']); // Flanders
  });

  it('termIds (IRI or last segment, all required), labels, organizer, location', async () => {
    expect(await set({ termIds: ['concert'] })).toEqual(['jazz', 'opera', 'organ']);
    expect(await set({ termIds: [CONCERT.iri, 'jazz'] })).toEqual(['jazz']);
    expect(await set({ termIds: ['rolstoeltoegankelijk'] })).toEqual(['jazz']);
    expect(await set({ labels: ['uitpas'] })).toEqual(['jazz']);
    expect(await set({ labels: ['uitpas', 'winter'] })).toEqual([]);
    expect(await set({ organizerIds: [entityId('organisator', 'house', 'cgb')] })).toEqual(['organ']);
    expect(await set({ locationIds: [entityId('locatie', 'house', 'msk')] })).toEqual(['expo']);
  });

  it('audienceType, age ranges (overlap; no range = all ages), prices on the base tariff, free', async () => {
    expect(await set({ audienceType: 'education' })).toEqual(['hamlet']);
    expect((await set({ audienceType: 'everyone' })).includes('hamlet')).toBe(false);
    expect(await set({ minAge: 14, audienceType: '*' })).toEqual(['expo', 'festival', 'jazz', 'opera', 'organ']); // hamlet is 6-12
    expect(await set({ maxAge: 8 })).toEqual(['expo', 'festival', 'hamlet', 'opera', 'organ']); // jazz is 12+
    expect(await set({ price: 24 })).toEqual(['jazz']);
    expect(await set({ minPrice: 15, maxPrice: 25 })).toEqual(['hamlet', 'jazz']);
    expect(await set({ free: true })).toEqual(['organ']);
    expect(await set({ free: false })).toEqual(['expo', 'festival', 'hamlet', 'jazz', 'opera']);
  });

  it('bookingAvailability, availability levels and remaining seats, status, attendance mode, languages', async () => {
    expect(await set({ bookingAvailability: 'Unavailable' })).toEqual(['hamlet', 'opera']);
    expect(await set({ bookingAvailability: 'Available' })).toEqual(['expo', 'festival', 'jazz', 'organ']);
    expect(await set({ availability: ['LimitedAvailability', 'OutOfStock'] })).toEqual(['hamlet', 'organ']);
    expect(await set({ minRemainingSeats: 6 })).toEqual(['jazz']);
    expect(await set({ minRemainingSeats: 5 })).toEqual(['jazz', 'organ']);
    expect(await set({ status: ['cancelled'] })).toEqual(['opera']);
    expect(await set({ attendanceMode: ['mixed', 'online'] })).toEqual(['organ']);
    expect(await set({ languages: ['fr'] })).toEqual(['hamlet', 'opera']);
    expect(await set({ languages: ['nl', 'en'] })).toEqual(['jazz']);
  });

  it('modifiedFrom/modifiedTo and sort by modified', async () => {
    await dataSource.query(`UPDATE activity SET modified_at = '2026-01-01T00:00:00Z' WHERE external_id = 'opera'`);
    expect(await set({ modifiedTo: new Date('2026-06-01T00:00:00Z') })).toEqual(['opera']);
    expect((await set({ modifiedFrom: new Date('2026-06-01T00:00:00Z') })).includes('opera')).toBe(false);
    const newestFirst = await find({}, { by: 'modified', order: 'desc' });
    expect(newestFirst[newestFirst.length - 1]).toBe('opera');
  });

  it('sorts by start (first matching performance; opening hours by period) and pages by cursor without a window cap', async () => {
    expect(await find({}, { by: 'start', order: 'asc' })).toEqual(['jazz', 'hamlet', 'opera', 'festival', 'organ', 'expo']);
    expect(await find({}, { by: 'start', order: 'desc' })).toEqual(['expo', 'organ', 'festival', 'opera', 'hamlet', 'jazz']);
    // With dateFrom, the jazz activity sorts by its second performance (2 Feb), still before hamlet.
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const result = await search.search({}, { by: 'start', order: 'asc' }, 2, after);
      expect(result.totalCount).toBe(6);
      seen.push(...result.hits.map((hit) => name.get(hit.id)!));
      if (!result.hasNextPage) break;
      after = result.endCursor!;
    }
    expect(seen).toEqual(['jazz', 'hamlet', 'opera', 'festival', 'organ', 'expo']);
    await expect(search.search({}, { by: 'modified', order: 'asc' }, 2, after)).rejects.toThrow(/another sort order/);
  });

  it('facets count published activities per type, theme, facility, region and availability level', async () => {
    const { facets } = await search.search({ regions: ['02000'] }, { by: 'start', order: 'asc' }, 1, undefined, ['types', 'themes', 'facilities', 'regions', 'availability']);
    expect(facets.types).toEqual([
      { value: CONCERT.iri, label: { nl: 'Concert' }, count: 2 },
      { value: EXPO.iri, label: { nl: 'Tentoonstelling' }, count: 2 },
      { value: THEATER.iri, label: { nl: 'Theatervoorstelling' }, count: 1 },
    ]);
    expect(facets.themes).toEqual([{ value: JAZZ.iri, label: { nl: 'Jazz' }, count: 1 }]);
    expect(facets.facilities).toEqual([{ value: WHEELCHAIR.iri, label: { nl: 'Rolstoeltoegankelijk' }, count: 1 }]);
    expect(facets.regions).toEqual(
      expect.arrayContaining([
        { value: '02000', label: { nl: 'Vlaams Gewest', fr: 'Région flamande' }, count: 5 },
        { value: '44021', label: { nl: 'Gent', fr: 'Gand' }, count: 2 },
        { value: '30000', label: { nl: 'Provincie West-Vlaanderen', fr: 'Province de Flandre-Occidentale' }, count: 2 },
      ]),
    );
    expect(facets.availability).toEqual([
      { value: 'InStock', count: 1 },
      { value: 'LimitedAvailability', count: 1 },
      { value: 'OutOfStock', count: 1 },
    ]);
  });

  it('distance or bounds with terms and dates (the place-term index and the performance envelope) give the same rows as each condition alone', async () => {
    const gent = { latitude: 51.0543, longitude: 3.7174 };
    const both = async (query: ActivitySearchQuery, parts: ActivitySearchQuery[]) => {
      const alone = await Promise.all(parts.map((part) => set(part)));
      const expected = alone.reduce((left, right) => left.filter((key) => right.includes(key)));
      expect(await set(query)).toEqual(expected);
      return expected;
    };
    expect(await both({ near: { ...gent, distanceKm: 60 }, termIds: ['concert'] }, [{ near: { ...gent, distanceKm: 60 } }, { termIds: ['concert'] }])).toEqual(['jazz', 'organ']);
    expect(await both({ near: { ...gent, distanceKm: 60 }, termIds: [CONCERT.iri, 'jazz'] }, [{ near: { ...gent, distanceKm: 60 } }, { termIds: [CONCERT.iri, 'jazz'] }])).toEqual(['jazz']);
    expect(await both({ near: { ...gent, distanceKm: 5 }, termIds: ['tentoonstelling'] }, [{ near: { ...gent, distanceKm: 5 } }, { termIds: ['tentoonstelling'] }])).toEqual(['expo']);
    expect(await set({ near: { ...gent, distanceKm: 5 }, termIds: ['theatervoorstelling'] })).toEqual([]);
    expect(await set({ bounds: { south: 50.5, west: 5, north: 51, east: 6 }, termIds: ['concert'] })).toEqual(['opera']);
    expect(await set({ bounds: { south: 50.5, west: 5, north: 51, east: 6 }, termIds: ['tentoonstelling'] })).toEqual([]);
    const february = { dateFrom: new Date('2027-02-01T00:00:00+01:00'), dateTo: new Date('2027-02-28T23:59:59+01:00') };
    expect(await both({ near: { ...gent, distanceKm: 60 }, termIds: ['concert'], ...february }, [{ near: { ...gent, distanceKm: 60 } }, { termIds: ['concert'] }, february])).toEqual(['jazz']);
    // Opening hours still answer a date window (the envelope only bounds performances).
    const saturday = { dateFrom: new Date('2027-05-08T00:00:00+02:00'), dateTo: new Date('2027-05-08T23:59:59+02:00') };
    expect(await both({ near: { ...gent, distanceKm: 60 }, termIds: ['tentoonstelling'], ...saturday }, [{ near: { ...gent, distanceKm: 60 } }, saturday])).toEqual(['expo', 'festival']);
    const counted = await search.search({ near: { ...gent, distanceKm: 60 }, termIds: ['concert'] }, { by: 'start', order: 'asc' }, 1);
    expect(counted.totalCount).toBe(2);
    expect((await search.search({ near: { ...gent, distanceKm: 60 }, termIds: ['concert'] }, { by: 'start', order: 'asc' }, 1, counted.endCursor!)).hits).toHaveLength(1);
  });

  it('the performance envelope compares instants: times given with different UTC offsets', async () => {
    // As text "…23:30:00Z" sorts before "…01:00:00+02:00", yet 01:00+02:00 (23:00 UTC) is earlier, and the latest end is 23:45 UTC.
    const late = anActivity({
      externalId: 'offsets',
      type: EXPO,
      place: { ...brugesVenue, externalId: 'offsets-venue', name: { nl: 'Zaal' } },
      performances: [
        aPerformance('offsets-p1', { start: '2027-09-01T23:30:00Z', end: '2027-09-01T23:45:00Z' }),
        aPerformance('offsets-p2', { start: '2027-09-02T01:00:00+02:00', end: '2027-09-02T01:10:00+02:00' }),
      ],
    });
    await dataSource.transaction((manager) => new ActivityStore(dataSource).upsert(manager, 'other', [{ activity: late, contentHash: 'o1' }]));
    const [row] = await dataSource.query('SELECT first_start, last_end FROM activity WHERE id = $1', [entityId('activiteit', 'other', 'offsets')]);
    expect([row.first_start.toISOString(), row.last_end.toISOString()]).toEqual(['2027-09-01T23:00:00.000Z', '2027-09-01T23:45:00.000Z']);
    const window = { dateFrom: new Date('2027-09-01T23:20:00Z'), dateTo: new Date('2027-09-01T23:40:00Z') };
    expect(await find({ ...window, termIds: ['tentoonstelling'], near: { latitude: 51.2024, longitude: 3.2199, distanceKm: 1 } })).toEqual([entityId('activiteit', 'other', 'offsets')]);
    expect(await find({ dateFrom: new Date('2027-09-01T22:00:00Z'), dateTo: new Date('2027-09-01T22:59:00Z'), termIds: ['tentoonstelling'] })).toEqual([]);
  });

  it('a reconciled cluster is listed once, as its published id, when any of its records matches', async () => {
    const copy = anActivity({ externalId: 'jazz-copy', title: { nl: 'Bijloke Jazz Xylofoon' }, place: gentVenue('bijloke-other') });
    await dataSource.transaction((manager) => new ActivityStore(dataSource).upsert(manager, 'other', [{ activity: copy, contentHash: 'c1' }]));
    const copyId = entityId('activiteit', 'other', 'jazz-copy');
    expect(await find({ text: 'xylofoon' })).toEqual([copyId]);
    await dataSource.query(`INSERT INTO activity_link (activity_id, cluster_id, method) VALUES ($1, $1, 'declared'), ($2, $1, 'declared')`, [id('jazz'), copyId]);
    expect(await find({ text: 'xylofoon' })).toEqual(['jazz']);
    expect(await find({ text: 'jazzconcerten' })).toEqual(['jazz']);
    expect((await find({ postalCodes: ['9000'] })).filter((hit) => hit === 'jazz')).toHaveLength(1);
    expect((await search.search({ postalCodes: ['9000'] }, { by: 'start', order: 'asc' }, 10)).totalCount).toBe(2);
    await dataSource.query('DELETE FROM activity_link');
  });

  it('an online activity without a place is found (by text, attendance mode, unfiltered), not by a venue condition', async () => {
    const stream = anActivity({ externalId: 'stream', title: { nl: 'Livestream Quizavond' }, attendanceMode: 'online', onlineUrl: 'https://stream.example.org/quiz', place: undefined });
    await dataSource.transaction((manager) => new ActivityStore(dataSource).upsert(manager, 'other', [{ activity: stream, contentHash: 's1' }]));
    const streamId = entityId('activiteit', 'other', 'stream');
    expect(await find({ text: 'quizavond' })).toEqual([streamId]);
    expect(await find({ attendanceMode: ['online'] })).toEqual([streamId]);
    expect(await find({})).toContain(streamId);
    expect(await find({ text: 'quizavond', near: { latitude: 51.0436, longitude: 3.7197, distanceKm: 500 } })).toEqual([]);
    expect(await find({ text: 'quizavond', regions: ['44021'] })).toEqual([]);
  });
});

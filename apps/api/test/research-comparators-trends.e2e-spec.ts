import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { DataSource } from 'typeorm';
import { anActivity, aPerformance } from '../../../test/support/factories.js';
import { TEST_ADMIN_TOKEN, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { http } from './http.js';

const K = 10;
const CONCERT = 'https://data.cultuurparticipatie.be/id/concept/ActiviteitType/concert';
const THEATRE = 'https://data.cultuurparticipatie.be/id/concept/ActiviteitType/theatervoorstelling';

/**
 * Eight organisations: six concert houses in Oost-Vlaanderen (Gent, Aalst), two theatres in Antwerpen.
 * Each plays in September, October and December 2026 and September 2027; the first also plays a
 * January 2027 performance with 3 tickets only (below k).
 */
const HOUSES = Array.from({ length: 8 }, (_, index) => ({
  index,
  postcode: index < 6 ? (index % 2 === 0 ? '9000' : '9300') : '2000',
  type: index < 6 ? CONCERT : THEATRE,
  tickets: 30 + index * 6,
}));
const MONTHS = ['2026-09-15T20:00:00+02:00', '2026-10-15T20:00:00+02:00', '2026-12-15T20:00:00+01:00', '2027-09-15T20:00:00+02:00'];
const BANDS = [1950, 1975, 1990, 2001];

interface Side {
  tickets: number | null;
  participants: number | null;
  revenue: number | null;
  share: number | null;
  obsStatus: string;
  revenueStatus: string;
}

describe('comparators and trends (e2e): peer groups of at least 5, both sides protected, continuous trends', () => {
  let platform: TestApp;
  let researcherKey: string;
  let dataSource: DataSource;
  const codes = new Map<number, string>();

  beforeAll(async () => {
    platform = await startTestApp({ overrides: { PSEUDONYM_KEY: 'test-pseudonym-key-0123456789', DISCLOSURE_K: String(K) } });
    dataSource = platform.app.get(DataSource);
    const vendorKey = await platform.createSource('huizen');
    const activities = HOUSES.map((house) =>
      anActivity({
        externalId: `house-${house.index}`,
        type: { iri: house.type, label: { nl: house.type === CONCERT ? 'Concert' : 'Theater' } },
        place: {
          externalId: `venue-${house.index}`,
          name: { nl: `Zaal ${house.index}` },
          address: { street: 'Markt', houseNumber: String(house.index + 1), postalCode: house.postcode, municipality: { nl: house.postcode }, country: 'BE' },
        },
        organizer: { externalId: `organizer-${house.index}`, name: { nl: `Huis ${house.index}` } },
        performances: [
          ...MONTHS.map((start, month) => aPerformance(`house-${house.index}-m${month}`, { start, end: start })),
          ...(house.index === 0 ? [aPerformance('house-0-small', { start: '2027-01-15T20:00:00+01:00', end: '2027-01-15T22:00:00+01:00' })] : []),
        ],
      }),
    );
    const pushedActivities = await http(platform.baseUrl, 'POST', '/v1/sources/huizen/activities?wait=true', { token: vendorKey, body: activities });
    expect(pushedActivities.status).toBe(200);
    const tickets = HOUSES.flatMap((house) => [
      ...Array.from({ length: house.tickets * MONTHS.length }, (_, index) => ({
        id: `H${house.index}-${index}`,
        performance: `house-${house.index}-m${index % MONTHS.length}`,
        soldAt: '2026-08-01T12:00:00Z',
        price: 10 + (index % 3) * 5,
        priceCategory: index % 4 === 0 ? 'kansentarief' : 'basis',
        channel: index % 2 === 0 ? 'online' : 'box-office',
        // Every participant comes twice (two months), so persons are half the tickets.
        participant: { id: `P${house.index}-${Math.floor(index / 2)}`, birthYear: BANDS[Math.floor(index / 8) % BANDS.length], postcode: '9000' },
      })),
      ...(house.index === 0
        ? Array.from({ length: 3 }, (_, index) => ({ id: `H0-small-${index}`, performance: 'house-0-small', soldAt: '2026-12-01T12:00:00Z', price: 8, participant: { id: `small-${index}`, postcode: '9000' } }))
        : []),
    ]);
    const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/huizen/participation?wait=true', { token: vendorKey, body: tickets });
    expect(pushed.body.summary.accepted).toBe(tickets.length);
    researcherKey = (await http(platform.baseUrl, 'POST', '/v1/admin/researcher-keys', { token: TEST_ADMIN_TOKEN, body: { name: 'UAntwerpen' } })).body.key;
    const organizers: Array<{ id: string; name: { nl: string } }> = await dataSource.query('SELECT id::text, name FROM organizer');
    for (const organizer of organizers) codes.set(Number(organizer.name.nl.replace('Huis ', '')), organizer.id);
    expect(codes.size).toBe(8);
  });

  afterAll(async () => {
    await platform.close();
  });

  /** Distinct persons and tickets of some organisations (true values, for checking the perturbed ones). */
  const truth = async (organizations: string[], ageBand?: string) => {
    const [row] = await dataSource.query(
      `SELECT count(*)::int AS tickets, count(DISTINCT person_key)::int AS persons FROM participation_ticket WHERE organization = ANY($1) AND ($2::text IS NULL OR coalesce(age_band, '_U') = $2)`,
      [organizations, ageBand ?? null],
    );
    return row as { tickets: number; persons: number };
  };

  it('lists the organisations with their province, region, main type and peer-group sizes', async () => {
    expect((await http(platform.baseUrl, 'GET', '/v1/research/organizers')).status).toBe(401);
    const response = await http(platform.baseUrl, 'GET', '/v1/research/organizers', { token: researcherKey });
    expect(response.status).toBe(200);
    expect(response.body.minimumPeers).toBe(5);
    const byCode = new Map(response.body.organizers.map((entry: { code: string }) => [entry.code, entry]));
    expect(byCode.size).toBe(8);
    expect(byCode.get(codes.get(0)!)).toMatchObject({
      label: 'Huis 0',
      province: { code: '40000', label: 'Oost-Vlaanderen' },
      region: { code: '02000', label: 'Vlaanderen' },
      activityType: { code: CONCERT, label: 'concert' },
      peers: { province: 5, region: 7, activityType: 5 },
    });
    expect(byCode.get(codes.get(7)!)).toMatchObject({ province: { code: '10000' }, peers: { province: 1, region: 7, activityType: 1 } });
    // Person filters do not shape the groups (they would tell who went where): the same list.
    const filtered = await http(platform.baseUrl, 'GET', '/v1/research/organizers?ageBand=_U&homeMunicipality=44021', { token: researcherKey });
    expect(filtered.body).toEqual(response.body);
    // The period does.
    const later = await http(platform.baseUrl, 'GET', '/v1/research/organizers?from=2027-01-01T00:00:00Z&to=2027-02-01T00:00:00Z', { token: researcherKey });
    expect(later.body.organizers.map((entry: { code: string }) => entry.code)).toEqual([codes.get(0)]);
  });

  it('compares an organisation with the aggregate of its peers, the organisation itself left out', async () => {
    const response = await http(platform.baseUrl, 'GET', `/v1/research/comparators?organizer=${codes.get(0)}&peers=province&groupBy=ageBand`, { token: researcherKey });
    expect(response.status).toBe(200);
    const body = response.body;
    expect(body).toMatchObject({ available: true, reason: null, minimumPeers: 5, k: K, groupBy: ['ageBand'], peers: { kind: 'province', code: '40000', label: 'Oost-Vlaanderen', organizations: 5 } });
    const rows = body.rows as Array<{ coordinates: Array<{ code: string; label: string }>; organization: Side; peers: Side }>;
    const total = rows.find((row) => row.coordinates[0].code === '_T')!;
    const own = await truth([codes.get(0)!]);
    const peers = await truth([1, 2, 3, 4, 5].map((index) => codes.get(index)!));
    const peersWithOwn = await truth([0, 1, 2, 3, 4, 5].map((index) => codes.get(index)!));
    expect(Math.abs(total.organization.tickets! - own.tickets)).toBeLessThanOrEqual(2);
    expect(Math.abs(total.peers.participants! - peers.persons)).toBeLessThanOrEqual(2);
    // Not the group with the organisation in it.
    expect(Math.abs(total.peers.participants! - peersWithOwn.persons)).toBeGreaterThan(2);
    expect(total.organization.share).toBe(100);
    for (const row of rows) {
      // The organisation's own revenue is never shown: it holds 100 % of it.
      expect(row.organization.revenue).toBeNull();
      expect(row.organization.revenueStatus).toBe('C');
      for (const [side, organizations] of [
        [row.organization, [codes.get(0)!]],
        [row.peers, [1, 2, 3, 4, 5].map((index) => codes.get(index)!)],
      ] as const) {
        const { persons } = await truth([...organizations], row.coordinates[0].code === '_T' ? undefined : row.coordinates[0].code);
        if (persons > 0 && persons < K) expect(side.obsStatus).toBe('C');
        if (side.obsStatus === 'C') expect([side.tickets, side.participants, side.share]).toEqual([null, null, null]);
      }
    }
    // The three tickets of January without birth year are the organisation's unknown age: withheld, never 0.
    const unknown = rows.find((row) => row.coordinates[0].code === '_U')!;
    expect(unknown.organization).toMatchObject({ obsStatus: 'C', participants: null });
    expect(unknown.peers).toMatchObject({ obsStatus: 'A', participants: 0 });

    const csv = await http(platform.baseUrl, 'GET', `/v1/research/comparators?organizer=${codes.get(0)}&peers=province&groupBy=ageBand&measures=tickets,participants&format=csv`, { token: researcherKey });
    expect(csv.status).toBe(200);
    const records: Array<Record<string, string>> = parse(csv.text, { columns: true });
    expect(Object.keys(records[0])).toEqual([
      'ageBand', 'ageBandLabel',
      'organizationTickets', 'organizationParticipants', 'organizationShare', 'organizationObsStatus', 'organizationRevenueStatus',
      'peersTickets', 'peersParticipants', 'peersShare', 'peersObsStatus', 'peersRevenueStatus',
    ]);
    expect(records).toHaveLength(rows.length);
    expect(records.find((record) => record.ageBand === '_T')!.peersParticipants).toBe(String(total.peers.participants));
    expect(records.find((record) => record.ageBand === '_U')!.organizationParticipants).toBe('');
  });

  it('refuses a peer group of fewer than 5 in Dutch and English, without figures', async () => {
    const small = await http(platform.baseUrl, 'GET', `/v1/research/comparators?organizer=${codes.get(7)}&peers=province`, { token: researcherKey });
    expect(small.status).toBe(200);
    expect(small.body).toMatchObject({ available: false, rows: [], peers: { kind: 'province', code: '10000', organizations: 1 } });
    expect(small.body.reason.nl).toContain('minstens 5');
    expect(small.body.reason.en).toContain('at least 5');
    expect(JSON.stringify(small.body)).not.toMatch(/"(tickets|participants|revenue|share)":/);
    const csv = await http(platform.baseUrl, 'GET', `/v1/research/comparators?organizer=${codes.get(7)}&peers=activityType&format=csv`, { token: researcherKey });
    expect(csv.status).toBe(409);
    expect(csv.body.error.code).toBe('peer-group-too-small');
    // The same organisation against its region (7 others) is fine.
    expect((await http(platform.baseUrl, 'GET', `/v1/research/comparators?organizer=${codes.get(7)}&peers=region`, { token: researcherKey })).body.available).toBe(true);

    const unknown = await http(platform.baseUrl, 'GET', '/v1/research/comparators?organizer=nobody&peers=region', { token: researcherKey });
    expect(unknown.status).toBe(404);
    const badKind = await http(platform.baseUrl, 'GET', `/v1/research/comparators?organizer=${codes.get(0)}&peers=city`, { token: researcherKey });
    expect(badKind.status).toBe(400);
    expect(badKind.body.error.where).toBe('query peers');
    const twoDimensions = await http(platform.baseUrl, 'GET', `/v1/research/comparators?organizer=${codes.get(0)}&peers=region&groupBy=ageBand,channel`, { token: researcherKey });
    expect(twoDimensions.status).toBe(400);
  });

  it('answers the comparison over GraphQL as over REST', async () => {
    const rest = await http(platform.baseUrl, 'GET', `/v1/research/comparators?organizer=${codes.get(2)}&peers=activityType&groupBy=channel&measures=participants`, { token: researcherKey });
    const response = await http(platform.baseUrl, 'POST', '/graphql', {
      token: researcherKey,
      body: {
        query: `query($organizer: String!) { participationComparison(organizer: $organizer, peers: activityType, groupBy: channel, measures: [participants]) {
          available k peers { kind organizations } rows { coordinates { code } organization { participants tickets share obsStatus } peers { participants share obsStatus } } } }`,
        variables: { organizer: codes.get(2) },
      },
    });
    expect(response.body.errors).toBeUndefined();
    const comparison = response.body.data.participationComparison;
    expect(comparison).toMatchObject({ available: true, k: K, peers: { kind: 'activityType', organizations: 5 } });
    expect(comparison.rows.map((row: { coordinates: Array<{ code: string }>; peers: { participants: number } }) => [row.coordinates[0].code, row.peers.participants])).toEqual(
      rest.body.rows.map((row: { coordinates: Array<{ code: string }>; peers: Side }) => [row.coordinates[0].code, row.peers.participants]),
    );
    // By home area both sides get penetration and index (every participant lives in Gent, Oost-Vlaanderen).
    const home = await http(platform.baseUrl, 'GET', `/v1/research/comparators?organizer=${codes.get(2)}&peers=region&groupBy=homeProvince&measures=participants,penetration,index`, { token: researcherKey });
    const eastFlanders = home.body.rows.find((row: { coordinates: Array<{ code: string }> }) => row.coordinates[0].code === '40000');
    expect(eastFlanders.organization.penetration).toBeGreaterThan(0);
    expect(eastFlanders.peers.penetration).toBeGreaterThan(eastFlanders.organization.penetration);
    expect(eastFlanders.peers.index).toBeGreaterThan(100);
    expect(eastFlanders.peers.share).toBe(100);
    // Only the chosen measure.
    for (const row of comparison.rows) expect(row.organization.tickets).toBeNull();
    const anonymous = await http(platform.baseUrl, 'POST', '/graphql', { body: { query: '{ participationOrganizers { minimumPeers } }' } });
    expect(anonymous.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('gives a continuous monthly trend with changes, withholding every change from a withheld month', async () => {
    const response = await http(platform.baseUrl, 'GET', '/v1/research/trends?period=month&from=2026-09-01T00:00:00%2B02:00&to=2027-10-01T00:00:00%2B02:00&measures=tickets,participants,revenue', { token: researcherKey });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ period: 'month', groupBy: [], k: K, populationYear: 2021 });
    const [series] = response.body.series;
    const points = new Map(series.points.map((point: { period: string }) => [point.period, point])) as Map<string, any>;
    expect([...points.keys()]).toEqual(['2026-09', '2026-10', '2026-11', '2026-12', '2027-01', '2027-02', '2027-03', '2027-04', '2027-05', '2027-06', '2027-07', '2027-08', '2027-09']);
    expect(points.get('2026-11')).toMatchObject({ tickets: 0, participants: 0, obsStatus: 'A' });
    // January: 3 persons, below k: withheld, and so is every change from or to it.
    expect(points.get('2027-01')).toMatchObject({ tickets: null, participants: null, obsStatus: 'C' });
    expect(points.get('2027-01').previous).toMatchObject({ period: '2026-12', obsStatus: 'C', absolute: { tickets: null, participants: null } });
    expect(points.get('2027-02').previous).toMatchObject({ period: '2027-01', obsStatus: 'C', absolute: { participants: null } });
    // Secondary suppression withholds a partner month too (the total would give January away); wherever
    // both months are published the change is their difference, wherever one is withheld so is the change.
    let compared = 0;
    for (const point of points.values()) {
      for (const change of [point.previous, point.yearAgo]) {
        if (!change) continue;
        const earlier = points.get(change.period) ?? { obsStatus: 'A', tickets: 0 };
        if (point.obsStatus === 'C' || earlier.obsStatus === 'C') {
          expect(change).toMatchObject({ obsStatus: 'C', absolute: { tickets: null, participants: null }, percent: { tickets: null, participants: null } });
        } else {
          expect(change.absolute.tickets).toBe(point.tickets - earlier.tickets);
          compared += 1;
        }
      }
    }
    expect(compared).toBeGreaterThan(5);
    expect(series.points.filter((point: { obsStatus: string }) => point.obsStatus === 'C').length).toBeGreaterThanOrEqual(2);
    expect(points.get('2027-09').yearAgo.period).toBe('2026-09');
    // The first month's previous month (August 2026) lies before the first data: no comparison.
    expect(points.get('2026-09').previous).toBeNull();
    const [{ tickets }] = await dataSource.query(`SELECT count(*)::int AS tickets FROM participation_ticket WHERE performance_start >= '2026-12-01T00:00:00+01:00' AND performance_start < '2027-01-01T00:00:00+01:00'`);
    if (points.get('2026-12').obsStatus === 'A') expect(Math.abs(points.get('2026-12').tickets - tickets)).toBeLessThanOrEqual(2);

    const csv = await http(platform.baseUrl, 'GET', '/v1/research/trends?period=season&groupBy=priceCategory&measures=tickets&format=csv', { token: researcherKey });
    expect(csv.status).toBe(200);
    const records: Array<Record<string, string>> = parse(csv.text, { columns: true });
    expect(Object.keys(records[0])).toEqual(['priceCategory', 'priceCategoryLabel', 'period', 'tickets', 'obsStatus', 'revenueStatus', 'ticketsChangePrevious', 'ticketsChangePreviousPercent', 'ticketsChangeYearAgo', 'ticketsChangeYearAgoPercent']);
    expect(records.map((record) => `${record.priceCategory} ${record.period}`)).toEqual(
      expect.arrayContaining(['_T 2026-2027', '_T 2027-2028', 'basis 2026-2027', 'kansentarief 2027-2028']),
    );
    const later = records.find((record) => record.priceCategory === 'basis' && record.period === '2027-2028')!;
    const earlier = records.find((record) => record.priceCategory === 'basis' && record.period === '2026-2027')!;
    expect(Number(later.ticketsChangePrevious)).toBe(Number(later.tickets) - Number(earlier.tickets));

    const graphql = await http(platform.baseUrl, 'POST', '/graphql', {
      token: researcherKey,
      body: { query: '{ participationTrend(period: year, measures: [tickets]) { period populationYear series { points { period tickets obsStatus previous { period obsStatus absolute { tickets } } } } } }' },
    });
    expect(graphql.body.errors).toBeUndefined();
    expect(graphql.body.data.participationTrend.series[0].points.map((point: { period: string }) => point.period)).toEqual(['2026', '2027']);

    const bad = await http(platform.baseUrl, 'GET', '/v1/research/trends?period=fortnight', { token: researcherKey });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message.en).toContain('month, season, year');
    // V8's Date.parse takes "%00" for the year 2000; Postgres does not: refused before it gets there.
    for (const path of ['/v1/research/trends?period=month&to=%2500', '/v1/research/participation?from=1', '/v1/research/organizers?from=2026-13-01']) {
      const refused = await http(platform.baseUrl, 'GET', path, { token: researcherKey });
      expect([path, refused.status]).toEqual([path, 400]);
      expect(refused.body.error.message.nl).toContain('ISO 8601');
    }
  });

  it('answers hostile parameters with a 4xx and a bilingual reason, never a 5xx', async () => {
    const value = fc.oneof(
      fc.constantFrom('', 'month', 'season', 'year', 'province', 'region', 'activityType', 'ageBand', 'organizer', 'csv', 'json', '0001-01-01T00:00:00Z', '2026-13-45', '9999-12-31T23:59:59Z', '_T', '_U', 'source:x', '%00', "'; DROP TABLE x;--"),
      fc.string({ maxLength: 12 }),
    );
    const parameters = fc.dictionary(fc.constantFrom('period', 'groupBy', 'measures', 'from', 'to', 'peers', 'organizer', 'format', 'homeRegion', 'month'), fc.oneof(value, fc.array(value, { maxLength: 3 })), { maxKeys: 5 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/v1/research/trends', '/v1/research/comparators', '/v1/research/organizers'), parameters, async (path, query) => {
        const search = new URLSearchParams();
        for (const [name, entry] of Object.entries(query)) for (const item of [entry].flat()) search.append(name, item);
        const response = await http(platform.baseUrl, 'GET', `${path}?${search}`, { token: researcherKey });
        expect(response.status).toBeLessThan(500);
        if (response.status >= 400) {
          expect(typeof response.body.error.message.nl).toBe('string');
          expect(typeof response.body.error.message.en).toBe('string');
        }
      }),
      { numRuns: Number(process.env.RESEARCH_FUZZ_RUNS ?? 150) },
    );
  }, 300_000);
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { DataSource } from 'typeorm';
import { anActivity, aPerformance } from '../../../test/support/factories.js';
import { TEST_ADMIN_TOKEN, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { http } from './http.js';

const K = 10;
/** Home postcodes with deliberately uneven counts: some cells fall below k and must never show. */
const HOMES: Array<[string, number]> = [
  ['9000', 60],
  ['9050', 35],
  ['1000', 22],
  ['2000', 4],
  ['3000', 2],
  ['8500', 1],
];

describe('participation statistics (e2e): protected tables over REST, CSV and GraphQL', () => {
  let platform: TestApp;
  let researcherKey: string;

  beforeAll(async () => {
    platform = await startTestApp({ overrides: { PSEUDONYM_KEY: 'test-pseudonym-key-0123456789', DISCLOSURE_K: String(K) } });
    const created = await http(platform.baseUrl, 'POST', '/v1/admin/sources', { token: TEST_ADMIN_TOKEN, body: { id: 'vooruit', name: 'Vooruit', kind: 'push' } });
    const vendorKey = created.body.key;
    await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/activities?wait=true', {
      token: vendorKey,
      body: [anActivity({ externalId: 'stats-act', performances: [aPerformance('stats-p1'), aPerformance('stats-p2', { start: '2027-03-02T20:00:00+01:00' })] })],
    });
    const tickets = HOMES.flatMap(([postcode, count], group) =>
      Array.from({ length: count }, (_, index) => ({
        id: `S-${group}-${index}`,
        performance: index % 3 === 0 ? 'stats-p2' : 'stats-p1',
        soldAt: '2026-10-01T12:00:00Z',
        price: 10 + (index % 4) * 5,
        priceCategory: index % 5 === 0 ? 'kansentarief' : 'basis',
        channel: index % 2 === 0 ? 'online' : 'box-office',
        participant: { id: `C-${group}-${index}`, birthYear: 1960 + ((index * 7) % 50), postcode },
      })),
    );
    const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/vooruit/participation?wait=true', { token: vendorKey, body: tickets });
    expect(pushed.body.summary.accepted).toBe(tickets.length);
    const issued = await http(platform.baseUrl, 'POST', '/v1/admin/researcher-keys', { token: TEST_ADMIN_TOKEN, body: { name: 'UGent' } });
    expect(issued.status).toBe(201);
    researcherKey = issued.body.key;
  });

  afterAll(async () => {
    await platform.close();
  });

  it('needs a researcher key', async () => {
    expect((await http(platform.baseUrl, 'GET', '/v1/research/participation?groupBy=homeMunicipality')).status).toBe(401);
    const bad = await http(platform.baseUrl, 'GET', '/v1/research/participation?groupBy=shoeSize', { token: researcherKey });
    expect(bad.status).toBe(400);
    expect(bad.body.error.where).toBe('query groupBy');
    expect(bad.body.error.message.nl).toContain('shoeSize');
  });

  it('publishes no person count below k, marks suppressed cells confidential (null, never zero), and adds penetration', async () => {
    const response = await http(platform.baseUrl, 'GET', '/v1/research/participation?groupBy=homeMunicipality', { token: researcherKey });
    expect(response.status).toBe(200);
    const dataSource = platform.app.get(DataSource);
    const truth = new Map<string, number>(
      (await dataSource.query(`SELECT coalesce(home_nis5, '_U') AS code, count(DISTINCT person_key)::int AS persons FROM participation_ticket GROUP BY 1`)).map(
        (row: { code: string; persons: number }) => [row.code, row.persons],
      ),
    );
    const cells = response.body.cells as Array<{ coordinates: string[]; participants: number | null; tickets: number | null; obsStatus: string; penetration: number | null; index: number | null; labels: string[] }>;
    for (const cell of cells) {
      const code = cell.coordinates[0];
      if (code === '_T') continue;
      if (truth.get(code)! < K) {
        expect(cell.obsStatus).toBe('C');
        expect(cell.participants).toBeNull();
        expect(cell.tickets).toBeNull();
      }
    }
    // Antwerpen (4), Leuven (2), Kortrijk (1) are below k; with its partner cell, the total cannot give them away.
    const confidential = cells.filter((cell) => cell.obsStatus === 'C').map((cell) => cell.coordinates[0]);
    expect(confidential).toEqual(expect.arrayContaining(['11002', '24062', '34022']));
    const gent = cells.find((cell) => cell.coordinates[0] === '44021')!;
    expect(gent.obsStatus).toBe('A');
    expect(Math.abs(gent.participants! - 95)).toBeLessThanOrEqual(2);
    expect(gent.labels[0]).toBe('Gent / Gand');
    expect(gent.penetration).toBeGreaterThan(0);
    expect(gent.index).toBeGreaterThan(100);
  });

  it('answers the same question the same way (cell keys), in JSON, CSV and GraphQL', async () => {
    const path = '/v1/research/participation?groupBy=ageBand,channel&measures=tickets,participants,revenue';
    const first = await http(platform.baseUrl, 'GET', path, { token: researcherKey });
    const second = await http(platform.baseUrl, 'GET', path, { token: researcherKey });
    expect(second.body).toEqual(first.body);

    const csv = await http(platform.baseUrl, 'GET', `${path}&format=csv`, { token: researcherKey });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const rows: Array<Record<string, string>> = parse(csv.text, { columns: true });
    expect(Object.keys(rows[0])).toEqual(['ageBand', 'ageBandLabel', 'channel', 'channelLabel', 'tickets', 'participants', 'revenue', 'obsStatus', 'revenueStatus']);
    expect(rows).toHaveLength(first.body.cells.length);
    for (const row of rows.filter((entry) => entry.obsStatus === 'C')) expect(row.participants).toBe('');

    const response = await fetch(`${platform.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${researcherKey}` },
      body: JSON.stringify({
        query: `{ participation(groupBy: [ageBand, channel], measures: [tickets, participants, revenue]) { k groupBy cells { coordinates { dimension code label } tickets participants revenue obsStatus } } }`,
      }),
    });
    const { data, errors } = (await response.json()) as { data: { participation: { k: number; cells: Array<{ participants: number | null; coordinates: Array<{ code: string }> }> } }; errors?: unknown };
    expect(errors).toBeUndefined();
    expect(data.participation.k).toBe(K);
    const byKey = new Map(first.body.cells.map((cell: { coordinates: string[]; participants: number | null }) => [cell.coordinates.join('|'), cell.participants]));
    for (const cell of data.participation.cells) expect(cell.participants).toBe(byKey.get(cell.coordinates.map((value) => value.code).join('|')));

    const anonymous = await fetch(`${platform.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ participation(groupBy: [ageBand]) { k } }' }),
    });
    const denied = (await anonymous.json()) as { errors: Array<{ extensions: { code: string } }> };
    expect(denied.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('suppresses revenue that one organisation dominates, and revoked keys stop working', async () => {
    const response = await http(platform.baseUrl, 'GET', '/v1/research/participation?groupBy=organizer&measures=revenue,participants', { token: researcherKey });
    // One organisation holds all revenue of every cell: the (1, 85 %) rule withholds it.
    for (const cell of response.body.cells) {
      expect(cell.revenueStatus).toBe('C');
      expect(cell.revenue).toBeNull();
    }
    const keys = await http(platform.baseUrl, 'GET', '/v1/admin/researcher-keys', { token: TEST_ADMIN_TOKEN });
    const revoked = await http(platform.baseUrl, 'DELETE', `/v1/admin/researcher-keys/${keys.body[0].keyId}`, { token: TEST_ADMIN_TOKEN });
    expect(revoked.status).toBe(204);
    expect((await http(platform.baseUrl, 'GET', '/v1/research/participation', { token: researcherKey })).status).toBe(401);
  });
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { anActivity, aPerformance } from '../../../test/support/factories.js';
import { TEST_ADMIN_TOKEN, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { http } from './http.js';

/** Protected tables are cached per participation version: the same answer until a write, a new one after it. */
describe('participation statistics cache (e2e)', () => {
  let platform: TestApp;
  let vendorKey: string;
  let researcherKey: string;
  const push = async (from: number, count: number) => {
    const tickets = Array.from({ length: count }, (_, index) => ({
      id: `C-${from + index}`,
      performance: 'cache-p1',
      soldAt: '2026-10-01T12:00:00Z',
      price: 10,
      participant: { id: `P-${from + index}`, birthYear: 1980, postcode: '9000' },
    }));
    const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/cache-house/participation?wait=true', { token: vendorKey, body: tickets });
    expect(pushed.body.summary.accepted).toBe(count);
  };
  const gent = async () => {
    const table = await http(platform.baseUrl, 'GET', '/v1/research/participation?groupBy=homeMunicipality&measures=tickets', { token: researcherKey });
    expect(table.status).toBe(200);
    return { text: table.text, tickets: (table.body.cells as Array<{ coordinates: string[]; tickets: number }>).find((cell) => cell.coordinates[0] === '44021')!.tickets };
  };

  beforeAll(async () => {
    platform = await startTestApp({ overrides: { PSEUDONYM_KEY: 'test-pseudonym-key-0123456789' } });
    vendorKey = (await http(platform.baseUrl, 'POST', '/v1/admin/sources', { token: TEST_ADMIN_TOKEN, body: { id: 'cache-house', name: 'Cache', kind: 'push' } })).body.key;
    await http(platform.baseUrl, 'POST', '/v1/sources/cache-house/activities?wait=true', { token: vendorKey, body: [anActivity({ externalId: 'cache-act', performances: [aPerformance('cache-p1')] })] });
    researcherKey = (await http(platform.baseUrl, 'POST', '/v1/admin/researcher-keys', { token: TEST_ADMIN_TOKEN, body: { name: 'cache' } })).body.key;
  });

  afterAll(async () => {
    await platform.close();
  });

  it('answers the same until a write, and the new data right after it', async () => {
    await push(0, 40);
    const first = await gent();
    expect(Math.abs(first.tickets - 40)).toBeLessThanOrEqual(2);
    expect((await gent()).text).toBe(first.text);
    await push(40, 40);
    const second = await gent();
    expect(Math.abs(second.tickets - 80)).toBeLessThanOrEqual(2);
    // Re-sending the same tickets writes nothing: the version (and the cached table) stay.
    await http(platform.baseUrl, 'POST', '/v1/sources/cache-house/participation?wait=true', {
      token: vendorKey,
      body: [{ id: 'C-0', performance: 'cache-p1', soldAt: '2026-10-01T12:00:00Z', price: 10, participant: { id: 'P-0', birthYear: 1980, postcode: '9000' } }],
    });
    expect((await gent()).text).toBe(second.text);
  });
});

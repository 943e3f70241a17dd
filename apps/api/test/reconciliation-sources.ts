import { expect } from '@jest/globals';
import type { Activity } from '@platform/domain';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../../test/support/test-app.js';
import { http } from './http.js';

/** A ticketing, a planning and a calendar source, as reconciliation tests push them. */
export const RECONCILIATION_SOURCES = [
  ['tickets', 'ticketmatic'],
  ['planning', 'yesplan'],
  ['calendar', 'push'],
] as const;

export interface ReconciliationPlatform {
  platform: TestApp;
  /** Pushes items to a source (`?wait=true`) and answers the per-item results. */
  push(sourceId: string, items: Activity[]): Promise<Array<{ status: string; activityId: string }>>;
  key(sourceId: string): string;
}

export async function startReconciliationPlatform(overrides: Record<string, string> = {}): Promise<ReconciliationPlatform> {
  const platform = await startTestApp({ overrides });
  const keys: Record<string, string> = {};
  for (const [id, kind] of RECONCILIATION_SOURCES) {
    const created = await http(platform.baseUrl, 'POST', '/v1/admin/sources', { token: TEST_ADMIN_TOKEN, body: { id, name: id, kind } });
    keys[id] = created.body.key;
  }
  return {
    platform,
    key: (sourceId) => keys[sourceId],
    async push(sourceId, items) {
      const pushed = await http(platform.baseUrl, 'POST', `/v1/sources/${sourceId}/activities?wait=true`, { token: keys[sourceId], body: items });
      expect(pushed.status).toBe(200);
      return pushed.body.items as Array<{ status: string; activityId: string }>;
    },
  };
}

/** One venue address in Gent under the source's own place id and name. */
export function gentVenue(externalId: string, name: string, postalCode = '9000'): Activity['place'] {
  return {
    externalId,
    name: { nl: name },
    address: { street: 'Sint-Pietersnieuwstraat', houseNumber: '23', postalCode, municipality: { nl: 'Gent' } },
  };
}

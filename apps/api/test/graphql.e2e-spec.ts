import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from 'graphql-ws';
import { subscribe } from './subscriptions.js';
import WebSocket from 'ws';
import { entityId } from '@platform/domain';
import { aPerformance, anActivity } from '../../../test/support/factories.js';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { graphql, http } from './http.js';

const ACTIVITY_FIELDS = `
  id iri title externalId source
  titles { language value }
  type { iri label }
  place { id name address { postalCode municipality } geo { latitude longitude } }
  organizer { name }
  prices { category name amount currency }
  performances { id externalId start status availability { capacity remaining level } }
`;

describe('calendar read side (e2e: GraphQL queries and graphql-ws subscriptions)', () => {
  let platform: TestApp;
  let key: string;
  const gent = anActivity({ title: { nl: 'Jazz in de Bijloke', en: 'Jazz at the Bijloke' } });
  const antwerpen = anActivity({
    title: { nl: 'Hamlet' },
    type: { iri: 'https://data.cultuurparticipatie.be/id/concept/ActiviteitType/theatervoorstelling' },
    place: {
      externalId: 'venue-antwerpen',
      name: { nl: 'Toneelhuis' },
      address: { street: 'Komedieplaats', houseNumber: '18', postalCode: '2000', municipality: { nl: 'Antwerpen' } },
    },
    performances: [
      aPerformance('hamlet-p1', { start: '2027-03-10T20:00:00+01:00', end: undefined, availability: { capacity: 100, remaining: 0, level: 'OutOfStock', changedAt: '2026-11-20T10:00:00Z' } }),
    ],
  });

  beforeAll(async () => {
    platform = await startTestApp();
    key = await platform.createSource('gql-house');
    const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/gql-house/activities?wait=true', { token: key, body: [gent, antwerpen] });
    expect(pushed.body.summary.accepted).toBe(2);
  });

  afterAll(async () => {
    await platform.close();
  });

  it('fetches one activity with performances, place and live availability', async () => {
    const id = entityId('activiteit', 'gql-house', gent.externalId);
    const result = await graphql(platform.baseUrl, `query($id: ID!) { activity(id: $id, language: "en") { ${ACTIVITY_FIELDS} } }`, { id });
    expect(result.errors).toBeUndefined();
    expect(result.data.activity).toMatchObject({
      id,
      iri: `http://data.test.local/id/activiteit/${id}`,
      title: 'Jazz at the Bijloke',
      place: { address: { postalCode: '9000', municipality: 'Gent' } },
      prices: [{ category: 'base', name: 'Standard', amount: 24, currency: 'EUR' }],
    });
    expect(result.data.activity.performances).toHaveLength(2);
    expect(result.data.activity.performances[0].availability).toEqual({ capacity: 500, remaining: 200, level: 'InStock' });
    expect((await graphql(platform.baseUrl, `{ activity(id: "not-an-id") { id } }`)).data.activity).toBeNull();
  });

  it('filters by text, date range, postal code, type, place, organizer and availability level, with cursor paging', async () => {
    const ids = async (filter: Record<string, unknown>) =>
      (
        await graphql(platform.baseUrl, `query($filter: ActivityFilter) { activities(filter: $filter, first: 10) { totalCount edges { node { externalId } } } }`, { filter })
      ).data.activities.edges.map((edge: { node: { externalId: string } }) => edge.node.externalId);
    expect(await ids({ text: 'jaz bijl' })).toEqual([gent.externalId]);
    expect(await ids({ postalCode: '2000' })).toEqual([antwerpen.externalId]);
    expect(await ids({ type: 'https://data.cultuurparticipatie.be/id/concept/ActiviteitType/theatervoorstelling' })).toEqual([antwerpen.externalId]);
    expect(await ids({ availabilityLevel: 'OutOfStock' })).toEqual([antwerpen.externalId]);
    expect(await ids({ from: '2027-03-01T00:00:00Z', to: '2027-04-01T00:00:00Z' })).toEqual([antwerpen.externalId]);
    expect(await ids({ placeId: entityId('locatie', 'gql-house', 'venue-1') })).toEqual([gent.externalId]);
    expect(await ids({ organizerId: entityId('organisator', 'gql-house', 'org-1'), source: 'gql-house' })).toEqual(
      expect.arrayContaining([gent.externalId, antwerpen.externalId]),
    );

    const page1 = await graphql(platform.baseUrl, `{ activities(first: 1) { totalCount pageInfo { hasNextPage endCursor } edges { node { externalId } } } }`);
    expect(page1.data.activities.totalCount).toBe(2);
    expect(page1.data.activities.pageInfo.hasNextPage).toBe(true);
    const page2 = await graphql(platform.baseUrl, `query($after: String) { activities(first: 1, after: $after) { pageInfo { hasNextPage } edges { node { externalId } } } }`, {
      after: page1.data.activities.pageInfo.endCursor,
    });
    expect(page2.data.activities.pageInfo.hasNextPage).toBe(false);
    expect(page2.data.activities.edges[0].node.externalId).not.toBe(page1.data.activities.edges[0].node.externalId);
    const tooMany = await graphql(platform.baseUrl, `{ activities(first: 1000) { totalCount } }`);
    expect(tooMany.errors?.[0].message).toContain('first must be between 1 and 100');
    const badCursor = await graphql(platform.baseUrl, `{ activities(first: 1, after: "garbage") { totalCount } }`);
    expect(badCursor.errors?.[0].message).toMatch(/cursor/i);
    const forgedCursor = Buffer.from(JSON.stringify(['x', 'y'])).toString('base64url');
    const forged = await graphql(platform.baseUrl, `query($after: String) { activities(first: 1, after: $after) { totalCount } }`, { after: forgedCursor });
    expect(forged.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    const badPlace = await graphql(platform.baseUrl, `{ activities(filter: {placeId: "x"}) { totalCount } }`);
    expect(badPlace.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    expect(badPlace.errors?.[0].message).not.toMatch(/syntax for type uuid/);
  });

  it('pushes availability changes to subscribers, filtered by activity', async () => {
    const client = createClient({ url: `${platform.baseUrl.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: false });
    const activityId = entityId('activiteit', 'gql-house', gent.externalId);
    const mine = subscribe(client, `subscription($id: ID) { availabilityChanged(activityId: $id) { activityId performanceExternalId remaining level capacity seq } }`, { id: activityId });
    const other = subscribe(client, `subscription($id: ID) { availabilityChanged(activityId: $id) { activityId } }`, {
      id: entityId('activiteit', 'gql-house', antwerpen.externalId),
    });
    await Promise.all([mine.ready, other.ready]);
    try {
      const update = await http(platform.baseUrl, 'PUT', `/v1/sources/gql-house/performances/${gent.performances[0].externalId}/availability`, {
        token: key,
        body: { remaining: 0 },
      });
      expect(update.status).toBe(200);
      const event = await mine.next();
      expect(event.availabilityChanged).toMatchObject({ activityId, performanceExternalId: gent.performances[0].externalId, remaining: 0, capacity: 500, level: 'OutOfStock' });
      expect(event.availabilityChanged.seq).toMatch(/^\d+$/);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(other.received).toHaveLength(0);
      const live = await graphql(platform.baseUrl, `query($id: ID!) { activity(id: $id) { performances { availability { remaining level } } } }`, { id: activityId });
      expect(live.data.activity.performances[0].availability).toEqual({ remaining: 0, level: 'OutOfStock' });
    } finally {
      mine.dispose();
      other.dispose();
      await client.dispose();
    }
  });
});

describe('live availability across api processes (Redis pub/sub)', () => {
  it('reaches a subscriber on another api process sharing Redis and Postgres', async () => {
    const writer = await startTestApp();
    const reader = await startTestApp({ worker: false, database: writer.database, overrides: { REDIS_PREFIX: writer.redisPrefix } });
    const client = createClient({ url: `${reader.baseUrl.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: false });
    try {
      const key = await writer.createSource('multi');
      const item = anActivity();
      await http(writer.baseUrl, 'POST', '/v1/sources/multi/activities?wait=true', { token: key, body: [item] });
      const subscription = subscribe(client, `subscription { availabilityChanged { performanceExternalId remaining } }`, {});
      await subscription.ready;
      await http(writer.baseUrl, 'PUT', `/v1/sources/multi/performances/${item.performances[1].externalId}/availability`, { token: key, body: { remaining: 7 } });
      const event = await subscription.next();
      expect(event.availabilityChanged).toEqual({ performanceExternalId: item.performances[1].externalId, remaining: 7 });
      subscription.dispose();
    } finally {
      await client.dispose();
      await reader.close();
      await writer.close();
    }
  });
});

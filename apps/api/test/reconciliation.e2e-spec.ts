import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { entityId, type Activity } from '@platform/domain';
import { aPerformance, anActivity } from '../../../test/support/factories.js';
import { TEST_ADMIN_TOKEN, type TestApp } from '../../../test/support/test-app.js';
import { gentVenue, startReconciliationPlatform, type ReconciliationPlatform } from './reconciliation-sources.js';
import { graphql, http } from './http.js';
import { subscribe } from './subscriptions.js';

const PUBLISHED = `id source title description sources { id source method } provenance { field source }
  performances { id start scheduleFrom availabilityFrom sameAs availability { capacity remaining level } }`;

/** Reconciliation over the push API: sources of three kinds describe the same concert. */
describe('reconciliation (e2e, real Postgres + Redis + BullMQ worker)', () => {
  let platform: TestApp;
  let sources: ReconciliationPlatform;
  const venue = gentVenue;
  const push = (sourceId: string, items: Activity[]) => sources.push(sourceId, items);
  const listed = async () =>
    (await graphql(platform.baseUrl, `{ activities(filter: {postalCode: "9000"}, first: 50) { totalCount edges { node { ${PUBLISHED} } } } }`)).data.activities;

  beforeAll(async () => {
    sources = await startReconciliationPlatform();
    platform = sources.platform;
  });

  afterAll(async () => {
    await platform.close();
  });

  it('links by a declared id (either one may arrive first), and publishes one activity with per-field provenance', async () => {
    const [ticket] = await push('tickets', [
      anActivity({
        externalId: 'tm-100',
        title: { nl: 'DM live' },
        place: venue('tm-venue', 'Zaal 1'),
        links: [{ source: 'calendar', externalId: 'cal-100' }],
        performances: [aPerformance('tm-100-p', { start: '2027-03-01T20:00:00+01:00', availability: { capacity: 800, remaining: 37, level: 'InStock', changedAt: '2026-12-01T10:00:00Z' } })],
      }),
    ]);
    expect((await listed()).totalCount).toBe(1);
    const [calendar] = await push('calendar', [
      anActivity({
        externalId: 'cal-100',
        title: { nl: 'Dez Mona' },
        description: { nl: 'Dez Mona brengt een nieuw album.' },
        place: venue('cal-venue', 'Vooruit'),
        performances: [aPerformance('cal-100-p', { start: '2027-03-01T20:00:00+01:00', availability: { capacity: 900, remaining: 500, level: 'InStock', changedAt: '2026-12-01T10:00:00Z' } })],
      }),
    ]);
    const page = await listed();
    expect(page.totalCount).toBe(1);
    const [published] = page.edges.map((edge: { node: unknown }) => edge.node);
    expect(published.id).toBe(ticket.activityId);
    expect(published.sources).toEqual(
      expect.arrayContaining([
        { id: ticket.activityId, source: 'tickets', method: 'own' },
        { id: calendar.activityId, source: 'calendar', method: 'declared' },
      ]),
    );
    expect(published.title).toBe('Dez Mona');
    expect(published.provenance).toEqual(expect.arrayContaining([{ field: 'title', source: 'calendar' }, { field: 'description', source: 'calendar' }, { field: 'prices', source: 'tickets' }]));
    expect(published.performances).toHaveLength(1);
    expect(published.performances[0]).toMatchObject({ availabilityFrom: 'tickets', availability: { capacity: 800, remaining: 37 } });
    // The calendar's own id answers with the published activity.
    const byMember = await graphql(platform.baseUrl, `{ activity(id: "${calendar.activityId}") { id } }`);
    expect(byMember.data.activity.id).toBe(ticket.activityId);
  });

  it('matches a record that names nothing: same place, start within the window, same title; schedule from planning', async () => {
    const [planned] = await push('planning', [
      anActivity({
        externalId: 'yp-100',
        title: { nl: 'Dez Mona' },
        place: venue('yp-venue', 'Vooruit Theaterzaal'),
        performances: [aPerformance('yp-100-p', { start: '2027-03-01T20:15:00+01:00', end: '2027-03-01T22:00:00+01:00', availability: undefined })],
      }),
    ]);
    const page = await listed();
    expect(page.totalCount).toBe(1);
    const published = page.edges[0].node;
    expect(published.sources.map((source: { source: string; method: string }) => `${source.source}:${source.method}`).sort()).toEqual(['calendar:declared', 'planning:matched', 'tickets:own']);
    expect(published.performances[0]).toMatchObject({ start: '2027-03-01T19:15:00.000Z', scheduleFrom: 'planning', availabilityFrom: 'tickets' });
    expect(published.performances[0].sameAs).toHaveLength(3);
    expect(published.performances[0].sameAs).toContain(entityId('uitvoering', 'planning', 'yp-100-p'));
    expect(planned.status).toBe('accepted');
  });

  it("sends the published seats' changes (the ticketing member's) to subscribers of the published activity", async () => {
    const publishedId = entityId('activiteit', 'tickets', 'tm-100');
    const client = createClient({ url: `${platform.baseUrl.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, lazy: false });
    try {
      const subscription = subscribe(client, 'subscription ($id: ID) { availabilityChanged(activityId: $id) { activityId remaining } }', { id: publishedId });
      // By the id of another record of the cluster: the same published seats, named by that id.
      const calendarId = entityId('activiteit', 'calendar', 'cal-100');
      const byMember = subscribe(client, 'subscription ($id: ID) { availabilityChanged(activityId: $id) { activityId remaining } }', { id: calendarId });
      await Promise.all([subscription.ready, byMember.ready]);
      // The calendar's own seat count is not what is published: its change is not sent. Events name the published id.
      await http(platform.baseUrl, 'PUT', '/v1/sources/calendar/performances/cal-100-p/availability', { token: sources.key('calendar'), body: { remaining: 400 } });
      await http(platform.baseUrl, 'PUT', '/v1/sources/tickets/performances/tm-100-p/availability', { token: sources.key('tickets'), body: { remaining: 4 } });
      expect((await subscription.next()).availabilityChanged).toEqual({ activityId: publishedId, remaining: 4 });
      expect(subscription.received).toHaveLength(1);
      expect((await byMember.next()).availabilityChanged).toEqual({ activityId: calendarId, remaining: 4 });
      expect(byMember.received).toHaveLength(1);
      subscription.dispose();
      byMember.dispose();
    } finally {
      await client.dispose();
    }
    expect((await listed()).edges[0].node.performances[0].availability).toEqual({ capacity: 800, remaining: 4, level: 'LimitedAvailability' });
  });

  it('puts an uncertain match on the review list; confirming links it, rejecting keeps it apart for good', async () => {
    const [tryout] = await push('calendar', [
      anActivity({ externalId: 'cal-200', title: { nl: 'Dez Mona try-out voor scholen' }, place: venue('cal-venue', 'Vooruit'), performances: [aPerformance('cal-200-p', { start: '2027-03-01T20:20:00+01:00' })] }),
    ]);
    const open = await http(platform.baseUrl, 'GET', '/v1/admin/reconciliation/candidates', { token: TEST_ADMIN_TOKEN });
    const candidate = open.body.find((entry: { activityId: string; otherActivityId: string }) => [entry.activityId, entry.otherActivityId].includes(tryout.activityId));
    expect(candidate).toBeDefined();
    expect(candidate.score).toBeGreaterThanOrEqual(0.55);
    expect(candidate.score).toBeLessThan(0.85);
    expect(candidate.reasons).toEqual(expect.objectContaining({ title: expect.any(Number), place: expect.any(Number), startDeltaMinutes: expect.any(Number) }));
    expect([candidate.activity.title.nl, candidate.other.title.nl]).toContain('Dez Mona try-out voor scholen');

    const rejected = await http(platform.baseUrl, 'POST', `/v1/admin/reconciliation/candidates/${candidate.id}/reject`, { token: TEST_ADMIN_TOKEN });
    expect(rejected.body.status).toBe('rejected');
    const rerun = await http(platform.baseUrl, 'POST', '/v1/admin/reconciliation/run', { token: TEST_ADMIN_TOKEN, body: { activityIds: [tryout.activityId] } });
    expect(rerun.body).toMatchObject({ activities: 1, linked: 0 });
    expect((await http(platform.baseUrl, 'GET', '/v1/admin/reconciliation/candidates', { token: TEST_ADMIN_TOKEN })).body.map((entry: { id: string }) => entry.id)).not.toContain(candidate.id);
    expect((await listed()).totalCount).toBe(2);

    const [encore] = await push('calendar', [
      anActivity({ externalId: 'cal-300', title: { nl: 'Dez Mona extra voorstelling' }, place: venue('cal-venue', 'Vooruit'), performances: [aPerformance('cal-300-p', { start: '2027-03-01T20:25:00+01:00' })] }),
    ]);
    const proposals = (await http(platform.baseUrl, 'GET', '/v1/admin/reconciliation/candidates', { token: TEST_ADMIN_TOKEN })).body;
    const proposal = proposals.find((entry: { activityId: string; otherActivityId: string }) => [entry.activityId, entry.otherActivityId].includes(encore.activityId));
    const confirmed = await http(platform.baseUrl, 'POST', `/v1/admin/reconciliation/candidates/${proposal.id}/confirm`, { token: TEST_ADMIN_TOKEN });
    expect(confirmed.body.status).toBe('confirmed');
    const published = await graphql(platform.baseUrl, `{ activity(id: "${encore.activityId}") { ${PUBLISHED} } }`);
    expect(published.data.activity.sources.map((source: { id: string }) => source.id)).toContain(encore.activityId);
  });

  it('unlinking restores separate activities, and matching does not link them back', async () => {
    const planning = entityId('activiteit', 'planning', 'yp-100');
    const unlinked = await http(platform.baseUrl, 'DELETE', `/v1/admin/reconciliation/links/${planning}`, { token: TEST_ADMIN_TOKEN });
    expect(unlinked.status).toBe(200);
    const alone = await graphql(platform.baseUrl, `{ activity(id: "${planning}") { ${PUBLISHED} } }`);
    expect(alone.data.activity).toMatchObject({ id: planning, source: 'planning', sources: [{ id: planning, source: 'planning', method: 'own' }], provenance: [] });
    await http(platform.baseUrl, 'POST', '/v1/admin/reconciliation/run', { token: TEST_ADMIN_TOKEN, body: { sourceId: 'planning' } });
    expect((await graphql(platform.baseUrl, `{ activity(id: "${planning}") { sources { id } } }`)).data.activity.sources).toHaveLength(1);
    expect((await http(platform.baseUrl, 'DELETE', `/v1/admin/reconciliation/links/${planning}`, { token: TEST_ADMIN_TOKEN })).status).toBe(404);
  });

  it('re-roots a cluster when its oldest record is deleted; the JSON-LD names the records it merges', async () => {
    const root = entityId('activiteit', 'tickets', 'tm-100');
    const before = await graphql(platform.baseUrl, `{ activity(id: "${root}") { sources { id } } }`);
    const others = before.data.activity.sources.map((source: { id: string }) => source.id).filter((id: string) => id !== root);
    expect((await http(platform.baseUrl, 'DELETE', '/v1/sources/tickets/activities/tm-100', { token: sources.key('tickets') })).status).toBe(204);
    const after = await graphql(platform.baseUrl, `{ activity(id: "${others[0]}") { id sources { id } } }`);
    expect(others).toContain(after.data.activity.id);
    expect(after.data.activity.sources.map((source: { id: string }) => source.id).sort()).toEqual([...others].sort());
    const turtle = await http(platform.baseUrl, 'GET', `/id/activiteit/${after.data.activity.id}`, { headers: { accept: 'text/turtle' } });
    for (const other of others.filter((id: string) => id !== after.data.activity.id)) expect(turtle.text).toContain(`prov:wasDerivedFrom <http://data.test.local/id/activiteit/${other}>`);
  });

  it('refuses bad admin input with a clear error', async () => {
    const bad = await http(platform.baseUrl, 'POST', '/v1/admin/reconciliation/links', { token: TEST_ADMIN_TOKEN, body: { activityId: 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ where: 'body /activityId', message: { nl: expect.any(String), en: expect.any(String) } });
    expect((await http(platform.baseUrl, 'GET', '/v1/admin/reconciliation/candidates?status=maybe', { token: TEST_ADMIN_TOKEN })).status).toBe(400);
    expect((await http(platform.baseUrl, 'POST', '/v1/admin/reconciliation/candidates/00000000-0000-4000-8000-000000000000/confirm', { token: TEST_ADMIN_TOKEN })).status).toBe(404);
  });
});

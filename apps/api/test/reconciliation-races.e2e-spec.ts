/** Reconciliation's hard cases (found in review): decisions that must hold, concurrency, deletes, cluster-wide search. */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { entityId, type Activity } from '@platform/domain';
import { contentHash, IngestService, Reconciler } from '@platform/pipeline';
import { ArchiveStore, BatchStore } from '@platform/storage';
import { aPerformance, anActivity } from '../../../test/support/factories.js';
import { TEST_ADMIN_TOKEN, type TestApp } from '../../../test/support/test-app.js';
import { gentVenue, startReconciliationPlatform, type ReconciliationPlatform } from './reconciliation-sources.js';
import { graphql, http } from './http.js';

describe('reconciliation edge cases (e2e, real Postgres + Redis + BullMQ worker)', () => {
  let platform: TestApp;
  let sources: ReconciliationPlatform;
  const venue = gentVenue;
  const push = (sourceId: string, items: Activity[]) => sources.push(sourceId, items);
  const sourcesOf = async (id: string) =>
    ((await graphql(platform.baseUrl, `{ activity(id: "${id}") { id sources { id source } } }`)).data.activity?.sources ?? []).map((s: { id: string }) => s.id);
  const db = () => platform.app.get(DataSource);

  beforeAll(async () => {
    sources = await startReconciliationPlatform();
    platform = sources.platform;
  });
  afterAll(async () => {
    await platform.close();
  });

  it('an unlinked declared link stays unlinked when the declaring record is sent again (changed)', async () => {
    const ticket = anActivity({
      externalId: 'tm-1',
      title: { nl: 'Declared A' },
      place: venue('tm-v', 'Zaal'),
      links: [{ source: 'calendar', externalId: 'cal-1' }],
      performances: [aPerformance('tm-1-p', { start: '2027-05-01T20:00:00+02:00' })],
    });
    await push('tickets', [ticket]);
    await push('calendar', [anActivity({ externalId: 'cal-1', title: { nl: 'Iets heel anders' }, place: venue('cal-v', 'Andere zaal'), performances: [aPerformance('cal-1-p', { start: '2027-06-01T20:00:00+02:00' })] })]);
    const calendarId = entityId('activiteit', 'calendar', 'cal-1');
    const ticketId = entityId('activiteit', 'tickets', 'tm-1');
    expect((await sourcesOf(ticketId)).sort()).toEqual([calendarId, ticketId].sort());
    expect((await http(platform.baseUrl, 'DELETE', `/v1/admin/reconciliation/links/${calendarId}`, { token: TEST_ADMIN_TOKEN })).status).toBe(200);
    expect(await sourcesOf(calendarId)).toEqual([calendarId]);
    // The ticketing system sends a price change (the declared link is still in its record).
    await push('tickets', [{ ...ticket, prices: [{ category: 'base', name: { nl: 'Basis' }, amount: 30, currency: 'EUR' }] }]);
    // The operator's unlink must hold (the pair is recorded as rejected).
    expect(await sourcesOf(calendarId)).toEqual([calendarId]);
  });

  it('deleting a member of a cluster appends change-log entries for the members whose published view changed', async () => {
    await push('tickets', [anActivity({ externalId: 'tm-2', title: { nl: 'Ketting' }, place: venue('tm-v', 'Zaal'), links: [{ source: 'calendar', externalId: 'cal-2' }], performances: [aPerformance('tm-2-p', { start: '2027-07-01T20:00:00+02:00' })] })]);
    await push('calendar', [anActivity({ externalId: 'cal-2', title: { nl: 'Ketting' }, place: venue('cal-v', 'Andere zaal'), performances: [aPerformance('cal-2-p', { start: '2027-07-01T20:00:00+02:00' })] })]);
    const ticketId = entityId('activiteit', 'tickets', 'tm-2');
    const calendarId = entityId('activiteit', 'calendar', 'cal-2');
    expect((await sourcesOf(ticketId)).sort()).toEqual([calendarId, ticketId].sort());
    const [{ max }] = await db().query('SELECT coalesce(max(seq), 0)::bigint AS max FROM change_log');
    expect((await http(platform.baseUrl, 'DELETE', '/v1/sources/tickets/activities/tm-2', { token: sources.key('tickets') })).status).toBe(204);
    // calendar's record was published as ticketId; now it is published as itself: a feed reader must be told.
    const entries: Array<{ entity_id: string; operation: string }> = await db().query('SELECT entity_id, operation FROM change_log WHERE seq > $1', [max]);
    expect(entries).toEqual(expect.arrayContaining([expect.objectContaining({ entity_id: calendarId, operation: 'upsert' })]));
  });

  it('search filters see the published (merged) activity, not only the oldest record', async () => {
    await push('tickets', [anActivity({ externalId: 'tm-3', title: { nl: 'Zomerconcert' }, type: undefined, theme: undefined, place: venue('tm-v3', 'Zaal', '9050'), links: [{ source: 'calendar', externalId: 'cal-3' }], performances: [aPerformance('tm-3-p', { start: '2027-08-01T20:00:00+02:00' })] })]);
    await push('calendar', [anActivity({ externalId: 'cal-3', title: { nl: 'Zomerconcert Brassband Xylofoon' }, place: venue('cal-v3', 'Zaal', '9050'), performances: [aPerformance('cal-3-p', { start: '2027-08-01T20:00:00+02:00' })] })]);
    const ticketId = entityId('activiteit', 'tickets', 'tm-3');
    const shown = await graphql(platform.baseUrl, `{ activity(id: "${ticketId}") { title sources { source } place { id } } }`);
    expect(shown.data.activity.title).toBe('Zomerconcert Brassband Xylofoon');
    const count = async (filter: string) => (await graphql(platform.baseUrl, `{ activities(filter: {postalCode: "9050", ${filter}}, first: 50) { totalCount } }`)).data.activities.totalCount;
    const counts = {
      text: await count('text: "xylofoon"'), // a word of the published title
      source: await count('source: "calendar"'), // the cluster has a calendar record
      place: await count(`placeId: "${shown.data.activity.place.id}"`), // the published place
      type: await count('type: "https://data.cultuurparticipatie.be/id/concept/ActiviteitType/concert"'), // the published type
    };
    expect(counts).toEqual({ text: 1, source: 1, place: 1, type: 1 });
  });

  it('two reconciliations at once (two workers) never put two records of one source in a cluster', async () => {
    // A ticketing record, and two planning records that both match it, stored without reconciliation yet
    // (as two worker processes would have them, each about to reconcile its own batch).
    const ingest = platform.app.get(IngestService);
    const reconciler = platform.app.get(Reconciler);
    await push('tickets', [anActivity({ externalId: 'tm-4', title: { nl: 'Race' }, place: venue('tm-v4', 'Zaal', '9060'), performances: [aPerformance('tm-4-p', { start: '2027-09-01T20:00:00+02:00' })] })]);
    const store = async (externalId: string) => {
      const activity = anActivity({ externalId, title: { nl: 'Race' }, place: venue(`${externalId}-v`, 'Zaal', '9070'), performances: [aPerformance(`${externalId}-p`, { start: '2027-09-01T20:00:00+02:00' })] });
      const payload = await platform.app.get(ArchiveStore).archive({ sourceId: 'planning', kind: 'connector', contentType: 'application/json', body: Buffer.from('[]'), origin: 'test', runId: undefined });
      const batch = await platform.app.get(BatchStore).create('planning', payload);
      const verdicts = await ingest.evaluate('planning', [{ kind: 'activity', externalId, activity, contentHash: contentHash(activity), problems: [] }]);
      await ingest.commit('planning', batch, verdicts, new Date()); // postal code 9070: nothing matches yet
    };
    await store('yp-4a');
    await store('yp-4b');
    await db().query(`UPDATE activity SET postal_code = '9060' WHERE source_id = 'planning' AND external_id IN ('yp-4a', 'yp-4b')`);
    const ids = ['yp-4a', 'yp-4b'].map((id) => entityId('activiteit', 'planning', id));
    await Promise.all(ids.map((id) => reconciler.reconcile([id])));
    const rows: Array<{ cluster_id: string; n: number }> = await db().query(
      `SELECT link.cluster_id, count(*)::int AS n FROM activity_link link JOIN activity a ON a.id = link.activity_id
        WHERE a.source_id = 'planning' AND a.external_id IN ('yp-4a','yp-4b') GROUP BY link.cluster_id`,
    );
    expect(rows.map((row) => row.n)).not.toContain(2);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('a process that stops between the commit and reconciliation loses nothing: the next worker start reconciles', async () => {
    const reconciler = platform.app.get(Reconciler);
    const skip = jest.spyOn(reconciler, 'reconcileQuietly').mockResolvedValue(undefined);
    try {
      await push('tickets', [anActivity({ externalId: 'tm-5', title: { nl: 'Na de crash' }, place: venue('tm-v5', 'Zaal', '9080'), performances: [aPerformance('tm-5-p', { start: '2027-10-01T20:00:00+02:00' })] })]);
      await push('calendar', [anActivity({ externalId: 'cal-5', title: { nl: 'Na de crash' }, place: venue('cal-v5', 'Zaal', '9080'), performances: [aPerformance('cal-5-p', { start: '2027-10-01T20:00:00+02:00' })] })]);
    } finally {
      skip.mockRestore();
    }
    const calendar = entityId('activiteit', 'calendar', 'cal-5');
    expect(await sourcesOf(calendar)).toHaveLength(1);
    const pending: Array<{ activity_id: string }> = await db().query('SELECT activity_id FROM reconciliation_pending');
    expect(pending.map((row) => row.activity_id)).toEqual(expect.arrayContaining([calendar, entityId('activiteit', 'tickets', 'tm-5')]));
    expect(await reconciler.reconcilePending()).toBeGreaterThanOrEqual(2);
    expect(await sourcesOf(calendar)).toHaveLength(2);
    expect(await db().query('SELECT activity_id FROM reconciliation_pending')).toEqual([]);
  });

  it("a changed record of a reconciled activity is change-logged under the cluster's id too; its performance names the others'", async () => {
    const [ticket] = await push('tickets', [
      anActivity({ externalId: 'tm-6', title: { nl: 'Logboek' }, place: venue('tm-v6', 'Zaal', '9090'), links: [{ source: 'calendar', externalId: 'cal-6' }], performances: [aPerformance('tm-6-p', { start: '2027-11-01T20:00:00+01:00' })] }),
    ]);
    const calendarItem = anActivity({ externalId: 'cal-6', title: { nl: 'Logboek' }, place: venue('cal-v6', 'Zaal', '9090'), performances: [aPerformance('cal-6-p', { start: '2027-11-01T20:00:00+01:00' })] });
    await push('calendar', [calendarItem]);
    const [{ max }]: Array<{ max: string }> = await db().query('SELECT max(seq)::text AS max FROM change_log');
    await push('calendar', [{ ...calendarItem, description: { nl: 'Nu met beschrijving.' } }]);
    const after: Array<{ entity_id: string }> = await db().query('SELECT entity_id FROM change_log WHERE seq > $1', [max]);
    expect(after.map((row) => row.entity_id)).toEqual(expect.arrayContaining([ticket.activityId, entityId('activiteit', 'calendar', 'cal-6')]));
    const turtle = await http(platform.baseUrl, 'GET', `/id/activiteit/${ticket.activityId}`, { headers: { accept: 'text/turtle' } });
    expect(turtle.text).toContain(`<http://data.test.local/id/activiteit/${entityId('uitvoering', 'tickets', 'tm-6-p')}> prov:wasDerivedFrom <http://data.test.local/id/activiteit/${entityId('uitvoering', 'calendar', 'cal-6-p')}>`);
  });
});

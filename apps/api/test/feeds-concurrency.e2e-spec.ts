/**
 * The change-feed guarantee (DESIGN.md): a consumer following either feed sees every committed change
 * exactly once and in order, also while batches, seat changes, deletes and reconciliation commit at
 * once through the real pipeline (api + BullMQ worker on Postgres and Redis), and no change ever
 * appears behind a cursor the consumer has passed.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { Activity } from '@platform/domain';
import { aPerformance, anActivity } from '../../../test/support/factories.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../../test/support/test-app.js';
import { LdesFollower, RpdeFollower, type RpdeItem } from '../../../test/support/feed-followers.js';
import { http } from './http.js';
import { gentVenue } from './reconciliation-sources.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const LDES_PAGE_SPAN = 20;

describe('feed guarantee under concurrent writers (e2e: api + BullMQ worker, Postgres, Redis)', () => {
  let platform: TestApp;
  let database: DataSource;
  const keys: Record<string, string> = {};

  beforeAll(async () => {
    platform = await startTestApp({
      ownBaseUrl: true,
      // Several batches in the worker at once, small pages so consumers cross many page boundaries.
      overrides: { WORKER_CONCURRENCY: '4', FEED_PAGE_SIZE: '7', FEED_LDES_PAGE_SPAN: String(LDES_PAGE_SPAN) },
    });
    database = await new DataSource({ type: 'postgres', url: platform.database.url }).initialize();
    // Widen the dangerous window: each writing transaction waits a little at commit, after it took its
    // sequence numbers. Without the change-log lock a later number then often commits first, and the
    // consumers below would pass it before the smaller one appears (checked: the test fails so).
    await database.query(`
      CREATE FUNCTION test_slow_commit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF current_setting('test.slow_commit', true) IS DISTINCT FROM 'done' THEN
          PERFORM set_config('test.slow_commit', 'done', true);
          PERFORM pg_sleep(random() * 0.04);
        END IF;
        RETURN NULL;
      END $$;
      CREATE CONSTRAINT TRIGGER test_slow_commit AFTER INSERT ON change_log DEFERRABLE INITIALLY DEFERRED
        FOR EACH ROW EXECUTE FUNCTION test_slow_commit();
    `);
    for (const [id, kind] of [
      ['calendar', 'push'],
      ['tickets', 'ticketmatic'],
    ]) {
      const created = await http(platform.baseUrl, 'POST', '/v1/admin/sources', { token: TEST_ADMIN_TOKEN, body: { id, name: id, kind } });
      keys[id] = created.body.key;
    }
  }, 60_000);

  afterAll(async () => {
    await database?.destroy();
    await platform?.close();
  });

  it('every committed change reaches an RPDE and an LDES consumer once, in order, never behind their cursor', async () => {
    const show = (index: number, source: string): Activity =>
      anActivity({
        externalId: `${source}-${index}`,
        title: { nl: `Voorstelling ${index}` },
        place: gentVenue(`${source}-zaal`, 'Vooruit'),
        // The ticketing record declares which calendar record it is: reconciliation links them.
        links: source === 'tickets' ? [{ source: 'calendar', externalId: `calendar-${index}` }] : undefined,
        performances: [aPerformance(`${source}-${index}-p1`, { start: `2027-04-${String(1 + (index % 28)).padStart(2, '0')}T20:00:00+02:00` })],
      });
    const push = async (source: string, items: Activity[]) => {
      const pushed = await http(platform.baseUrl, 'POST', `/v1/sources/${source}/activities?wait=true`, { token: keys[source], body: items });
      expect(pushed.status).toBe(200);
    };
    const rpde = new RpdeFollower(`${platform.baseUrl}/feeds/activities`);
    const ldes = new LdesFollower(`${platform.baseUrl}/ldes/activities`);
    const batches = (source: string) =>
      Promise.all(Array.from({ length: 4 }, (_, batch) => push(source, Array.from({ length: 6 }, (__, index) => show(batch * 6 + index, source)))));
    const seats = (async () => {
      for (let round = 0; round < 12; round++) {
        const updates = Array.from({ length: 24 }, (_, index) => ({ performanceId: `tickets-${index}-p1`, capacity: 500, remaining: 400 - round * 7 - index }));
        const answer = await http(platform.baseUrl, 'PUT', '/v1/sources/tickets/availability', { token: keys.tickets, body: updates });
        // Performances not stored yet are reported unknown; nothing may fail.
        expect(answer.status).toBeLessThan(500);
        await sleep(20);
      }
    })();
    const deletes = (async () => {
      await sleep(300);
      for (const index of [1, 5, 9, 13]) {
        const deleted = await http(platform.baseUrl, 'DELETE', `/v1/sources/calendar/activities/calendar-${index}`, { token: keys.calendar });
        expect([204, 404]).toContain(deleted.status);
        await sleep(40);
      }
    })();
    // Edits of records already linked (or being linked) while the rest goes on.
    const edits = (async () => {
      await sleep(200);
      for (let round = 0; round < 3; round++) await push('tickets', Array.from({ length: 6 }, (_, index) => ({ ...show(index, 'tickets'), description: { nl: `Versie ${round}` } })));
    })();
    await Promise.all([batches('calendar'), batches('tickets'), seats, deletes, edits]);
    const [rpdeResult, ldesResult] = await Promise.all([rpde.finish(), ldes.finish()]);

    const log: Array<{ seq: string; entity_id: string }> = await database.query(`SELECT seq::text AS seq, entity_id FROM change_log WHERE entity_type = 'activity' ORDER BY change_log.seq`);
    expect(log.length).toBeGreaterThan(100);
    // Clusters were formed while everything else committed.
    const [{ linked }] = await database.query('SELECT count(*)::int AS linked FROM activity_link');
    expect(linked).toBeGreaterThan(0);

    // RPDE: strictly increasing change numbers (exactly once, in order), and the consumer ends at each entity's latest change.
    expect(rpdeResult.behindCursor).toEqual([]);
    const latest = new Map<string, number>();
    for (const row of log) latest.set(row.entity_id, Number(row.seq));
    const consumer = new Map<string, RpdeItem>();
    for (const item of rpdeResult.items) consumer.set(item.id, item);
    expect(new Map([...consumer].map(([id, item]) => [id, item.modified]))).toEqual(latest);
    const published: Array<{ id: string }> = await database.query(
      `SELECT activity.id FROM activity LEFT JOIN activity_link link ON link.activity_id = activity.id WHERE link.cluster_id IS NULL OR link.cluster_id = activity.id`,
    );
    expect([...consumer.values()].filter((item) => item.state === 'updated').map((item) => item.id).sort()).toEqual(published.map((row) => row.id).sort());

    // LDES: every version exactly once, none discovered behind what was read before, full pages unchanged.
    expect(ldesResult.behind).toEqual([]);
    expect([...ldesResult.seen.keys()].sort((left, right) => left - right)).toEqual(log.map((row) => Number(row.seq)));
    for (const [page, text] of ldesResult.fullPages) {
      expect(await (await fetch(page, { headers: { accept: 'application/n-triples' } })).text()).toBe(text);
    }
  }, 180_000);
});

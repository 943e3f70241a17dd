import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { entityId } from '@platform/domain';
import { PlatformMetrics, ShutdownState } from '@platform/observability';
import { ActivityQueryStore, SourceStore } from '@platform/storage';
import { http } from '../../api/test/http.js';
import { startFixtureServer, type FixtureServer } from '../../../test/support/fixture-server.js';
import { TEST_ADMIN_TOKEN, startTestApp, type TestApp } from '../../../test/support/test-app.js';

const PAGES = 3;

/** An RPDE feed of PAGES pages with two events each; the page after the last has no items. */
function page(number: number, baseUrl: string) {
  const items =
    number > PAGES
      ? []
      : [0, 1].map((index) => ({
          state: 'updated',
          kind: 'Event',
          id: `handback-${number}-${index}`,
          modified: 1772000000 + number * 10 + index,
          data: {
            '@context': 'https://schema.org/',
            '@type': 'Event',
            name: `Overdracht ${number}-${index}`,
            startDate: `2027-06-0${number}T20:00:00+02:00`,
            location: { '@type': 'Place', identifier: 'zaal-h', name: 'Zaal H', address: { '@type': 'PostalAddress', streetAddress: 'Hoofdstraat 1', addressLocality: 'Brugge', postalCode: '8000', addressCountry: 'BE' } },
          },
        }));
  return { next: `${baseUrl}/rpde?page=${number > PAGES ? number : number + 1}`, items };
}

describe('SIGTERM during a connector run (integration: fixture feed, Postgres, BullMQ)', () => {
  let platform: TestApp;
  let feed: FixtureServer;

  beforeAll(async () => {
    feed = await startFixtureServer((_request, url) => ({ body: page(Number(url.searchParams.get('page') ?? 1), feed.baseUrl) }));
    platform = await startTestApp();
    await platform.app.get(SourceStore).create({ id: 'handback-feed', name: 'Handback feed', kind: 'rpde' });
    const configured = await http(platform.baseUrl, 'PUT', '/v1/admin/sources/handback-feed/connector', { token: TEST_ADMIN_TOKEN, body: { baseUrl: `${feed.baseUrl}/rpde?page=1` } });
    expect(configured.status).toBe(200);
  });

  afterAll(async () => {
    await platform.close();
    await feed.close();
  });

  it('stops after the page in hand, marks the run interrupted and hands the job back; the next run continues from the cursor', async () => {
    // Stopping from the start: every run does one page, then hands the job back (as a worker that keeps
    // being asked to stop would); the chain still reads each page once and ends with a run that succeeds.
    platform.app.get(ShutdownState).begin();
    const started = await http(platform.baseUrl, 'POST', '/v1/admin/sources/handback-feed/runs', { token: TEST_ADMIN_TOKEN });
    expect(started.status).toBe(202);
    let runs: Array<{ id: string; status: string; pages: number; accepted: number }> = [];
    for (let attempt = 0; attempt < 300 && !runs.some((run) => run.status === 'succeeded'); attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      runs = (await http(platform.baseUrl, 'GET', '/v1/admin/sources/handback-feed/runs', { token: TEST_ADMIN_TOKEN })).body;
    }
    expect(runs.find((run) => run.id === started.body.runId)).toMatchObject({ status: 'interrupted', pages: 1, accepted: 2 });
    expect(runs.filter((run) => run.status === 'interrupted')).toHaveLength(PAGES);
    expect(runs.filter((run) => run.status === 'succeeded')).toHaveLength(1);
    // Each page fetched once, then the empty page that ends the run.
    expect(feed.requests.map((request) => request.url)).toEqual(['/rpde?page=1', '/rpde?page=2', '/rpde?page=3', '/rpde?page=4']);
    for (let number = 1; number <= PAGES; number++) {
      for (const index of [0, 1]) expect(await platform.app.get(ActivityQueryStore).findActivity(entityId('activiteit', 'handback-feed', `handback-${number}-${index}`))).not.toBeNull();
    }
    const metrics = await platform.app.get(PlatformMetrics).exposition();
    expect(metrics.body).toContain(`cdp_connector_runs_total{source="handback-feed",outcome="interrupted"} ${PAGES}`);
    expect(metrics.body).toContain(`cdp_queue_jobs_processed_total{queue="connector-sync",outcome="handed-back"} ${PAGES}`);
  });
});

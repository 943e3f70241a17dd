import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startFixtureServer, type FixtureServer } from '../../../../test/support/fixture-server.js';
import { RemoteError } from '../http-client.js';
import type { MappedActivity, MappedItem } from '../mapped-item.js';
import { fixtureContext, runPages } from '../rpde/testing/run-connector.js';
import { ldesConnector } from './ldes-connector.js';
import { LDES_MEMBERS_CONTENT_TYPE } from './ldes-members.js';

const fixture = (name: string) => readFileSync(new URL(`./testing/${name}`, import.meta.url));
const ROUTES: Record<string, Buffer> = {
  '/ldes/activiteiten': fixture('stream.ttl'),
  '/ldes/activiteiten/pagina/1': fixture('page-1.ttl'),
  '/ldes/activiteiten/pagina/2': fixture('page-2.ttl'),
  '/ldes/activiteiten/pagina/3': fixture('page-3.ttl'),
};
const JAZZ = 'https://vendor.example/id/activiteit/jazz-in-het-park';
const MEEUW = 'https://vendor.example/id/activiteit/theater-de-meeuw';

describe('ldes connector over HTTP (ldes-client)', () => {
  let server: FixtureServer;
  beforeAll(async () => {
    server = await startFixtureServer((request) => {
      const body = ROUTES[request.url];
      return body ? { headers: { 'content-type': 'text/turtle' }, body } : { status: 404, body: 'not found' };
    });
  });
  afterAll(async () => server.close());
  beforeEach(() => {
    server.requests.splice(0);
  });

  const context = () => fixtureContext(`${server.baseUrl}/ldes/activiteiten`);
  const mapped = (pages: Array<{ responses: Parameters<typeof ldesConnector.mapPage>[0]['responses'] }>, at: number) =>
    ldesConnector.mapPage({ ...pages[at], cursor: { state: {} }, done: false }, { sourceId: 'feed-test', settings: context().settings, now: new Date() });

  it('follows the tree:relations to the last fragment, one fragment per page, archiving every response', async () => {
    const listeners = () => ['SIGTERM', 'SIGINT', 'uncaughtException', 'unhandledRejection'].map((event) => process.listenerCount(event));
    const before = listeners();
    const run = await runPages(ldesConnector, context(), ldesConnector.initialCursor(context().settings, new Date()));
    expect(run.error).toBeUndefined();
    // ldes-client's process-wide exit handlers (added per client) are gone after each step: a worker runs many
    expect(listeners()).toEqual(before);
    const fragments = run.pages.map((page) => page.responses.filter((response) => response.url.includes('/pagina/')).map((response) => new URL(response.url).pathname));
    expect(fragments).toEqual([['/ldes/activiteiten/pagina/1'], ['/ldes/activiteiten/pagina/2'], ['/ldes/activiteiten/pagina/3']]);
    expect(run.pages.map((page) => page.done)).toEqual([false, false, true]);
    // byte for byte: the archived body of a fragment is the served file
    const first = run.pages[0].responses.find((response) => response.url.endsWith('/pagina/1'));
    expect(first?.body.equals(ROUTES['/ldes/activiteiten/pagina/1'])).toBe(true);
    expect(run.pages[0].responses.some((response) => response.contentType === LDES_MEMBERS_CONTENT_TYPE)).toBe(true);

    const items = run.pages.map((_, index) => mapped(run.pages, index));
    expect(items[0].map((item) => item.type)).toEqual(['activity', 'activity']);
    const jazzV1 = items[0].find((item): item is MappedActivity => item.type === 'activity' && item.externalId === JAZZ);
    expect(jazzV1?.activity.performances[0].availability?.remaining).toBe(120);
    // the changed record on the later page: same identity (version-of IRI), new content
    const jazzV2 = items[1][0] as MappedActivity;
    expect(jazzV2.externalId).toBe(JAZZ);
    expect(jazzV2.activity.title.en).toBe('Jazz in the park (moved to the park pavilion)');
    expect(jazzV2.activity.performances[0]).toMatchObject({ externalId: 'jazz-in-het-park-1', availability: { remaining: 8, capacity: 300 } });
    // the deletion member and the schema:Event member that cannot be read as an OSLO activity
    expect(items[2]).toEqual([
      { type: 'deletion', externalId: MEEUW },
      expect.objectContaining({ type: 'invalid', externalId: 'https://vendor.example/id/activiteit/lezing-stadsarchief' }),
    ]);
  });

  it('resumes from the persisted cursor after a remote failure in the middle, without losing or repeating a member', async () => {
    const start = ldesConnector.initialCursor(context().settings, new Date());
    const page1 = await ldesConnector.fetchPage(context(), start);
    const cursor = JSON.parse(JSON.stringify(page1.cursor)) as typeof start;

    server.failNext(2); // more than the HttpClient's attempts: the page fails for good
    await expect(ldesConnector.fetchPage(context(), cursor)).rejects.toBeInstanceOf(RemoteError);

    const rest = await runPages(ldesConnector, context(), cursor);
    expect(rest.error).toBeUndefined();
    const memberIds = [page1, ...rest.pages].flatMap((page) =>
      page.responses
        .filter((response) => response.contentType === LDES_MEMBERS_CONTENT_TYPE)
        .flatMap((response) => (JSON.parse(response.body.toString('utf8')) as { members: Array<{ isVersionOf: string }> }).members.map((member) => member.isVersionOf)),
    );
    expect(memberIds.sort()).toEqual([JAZZ, JAZZ, 'https://vendor.example/id/activiteit/lezing-stadsarchief', MEEUW, MEEUW].sort());
    expect(rest.pages.at(-1)?.done).toBe(true);
  });

  it('a later run polls the stream again and emits no member twice', async () => {
    const first = await runPages(ldesConnector, context(), ldesConnector.initialCursor(context().settings, new Date()));
    server.requests.splice(0);
    const again = await runPages(ldesConnector, context(), first.cursor);
    expect(again.error).toBeUndefined();
    expect(server.requests.length).toBeGreaterThan(0);
    const items: MappedItem[] = again.pages.flatMap((page) => ldesConnector.mapPage(page, { sourceId: 'feed-test', settings: context().settings, now: new Date() }));
    expect(items).toEqual([]);
  });
});

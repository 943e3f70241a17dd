import { describe, expect, it } from '@jest/globals';
import type { ConnectorPage, ConnectorSettings } from '../connector.js';
import { fixtureId, fixtureVariant, loadSearchFixtures } from './testing/search-fixture-handler.js';
import { readUitdatabankOptions, uitdatabankConnector, type UitdatabankCursor } from './uitdatabank.connector.js';

const settings = (options: Record<string, unknown> = {}, baseUrl = 'https://search-test.uitdatabank.be'): ConnectorSettings => ({ baseUrl, options });
const context = { sourceId: 'udb-test', settings: settings(), now: new Date('2026-11-22T12:00:00Z') };
const fixtures = loadSearchFixtures();

function pageOf(members: unknown[], skippedIds: string[] = []): ConnectorPage<UitdatabankCursor> {
  const body = { '@context': 'http://www.w3.org/ns/hydra/context.jsonld', '@type': 'PagedCollection', itemsPerPage: 30, totalItems: members.length, member: members };
  return {
    responses: [{ url: 'https://search-test.uitdatabank.be/events?embed=true', contentType: 'application/json', body: Buffer.from(JSON.stringify(body)) }],
    cursor: { entity: 'events', entities: {}, skippedIds },
    done: false,
  };
}

describe('UiTdatabank connector settings', () => {
  it('accepts a base URL, a client id or API key, and no options (defaults)', () => {
    expect(uitdatabankConnector.checkSettings(settings(), { clientId: 'abc' })).toEqual([]);
    expect(uitdatabankConnector.checkSettings(settings(), { apiKey: 'abc' })).toEqual([]);
    expect(readUitdatabankOptions({}).options).toEqual({ entities: ['places', 'organizers', 'events'], pageSize: 100, windowSize: 10_000 });
  });

  it('names every wrong setting in Dutch and English', () => {
    const problems = uitdatabankConnector.checkSettings(
      settings({ entities: ['events', 'activities'], pageSize: 2001, windowSize: 0, q: 7, modifiedFrom: '2024-01-01' }, 'ftp://search.uitdatabank.be'),
      {},
    );
    expect(problems.map((problem) => problem.path).sort()).toEqual(
      ['baseUrl', 'credentials', 'options.entities', 'options.modifiedFrom', 'options.pageSize', 'options.q', 'options.windowSize'].sort(),
    );
    expect(problems.every((problem) => problem.nl.length > 0 && problem.en.length > 0 && problem.nl !== problem.en)).toBe(true);
  });

  it('pulls places and organizers before events whatever order is configured, and starts there', () => {
    const { options } = readUitdatabankOptions({ entities: ['events', 'organizers'] });
    expect(options.entities).toEqual(['organizers', 'events']);
    expect(uitdatabankConnector.initialCursor(settings({ entities: ['events', 'places'] }), context.now)).toEqual({ entity: 'places', entities: {}, skippedIds: [] });
  });
});

describe('UiTdatabank mapPage', () => {
  it('maps every member, deleted and rejected ones to deletions', () => {
    const [place] = fixtures.places;
    const deleted = fixtures.events.find((document) => document.workflowStatus === 'DELETED')!;
    const rejected = fixtures.events.find((document) => document.workflowStatus === 'REJECTED')!;
    const items = uitdatabankConnector.mapPage(pageOf([place, deleted, rejected]), context);
    expect(items).toContainEqual(expect.objectContaining({ type: 'place', externalId: fixtureId(place) }));
    expect(items).toContainEqual({ type: 'deletion', externalId: fixtureId(deleted), entity: 'activity' });
    expect(items).toContainEqual({ type: 'deletion', externalId: fixtureId(rejected), entity: 'activity' });
  });

  it('leaves out the members an earlier page delivered (the cursor names them)', () => {
    const [first, second] = fixtures.organizers;
    const items = uitdatabankConnector.mapPage(pageOf([first, second], [fixtureId(first)]), context);
    expect(items.map((item) => ('externalId' in item ? item.externalId : null))).toEqual([fixtureId(second)]);
  });

  it('reports a record it cannot read as invalid and goes on with the others', () => {
    const [organizer] = fixtures.organizers;
    const broken = fixtureVariant(organizer, { '@id': 42 });
    const items = uitdatabankConnector.mapPage(pageOf([broken, organizer]), context);
    expect(items[0].type).toBe('invalid');
    expect(items[1]).toMatchObject({ type: 'organizer', externalId: fixtureId(organizer) });
  });

  it('reports an archived body that is not a search page as one invalid item', () => {
    const page = pageOf([]);
    page.responses[0].body = Buffer.from('<html>maintenance</html>');
    const items = uitdatabankConnector.mapPage(page, context);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ type: 'invalid', externalId: null });
  });
});

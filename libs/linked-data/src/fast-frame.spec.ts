import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { Activity, LangString, Performance } from '@platform/domain';
import type { NamedNode, Quad } from '@rdfjs/types';
import fc from 'fast-check';
import { DataFactory } from 'n3';
import { aPerformance, anActivity } from '../../../test/support/factories.js';
import { activityToQuads, organizerToQuads, placeToQuads, type ActivityRdfContext } from './activity-to-rdf.js';
import { fastFramed, jsonldFramed, toJsonLd } from './serialize.js';
import { buildActivity, TEST_CONTEXT } from './testing/activity-factory.js';
import { TERMS } from './vocabulary.js';

// Property test: the fast framing path gives the same JSON text (key order included) as jsonld.js's fromRDF + frame,
// the reference, for generated activities (the factories, the demo data, their variations), places and organizers.
const RUNS = Number(process.env.FAST_FRAME_RUNS ?? 300);
const DEMO: Activity[] = JSON.parse(readFileSync(new URL('../../../demo/activities.json', import.meta.url), 'utf8')) as Activity[];

const text = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('Één', 'a "quote"', 'line\nbreak', 'ü & <b>', '  '));
const langString: fc.Arbitrary<LangString> = fc
  .subarray(['nl', 'fr', 'en', 'de'], { minLength: 1 })
  .chain((languages) => fc.tuple(...languages.map(() => text)).map((values) => Object.fromEntries(languages.map((language, index) => [language, values[index]]))));
const instant = fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString());
const url = fc.constantFrom('https://www.example.be/x', 'http://schema.org/thing', 'https://schema.org/Event', 'https://data.vlaanderen.be/ns/cultuurparticipatie#x', 'https://www.bijloke.be/a?b=c#d');

const performance = (id: string): fc.Arbitrary<Performance> =>
  fc.record({
    start: instant,
    end: fc.option(instant, { nil: undefined }),
    status: fc.constantFrom('scheduled', 'cancelled', 'postponed'),
    availability: fc.option(
      fc.record({
        capacity: fc.option(fc.nat(1000), { nil: undefined }),
        remaining: fc.option(fc.nat(1000), { nil: undefined }),
        level: fc.constantFrom('InStock', 'LimitedAvailability', 'OutOfStock'),
        changedAt: instant,
      }),
      { nil: undefined },
    ),
  }).map((overrides) => aPerformance(id, overrides as Partial<Performance>));

/** An activity: a factory's or a demo record, with some parts replaced, dropped or added. */
const activity: fc.Arbitrary<Activity> = fc
  .record({
    seed: fc.oneof(fc.constant(-2), fc.constant(-1), fc.nat(DEMO.length - 1)),
    id: fc.stringMatching(/^[a-z0-9-]{1,10}$/),
    title: fc.option(langString, { nil: undefined }),
    description: fc.option(fc.option(langString, { nil: undefined })),
    drop: fc.subarray(['type', 'theme', 'place', 'organizer', 'booking', 'url', 'images', 'prices', 'description'] as const),
    performances: fc.option(fc.nat(4)),
    prices: fc.option(fc.array(fc.record({ category: fc.constantFrom('base', 'tariff', 'social', 'free'), name: langString, amount: fc.double({ min: 0, max: 500, noNaN: true }), currency: fc.constantFrom('EUR', 'USD') }), { maxLength: 3 })),
    url: fc.option(url),
    images: fc.option(fc.array(url, { maxLength: 3 })),
    geo: fc.option(fc.option(fc.record({ latitude: fc.double({ min: -90, max: 90, noNaN: true }), longitude: fc.double({ min: -180, max: 180, noNaN: true }) }), { nil: undefined })),
  })
  .chain((choice) =>
    fc.tuple(...Array.from({ length: choice.performances ?? 0 }, (_, index) => performance(`${choice.id}-p${index}`))).map((performances) => {
      const base: Activity = choice.seed === -2 ? anActivity({ externalId: choice.id }) : choice.seed === -1 ? buildActivity({ externalId: choice.id }) : structuredClone(DEMO[choice.seed]);
      const result: Activity = { ...base };
      if (choice.title) result.title = choice.title;
      if (choice.description !== null) result.description = choice.description;
      if (choice.performances !== null) result.performances = performances;
      if (choice.prices !== null) result.prices = choice.prices;
      if (choice.url !== null) result.url = choice.url;
      if (choice.images !== null) result.images = choice.images;
      if (choice.geo !== null && result.place) result.place = { ...result.place, geo: choice.geo };
      for (const field of choice.drop) {
        if (field === 'prices') result.prices = [];
        else delete result[field];
      }
      return result;
    }),
  );

const context: fc.Arbitrary<ActivityRdfContext> = fc.record({
  sourceId: fc.constantFrom('demo-ticketing', 'src-1', 'uitdatabank'),
  // a base URL under one of the context's prefixes makes compact IRIs of the platform's own IRIs
  publicBaseUrl: fc.constantFrom('https://data.cultuurdata.test', 'https://schema.org', 'http://data.europa.eu/m8g', 'https://data.example.be/'),
  processedAt: instant,
  createdAt: fc.option(instant, { nil: undefined }),
  modifiedAt: fc.option(instant, { nil: undefined }),
  derivedFrom: fc.option(fc.array(fc.constantFrom('https://data.cultuurdata.test/id/activiteit/1', 'https://data.cultuurdata.test/id/activiteit/2'), { maxLength: 2 }), { nil: undefined }),
  placeSourceId: fc.option(fc.constantFrom('other-source'), { nil: undefined }),
  organizerSourceId: fc.option(fc.constantFrom('other-source'), { nil: undefined }),
});

/**
 * Some performances also at the activity's place (a node reached twice: embedded where framing first reaches it,
 * `@embed: @once`, a reference elsewhere), before or after the activity's own link in the quads.
 */
function withSharedPlace(quads: Quad[], shared: boolean[]): Quad[] {
  const place = quads.find((quad) => quad.predicate.value === TERMS.locatie)?.object;
  if (!place || shared.length === 0) return quads;
  const performances = quads.filter((quad) => quad.predicate.value === TERMS.subactiviteit).map((quad) => quad.object as NamedNode);
  const extra = performances.filter((_, index) => shared[index % shared.length]).map((performance) => DataFactory.quad(performance, DataFactory.namedNode(TERMS.locatie), place));
  return shared[0] ? [...extra, ...quads] : [...quads, ...extra];
}

async function expectSame(quads: Quad[], frameType: string): Promise<boolean> {
  const fast = fastFramed(quads, frameType);
  const reference = await jsonldFramed(quads, frameType);
  if (fast !== undefined) expect(JSON.stringify(fast)).toBe(JSON.stringify(reference));
  return fast !== undefined;
}

describe('fast framing path', () => {
  it('gives jsonld.frame\'s JSON for every demo activity, its place and organizer, and takes the fast path for them', async () => {
    let fast = 0;
    let documents = 0;
    for (const item of [...DEMO, buildActivity(), anActivity()]) {
      const checks: Array<[ReturnType<typeof activityToQuads>, string]> = [[activityToQuads(item, TEST_CONTEXT), 'Activiteit']];
      if (item.place) checks.push([placeToQuads(item.place, TEST_CONTEXT), TERMS.Plaats]);
      if (item.organizer) checks.push([organizerToQuads(item.organizer, TEST_CONTEXT), TERMS.Organisator]);
      for (const [quads, frameType] of checks) {
        documents++;
        if (await expectSame(quads, frameType)) fast++;
      }
    }
    // what the fast path does not take is framed by jsonld as before; it should take the platform's own documents
    expect(fast).toBe(documents);
  });

  it('gives jsonld.frame\'s JSON for generated activities (same text, key order included)', async () => {
    let fast = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(activity, context, fc.array(fc.boolean(), { maxLength: 4 }), async (item, rdfContext, shared) => {
        runs++;
        if (await expectSame(withSharedPlace(activityToQuads(item, rdfContext), shared), 'Activiteit')) fast++;
        if (item.place) await expectSame(placeToQuads(item.place, rdfContext), TERMS.Plaats);
      }),
      { numRuns: RUNS },
    );
    expect(fast).toBeGreaterThan(runs * 0.9);
  });

  it('toJsonLd answers the same document with and without the fast path, with the context URL in place', async () => {
    const quads = activityToQuads(buildActivity(), TEST_CONTEXT);
    const document = await toJsonLd(quads, 'Activiteit', { contextUrl: 'https://data.cultuurdata.test/ns/context.jsonld' });
    const reference = await jsonldFramed(quads, 'Activiteit');
    reference['@context'] = 'https://data.cultuurdata.test/ns/context.jsonld';
    expect(JSON.stringify(document)).toBe(JSON.stringify(reference));
  });

  it('leaves to jsonld what it does not follow (a blank node), and jsonld frames it as before', async () => {
    const quads = activityToQuads(buildActivity(), TEST_CONTEXT);
    const withBlank = [...quads, DataFactory.quad(DataFactory.namedNode(quads[0].subject.value), DataFactory.namedNode('https://schema.org/about'), DataFactory.blankNode('b0'))];
    expect(fastFramed(withBlank, 'Activiteit')).toBeUndefined();
    expect(JSON.stringify(await toJsonLd(withBlank, 'Activiteit'))).toBe(JSON.stringify(await jsonldFramed(withBlank, 'Activiteit')));
  });
});

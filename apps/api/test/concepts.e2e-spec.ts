import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseJsonLd, parseTurtle, PLATFORM_PRICE_CATEGORIES, PRICE_CATEGORY_IRIS, PREFIXES } from '@platform/linked-data';
import { TICKET_PRICE_CATEGORY_IRIS } from '../../../libs/pipeline/src/participation/ticket-graph.js';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { http } from './http.js';

const SKOS = PREFIXES.skos;

describe('the platform concept scheme of price categories (e2e)', () => {
  let platform: TestApp;

  beforeAll(async () => {
    platform = await startTestApp();
  });

  afterAll(async () => {
    await platform.close();
  });

  it('every price category of our own is a skos:Concept narrower than OSLO tarief, in Turtle, JSON-LD and N-Triples', async () => {
    const turtle = await http(platform.baseUrl, 'GET', '/id/concept/PrijsCategorieType', { headers: { accept: 'text/turtle' } });
    expect(turtle.status).toBe(200);
    expect(turtle.headers.get('content-type')).toContain('text/turtle');
    const quads = parseTurtle(turtle.text);
    const objects = (subject: string, predicate: string) => quads.filter((entry) => entry.subject.value === subject && entry.predicate.value === predicate).map((entry) => entry.object.value);
    // Every concept a ticket or an activity price uses outside OSLO's own two.
    const ours = new Set([...Object.values(TICKET_PRICE_CATEGORY_IRIS), ...Object.values(PRICE_CATEGORY_IRIS)].filter((iri) => !iri.startsWith('https://data.cultuurparticipatie.be/')));
    expect(ours.size).toBe(3);
    for (const iri of ours) {
      expect(objects(iri, `${PREFIXES.rdf}type`)).toEqual([`${SKOS}Concept`]);
      expect(objects(iri, `${SKOS}broader`)).toEqual([PRICE_CATEGORY_IRIS.tariff]);
      expect(objects(iri, `${SKOS}inScheme`)).toEqual(['https://w3id.org/cultuurdata-platform/id/concept/PrijsCategorieType']);
      const labels = quads.filter((entry) => entry.subject.value === iri && entry.predicate.value === `${SKOS}prefLabel`).map((entry) => (entry.object as { language: string }).language);
      expect(labels.sort()).toEqual(['en', 'fr', 'nl']);
    }
    expect(objects(PRICE_CATEGORY_IRIS.social, `${SKOS}notation`).sort()).toEqual(['kansentarief', 'sociaalTarief']);

    const jsonLd = await http(platform.baseUrl, 'GET', '/id/concept/PrijsCategorieType/uitpas', { headers: { accept: 'application/ld+json' } });
    expect(jsonLd.status).toBe(200);
    // The document points at the platform's own published context.
    const fromJsonLd = await parseJsonLd(jsonLd.text, { platformContextUrls: [(JSON.parse(jsonLd.text) as { '@context': string })['@context']] });
    const statements = (list: typeof quads) => new Set(list.map((entry) => `${entry.subject.value} ${entry.predicate.value} ${entry.object.value}`));
    expect(statements(fromJsonLd)).toEqual(statements(quads));

    const nTriples = await http(platform.baseUrl, 'GET', `/id/concept/PrijsCategorieType/${PLATFORM_PRICE_CATEGORIES[0].code}.nt`);
    expect(nTriples.headers.get('content-type')).toContain('application/n-triples');
    expect(statements(parseTurtle(nTriples.text))).toEqual(statements(quads));
  });

  it('an unknown code is a 404 with a reason in Dutch and English', async () => {
    const response = await http(platform.baseUrl, 'GET', '/id/concept/PrijsCategorieType/vip', { headers: { accept: 'text/turtle' } });
    expect(response.status).toBe(404);
    expect(response.body.error.message.nl).toMatch(/Niets gevonden/);
    expect(response.body.error.message.en).toMatch(/Nothing found/);
  });
});

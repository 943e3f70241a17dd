import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import jsonld from 'jsonld';
import oxigraph from 'oxigraph';
import { anActivity, aPerformance } from '../../../test/support/factories.js';
import { TEST_ADMIN_TOKEN, startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { http } from './http.js';

const PREFIXES = `PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX qb: <http://purl.org/linked-data/cube#> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>`;

/** The W3C Data Cube well-formedness constraints IC-1 to IC-19 (https://www.w3.org/TR/vocab-data-cube/#wf-rules): each ASK is true on a violation. */
const INTEGRITY_CONSTRAINTS: Record<string, string> = {
  'IC-1': `ASK { { ?obs a qb:Observation . FILTER NOT EXISTS { ?obs qb:dataSet ?d1 } } UNION { ?obs a qb:Observation ; qb:dataSet ?d1, ?d2 . FILTER (?d1 != ?d2) } }`,
  'IC-2': `ASK { { ?ds a qb:DataSet . FILTER NOT EXISTS { ?ds qb:structure ?dsd } } UNION { ?ds a qb:DataSet ; qb:structure ?a, ?b . FILTER (?a != ?b) } }`,
  'IC-3': `ASK { ?dsd a qb:DataStructureDefinition . FILTER NOT EXISTS { ?dsd qb:component [ qb:componentProperty [ a qb:MeasureProperty ] ] } }`,
  'IC-4': `ASK { ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?dim rdfs:range [] } }`,
  'IC-5': `ASK { ?dim a qb:DimensionProperty ; rdfs:range skos:Concept . FILTER NOT EXISTS { ?dim qb:codeList [] } }`,
  'IC-6': `ASK { ?dsd qb:component ?spec . ?spec qb:componentRequired "false"^^xsd:boolean ; qb:componentProperty ?c . FILTER NOT EXISTS { ?c a qb:AttributeProperty } }`,
  'IC-7': `ASK { ?key a qb:SliceKey . FILTER NOT EXISTS { [ a qb:DataStructureDefinition ] qb:sliceKey ?key } }`,
  'IC-8': `ASK { ?key a qb:SliceKey ; qb:componentProperty ?p . ?dsd qb:sliceKey ?key . FILTER NOT EXISTS { ?dsd qb:component [ qb:componentProperty ?p ] } }`,
  'IC-9': `ASK { { ?slice a qb:Slice . FILTER NOT EXISTS { ?slice qb:sliceStructure ?k } } UNION { ?slice a qb:Slice ; qb:sliceStructure ?k1, ?k2 . FILTER (?k1 != ?k2) } }`,
  'IC-10': `ASK { ?slice qb:sliceStructure [ qb:componentProperty ?dim ] . FILTER NOT EXISTS { ?slice ?dim [] } }`,
  'IC-11': `ASK { ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim . ?dim a qb:DimensionProperty . FILTER NOT EXISTS { ?obs ?dim [] } }`,
  'IC-12': `ASK { FILTER (?allEqual) { SELECT (MIN(?equal) AS ?allEqual) WHERE { ?o1 qb:dataSet ?ds . ?o2 qb:dataSet ?ds . FILTER (?o1 != ?o2)
             ?ds qb:structure/qb:component/qb:componentProperty ?dim . ?dim a qb:DimensionProperty . ?o1 ?dim ?v1 . ?o2 ?dim ?v2 . BIND (?v1 = ?v2 AS ?equal) } GROUP BY ?o1 ?o2 } }`,
  'IC-13': `ASK { ?obs qb:dataSet/qb:structure/qb:component ?c . ?c qb:componentRequired "true"^^xsd:boolean ; qb:componentProperty ?attr . FILTER NOT EXISTS { ?obs ?attr [] } }`,
  'IC-14': `ASK { ?obs qb:dataSet/qb:structure ?dsd . FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty qb:measureType }
             ?dsd qb:component/qb:componentProperty ?m . ?m a qb:MeasureProperty . FILTER NOT EXISTS { ?obs ?m [] } }`,
  'IC-15': `ASK { ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?m . ?dsd qb:component/qb:componentProperty qb:measureType . FILTER NOT EXISTS { ?obs ?m [] } }`,
  'IC-16': `ASK { ?obs qb:dataSet/qb:structure ?dsd ; qb:measureType ?m ; ?other [] . ?dsd qb:component/qb:componentProperty qb:measureType ;
             qb:component/qb:componentProperty ?other . ?other a qb:MeasureProperty . FILTER (?other != ?m) }`,
  'IC-17': `ASK { { SELECT ?numMeasures (COUNT(?o2) AS ?count) WHERE {
               { SELECT ?dsd (COUNT(?m) AS ?numMeasures) WHERE { ?dsd qb:component/qb:componentProperty ?m . ?m a qb:MeasureProperty } GROUP BY ?dsd }
               ?o1 qb:dataSet/qb:structure ?dsd ; qb:dataSet ?ds ; qb:measureType ?m1 . ?o2 qb:dataSet ?ds ; qb:measureType ?m2 .
               FILTER NOT EXISTS { ?dsd qb:component/qb:componentProperty ?dim . FILTER (?dim != qb:measureType) ?dim a qb:DimensionProperty .
                                   ?o1 ?dim ?v1 . ?o2 ?dim ?v2 . FILTER (?v1 != ?v2) }
             } GROUP BY ?o1 ?numMeasures HAVING (?count != ?numMeasures) } }`,
  'IC-18': `ASK { ?ds qb:slice ?slice . ?slice qb:observation ?obs . FILTER NOT EXISTS { ?obs qb:dataSet ?ds } }`,
  'IC-19': `ASK { { ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim . ?dim a qb:DimensionProperty ; qb:codeList ?list . ?list a skos:ConceptScheme .
               ?obs ?dim ?v . FILTER NOT EXISTS { ?v a skos:Concept ; skos:inScheme ?list } }
           UNION { ?obs qb:dataSet/qb:structure/qb:component/qb:componentProperty ?dim . ?dim a qb:DimensionProperty ; qb:codeList ?list . ?list a skos:Collection .
               ?obs ?dim ?v . FILTER NOT EXISTS { ?v a skos:Concept . ?list skos:member+ ?v } } }`,
};

function violations(store: oxigraph.Store): string[] {
  return Object.entries(INTEGRITY_CONSTRAINTS).flatMap(([name, query]) => (store.query(`${PREFIXES} ${query}`) === true ? [name] : []));
}

describe('participation as an RDF Data Cube (e2e, IC-1..IC-19 with oxigraph)', () => {
  let platform: TestApp;
  let researcherKey: string;

  beforeAll(async () => {
    platform = await startTestApp({ overrides: { PSEUDONYM_KEY: 'test-pseudonym-key-0123456789' } });
    const created = await http(platform.baseUrl, 'POST', '/v1/admin/sources', { token: TEST_ADMIN_TOKEN, body: { id: 'cube', name: 'Cube', kind: 'push' } });
    await http(platform.baseUrl, 'POST', '/v1/sources/cube/activities?wait=true', { token: created.body.key, body: [anActivity({ externalId: 'cube-act', performances: [aPerformance('cube-p1')] })] });
    const tickets = Array.from({ length: 40 }, (_, index) => ({
      id: `C-${index}`,
      performance: 'cube-p1',
      soldAt: '2026-10-01T12:00:00Z',
      price: 12,
      channel: index < 33 ? 'online' : 'box-office',
      participant: { id: `P-${index}`, postcode: index < 30 ? '9000' : '2000', birthYear: 1980 },
    }));
    await http(platform.baseUrl, 'POST', '/v1/sources/cube/participation?wait=true', { token: created.body.key, body: tickets });
    researcherKey = (await http(platform.baseUrl, 'POST', '/v1/admin/researcher-keys', { token: TEST_ADMIN_TOKEN, body: { name: 'cube test' } })).body.key;
  });

  afterAll(async () => {
    await platform.close();
  });

  it('the Turtle cube passes every integrity constraint and withholds suppressed values as NaN with obsStatus C', async () => {
    const response = await http(platform.baseUrl, 'GET', '/v1/research/participation?groupBy=homeMunicipality,channel&measures=tickets,participants&format=turtle', { token: researcherKey });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/turtle');
    const store = new oxigraph.Store();
    store.load(response.text, { format: 'text/turtle' });
    expect(violations(store)).toEqual([]);
    const confidential = store.query(`${PREFIXES} SELECT ?value WHERE { ?obs <http://purl.org/linked-data/sdmx/2009/attribute#obsStatus> <http://purl.org/linked-data/sdmx/2009/code#obsStatus-C> ; qb:measureType ?m ; ?m ?value }`) as Array<Map<string, oxigraph.Term>>;
    expect(confidential.length).toBeGreaterThan(0);
    for (const row of confidential) expect(row.get('value')!.value).toBe('NaN');
    // A cube with a broken observation (no data set) is caught: the checks can fail.
    store.load('<urn:x> a <http://purl.org/linked-data/cube#Observation> .', { format: 'text/turtle' });
    expect(violations(store)).toContain('IC-1');
  });

  it('the JSON-LD cube parses to the same graph size and passes too', async () => {
    const turtle = await http(platform.baseUrl, 'GET', '/v1/research/participation?groupBy=channel&measures=participants,revenue&format=turtle', { token: researcherKey });
    const response = await http(platform.baseUrl, 'GET', '/v1/research/participation?groupBy=channel&measures=participants,revenue', { token: researcherKey, headers: { accept: 'application/ld+json' } });
    expect(response.status).toBe(200);
    const nquads = (await jsonld.toRDF(response.body, { format: 'application/n-quads' })) as unknown as string;
    const store = new oxigraph.Store();
    store.load(nquads, { format: 'application/n-quads' });
    expect(violations(store)).toEqual([]);
    const fromTurtle = new oxigraph.Store();
    fromTurtle.load(turtle.text, { format: 'text/turtle' });
    // Same cube except dct:issued (a new timestamp per request).
    expect(store.size).toBe(fromTurtle.size);
  });
});

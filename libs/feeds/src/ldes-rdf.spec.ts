import { describe, expect, it } from '@jest/globals';
import jsonld from 'jsonld';
import { Parser } from 'n3';
import { isomorphic } from 'rdf-isomorphic';
import type { Quad } from '@rdfjs/types';
import { blankNode, literal, namedNode, quad, RDF_TYPE, serialize, term } from './ldes-rdf.js';

const quads = [
  quad(namedNode('http://x/ldes/activities'), term('tree', 'member'), namedNode('http://x/ldes/activities/versions/3')),
  quad(namedNode('http://x/ldes/activities/versions/3'), RDF_TYPE, term('as', 'Update')),
  quad(namedNode('http://x/ldes/activities/versions/3'), term('cdp', 'changeNumber'), literal('3', term('xsd', 'integer'))),
  quad(namedNode('http://x/ldes/activities/versions/3'), term('cdp', 'availability'), blankNode('seats3')),
  quad(blankNode('seats3'), term('schema', 'remainingAttendeeCapacity'), literal('12', term('xsd', 'integer'))),
  quad(namedNode('http://x/ldes/activities'), term('dcterms', 'title'), literal('Activiteiten', 'nl')),
];

describe('LDES serialisation', () => {
  it('writes the same graph in Turtle, N-Triples and JSON-LD', async () => {
    const turtle = new Parser().parse(await serialize(quads, 'text/turtle'));
    const ntriples = new Parser({ format: 'N-Triples' }).parse(await serialize(quads, 'application/n-triples'));
    const fromJson = (await jsonld.toRDF(JSON.parse(await serialize(quads, 'application/ld+json')), {} as jsonld.Options.ToRdf)) as unknown as Quad[];
    expect(isomorphic(turtle, quads)).toBe(true);
    expect(isomorphic(ntriples, quads)).toBe(true);
    expect(isomorphic(fromJson, quads)).toBe(true);
  });

  it('writes the same bytes for the same quads (fixed blank-node labels: a stable ETag means stable content)', async () => {
    expect(await serialize(quads, 'text/turtle')).toBe(await serialize([...quads], 'text/turtle'));
    expect(await serialize(quads, 'application/ld+json')).toBe(await serialize([...quads], 'application/ld+json'));
  });
});

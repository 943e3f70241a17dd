import { readFileSync } from 'node:fs';
import type { Quad, Term } from '@rdfjs/types';
import { normalizeQuads, parseTurtle } from '@platform/linked-data';

const HERE = new URL('.', import.meta.url);
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const SKOS = 'http://www.w3.org/2004/02/skos/core#';

/** Values for the test placeholders of udb3-backend's feature files (%{eventId}, %{placeId}, ...). */
export const UDB_PLACEHOLDERS: Record<string, string> = {
  baseUrl: 'http://data.uitdatabank.local:80',
  eventId: '0f9a7e2c-4b1d-4c3e-9f2a-1b2c3d4e5f60',
  placeId: '5a2f1d0c-3c7e-4c8e-9d55-7f7b2a1e9c02',
  organizerId: '9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  name: 'publiq',
  imageId: '1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6',
  imageUrl: 'https://images.uitdatabank.dev/1e2d3c4b-5a69-4788-9a0b-c1d2e3f4a5b6.jpeg',
  imageHash: 'c0ffee01',
  imageId1: '2f3e4d5c-6b7a-4899-8a1b-c2d3e4f5a6b7',
  imageId2: '3a4b5c6d-7e8f-4a9b-8c1d-e2f3a4b5c6d7',
  imageHash1: 'c0ffee02',
  imageHash2: 'c0ffee03',
  identifier: '1',
};

export function readUdbFixture(name: string): string {
  return readFileSync(new URL(`udb3-backend/${name}`, HERE), 'utf8').replace(/%\{(\w+)\}/g, (whole, key: string) => UDB_PLACEHOLDERS[key] ?? whole);
}

/** udb3-backend's expected OSLO Turtle, parsed and with every known IRI variant normalised (cp:ruimtetijd, ...). */
export function udbOsloQuads(name: string): Quad[] {
  return normalizeQuads(parseTurtle(readUdbFixture(name)));
}

function objectKey(term: Term, internal: Set<string>): string {
  if (term.termType === 'Literal') return `"${term.value}"${term.language ? `@${term.language}` : `^^${term.datatype.value}`}`;
  return internal.has(term.value) ? '[node]' : term.value;
}

/**
 * The triples of a graph as seen from its root, without the identity of nodes: each quad becomes
 * "path of predicates from the root | predicate | object", where a described node is `[node]`. Two
 * publishers that mint different IRIs for the same description give the same signatures.
 */
export function signatures(quads: Quad[], root: string): Set<string> {
  const bySubject = new Map<string, Quad[]>();
  for (const quad of quads) {
    const list = bySubject.get(quad.subject.value) ?? [];
    list.push(quad);
    bySubject.set(quad.subject.value, list);
  }
  // A concept (skos:Concept) is shared vocabulary, not part of the description: compare it by IRI.
  const concepts = new Set(
    quads
      .filter((quad) => quad.predicate.value === `${RDF}type` && quad.object.value === `${SKOS}Concept`)
      .map((quad) => quad.subject.value),
  );
  const internal = new Set([...bySubject.keys()].filter((subject) => !concepts.has(subject)));
  const result = new Set<string>();
  const visit = (subject: string, path: string[], seen: Set<string>): void => {
    for (const quad of bySubject.get(subject) ?? []) {
      result.add(`${path.join(' / ')} | ${quad.predicate.value} | ${objectKey(quad.object, internal)}`);
      const object = quad.object.value;
      if (quad.object.termType !== 'Literal' && internal.has(object) && !seen.has(object)) {
        visit(object, [...path, quad.predicate.value], new Set([...seen, object]));
      }
    }
  };
  visit(root, [], new Set([root]));
  return result;
}

import type { Quad, Term } from '@rdfjs/types';
import jsonld from 'jsonld';
import { DataFactory, Writer } from 'n3';
import { PREFIXES } from '@platform/linked-data';

/** Namespaces of the LDES and TREE specifications and Activity Streams, beside the platform's own. */
export const FEED_PREFIXES = {
  ...PREFIXES,
  ldes: 'https://w3id.org/ldes#',
  tree: 'https://w3id.org/tree#',
  as: 'https://www.w3.org/ns/activitystreams#',
} as const;

type Prefix = keyof typeof FEED_PREFIXES;

export const { namedNode, literal, blankNode, quad } = DataFactory;

export function term(prefix: Prefix, localName: string) {
  return namedNode(FEED_PREFIXES[prefix] + localName);
}

export const RDF_TYPE = term('rdf', 'type');

export const LDES_MEDIA_TYPES = ['text/turtle', 'application/ld+json', 'application/n-triples'] as const;
export type LdesMediaType = (typeof LDES_MEDIA_TYPES)[number];

function write(quads: Quad[], options: ConstructorParameters<typeof Writer>[0]): string {
  const writer = new Writer(options);
  writer.addQuads(quads);
  let output = '';
  let failure: Error | null = null;
  // n3's string writer calls back synchronously
  writer.end((error, result: string) => {
    failure = error;
    output = result;
  });
  if (failure) throw failure;
  return output;
}

/** jsonld.fromRDF's term form (blank node labels with their `_:`). */
function jsonLdTerm(value: Term): Record<string, unknown> {
  if (value.termType === 'Literal') return { termType: 'Literal', value: value.value, language: value.language, datatype: { termType: 'NamedNode', value: value.datatype.value } };
  if (value.termType === 'BlankNode') return { termType: 'BlankNode', value: `_:${value.value}` };
  return { termType: value.termType, value: value.value };
}

/** JSON-LD: the quads compacted with the feed prefixes as context (a flat @graph). */
async function toJsonLd(quads: Quad[]): Promise<string> {
  const dataset = quads.map((item) => ({ subject: jsonLdTerm(item.subject), predicate: jsonLdTerm(item.predicate), object: jsonLdTerm(item.object), graph: { termType: 'DefaultGraph', value: '' } }));
  const expanded = await jsonld.fromRDF(dataset as unknown as object, {});
  const compacted = await jsonld.compact(expanded, { ...FEED_PREFIXES });
  return JSON.stringify(compacted);
}

export async function serialize(quads: Quad[], mediaType: LdesMediaType): Promise<string> {
  if (mediaType === 'text/turtle') return write(quads, { prefixes: { ...FEED_PREFIXES } });
  if (mediaType === 'application/n-triples') return write(quads, { format: 'N-Triples' });
  return toJsonLd(quads);
}

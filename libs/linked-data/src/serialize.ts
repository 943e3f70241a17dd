import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Quad, Term } from '@rdfjs/types';
import jsonld from 'jsonld';
import type { ContextDefinition, JsonLdDocument, NodeObject } from 'jsonld';
import { DataFactory, Parser, Writer } from 'n3';
import { fastFrame, fastFrameContext } from './fast-frame.js';
import { normalizeQuads, PREFIXES } from './prefixes.js';

export type LinkedDataErrorCode = 'RDF_SYNTAX' | 'JSONLD_INVALID' | 'REMOTE_CONTEXT_NOT_ALLOWED' | 'RELATIVE_IRI';

/** A document that cannot be read at all (syntax, unknown remote context); shape violations are not errors. */
export class LinkedDataError extends Error {
  constructor(
    readonly code: LinkedDataErrorCode,
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'LinkedDataError';
  }
}

/** libs/linked-data/contexts/*, next to the sources, or from the repository root in a build without them. */
function readJson(fileName: string): Record<string, unknown> {
  const besideSources = new URL(`../contexts/${fileName}`, import.meta.url);
  const path = existsSync(besideSources) ? besideSources : join(process.cwd(), 'libs/linked-data/contexts', fileName);
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/** Our JSON-LD context document (served at `/ns/context.jsonld`): OSLO term names, canonical IRIs only. */
export const PLATFORM_CONTEXT: { '@context': ContextDefinition } = readJson('platform.context.jsonld') as {
  '@context': ContextDefinition;
};

/** Where the platform context is published in our own namespace (also resolvable offline). */
export const PLATFORM_CONTEXT_URL = 'https://w3id.org/cultuurdata-platform/ns/context.jsonld';

/** The official OSLO contexts, verbatim copies; terms mapped to the placeholder "TODO" are dropped on load. */
function officialContext(fileName: string): Record<string, unknown> {
  const document = readJson(fileName);
  const context = document['@context'] as Record<string, unknown>;
  const cleaned = Object.fromEntries(
    Object.entries(context).filter(([, definition]) => {
      const id = typeof definition === 'string' ? definition : (definition as { '@id'?: string })['@id'];
      return id !== 'TODO';
    }),
  );
  return { '@context': cleaned };
}

const OSLO_CULTUURPARTICIPATIE_CONTEXT = officialContext('oslo-cultuurparticipatie-ap.context.jsonld');
const OSLO_GENERIEK_BASIS_CONTEXT = officialContext('oslo-generiek-basis.context.jsonld');

/** Remote context URLs as used in the wild, resolved from the copies in libs/linked-data/contexts. */
const OFFLINE_CONTEXTS: Array<{ matches: (url: string) => boolean; document: Record<string, unknown> }> = [
  {
    // e.g. https://data.vlaanderen.be/doc/applicatieprofiel/cultuurparticipatie/erkendestandaard/2024-09-11/context/DoelgerichtDigitaalTransformeren-ap.jsonld
    matches: (url) => /^https?:\/\/data\.vlaanderen\.be\/doc\/applicatieprofiel\/cultuurparticipatie\/.*context.*\.jsonld$/i.test(url),
    document: OSLO_CULTUURPARTICIPATIE_CONTEXT,
  },
  {
    matches: (url) => /^https?:\/\/data\.vlaanderen\.be\/(doc\/)?context\/generiek-basis\.jsonld$/i.test(url),
    document: OSLO_GENERIEK_BASIS_CONTEXT,
  },
  { matches: (url) => url === PLATFORM_CONTEXT_URL, document: PLATFORM_CONTEXT as unknown as Record<string, unknown> },
];

export interface JsonLdParseOptions {
  /** Further URLs that mean our context, e.g. `${PUBLIC_BASE_URL}/ns/context.jsonld`. */
  platformContextUrls?: string[];
}

/** A jsonld documentLoader that never touches the network. */
export function offlineDocumentLoader(options: JsonLdParseOptions = {}) {
  const ownUrls = new Set(options.platformContextUrls ?? []);
  return async (url: string) => {
    const known = ownUrls.has(url) ? PLATFORM_CONTEXT : OFFLINE_CONTEXTS.find((entry) => entry.matches(url))?.document;
    if (!known) {
      throw new LinkedDataError(
        'REMOTE_CONTEXT_NOT_ALLOWED',
        `Remote JSON-LD context ${url} is not allowed (no network access): use the OSLO Cultuurparticipatie context, ` +
          `${PLATFORM_CONTEXT_URL}, or an inline context.`,
      );
    }
    return { contextUrl: undefined, documentUrl: url, document: structuredClone(known) };
  };
}

function writerPrefixes(): Record<string, string> {
  return { ...PREFIXES };
}

/** Same quads, each subject's quads together (first-appearance order), so Turtle writes one block per node. */
function groupBySubject(quads: Quad[]): Quad[] {
  const groups = new Map<string, Quad[]>();
  for (const quad of quads) {
    const key = `${quad.subject.termType}:${quad.subject.value}`;
    const group = groups.get(key);
    if (group) group.push(quad);
    else groups.set(key, [quad]);
  }
  return [...groups.values()].flat();
}

function write(quads: Quad[], format: 'Turtle' | 'N-Triples', prefixes?: Record<string, string>): string {
  const writer = new Writer(format === 'Turtle' ? { prefixes: prefixes ?? writerPrefixes() } : { format: 'N-Triples' });
  writer.addQuads(format === 'Turtle' ? groupBySubject(quads) : quads);
  let output: string | undefined;
  let failure: Error | null = null;
  // n3's string writer calls back synchronously
  writer.end((error, result: string) => {
    failure = error;
    output = result;
  });
  if (failure) throw failure;
  if (output === undefined) throw new Error('n3 Writer did not finish synchronously');
  return output;
}

/** `prefixes`: those to write instead of the OSLO ones (a Data Cube, a DCAT catalogue). */
export function toTurtle(quads: Quad[], prefixes?: Record<string, string>): string {
  return write(quads, 'Turtle', prefixes);
}

export function toNTriples(quads: Quad[]): string {
  return write(quads, 'N-Triples');
}

/** Parses Turtle (or N-Triples / N-Quads / TriG). Syntax errors become LinkedDataError with the line number. */
export function parseTurtle(text: string, baseIri?: string): Quad[] {
  const parser = new Parser(baseIri ? { baseIRI: baseIri } : {});
  let quads: Quad[];
  try {
    quads = parser.parse(text) as Quad[];
  } catch (caught) {
    const message = caught instanceof Error ? caught.message : String(caught);
    const context = (caught as { context?: { line?: number } }).context;
    const line = context?.line ?? Number(/line (\d+)/.exec(message)?.[1] ?? NaN);
    throw new LinkedDataError('RDF_SYNTAX', message, Number.isNaN(line) ? undefined : line);
  }
  for (const quad of quads) assertAbsoluteTerms(quad);
  return quads;
}

function assertAbsoluteTerms(quad: Quad): void {
  for (const term of [quad.subject, quad.predicate, quad.object, quad.graph]) {
    if (term.termType === 'NamedNode' && !ABSOLUTE_IRI.test(term.value)) throw relativeIri(`<${term.value}>`);
    if (term.termType === 'Quad') assertAbsoluteTerms(term as Quad);
  }
}

/** An IRI with a scheme (RFC 3987); RDF has no relative IRIs, so a document that leaves one unresolved is not RDF. */
const ABSOLUTE_IRI = /^[A-Za-z][A-Za-z0-9+.-]*:/;

function relativeIri(written: string): LinkedDataError {
  return new LinkedDataError('RELATIVE_IRI', `${written.slice(0, 200)} is a relative IRI and there is no base to resolve it against: write the full IRI (or give a base: @base in Turtle, "@base" in a JSON-LD context)`);
}

/**
 * Every node identifier of an expanded JSON-LD document is absolute or a blank node. jsonld.js keys its
 * node map by identifier in a plain object, so a relative "@id" such as "__proto__" or "constructor"
 * reaches Object.prototype (digitalbazaar/jsonld.js#584, open in 9.0.0) before toRDF drops it; refused
 * here, before jsonld builds that map.
 */
function assertAbsoluteIdentifiers(value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const element of value) assertAbsoluteIdentifiers(element);
    return;
  }
  for (const key of Object.keys(value)) {
    const member = (value as Record<string, unknown>)[key];
    if (key === '@id' && typeof member === 'string' && !member.startsWith('_:') && !ABSOLUTE_IRI.test(member)) throw relativeIri(`"@id": ${JSON.stringify(member)}`);
    if (key !== '@value') assertAbsoluteIdentifiers(member);
  }
}

/** How deep a JSON-LD document may nest objects and arrays (real ones nest a few dozen levels at most). */
const MAX_JSONLD_DEPTH = 500;

/**
 * Refuses a document nested deeper than MAX_JSONLD_DEPTH before jsonld.js sees it: its expansion
 * recurses once or twice per level and runs out of stack somewhere between 700 and 1,000 levels (in
 * V8's promise machinery, which cannot report it cleanly). Iterative, so the check itself cannot.
 */
function assertDepth(document: unknown): void {
  const stack: Array<[unknown, number]> = [[document, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_JSONLD_DEPTH) throw new LinkedDataError('JSONLD_INVALID', `The document nests objects and arrays more than ${MAX_JSONLD_DEPTH} levels deep`);
    for (const member of Array.isArray(value) ? value : Object.values(value)) if (member !== null && typeof member === 'object') stack.push([member, depth + 1]);
  }
}

interface JsonLdTerm {
  termType: string;
  value: string;
  language?: string;
  datatype?: { value: string };
}

function toN3Term(term: JsonLdTerm): Term {
  switch (term.termType) {
    case 'NamedNode':
      return DataFactory.namedNode(term.value);
    case 'BlankNode':
      return DataFactory.blankNode(term.value.replace(/^_:/, ''));
    case 'Literal':
      return term.language
        ? DataFactory.literal(term.value, term.language)
        : DataFactory.literal(term.value, DataFactory.namedNode(term.datatype?.value ?? `${PREFIXES.xsd}string`));
    default:
      return DataFactory.defaultGraph();
  }
}

/** Reads a JSON-LD document (object or text) into canonical quads; remote contexts resolve offline or fail. */
export async function parseJsonLd(document: JsonLdDocument | string, options: JsonLdParseOptions = {}): Promise<Quad[]> {
  let input: JsonLdDocument;
  try {
    input = typeof document === 'string' ? (JSON.parse(document) as JsonLdDocument) : document;
  } catch (caught) {
    throw new LinkedDataError('JSONLD_INVALID', `Invalid JSON: ${(caught as Error).message}`);
  }
  let dataset: JsonLdTerm[][];
  try {
    const documentLoader = offlineDocumentLoader(options);
    assertDepth(input);
    const expanded = await jsonld.expand(input, { documentLoader } as jsonld.Options.Expand);
    assertAbsoluteIdentifiers(expanded);
    const raw = (await jsonld.toRDF(expanded, { documentLoader, skipExpansion: true } as jsonld.Options.ToRdf)) as unknown as Array<
      Record<'subject' | 'predicate' | 'object' | 'graph', JsonLdTerm>
    >;
    dataset = raw.map((quad) => [quad.subject, quad.predicate, quad.object, quad.graph]);
  } catch (caught) {
    const remote = findCause(caught);
    if (remote) throw remote;
    throw new LinkedDataError('JSONLD_INVALID', `Invalid JSON-LD: ${(caught as Error).message}`);
  }
  const quads = dataset.map(
    ([subject, predicate, object, graph]) =>
      DataFactory.quad(
        toN3Term(subject) as Quad['subject'],
        toN3Term(predicate) as Quad['predicate'],
        toN3Term(object) as Quad['object'],
        toN3Term(graph) as Quad['graph'],
      ) as Quad,
  );
  return normalizeQuads(quads);
}

/** jsonld wraps loader errors in its own; dig out ours so the caller sees the clear message and code. */
function findCause(caught: unknown, depth = 0): LinkedDataError | undefined {
  if (caught instanceof LinkedDataError) return caught;
  if (depth > 5 || typeof caught !== 'object' || caught === null) return undefined;
  const details = (caught as { details?: { cause?: unknown } }).details;
  return findCause(details?.cause ?? (caught as { cause?: unknown }).cause, depth + 1);
}

function toJsonLdTerm(term: Term): Record<string, unknown> {
  if (term.termType === 'Literal') {
    return {
      termType: 'Literal',
      value: term.value,
      language: term.language,
      datatype: { termType: 'NamedNode', value: term.datatype.value },
    };
  }
  if (term.termType === 'BlankNode') return { termType: 'BlankNode', value: `_:${term.value}` };
  return { termType: term.termType, value: term.value };
}

function topLevelActivities(quads: Quad[]): string[] {
  const activities = new Set<string>();
  const subActivities = new Set<string>();
  for (const quad of quads) {
    if (quad.subject.termType !== 'NamedNode') continue;
    if (quad.predicate.value === `${PREFIXES.rdf}type` && quad.object.value === `${PREFIXES.crm}E7_Activity`) activities.add(quad.subject.value);
    if (quad.predicate.value === `${PREFIXES.cp}Activiteit.superactiviteit`) subActivities.add(quad.subject.value);
    if (quad.predicate.value === `${PREFIXES.cp}Activiteit.subactiviteit`) subActivities.add(quad.object.value);
  }
  return [...activities].filter((activity) => !subActivities.has(activity)).sort();
}

/**
 * Compacts quads with our context. With `frameType` (a term of our context such as "Activiteit", or an
 * IRI) the result is framed: nodes of that type at the top, their dependent nodes embedded; for
 * "Activiteit" only top-level activities are roots (performances embed under them). With `contextUrl`
 * the output references that URL instead of inlining the context.
 */
export async function toJsonLd(quads: Quad[], frameType?: string, options: { contextUrl?: string } = {}): Promise<NodeObject> {
  const document = await compactOrFrame(quads, frameType);
  // the API can point at the published context (/ns/context.jsonld) instead of inlining it
  if (options.contextUrl) document['@context'] = options.contextUrl;
  return document;
}

/** Quads to expanded JSON-LD (jsonld.js's fromRDF over RDF/JS terms). */
async function expand(quads: Quad[]): Promise<NodeObject[]> {
  const dataset = quads.map((quad) => ({
    subject: toJsonLdTerm(quad.subject),
    predicate: toJsonLdTerm(quad.predicate),
    object: toJsonLdTerm(quad.object),
    graph: toJsonLdTerm(quad.graph),
  }));
  return (await jsonld.fromRDF(dataset as unknown as object, {})) as unknown as NodeObject[];
}

/** Quads compacted with a given inline context (a vocabulary of its own: a Data Cube, a DCAT catalogue). */
export async function compactJsonLd(quads: Quad[], context: ContextDefinition): Promise<NodeObject> {
  return jsonld.compact(await expand(quads), context, { documentLoader: offlineDocumentLoader() } as jsonld.Options.Compact);
}

/** The platform context as the fast framing path reads it (undefined: the context has a form it leaves to jsonld). */
const FAST_FRAME_CONTEXT = fastFrameContext(PLATFORM_CONTEXT['@context']);

/** The one node `jsonld.frame` would answer for this frame, when there is exactly one (else undefined). */
function singleFrameRoot(quads: Quad[], frameType: string, roots: string[] | undefined): string | undefined {
  // a term of the context ("Activiteit") or an IRI, as jsonld reads the frame's @type
  const typeIri = FAST_FRAME_CONTEXT?.terms.get(frameType)?.iri ?? (/^https?:\/\//.test(frameType) ? frameType : undefined);
  if (!typeIri) return undefined;
  const typed = new Set<string>();
  for (const quad of quads) {
    if (quad.subject.termType === 'NamedNode' && quad.predicate.value === `${PREFIXES.rdf}type` && quad.object.value === typeIri) typed.add(quad.subject.value);
  }
  const matches = roots ? roots.filter((root) => typed.has(root)) : [...typed];
  return matches.length === 1 ? matches[0] : undefined;
}

/**
 * Frames (or compacts) quads in the platform context. A document with one root takes the fast path (fast-frame.ts:
 * the same JSON as jsonld's frame, proven by its property test) unless it has a form the fast path leaves to jsonld.
 */
async function compactOrFrame(quads: Quad[], frameType: string | undefined): Promise<NodeObject> {
  if (!frameType) {
    return jsonld.compact(await expand(quads), PLATFORM_CONTEXT['@context'], { documentLoader: offlineDocumentLoader() } as jsonld.Options.Compact);
  }
  return fastFramed(quads, frameType) ?? jsonldFramed(quads, frameType);
}

/** The fast path's document, or undefined where it leaves the document to jsonld. */
export function fastFramed(quads: Quad[], frameType: string): NodeObject | undefined {
  if (!FAST_FRAME_CONTEXT) return undefined;
  const roots = frameType === 'Activiteit' ? topLevelActivities(quads) : [];
  const root = singleFrameRoot(quads, frameType, roots.length > 0 ? roots : undefined);
  return root ? fastFrame(FAST_FRAME_CONTEXT, quads, root, PLATFORM_CONTEXT['@context']) : undefined;
}

/** The reference: jsonld.js's fromRDF and frame, "Activiteit" framed on the top-level activities. */
export async function jsonldFramed(quads: Quad[], frameType: string): Promise<NodeObject> {
  const frame: Record<string, unknown> = { '@context': PLATFORM_CONTEXT['@context'], '@type': frameType };
  if (frameType === 'Activiteit') {
    // jsonld.js fails on a "match none" ([]) property frame once it embeds, so select the roots by @id
    const roots = topLevelActivities(quads);
    if (roots.length > 0) frame['@id'] = roots;
  }
  const framed = await jsonld.frame(await expand(quads), frame as Parameters<typeof jsonld.frame>[1], { documentLoader: offlineDocumentLoader() } as jsonld.Options.Frame);
  return framed as NodeObject;
}

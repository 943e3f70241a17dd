import type { Quad } from '@rdfjs/types';
import type { ContextDefinition, NodeObject } from 'jsonld';

/**
 * A fast path for one case of `jsonld.frame` over `jsonld.fromRDF`: quads framed on one root node with the
 * default flags (`@embed: @once`, not explicit, JSON-LD 1.1, no base) and compacted with a context of prefixes
 * and terms (no @vocab, no scoped contexts, no @reverse, no @list). It gives the same JSON as jsonld.js — the
 * reference, and what `compactOrFrame` uses whenever this answers `undefined`: for blank nodes, named graphs,
 * literals or IRIs it does not recognise, or a property whose term selection it does not follow. The equivalence
 * is a property test (fast-frame.spec.ts): same JSON text, key order included, on generated documents.
 */

interface TermDefinition {
  term: string;
  iri: string;
  /** '@id', an expanded datatype IRI, or undefined. */
  type?: string;
  language: boolean;
  set: boolean;
  /** A plain `"term": "iri"` definition. */
  simple: boolean;
}

export interface FastFrameContext {
  context: ContextDefinition;
  prefixes: Array<{ term: string; iri: string }>;
  terms: Map<string, TermDefinition>;
  /** Term definitions per expanded IRI (more than one: left to jsonld). */
  byIri: Map<string, TermDefinition[]>;
}

const XSD_STRING = 'http://www.w3.org/2001/XMLSchema#string';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';
const GEN_DELIMS = new Set([':', '/', '?', '#', '[', ']', '@']);
const ABSOLUTE_HTTP = /^https?:\/\/[^\s<>"{}|\\^`]*$/;

/** Reads a context of the supported form, or answers undefined (then jsonld does all of it). */
export function fastFrameContext(context: ContextDefinition): FastFrameContext | undefined {
  const entries = Object.entries(context as Record<string, unknown>).filter(([key]) => key !== '@version');
  if ((context as Record<string, unknown>)['@version'] !== 1.1) return undefined;
  const raw = new Map<string, string>();
  for (const [term, definition] of entries) {
    if (term.startsWith('@')) return undefined;
    const id = typeof definition === 'string' ? definition : (definition as { '@id'?: unknown })['@id'];
    if (typeof id !== 'string') return undefined;
    raw.set(term, id);
  }
  const expand = (value: string): string | undefined => {
    if (ABSOLUTE_HTTP.test(value)) return value;
    const colon = value.indexOf(':');
    if (colon <= 0) return undefined;
    const prefix = raw.get(value.slice(0, colon));
    return prefix !== undefined && ABSOLUTE_HTTP.test(prefix) ? prefix + value.slice(colon + 1) : undefined;
  };
  const terms = new Map<string, TermDefinition>();
  const byIri = new Map<string, TermDefinition[]>();
  const prefixes: Array<{ term: string; iri: string }> = [];
  for (const [term, definition] of entries) {
    const iri = expand(raw.get(term)!);
    if (iri === undefined || term.includes(':') || term.includes('/')) return undefined;
    let type: string | undefined;
    let language = false;
    let set = false;
    if (typeof definition !== 'string') {
      const { '@id': _id, '@type': typeValue, '@container': container, ...rest } = definition as Record<string, unknown>;
      if (Object.keys(rest).length > 0) return undefined;
      if (typeValue !== undefined) {
        if (typeValue === '@id') type = '@id';
        else if (typeof typeValue === 'string' && !typeValue.startsWith('@')) type = expand(typeValue);
        if (type === undefined) return undefined;
      }
      if (container !== undefined) {
        if (container === '@language') language = true;
        else if (container === '@set') set = true;
        else return undefined;
      }
      if (language && type !== undefined) return undefined;
    }
    const simple = typeof definition === 'string';
    const entry: TermDefinition = { term, iri, type, language, set, simple };
    terms.set(term, entry);
    byIri.set(iri, [...(byIri.get(iri) ?? []), entry]);
    if (simple && GEN_DELIMS.has(iri.at(-1)!)) prefixes.push({ term, iri });
  }
  return { context, prefixes, terms, byIri };
}

class Unsupported extends Error {}

interface NodeEntry {
  types: string[];
  properties: Map<string, Quad['object'][]>;
}

/** jsonld's compactIri for an IRI that is not a property (vocab false, no base): a compact IRI or the IRI itself. */
function compactIri(context: FastFrameContext, iri: string): string {
  if (!ABSOLUTE_HTTP.test(iri)) throw new Unsupported();
  let choice: string | null = null;
  for (const prefix of context.prefixes) {
    if (iri.length <= prefix.iri.length || !iri.startsWith(prefix.iri)) continue;
    const curie = `${prefix.term}:${iri.slice(prefix.iri.length)}`;
    const defined = context.terms.get(curie);
    if (defined && defined.iri !== iri) continue;
    if (choice === null || curie.length < choice.length || (curie.length === choice.length && curie < choice)) choice = curie;
  }
  return choice ?? iri;
}

/** A class IRI (vocab true, no value): its one plain term, else as compactIri. */
function compactType(context: FastFrameContext, iri: string): string {
  const definitions = context.byIri.get(iri);
  if (!definitions) return compactIri(context, iri);
  if (definitions.length !== 1 || !definitions[0].simple) throw new Unsupported();
  return definitions[0].term;
}

function sameObject(left: Quad['object'], right: Quad['object']): boolean {
  return left.equals(right);
}

/**
 * The framed, compacted document of `root` (jsonld.frame with `{"@context": context, "@type": …, "@id": [root]}` over
 * jsonld.fromRDF of the quads, when root is the only match), or undefined when the input is outside the supported form.
 */
export function fastFrame(context: FastFrameContext, quads: Quad[], root: string, contextValue: unknown): NodeObject | undefined {
  try {
    return frame(context, quads, root, contextValue);
  } catch (caught) {
    if (caught instanceof Unsupported) return undefined;
    throw caught;
  }
}

function frame(context: FastFrameContext, quads: Quad[], root: string, contextValue: unknown): NodeObject {
  const nodes = new Map<string, NodeEntry>();
  for (const quad of quads) {
    if (quad.subject.termType !== 'NamedNode' || quad.graph.termType !== 'DefaultGraph') throw new Unsupported();
    const object = quad.object;
    if (object.termType !== 'NamedNode' && object.termType !== 'Literal') throw new Unsupported();
    let node = nodes.get(quad.subject.value);
    if (!node) nodes.set(quad.subject.value, (node = { types: [], properties: new Map() }));
    if (quad.predicate.value === RDF_TYPE) {
      if (object.termType !== 'NamedNode') throw new Unsupported();
      if (!node.types.includes(object.value)) node.types.push(object.value);
      continue;
    }
    const values = node.properties.get(quad.predicate.value);
    if (!values) node.properties.set(quad.predicate.value, [object]);
    else if (!values.some((value) => sameObject(value, object))) values.push(object);
  }
  if (!nodes.has(root)) throw new Unsupported();
  const embedded = new Set<string>();

  const embed = (id: string, ancestors: Set<string>): Record<string, unknown> => {
    embedded.add(id);
    const node = nodes.get(id)!;
    const output: Record<string, unknown> = { '@id': compactIri(context, id) };
    if (node.types.length > 0) {
      const types = node.types.length > 1 ? [...node.types].sort() : node.types;
      const compacted = types.map((type) => compactType(context, type));
      output['@type'] = compacted.length === 1 ? compacted[0] : compacted;
    }
    const inner = new Set(ancestors).add(id);
    for (const property of [...node.properties.keys()].sort()) {
      const definitions = context.byIri.get(property);
      const values = node.properties.get(property)!;
      if (!definitions) {
        // No term: a compact IRI (or the IRI) as the key, node references as {"@id"} (or embedded).
        const key = compactIri(context, property);
        if (output[key] !== undefined || context.terms.has(key)) throw new Unsupported();
        const compacted = values.map((value) => {
          if (value.termType === 'NamedNode') {
            return nodes.has(value.value) && !embedded.has(value.value) && !inner.has(value.value) ? embed(value.value, inner) : { '@id': compactIri(context, value.value) };
          }
          // a literal without a term (compacted by the value's own form): left to jsonld
          throw new Unsupported();
        });
        output[key] = compacted.length > 1 ? compacted : compacted[0];
        continue;
      }
      if (definitions.length !== 1) throw new Unsupported();
      const definition = definitions[0];
      if (output[definition.term] !== undefined) throw new Unsupported();
      if (definition.language) {
        const map: Record<string, string> = {};
        for (const value of values) {
          if (value.termType !== 'Literal' || !value.language || value.datatype.value !== RDF_LANG_STRING || value.language in map) throw new Unsupported();
          map[value.language] = value.value;
        }
        output[definition.term] = map;
        continue;
      }
      const compacted = values.map((value) => {
        if (value.termType === 'NamedNode') {
          if (definition.type !== '@id') throw new Unsupported();
          // @once: a node is embedded where framing first reaches it, never inside itself; elsewhere a reference.
          return nodes.has(value.value) && !embedded.has(value.value) && !inner.has(value.value) ? embed(value.value, inner) : compactIri(context, value.value);
        }
        if (value.termType !== 'Literal' || value.language) throw new Unsupported();
        if (definition.type === undefined ? value.datatype.value !== XSD_STRING : definition.type !== value.datatype.value) throw new Unsupported();
        return value.value;
      });
      output[definition.term] = definition.set || compacted.length > 1 ? compacted : compacted[0];
    }
    return output;
  };

  return { '@context': contextValue, ...embed(root, new Set()) } as NodeObject;
}

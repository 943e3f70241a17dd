import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { isomorphic } from 'rdf-isomorphic';
import { pollutedSince, sharedPrototypes } from '../../../test/support/prototypes.js';
import { activityToQuads } from './activity-to-rdf.js';
import { normalizeIri, PREFIXES } from './prefixes.js';
import { quadsToActivities } from './rdf-to-activity.js';
import {
  LinkedDataError,
  parseJsonLd,
  parseTurtle,
  PLATFORM_CONTEXT,
  PLATFORM_CONTEXT_URL,
  toJsonLd,
  toNTriples,
  toTurtle,
} from './serialize.js';
import { buildActivity, TEST_CONTEXT } from './testing/activity-factory.js';

const OSLO_CONTEXT_URL =
  'https://data.vlaanderen.be/doc/applicatieprofiel/cultuurparticipatie/erkendestandaard/2024-09-11/context/DoelgerichtDigitaalTransformeren-ap.jsonld';
const quads = activityToQuads(buildActivity(), TEST_CONTEXT);

describe('Turtle and N-Triples', () => {
  it('writes Turtle with our prefixes and reads it back to the same graph', () => {
    const turtle = toTurtle(quads);
    expect(turtle).toContain('@prefix cp: <https://data.vlaanderen.be/ns/cultuurparticipatie#>');
    expect(turtle).toContain('cp:Activiteit.boeking');
    expect(isomorphic(parseTurtle(turtle), quads)).toBe(true);
    expect(isomorphic(parseTurtle(toNTriples(quads)), quads)).toBe(true);
  });

  it('reports syntax errors with their line number', () => {
    const broken = '@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "unterminated .\n';
    expect(() => parseTurtle(broken)).toThrow(LinkedDataError);
    try {
      parseTurtle(broken);
    } catch (caught) {
      expect((caught as LinkedDataError).code).toBe('RDF_SYNTAX');
      expect((caught as LinkedDataError).line).toBe(3);
    }
  });
});

describe('JSON-LD', () => {
  it('compacts with our context and parses back to an isomorphic graph', async () => {
    const compacted = await toJsonLd(quads);
    expect(compacted['@graph']).toBeDefined();
    expect(isomorphic(await parseJsonLd(compacted), quads)).toBe(true);
  });

  it('frames an activity with its performances, place and prices embedded, and parses back', async () => {
    const framed = await toJsonLd(quads, 'Activiteit');
    expect(framed['@type']).toBe('Activiteit');
    expect(framed['Activiteit.naam']).toEqual({ nl: 'Bart Peeters live', en: 'Bart Peeters live' });
    expect((framed['Activiteit.subactiviteit'] as unknown[]).length).toBe(3);
    expect((framed['Activiteit.locatie'] as Record<string, unknown>)['@type']).toBe('Plaats');
    const parsed = await parseJsonLd(framed);
    expect(isomorphic(parsed, quads)).toBe(true);
  });

  it('can reference the published context instead of inlining it', async () => {
    const framed = await toJsonLd(quads, 'Activiteit', { contextUrl: PLATFORM_CONTEXT_URL });
    expect(framed['@context']).toBe(PLATFORM_CONTEXT_URL);
    expect(isomorphic(await parseJsonLd(framed), quads)).toBe(true);
    const own = 'https://data.cultuurdata.test/ns/context.jsonld';
    framed['@context'] = own;
    expect(isomorphic(await parseJsonLd(framed, { platformContextUrls: [own] }), quads)).toBe(true);
  });

  it('resolves the official OSLO context offline and normalises its variant IRIs', async () => {
    const document = {
      '@context': OSLO_CONTEXT_URL,
      '@id': 'https://vendor.example/events/1',
      '@type': 'Activiteit',
      'Activiteit.naam': [{ '@value': 'Expo', '@language': 'nl' }],
      'Activiteit.boeking': [{ '@id': 'https://vendor.example/events/1#booking', '@type': 'Boekingsinfo' }],
      'Activiteit.locatie': { '@id': 'https://vendor.example/places/2' },
    };
    const parsed = await parseJsonLd(document);
    const predicates = parsed.map((quad) => quad.predicate.value);
    expect(predicates).toContain(`${PREFIXES.cp}Activiteit.boeking`);
    expect(predicates).toContain(`${PREFIXES.prov}atLocation`);
    expect(predicates.some((predicate) => predicate.includes('Acitviteit') || predicate.startsWith('https://www.w3.org/ns/prov#'))).toBe(false);
  });

  it('refuses any other remote context with a clear error, without fetching', async () => {
    const document = { '@context': 'https://example.org/remote-context.jsonld', '@id': 'https://e.org/a', name: 'x' };
    await expect(parseJsonLd(document)).rejects.toMatchObject({
      code: 'REMOTE_CONTEXT_NOT_ALLOWED',
      message: expect.stringContaining('https://example.org/remote-context.jsonld'),
    });
  });

  it('rejects invalid JSON as a LinkedDataError', async () => {
    await expect(parseJsonLd('{ not json')).rejects.toMatchObject({ code: 'JSONLD_INVALID' });
  });
});

/**
 * jsonld.js keys its node map by "@id" in a plain object (digitalbazaar/jsonld.js#584): a relative "@id"
 * named after a member of Object.prototype wrote onto Object.prototype and broke every later request of
 * the process. RDF has no relative IRIs; both readers refuse them before anything builds such a map.
 */
describe('relative IRIs, and the prototype pollution they opened', () => {
  const memberNames = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];
  const before = sharedPrototypes();

  it.each(memberNames)('JSON-LD: refuses "@id": "%s" as a node, a reference, a reverse node and a graph name, and pollutes nothing', async (name) => {
    const documents = [
      { '@context': null, '@id': name, '@type': 'https://data.vlaanderen.be/ns/cultuurparticipatie#Activiteit', 'http://purl.org/dc/terms/title': 'x' },
      { '@context': { p: { '@id': 'https://e.org/p', '@type': '@id' } }, '@id': 'https://e.org/a', p: name },
      { '@context': { p: { '@reverse': 'https://e.org/p' } }, '@id': 'https://e.org/a', p: { '@id': name, 'https://e.org/q': 'y' } },
      { '@id': name, '@graph': [{ '@id': 'https://e.org/a', 'https://e.org/q': 'y' }] },
      [{ '@id': 'https://e.org/a', 'https://e.org/q': { '@list': [{ '@id': name, 'https://e.org/r': 'z' }] } }],
    ];
    for (const document of documents) {
      await expect(parseJsonLd(JSON.parse(JSON.stringify(document)))).rejects.toMatchObject({ code: 'RELATIVE_IRI', message: expect.stringContaining(`"@id": "${name}" is a relative IRI`) });
    }
    expect(pollutedSince(before)).toEqual([]);
  });

  it('JSON-LD: a relative "@id" under "@base" is resolved and accepted; blank nodes and literal "@id" text are fine', async () => {
    const quads = await parseJsonLd({ '@context': { '@base': 'https://e.org/' }, '@id': '__proto__', 'https://e.org/q': [{ '@value': '{"@id": "constructor"}' }, { '@id': '_:b1' }] });
    expect(quads.map((quad) => quad.subject.value)).toEqual(['https://e.org/__proto__', 'https://e.org/__proto__']);
    expect(pollutedSince(before)).toEqual([]);
  });

  const nested = (levels: number, wrap: (inner: unknown, level: number) => unknown): unknown => {
    let deep: unknown = { '@id': 'https://e.org/leaf' };
    for (let level = 0; level < levels; level += 1) deep = wrap(deep, level);
    return deep;
  };

  it.each([
    ['objects', 1_200],
    ['objects', 100_000],
    ['arrays', 600],
  ])('JSON-LD: refuses a document nesting %s %i levels deep with a clear error, before jsonld.js runs out of stack', async (kind, levels) => {
    const deep = nested(levels, (inner, level) => (kind === 'arrays' ? { '@id': `https://e.org/n${level}`, 'https://e.org/p': [[inner]] } : { '@id': `https://e.org/n${level}`, 'https://e.org/p': inner }));
    await expect(parseJsonLd(deep as Record<string, unknown>)).rejects.toThrow(expect.objectContaining({ code: 'JSONLD_INVALID', message: expect.stringContaining('more than 500 levels deep') }));
  });

  it('JSON-LD: a document nesting exactly 500 levels is read whole (jsonld.js has stack left at the limit), as object and as text; 501 is refused', async () => {
    // `nested` wraps a leaf object: n wrappings are n + 1 levels.
    const deep = nested(499, (inner, level) => ({ '@id': `https://e.org/n${level}`, 'https://e.org/p': inner }));
    expect(await parseJsonLd(deep as Record<string, unknown>)).toHaveLength(499);
    expect(await parseJsonLd(JSON.stringify(deep))).toHaveLength(499);
    const deeper = { '@id': 'https://e.org/top', 'https://e.org/p': deep };
    await expect(parseJsonLd(JSON.stringify(deeper))).rejects.toThrow(expect.objectContaining({ code: 'JSONLD_INVALID', message: expect.stringContaining('more than 500 levels deep') }));
  });

  it.each(['<__proto__> a <https://e.org/A> .', '<https://e.org/a> <constructor> "x" .', '<https://e.org/a> <https://e.org/p> <toString> .', '<https://e.org/a> <https://e.org/p> "x" <valueOf> .'])(
    'Turtle / N-Quads: refuses %s without a base',
    (text) => {
      expect(() => parseTurtle(text)).toThrow(expect.objectContaining({ code: 'RELATIVE_IRI', message: expect.stringContaining('is a relative IRI') }));
    },
  );

  it('Turtle: a relative IRI under @base (or a given base) is resolved and accepted', () => {
    expect(parseTurtle('@base <https://e.org/> . <__proto__> a <A> .')[0].subject.value).toBe('https://e.org/__proto__');
    expect(parseTurtle('<constructor> a <https://e.org/A> .', 'https://e.org/')[0].subject.value).toBe('https://e.org/constructor');
  });
});

describe('platform context', () => {
  const context = PLATFORM_CONTEXT['@context'] as Record<string, unknown>;
  const prefixes = Object.fromEntries(Object.entries(context).filter(([, value]) => typeof value === 'string' && /^https?:/.test(value))) as Record<string, string>;
  const expand = (value: string): string => {
    const [prefix, local] = value.split(/:(.*)/s);
    return prefixes[prefix] !== undefined && !value.startsWith('http') ? prefixes[prefix] + local : value;
  };
  const idOf = (definition: unknown): string | undefined =>
    typeof definition === 'string' ? definition : (definition as { '@id'?: string } | undefined)?.['@id'];

  it('uses only canonical IRIs', () => {
    for (const [term, definition] of Object.entries(context)) {
      const id = idOf(definition);
      if (!id || term.startsWith('@')) continue;
      expect(normalizeIri(expand(id))).toBe(expand(id));
    }
  });

  it('keeps the official OSLO term names for the same (normalised) IRIs', () => {
    const official = JSON.parse(readFileSync('../shared/reference/oslo/cultuurparticipatie-DoelgerichtDigitaalTransformeren-ap.context.jsonld', 'utf8'))[
      '@context'
    ] as Record<string, unknown>;
    let shared = 0;
    for (const [term, definition] of Object.entries(official)) {
      const officialId = idOf(definition);
      if (!officialId || officialId === 'TODO' || !(term in context)) continue;
      shared += 1;
      expect([term, expand(idOf(context[term]) as string)]).toEqual([term, normalizeIri(officialId)]);
    }
    expect(shared).toBeGreaterThan(20);
  });
});

describe('OSLO input with variant IRIs', () => {
  it('maps a Turtle document using the official context IRIs onto the domain model', () => {
    const text = readFileSync(new URL('./testing/oslo-variant-activity.ttl', import.meta.url), 'utf8');
    const [mapped] = quadsToActivities(parseTurtle(text));
    expect(mapped.errors).toEqual([]);
    expect(mapped.activity?.booking?.url).toBe('https://tickets.example/42');
    expect(mapped.activity?.place!.address.postalCode).toBe('2000');
    expect(mapped.activity?.performances[0].availability?.level).toBe('LimitedAvailability');
  });
});

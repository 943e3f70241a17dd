import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseTurtle, PREFIXES } from '@platform/linked-data';
import type { Quad } from '@rdfjs/types';
import { Store } from 'n3';
import { defaultShapeFiles, ShaclValidator } from '../shacl-validator.js';
import { CompiledShaclValidator } from './compiled-validator.js';
import { UnsupportedShapeError } from './shape-compiler.js';

const SH = PREFIXES.sh;
const PREFIX = '@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n';

function shapes(text: string): Quad[] {
  return parseTurtle(PREFIX + text);
}

function refusal(text: string): UnsupportedShapeError {
  try {
    CompiledShaclValidator.fromQuads(shapes(text));
  } catch (error) {
    if (error instanceof UnsupportedShapeError) return error;
    throw error;
  }
  throw new Error('the compiler accepted the shapes');
}

describe('ShapeCompiler coverage', () => {
  it('compiles every construct the platform shapes use', () => {
    const quads = defaultShapeFiles().flatMap((file) => parseTurtle(readFileSync(file, 'utf8'), `file://${file}`));
    expect(() => CompiledShaclValidator.fromQuads(quads)).not.toThrow();
    // and those are exactly these sh: predicates (a new one in shapes/ must be covered, or this list grows consciously;
    // minLength came with the participation shapes: an order id is not empty)
    const used = [...new Set(new Store(quads).getQuads(null, null, null, null).map((quad) => quad.predicate.value).filter((iri) => iri.startsWith(SH)))]
      .map((iri) => iri.slice(SH.length))
      .sort();
    expect(used).toEqual(
      ['class', 'closed', 'datatype', 'description', 'hasValue', 'in', 'lessThanOrEquals', 'maxCount', 'message', 'minCount', 'minInclusive', 'minLength', 'name', 'nodeKind', 'not', 'or', 'path', 'pattern', 'property', 'targetClass', 'targetSubjectsOf'].sort(),
    );
  });

  it.each([
    ['SHACL-SPARQL constraints', 'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select "SELECT $this WHERE {}" ] .', 'ex:S', 'sh:sparql'],
    ['SPARQL-based targets', 'ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ] .', 'ex:S', 'sh:target'],
    ['a custom constraint component', 'ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:max ] . ex:S a sh:NodeShape ; ex:max 3 .', 'ex:C', 'a custom constraint component (sh:ConstraintComponent)'],
    ['nested complex paths', 'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path [ sh:inversePath [ sh:zeroOrMorePath ex:p ] ] ; sh:minCount 1 ] .', '_:', 'sh:inversePath over a nested path'],
    ['recursive shapes', 'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:knows ; sh:node ex:S ] .', 'ex:S', 'a recursive shape reference'],
    ['an unknown node kind', 'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:nodeKind sh:Thing .', 'ex:S', 'sh:nodeKind http://www.w3.org/ns/shacl#Thing'],
    ['two sh:or lists on one shape', 'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:or ( ex:A ex:B ) , ( ex:C ex:D ) .', 'ex:S', 'several values of sh:or'],
    ['the SPARQL x flag', 'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:pattern "a b" ; sh:flags "x" .', 'ex:S', 'sh:flags "x"'],
  ])('refuses to start on %s, naming the shape and the construct', (_name, text, shape, construct) => {
    const error = refusal(text);
    expect(error.construct).toBe(construct);
    const expectedShape = shape === '_:' ? expect.stringMatching(/^_:/) : shape.replace('ex:', 'https://example.org/');
    expect(error.shape).toEqual(expectedShape);
    expect(error.message).toContain(construct);
    expect(error.message).toContain('not covered by the SHACL compiler');
  });

  it('refuses through ShaclValidator too, while shacl-engine (the reference) still starts', () => {
    const text = 'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:sparql [ sh:select "SELECT $this WHERE {}" ] .';
    expect(() => ShaclValidator.fromQuads(shapes(text), { engine: 'compiled' })).toThrow(/shape https:\/\/example.org\/S: sh:sparql is not covered/);
    expect(() => ShaclValidator.fromQuads(shapes(text))).not.toThrow();
    expect(ShaclValidator.fromQuads(shapes(text)).engineKind).toBe('shacl-engine');
  });
});

// Where shacl-engine departs from the SHACL specification, the compiled validator follows the
// specification (docs/decisions.md). Each case shows both answers, so a change on either side is seen.
describe('shacl-engine departures from the SHACL specification: the compiled validator follows the spec', () => {
  async function both(shapeText: string, dataText: string): Promise<{ compiled: string[]; engine: string[] }> {
    const shapeQuads = shapes(shapeText);
    const data = parseTurtle(PREFIX + dataText);
    const summary = (results: { constraint: string; value?: string }[]) => results.map((result) => `${result.constraint.slice(SH.length)} ${result.value}`).sort();
    return {
      compiled: summary((await CompiledShaclValidator.fromQuads(shapeQuads).validate(data)).results),
      engine: summary((await ShaclValidator.fromQuads(shapeQuads).validate(data)).results),
    };
  }

  it('sh:languageIn matches language ranges (RFC 4647), not string prefixes: "en" does not admit "eng", does admit "EN-gb"', async () => {
    const outcome = await both(
      'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:label ; sh:languageIn ( "en" ) ] .',
      'ex:a ex:label "Old English"@eng , "Colour"@en-GB , "Hi"@en .',
    );
    expect(outcome.compiled).toEqual(['LanguageInConstraintComponent Old English']);
    expect(outcome.engine).toEqual([]);
  });

  it('sh:minLength / sh:maxLength count characters (code points), not UTF-16 units', async () => {
    const outcome = await both(
      'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:mood ; sh:minLength 2 ] ; sh:property [ sh:path ex:code ; sh:maxLength 3 ] .',
      'ex:a ex:mood "😀" ; ex:code "😀😀😀" .',
    );
    expect(outcome.compiled).toEqual(['MinLengthConstraintComponent 😀']);
    expect(outcome.engine).toEqual(['MaxLengthConstraintComponent 😀😀😀']);
  });

  it('an ill-formed literal is not comparable: sh:minInclusive and sh:lessThanOrEquals report it', async () => {
    const outcome = await both(
      'ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:price ; sh:minInclusive 0 ] ; sh:property [ sh:path ex:remaining ; sh:lessThanOrEquals ex:capacity ] .',
      'ex:a ex:price "12,5"^^xsd:decimal ; ex:remaining 5 ; ex:capacity "ten"^^xsd:integer .',
    );
    expect(outcome.compiled).toEqual(['LessThanOrEqualsConstraintComponent 5', 'MinInclusiveConstraintComponent 12,5']);
    expect(outcome.engine).toEqual([]);
  });

  it('sh:pattern never matches a blank node (shacl-engine tests its label)', async () => {
    const outcome = await both('ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:code ; sh:pattern "^b" ] .', 'ex:a ex:code _:b1 .');
    expect(outcome.compiled).toHaveLength(1);
    expect(outcome.compiled[0]).toMatch(/^PatternConstraintComponent _:/);
    expect(outcome.engine).toEqual([]);
  });

  it('strings are ordered by code point (SPARQL), not by locale', async () => {
    const outcome = await both('ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:property [ sh:path ex:name ; sh:maxExclusive "a" ] .', 'ex:a ex:name "B" .');
    // "B" (U+0042) < "a" (U+0061): conforms by code point; localeCompare puts "a" first
    expect(outcome.compiled).toEqual([]);
    expect(outcome.engine).toEqual(['MaxExclusiveConstraintComponent B']);
  });
});

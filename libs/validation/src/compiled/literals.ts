import { PREFIXES } from '@platform/linked-data';
import { DataFactory } from 'n3';
import { fromRdf } from 'rdf-literal';
import { XsdValidation } from 'rdf-validation';
import type { TermValidation } from 'rdf-validation';

const XSD = PREFIXES.xsd;

/**
 * The lexical-form check of a datatype: the same one shacl-engine applies for sh:datatype
 * (rdf-validation's XSD patterns and integer ranges), resolved once per datatype at compile time.
 * Datatypes it does not know (rdf:langString, custom ones) only need the datatype IRI to match.
 */
export function lexicalCheck(datatype: string): ((lexical: string) => boolean) | undefined {
  const validation: TermValidation | undefined = xsd.validations.get(DataFactory.namedNode(datatype));
  if (!validation) return undefined;
  const scratch = { value: '' };
  return (lexical) => {
    scratch.value = lexical;
    return validation.validateSimple(scratch);
  };
}

const xsd = new XsdValidation();

/** A literal's value for ordering (sh:minInclusive, sh:lessThan, ...), or undefined when it has none. */
export type Comparable = number | boolean | string | Date;

const TIMEZONE = /^.*(((\+|-)\d{2}:\d{2})|Z)$/;
const lexicalChecks = new Map<string, ((lexical: string) => boolean) | undefined>();
// A reusable literal for rdf-literal: the success path must not allocate per value.
const scratchLiteral = { termType: 'Literal' as const, value: '', language: '', datatype: { termType: 'NamedNode' as const, value: '' } };

/** What `compareTerms` of shacl-engine compares, with one departure (see `compareLiterals`). */
export interface OrderKey {
  value: Comparable;
  /** xsd:dateTime with a time zone: comparable only with another one that has one (as shacl-engine). */
  timezone: boolean;
}

/**
 * The value of a literal for comparison, as shacl-engine reads it (rdf-literal's `fromRdf`), except
 * that an ill-formed literal (e.g. "12,5"^^xsd:decimal) has none: SPARQL's `<=` on it is an error, so
 * SHACL reports it (shacl-engine compares the parseFloat prefix instead; docs/decisions.md).
 */
export function orderKey(lexical: string, datatype: string): OrderKey | undefined {
  let check = lexicalChecks.get(datatype);
  if (check === undefined && !lexicalChecks.has(datatype)) {
    check = lexicalCheck(datatype);
    lexicalChecks.set(datatype, check);
  }
  if (check && !check(lexical)) return undefined;
  scratchLiteral.value = lexical;
  scratchLiteral.datatype.value = datatype;
  const value = fromRdf(scratchLiteral as Parameters<typeof fromRdf>[0]) as Comparable;
  return { value, timezone: datatype === `${XSD}dateTime` && TIMEZONE.test(lexical) };
}

/**
 * Negative, zero or positive; undefined when the two are not comparable (different kinds of value).
 * Strings compare by code point as SPARQL does (shacl-engine uses localeCompare).
 */
export function compareKeys(left: OrderKey | undefined, right: OrderKey | undefined): number | undefined {
  if (!left || !right || left.timezone !== right.timezone) return undefined;
  const a = left.value;
  const b = right.value;
  if (typeof a !== typeof b) return undefined;
  if (typeof a === 'string') return a < (b as string) ? -1 : a > (b as string) ? 1 : 0;
  return (a as number) - (b as number);
}

/** RFC 4647 basic filtering, as SPARQL's langMatches: "en" matches "en" and "en-GB", not "eng"; case-insensitive. */
export function languageMatches(tag: string, range: string): boolean {
  if (!tag) return false;
  if (range === '*') return true;
  const lowerTag = tag.toLowerCase();
  const lowerRange = range.toLowerCase();
  return lowerTag === lowerRange || (lowerTag.startsWith(lowerRange) && lowerTag.charCodeAt(lowerRange.length) === 45 /* - */);
}

/** Length in characters (code points), as XPath's fn:string-length: an emoji counts once. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length -= 1;
        index += 1;
      }
    }
  }
  return length;
}

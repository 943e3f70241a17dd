import { compactIri } from '@platform/linked-data';
import type { Term } from '@rdfjs/types';

export interface BilingualMessage {
  nl: string;
  en: string;
}

/** What a message generator knows about one result. */
export interface MessageInput {
  /** Local name of the constraint component, e.g. `MinCountConstraintComponent`. */
  component: string;
  path?: string;
  value?: Term;
  /** Values of the shape's parameters for this component (sh:minCount, sh:in list, ...). */
  parameter: (name: string) => Term[];
  /** Number of values found at the path (for cardinality), when it could be counted. */
  found?: number;
}

export function formatTerm(term: Term | undefined): string {
  if (!term) return '';
  if (term.termType === 'NamedNode') return compactIri(term.value);
  if (term.termType === 'BlankNode') return `_:${term.value}`;
  return JSON.stringify(term.value);
}

const NODE_KINDS: Record<string, BilingualMessage> = {
  IRI: { nl: 'een IRI', en: 'an IRI' },
  BlankNode: { nl: 'een blanco knoop', en: 'a blank node' },
  Literal: { nl: 'een literal', en: 'a literal' },
  BlankNodeOrIRI: { nl: 'een IRI of blanco knoop', en: 'an IRI or blank node' },
  BlankNodeOrLiteral: { nl: 'een blanco knoop of literal', en: 'a blank node or literal' },
  IRIOrLiteral: { nl: 'een IRI of literal', en: 'an IRI or literal' },
};

function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}

/** A clear message per constraint component, with the parameters in compact prefixed names. */
export function generateMessage(input: MessageInput): BilingualMessage {
  const first = (name: string): string => formatTerm(input.parameter(name)[0]);
  const list = (name: string): string => input.parameter(name).map(formatTerm).join(', ');
  const value = formatTerm(input.value);
  const found = input.found === undefined ? undefined : input.found;
  const body = ((): BilingualMessage => {
    switch (input.component) {
      case 'MinCountConstraintComponent': {
        const count = Number(input.parameter('minCount')[0]?.value ?? 0);
        return {
          nl: `minstens ${count} ${plural(count, 'waarde', 'waarden')} vereist${found === undefined ? '' : `, ${found} gevonden`}`,
          en: `at least ${count} ${plural(count, 'value', 'values')} required${found === undefined ? '' : `, found ${found}`}`,
        };
      }
      case 'MaxCountConstraintComponent': {
        const count = Number(input.parameter('maxCount')[0]?.value ?? 0);
        return {
          nl: `hoogstens ${count} ${plural(count, 'waarde', 'waarden')} toegestaan${found === undefined ? '' : `, ${found} gevonden`}`,
          en: `at most ${count} ${plural(count, 'value', 'values')} allowed${found === undefined ? '' : `, found ${found}`}`,
        };
      }
      case 'DatatypeConstraintComponent':
        return { nl: `waarde ${value} heeft niet het datatype ${first('datatype')}`, en: `value ${value} does not have datatype ${first('datatype')}` };
      case 'ClassConstraintComponent':
        return { nl: `waarde ${value} is geen ${first('class')}`, en: `value ${value} is not a ${first('class')}` };
      case 'NodeKindConstraintComponent': {
        const kind = NODE_KINDS[(input.parameter('nodeKind')[0]?.value ?? '').replace(/^.*#/, '')] ?? { nl: first('nodeKind'), en: first('nodeKind') };
        return { nl: `waarde ${value} moet ${kind.nl} zijn`, en: `value ${value} must be ${kind.en}` };
      }
      case 'MinInclusiveConstraintComponent':
        return { nl: `waarde ${value} moet minstens ${first('minInclusive')} zijn`, en: `value ${value} must be at least ${first('minInclusive')}` };
      case 'MaxInclusiveConstraintComponent':
        return { nl: `waarde ${value} mag hoogstens ${first('maxInclusive')} zijn`, en: `value ${value} must be at most ${first('maxInclusive')}` };
      case 'MinExclusiveConstraintComponent':
        return { nl: `waarde ${value} moet groter zijn dan ${first('minExclusive')}`, en: `value ${value} must be greater than ${first('minExclusive')}` };
      case 'MaxExclusiveConstraintComponent':
        return { nl: `waarde ${value} moet kleiner zijn dan ${first('maxExclusive')}`, en: `value ${value} must be less than ${first('maxExclusive')}` };
      case 'MinLengthConstraintComponent':
        return { nl: `waarde ${value} moet minstens ${first('minLength')} tekens lang zijn`, en: `value ${value} must be at least ${first('minLength')} characters long` };
      case 'MaxLengthConstraintComponent':
        return { nl: `waarde ${value} mag hoogstens ${first('maxLength')} tekens lang zijn`, en: `value ${value} must be at most ${first('maxLength')} characters long` };
      case 'PatternConstraintComponent':
        return { nl: `waarde ${value} voldoet niet aan het patroon ${first('pattern')}`, en: `value ${value} does not match the pattern ${first('pattern')}` };
      case 'LanguageInConstraintComponent':
        return { nl: `taal van ${value} is niet toegestaan (toegestaan: ${list('languageIn')})`, en: `language of ${value} is not allowed (allowed: ${list('languageIn')})` };
      case 'UniqueLangConstraintComponent':
        return { nl: 'meer dan één waarde in dezelfde taal', en: 'more than one value in the same language' };
      case 'InConstraintComponent':
        return { nl: `waarde ${value} is niet toegestaan; verwacht één van: ${list('in')}`, en: `value ${value} is not allowed; expected one of: ${list('in')}` };
      case 'HasValueConstraintComponent':
        return { nl: `de waarde ${first('hasValue')} ontbreekt`, en: `the value ${first('hasValue')} is missing` };
      case 'EqualsConstraintComponent':
        return { nl: `waarden moeten gelijk zijn aan die van ${first('equals')}`, en: `values must equal those of ${first('equals')}` };
      case 'DisjointConstraintComponent':
        return { nl: `waarde ${value} komt ook voor bij ${first('disjoint')}`, en: `value ${value} also occurs at ${first('disjoint')}` };
      case 'LessThanConstraintComponent':
        return { nl: `waarde ${value} moet kleiner zijn dan de waarde van ${first('lessThan')}`, en: `value ${value} must be less than the value of ${first('lessThan')}` };
      case 'LessThanOrEqualsConstraintComponent':
        return {
          nl: `waarde ${value} mag niet groter zijn dan de waarde van ${first('lessThanOrEquals')}`,
          en: `value ${value} must not be greater than the value of ${first('lessThanOrEquals')}`,
        };
      case 'NodeConstraintComponent':
        return { nl: `waarde ${value} voldoet niet aan shape ${first('node')}`, en: `value ${value} does not conform to shape ${first('node')}` };
      case 'QualifiedMinCountConstraintComponent':
        return {
          nl: `minstens ${first('qualifiedMinCount')} waarden moeten aan ${first('qualifiedValueShape')} voldoen`,
          en: `at least ${first('qualifiedMinCount')} values must conform to ${first('qualifiedValueShape')}`,
        };
      case 'QualifiedMaxCountConstraintComponent':
        return {
          nl: `hoogstens ${first('qualifiedMaxCount')} waarden mogen aan ${first('qualifiedValueShape')} voldoen`,
          en: `at most ${first('qualifiedMaxCount')} values may conform to ${first('qualifiedValueShape')}`,
        };
      case 'ClosedConstraintComponent':
        return { nl: `eigenschap niet toegestaan (gesloten shape), waarde ${value}`, en: `property not allowed (closed shape), value ${value}` };
      case 'NotConstraintComponent':
        return { nl: `waarde ${value} mag niet voldoen aan ${first('not')}`, en: `value ${value} must not conform to ${first('not')}` };
      case 'AndConstraintComponent':
        return { nl: `waarde ${value} voldoet niet aan alle shapes van sh:and`, en: `value ${value} does not conform to all shapes of sh:and` };
      case 'OrConstraintComponent':
        return { nl: `waarde ${value} voldoet aan geen enkele shape van sh:or`, en: `value ${value} conforms to none of the shapes of sh:or` };
      case 'XoneConstraintComponent':
        return { nl: `waarde ${value} moet aan precies één shape van sh:xone voldoen`, en: `value ${value} must conform to exactly one shape of sh:xone` };
      default:
        return { nl: `beperking ${input.component} geschonden`, en: `constraint ${input.component} violated` };
    }
  })();
  return input.path ? { nl: `${input.path}: ${body.nl}`, en: `${input.path}: ${body.en}` } : body;
}

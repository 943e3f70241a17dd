/**
 * What the equivalence specs of the compiled validator share (activities: compiled-equivalence.spec.ts; participation
 * tickets: ticket-shacl.spec.ts): graph mutations per constraint kind, and the comparison of two engines' results as
 * multisets of (focus node, path, constraint, value, source shape, severity).
 */
import type { Literal, NamedNode, Quad, Term } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { TERMS } from '@platform/linked-data';
import { lexicalCheck } from '../compiled/literals.js';
import type { ValidationResult } from '../shacl-validator.js';

const { namedNode, literal, blankNode, quad } = DataFactory;

export interface Mutation<Kind extends string = string> {
  kind: Kind;
  at: number;
  variant: number;
}

export const pick = <T>(list: readonly T[], at: number): T => list[at % list.length];

/** Where a mutation applies in a graph, and how it replaces an object; `at` chooses among the candidates. */
export class GraphEdit {
  constructor(
    readonly quads: Quad[],
    readonly at: number,
  ) {}

  /** The index of one quad that passes `test` (chosen by `at`), or -1. */
  where(test: (candidate: Quad) => boolean): number {
    const indexes: number[] = [];
    this.quads.forEach((candidate, index) => {
      if (test(candidate)) indexes.push(index);
    });
    return indexes.length === 0 ? -1 : pick(indexes, this.at);
  }

  replaceObject(index: number, object: Term): void {
    if (index === -1) return;
    const old = this.quads[index];
    this.quads[index] = quad(old.subject, old.predicate, object as Quad['object']) as Quad;
  }
}

export const isLiteral = (candidate: Quad): boolean => candidate.object.termType === 'Literal';
export const isType = (candidate: Quad): boolean => candidate.predicate.value === TERMS.type;

/** The values a graph's mutations draw from. */
export interface MutationValues {
  datatypes: NamedNode[];
  illFormed: string[];
  classes: string[];
  /** Which literals may get an ill-formed lexical form (default: any). */
  illFormedTarget?: (candidate: Quad) => boolean;
  /** Which references may dangle (default: any IRI object but a type). */
  danglingTarget?: (candidate: Quad) => boolean;
}

export const COMMON_KINDS = ['drop', 'add', 'wrongDatatype', 'illFormed', 'wrongNodeKind', 'dropType', 'wrongType', 'dangling'] as const;
export type CommonKind = (typeof COMMON_KINDS)[number];

/**
 * Applies one mutation of a kind every graph has (a value dropped or added, wrong datatype, ill-formed lexical form,
 * wrong node kind, a type dropped or wrong, a dangling reference) in place; `id` keeps new IRIs and blank nodes unique
 * per item. Answers false for a kind it does not know (the spec's own kinds).
 */
export function applyCommonMutation(quads: Quad[], mutation: Mutation, id: string, values: MutationValues): boolean {
  const { at, variant } = mutation;
  const edit = new GraphEdit(quads, at);
  switch (mutation.kind as CommonKind) {
    case 'drop':
      if (quads.length > 1) quads.splice(at % quads.length, 1);
      return true;
    case 'add': {
      const old = quads[edit.where(() => true)];
      const object = old.object.termType === 'Literal' ? literal(`${old.object.value}x`, old.object.language || old.object.datatype) : namedNode(`${old.object.value}/${id}-extra`);
      quads.push(quad(old.subject, old.predicate, object) as Quad);
      return true;
    }
    case 'wrongDatatype': {
      const index = edit.where(isLiteral);
      if (index !== -1) edit.replaceObject(index, literal(quads[index].object.value, pick(values.datatypes, variant)));
      return true;
    }
    case 'illFormed': {
      const target = values.illFormedTarget ?? (() => true);
      const index = edit.where((candidate) => isLiteral(candidate) && target(candidate));
      if (index !== -1) edit.replaceObject(index, literal(pick(values.illFormed, variant), namedNode((quads[index].object as Literal).datatype.value)));
      return true;
    }
    case 'wrongNodeKind': {
      const index = edit.where((candidate) => !isType(candidate));
      if (index === -1) return true;
      const object = quads[index].object;
      const iri = variant % 2 === 0;
      edit.replaceObject(index, object.termType === 'Literal' ? (iri ? namedNode(`https://example.org/${id}/iri`) : blankNode(`${id}b${variant}`)) : iri ? literal(object.value) : blankNode(`${id}b${variant}`));
      return true;
    }
    case 'dropType': {
      const index = edit.where(isType);
      if (index !== -1) quads.splice(index, 1);
      return true;
    }
    case 'wrongType':
      edit.replaceObject(edit.where(isType), namedNode(pick(values.classes, variant)));
      return true;
    case 'dangling': {
      // a reference to a node that is not described, or a described node removed
      const target = values.danglingTarget ?? (() => true);
      const index = edit.where((candidate) => candidate.object.termType === 'NamedNode' && !isType(candidate) && target(candidate));
      if (index === -1) return true;
      if (variant % 2 === 0) {
        edit.replaceObject(index, namedNode(`https://data.example.be/id/nowhere/${id}`));
        return true;
      }
      const gone = quads[index].object.value;
      for (let position = quads.length - 1; position >= 0; position--) if (quads[position].subject.value === gone) quads.splice(position, 1);
      return true;
    }
    default:
      return false;
  }
}

/** A result as the tuple both engines must agree on. */
export function resultTuple(result: ValidationResult): string {
  return JSON.stringify([result.focusNode, result.path ?? null, result.constraint, result.value ?? null, result.sourceShape ?? null, result.severity]);
}

/** Count of each tuple in `left` minus its count in `right`, for those above zero. */
export function surplus(left: string[], right: string[]): string[] {
  const counts = new Map<string, number>();
  for (const key of left) counts.set(key, (counts.get(key) ?? 0) + 1);
  for (const key of right) counts.set(key, (counts.get(key) ?? 0) - 1);
  return [...counts].flatMap(([key, count]) => Array<string>(Math.max(0, count)).fill(key));
}

/** A literal whose lexical form is not one of its datatype (the compiled validator's own check). */
export function isIllFormed(term: Term): boolean {
  if (term.termType !== 'Literal') return false;
  const check = lexicalCheck(term.datatype.value);
  return check !== undefined && !check(term.value);
}

interface Outcome {
  conforms: boolean;
  results: ValidationResult[];
}

/**
 * Checks one item's outcomes of the reference engine and the compiled validator: the same multiset of result tuples
 * (a result only the compiled validator gives counts when `departure` names why the specification wants it), the same
 * conformance, the same bilingual message for the same result. Throws with the item on a difference; answers the
 * departures met.
 */
export function expectSameOutcome(expected: Outcome, actual: Outcome, departure: (key: string) => string | undefined, item: () => string): string[] {
  const mine = actual.results.map(resultTuple);
  const theirs = expected.results.map(resultTuple);
  const onlyCompiled = surplus(mine, theirs);
  const onlyReference = surplus(theirs, mine);
  const reasons = onlyCompiled.map((key) => departure(key));
  const unexplained = onlyCompiled.filter((_key, index) => !reasons[index]);
  if (unexplained.length > 0 || onlyReference.length > 0) {
    throw new Error(`only compiled ${JSON.stringify(unexplained)}, only shacl-engine ${JSON.stringify(onlyReference)}\n${item()}`);
  }
  const conforms = onlyCompiled.length === 0 ? expected.conforms : false;
  if (actual.conforms !== conforms) throw new Error(`compiled conforms ${actual.conforms}, expected ${conforms}\n${item()}`);
  for (const result of actual.results) {
    const twin = expected.results.find((other) => resultTuple(other) === resultTuple(result));
    if (twin && JSON.stringify(twin.message) !== JSON.stringify(result.message)) {
      throw new Error(`message ${JSON.stringify(result.message)}, shacl-engine ${JSON.stringify(twin.message)}\n${item()}`);
    }
  }
  return reasons.filter((reason): reason is string => reason !== undefined);
}

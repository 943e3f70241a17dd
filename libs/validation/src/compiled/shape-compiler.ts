import { compactIri, PREFIXES } from '@platform/linked-data';
import type { Quad, Term } from '@rdfjs/types';
import { DataFactory, type Store } from 'n3';
import type { EnginePathStep } from 'shacl-engine';
import { formatPath } from '../path-format.js';
import { BLANK, IRI, LITERAL, TermTable } from './batch-index.js';
import type { BatchIndex } from './batch-index.js';
import { codePointLength, compareKeys, languageMatches, lexicalCheck, orderKey } from './literals.js';
import type { OrderKey } from './literals.js';

const SH = PREFIXES.sh;
const RDF = PREFIXES.rdf;
const RDFS = PREFIXES.rdfs;
const XSD = PREFIXES.xsd;
const { namedNode } = DataFactory;

/** The shapes use a SHACL construct the compiler does not cover: the compiled validator does not start. */
export class UnsupportedShapeError extends Error {
  constructor(
    readonly shape: string,
    readonly construct: string,
    detail = '',
  ) {
    super(`shape ${shape}: ${construct} is not covered by the SHACL compiler${detail ? ` (${detail})` : ''}`);
    this.name = 'UnsupportedShapeError';
  }
}

/** Receives the results of compiled checks; a conformance check only counts them. */
export interface ResultSink {
  report(shape: CompiledShape, component: string, focus: number, value: number, path?: PathOverride): void;
}

export interface PathOverride {
  text: string;
  predicate: number;
}

export interface CompiledShape {
  term: Term;
  key: string;
  severity: Term;
  /** A result of this shape makes a node not conform (sh:Violation, sh:Warning, sh:Info; not a custom severity). */
  failing: boolean;
  messages: Term[];
  /** Compact path text (property shapes). */
  pathText: string | undefined;
  /** The one predicate of a one-step path (for "found n" in messages), and whether the step is inverse. */
  simplePredicate: number;
  simpleInverse: boolean;
  run(focus: number, sink: ResultSink, inherited: number): void;
}

/** A compiled top-level shape: how to find its focus nodes in a batch. */
export interface TargetedShape {
  shape: CompiledShape;
  classes: number[];
  nodes: number[];
  subjectsOf: number[];
  objectsOf: number[];
}

/** The state the compiled closures read: the batch being validated. */
export interface RunState {
  index: BatchIndex;
  /** The batch has rdfs:subClassOf triples: class checks follow them (SHACL instances). */
  subclasses: boolean;
}

interface Step {
  inverse: boolean;
  quantifier: EnginePathStep['quantifier'];
  predicates: number[];
}

type ValueCheck = (focus: number, value: number, sink: ResultSink, childInherited: number) => void;
type SetCheck = (focus: number, values: readonly number[], start: number, stop: number, sink: ResultSink, inherited: number) => void;
type NodeCheck = (focus: number, sink: ResultSink, inherited: number) => void;

/** Every sh: predicate a shape may carry, and what the compiler does with it. */
const CONSTRAINTS = new Set(
  [
    'class', 'datatype', 'nodeKind', 'minCount', 'maxCount', 'minExclusive', 'minInclusive', 'maxExclusive', 'maxInclusive',
    'minLength', 'maxLength', 'pattern', 'languageIn', 'uniqueLang', 'equals', 'disjoint', 'lessThan', 'lessThanOrEquals',
    'not', 'and', 'or', 'xone', 'node', 'property', 'qualifiedValueShape', 'closed', 'hasValue', 'in',
  ].map((name) => SH + name),
);
const PARAMETERS_AND_ANNOTATIONS = new Set(
  [
    'targetClass', 'targetNode', 'targetObjectsOf', 'targetSubjectsOf', 'path', 'severity', 'message', 'deactivated', 'name',
    'description', 'order', 'group', 'defaultValue', 'flags', 'ignoredProperties', 'qualifiedMinCount', 'qualifiedMaxCount',
    'qualifiedValueShapesDisjoint',
  ].map((name) => SH + name),
);
/** Parameters the compiler reads one value of (as shacl-engine does); a second value is refused. */
const SINGLE_VALUED = new Set(
  [
    'datatype', 'nodeKind', 'minCount', 'maxCount', 'minExclusive', 'minInclusive', 'maxExclusive', 'maxInclusive', 'minLength',
    'maxLength', 'pattern', 'flags', 'languageIn', 'uniqueLang', 'equals', 'disjoint', 'lessThan', 'lessThanOrEquals', 'not',
    'or', 'xone', 'qualifiedValueShape', 'qualifiedMinCount', 'qualifiedMaxCount', 'qualifiedValueShapesDisjoint', 'closed',
    'ignoredProperties', 'hasValue', 'in', 'path', 'severity', 'deactivated',
  ].map((name) => SH + name),
);
const NODE_KINDS: Record<string, number> = {
  [`${SH}IRI`]: IRI,
  [`${SH}BlankNode`]: BLANK,
  [`${SH}Literal`]: LITERAL,
  [`${SH}BlankNodeOrIRI`]: BLANK | IRI,
  [`${SH}BlankNodeOrLiteral`]: BLANK | LITERAL,
  [`${SH}IRIOrLiteral`]: IRI | LITERAL,
};
const FAILING_SEVERITIES = new Set([`${SH}Violation`, `${SH}Warning`, `${SH}Info`]);
const component = (name: string): string => `${SH}${name}ConstraintComponent`;

function shapeLabel(term: Term): string {
  return term.termType === 'BlankNode' ? `_:${term.value}` : term.value;
}

/**
 * Compiles a SHACL shapes graph (SHACL Core) into closures over a BatchIndex: every IRI, literal and
 * list the shapes name is interned once, every path becomes index look-ups, every parameter is read and
 * checked here, once. A construct outside what it covers throws UnsupportedShapeError naming the shape
 * and the construct, so no shape is ever skipped silently.
 *
 * Results mirror shacl-engine (the reference): the same focus node, path, value, source shape,
 * component and severity, in the same order where that is cheap, so the two can be compared result for
 * result; where shacl-engine departs from the SHACL specification the specification wins
 * (docs/decisions.md).
 */
export class ShapeCompiler {
  readonly table = new TermTable();
  readonly state: RunState = { index: undefined as unknown as BatchIndex, subclasses: false };
  readonly rdfType: number;
  readonly subClassOf: number;
  private readonly compiled = new Map<string, CompiledShape>();
  private readonly compiling = new Set<string>();
  /** Counts failing results of nested shapes (sh:node, sh:not, sh:or, ...): conformance without reports. */
  private readonly counter = {
    count: 0,
    report(shape: CompiledShape): void {
      if (shape.failing) this.count++;
    },
  };

  constructor(private readonly shapes: Store) {
    this.rdfType = this.table.intern(namedNode(`${RDF}type`));
    this.subClassOf = this.table.intern(namedNode(`${RDFS}subClassOf`));
  }

  /** The top-level shapes, in shacl-engine's order: those with targets, then every sh:NodeShape / sh:PropertyShape. */
  compile(): TargetedShape[] {
    for (const quad of this.shapes.getQuads(null, namedNode(`${RDF}type`), namedNode(`${SH}ConstraintComponent`), null)) {
      throw new UnsupportedShapeError(shapeLabel(quad.subject), 'a custom constraint component (sh:ConstraintComponent)');
    }
    const roots: Term[] = [];
    const seen = new Set<string>();
    const add = (term: Term): void => {
      const key = shapeLabel(term);
      if (!seen.has(key)) {
        seen.add(key);
        roots.push(term);
      }
    };
    for (const name of ['targetClass', 'targetNode', 'targetObjectsOf', 'targetSubjectsOf', 'target']) {
      for (const quad of this.shapes.getQuads(null, namedNode(SH + name), null, null)) add(quad.subject);
    }
    for (const type of ['NodeShape', 'PropertyShape']) {
      for (const quad of this.shapes.getQuads(null, namedNode(`${RDF}type`), namedNode(SH + type), null)) add(quad.subject);
    }
    return roots.map((term) => {
      const shape = this.shape(term);
      const objects = (name: string): Term[] => this.objects(term, name);
      const classes = objects('targetClass');
      // implicit class target: a shape that is also an rdfs:Class (SHACL 2.1.3.3)
      if (this.shapes.has(DataFactory.quad(term as Quad['subject'], namedNode(`${RDF}type`), namedNode(`${RDFS}Class`)))) classes.unshift(term);
      for (const name of ['targetSubjectsOf', 'targetObjectsOf']) {
        for (const predicate of objects(name)) if (predicate.termType !== 'NamedNode') throw new UnsupportedShapeError(shape.key, `sh:${name} ${predicate.value}`, 'not an IRI');
      }
      return {
        shape,
        classes: [...new Set(classes.map((item) => this.table.intern(item)))],
        nodes: [...new Set(objects('targetNode').map((item) => this.table.intern(item)))],
        subjectsOf: objects('targetSubjectsOf').map((item) => this.table.intern(item)),
        objectsOf: objects('targetObjectsOf').map((item) => this.table.intern(item)),
      };
    });
  }

  private objects(subject: Term, name: string): Term[] {
    return this.shapes.getObjects(subject as Quad['subject'], namedNode(SH + name), null);
  }

  private one(shape: string, subject: Term, name: string): Term | undefined {
    const values = this.objects(subject, name);
    if (values.length > 1) throw new UnsupportedShapeError(shape, `several values of sh:${name}`);
    return values[0];
  }

  private list(shape: string, head: Term, what: string): Term[] {
    const items: Term[] = [];
    let node = head;
    for (let guard = 0; node.value !== `${RDF}nil`; guard++) {
      const first = this.shapes.getObjects(node as Quad['subject'], namedNode(`${RDF}first`), null);
      const rest = this.shapes.getObjects(node as Quad['subject'], namedNode(`${RDF}rest`), null);
      if (first.length !== 1 || rest.length !== 1 || guard > 10_000) throw new UnsupportedShapeError(shape, what, 'not a well-formed RDF list');
      items.push(first[0]);
      node = rest[0];
    }
    return items;
  }

  private integer(shape: string, term: Term | undefined, name: string): number {
    if (!term || term.termType !== 'Literal' || !/^[+-]?\d+$/.test(term.value)) throw new UnsupportedShapeError(shape, `sh:${name} ${term?.value ?? ''}`, 'not an integer');
    return parseInt(term.value, 10);
  }

  /** A shape (memoised); refuses recursion: SHACL leaves recursive shapes undefined. */
  shape(term: Term): CompiledShape {
    const key = shapeLabel(term);
    const done = this.compiled.get(key);
    if (done) return done;
    if (this.compiling.has(key)) throw new UnsupportedShapeError(key, 'a recursive shape reference');
    if (term.termType === 'Literal') throw new UnsupportedShapeError(key, 'a literal used as a shape');
    this.compiling.add(key);
    try {
      const shape = this.build(term, key);
      this.compiled.set(key, shape);
      return shape;
    } finally {
      this.compiling.delete(key);
    }
  }

  private build(term: Term, key: string): CompiledShape {
    const own = this.shapes.getQuads(term as Quad['subject'], null, null, null);
    const predicateOrder: string[] = [];
    for (const quad of own) {
      const predicate = quad.predicate.value;
      if (predicate.startsWith(SH) && !CONSTRAINTS.has(predicate) && !PARAMETERS_AND_ANNOTATIONS.has(predicate)) {
        throw new UnsupportedShapeError(key, compactIri(predicate));
      }
      if (SINGLE_VALUED.has(predicate) && own.filter((other) => other.predicate.value === predicate).length > 1) {
        throw new UnsupportedShapeError(key, `several values of ${compactIri(predicate)}`);
      }
      if (!predicateOrder.includes(predicate)) predicateOrder.push(predicate);
    }
    const deactivatedTerm = this.one(key, term, 'deactivated');
    const deactivated = deactivatedTerm !== undefined && (deactivatedTerm.value === 'true' || deactivatedTerm.value === '1');
    const severity = this.one(key, term, 'severity') ?? namedNode(`${SH}Violation`);
    const pathTerm = this.one(key, term, 'path');
    const steps = pathTerm ? this.parsePath(key, pathTerm) : undefined;
    const shape: CompiledShape = {
      term,
      key,
      severity,
      failing: FAILING_SEVERITIES.has(severity.value),
      messages: this.objects(term, 'message'),
      pathText: steps ? formatPath(steps.engine) : undefined,
      simplePredicate: steps && steps.steps.length === 1 && steps.steps[0].quantifier === 'one' && steps.steps[0].predicates.length === 1 ? steps.steps[0].predicates[0] : -1,
      simpleInverse: steps ? steps.steps[0].inverse : false,
      run: () => undefined,
    };
    if (deactivated) return shape;
    // Register before compiling children, so the closures below can refer to `shape`.
    if (steps) this.buildProperty(shape, term, predicateOrder, steps.steps);
    else this.buildNode(shape, term, predicateOrder);
    return shape;
  }

  /** shacl-engine's path subset: a sequence of steps, each a predicate, an inverse predicate, an alternative of predicates or a repeated predicate. */
  private parsePath(shape: string, path: Term): { steps: Step[]; engine: EnginePathStep[] } {
    const isList = path.termType === 'BlankNode' && this.shapes.getObjects(path as Quad['subject'], namedNode(`${RDF}first`), null).length > 0;
    const terms = isList ? this.list(shape, path, 'sh:path') : [path];
    if (terms.length === 0) throw new UnsupportedShapeError(shape, 'an empty sequence path');
    const steps: Step[] = [];
    const engine: EnginePathStep[] = [];
    for (const step of terms) {
      let parsed: EnginePathStep | undefined;
      if (step.termType === 'NamedNode') parsed = { quantifier: 'one', start: 'subject', end: 'object', predicates: [step] };
      else if (step.termType === 'BlankNode') {
        const single = (name: string): Term | undefined => {
          const values = this.objects(step, name);
          if (values.length === 0) return undefined;
          if (values.length > 1 || values[0].termType !== 'NamedNode') throw new UnsupportedShapeError(shape, `sh:${name} over a nested path`);
          return values[0];
        };
        const alternative = this.objects(step, 'alternativePath');
        if (alternative.length === 1) {
          const options = this.list(shape, alternative[0], 'sh:alternativePath');
          if (options.some((option) => option.termType !== 'NamedNode')) throw new UnsupportedShapeError(shape, 'sh:alternativePath over nested paths');
          parsed = { quantifier: 'one', start: 'subject', end: 'object', predicates: options };
        } else if (single('inversePath')) parsed = { quantifier: 'one', start: 'object', end: 'subject', predicates: [single('inversePath')!] };
        else if (single('oneOrMorePath')) parsed = { quantifier: 'oneOrMore', start: 'subject', end: 'object', predicates: [single('oneOrMorePath')!] };
        else if (single('zeroOrMorePath')) parsed = { quantifier: 'zeroOrMore', start: 'subject', end: 'object', predicates: [single('zeroOrMorePath')!] };
        else if (single('zeroOrOnePath')) parsed = { quantifier: 'zeroOrOne', start: 'subject', end: 'object', predicates: [single('zeroOrOnePath')!] };
      }
      if (!parsed) throw new UnsupportedShapeError(shape, `the path ${shapeLabel(step)}`, 'not a SHACL path the compiler knows');
      engine.push(parsed);
      steps.push({ inverse: parsed.start === 'object', quantifier: parsed.quantifier, predicates: parsed.predicates.map((predicate) => this.table.intern(predicate)) });
    }
    return { steps, engine };
  }

  /** Is `node` an instance of class `target` (rdf:type, then rdfs:subClassOf* when the batch has any)? */
  private instanceOf(node: number, target: number): boolean {
    const { index } = this.state;
    const start = index.find(node, this.rdfType);
    const stop = index.hitEnd;
    for (let at = start; at < stop; at++) if (index.objects[at] === target) return true;
    if (!this.state.subclasses) return false;
    for (let at = start; at < stop; at++) if (this.subclassOf(index.objects[at], target)) return true;
    return false;
  }

  private subclassOf(type: number, target: number): boolean {
    const { index } = this.state;
    const queue = [type];
    const seen = new Set(queue);
    while (queue.length > 0) {
      const current = queue.pop()!;
      if (current === target) return true;
      const start = index.find(current, this.subClassOf);
      const stop = index.hitEnd;
      for (let at = start; at < stop; at++) {
        const next = index.objects[at];
        if (!seen.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    return false;
  }

  /** Instances of a class in the batch: rdf:type, and rdf:type of a subclass (SHACL instance). */
  instancesOf(target: number): number[] {
    const { index } = this.state;
    const direct = index.subjectsOf(this.rdfType, target);
    if (!this.state.subclasses) return direct;
    const classes = [target];
    const seen = new Set(classes);
    for (let at = 0; at < classes.length; at++) {
      for (const sub of index.subjectsOf(this.subClassOf, classes[at])) {
        if (!seen.has(sub)) {
          seen.add(sub);
          classes.push(sub);
        }
      }
    }
    return classes.flatMap((item) => index.subjectsOf(this.rdfType, item));
  }

  private conforms(shape: CompiledShape, node: number, inherited: number): boolean {
    const before = this.counter.count;
    shape.run(node, this.counter as unknown as ResultSink, inherited);
    const conforming = this.counter.count === before;
    // a nested check's failures are its own (a failing operand of sh:not makes the sh:not conform)
    this.counter.count = before;
    return conforming;
  }

  /** Values of a path from a focus node, distinct, in traversal order (complex paths only). */
  private evaluate(steps: Step[], focus: number): number[] {
    const { index } = this.state;
    let current = [focus];
    const neighbours = (node: number, step: Step, out: number[], seen: Set<number>): void => {
      for (const predicate of step.predicates) {
        const found = step.inverse ? index.subjectsOf(predicate, node) : this.objectsOf(node, predicate);
        for (const value of found) {
          if (!seen.has(value)) {
            seen.add(value);
            out.push(value);
          }
        }
      }
    };
    for (const step of steps) {
      const next: number[] = [];
      const seen = new Set<number>();
      for (const node of current) {
        if (step.quantifier === 'one') neighbours(node, step, next, seen);
        else {
          if (step.quantifier !== 'oneOrMore' && !seen.has(node)) {
            seen.add(node);
            next.push(node);
          }
          if (step.quantifier === 'zeroOrOne') neighbours(node, step, next, seen);
          else {
            // closure: breadth first from node
            const reached: number[] = [];
            const local = new Set<number>();
            neighbours(node, step, reached, local);
            for (let at = 0; at < reached.length; at++) neighbours(reached[at], step, reached, local);
            for (const value of reached) {
              if (!seen.has(value)) {
                seen.add(value);
                next.push(value);
              }
            }
          }
        }
      }
      current = next;
    }
    return current;
  }

  private objectsOf(node: number, predicate: number): number[] {
    const { index } = this.state;
    const start = index.find(node, predicate);
    return index.objects.slice(start, index.hitEnd);
  }

  private buildNode(shape: CompiledShape, term: Term, order: string[]): void {
    const checks: NodeCheck[] = [];
    for (const predicate of order) {
      const name = predicate.slice(SH.length);
      if (!predicate.startsWith(SH) || !CONSTRAINTS.has(predicate)) continue;
      if (name === 'minCount' || name === 'maxCount' || name === 'lessThan' || name === 'lessThanOrEquals' || name === 'uniqueLang' || name === 'qualifiedValueShape') {
        // shacl-engine runs these on property shapes only (SHACL: they need a path)
        continue;
      }
      if (name === 'hasValue') {
        const value = this.table.intern(this.one(shape.key, term, 'hasValue')!);
        checks.push((focus, sink, inherited) => {
          if (focus !== value) sink.report(shape, component('HasValue'), focus, inherited);
        });
        continue;
      }
      if (name === 'equals') {
        const other = this.predicateParameter(shape.key, term, 'equals');
        checks.push((focus, sink) => {
          const { index } = this.state;
          const start = index.find(focus, other);
          const stop = index.hitEnd;
          let different = -1;
          for (let at = start; at < stop; at++) {
            if (index.objects[at] !== focus) {
              different = index.objects[at];
              break;
            }
          }
          if (stop === start || different !== -1) sink.report(shape, component('Equals'), focus, different !== -1 ? different : focus);
        });
        continue;
      }
      if (name === 'closed') {
        const closed = this.one(shape.key, term, 'closed')!;
        if (closed.value !== 'true' && closed.value !== '1') continue;
        // SHACL: the properties allowed are the IRI paths of the (active) property shapes, plus sh:ignoredProperties
        const allowed = new Set<number>();
        for (const property of this.objects(term, 'property')) {
          const path = this.objects(property, 'path')[0];
          if (path?.termType === 'NamedNode' && !this.isDeactivated(property)) allowed.add(this.table.intern(path));
        }
        const ignored = this.one(shape.key, term, 'ignoredProperties');
        if (ignored) for (const item of this.list(shape.key, ignored, 'sh:ignoredProperties')) allowed.add(this.table.intern(item));
        checks.push((focus, sink) => {
          const { index } = this.state;
          const [start, stop] = index.subjectRange(focus);
          for (let at = start; at < stop; at++) {
            const predicateId = index.predicates[at];
            if (allowed.has(predicateId)) continue;
            sink.report(shape, component('Closed'), focus, index.objects[at], { text: compactIri(index.lexicals[predicateId]), predicate: predicateId });
          }
        });
        continue;
      }
      const generic = this.generic(shape, term, name);
      for (const check of generic) checks.push((focus, sink, inherited) => check(focus, focus, sink, inherited));
    }
    shape.run = (focus, sink, inherited) => {
      for (let at = 0; at < checks.length; at++) checks[at](focus, sink, inherited);
    };
  }

  private isDeactivated(term: Term): boolean {
    const value = this.objects(term, 'deactivated')[0];
    return value !== undefined && (value.value === 'true' || value.value === '1');
  }

  private predicateParameter(shape: string, term: Term, name: string): number {
    const value = this.one(shape, term, name);
    if (!value || value.termType !== 'NamedNode') throw new UnsupportedShapeError(shape, `sh:${name} ${value?.value ?? ''}`, 'not an IRI');
    return this.table.intern(value);
  }

  private buildProperty(shape: CompiledShape, term: Term, order: string[], steps: Step[]): void {
    const setChecks: SetCheck[] = [];
    const valueChecks: ValueCheck[] = [];
    for (const predicate of order) {
      if (!CONSTRAINTS.has(predicate)) continue;
      const name = predicate.slice(SH.length);
      const set = this.propertyLevel(shape, term, name);
      if (set) {
        setChecks.push(set);
        continue;
      }
      if (name === 'closed' || name === 'hasValue' || name === 'equals') continue;
      valueChecks.push(...this.generic(shape, term, name));
    }
    const simple = steps.length === 1 && steps[0].quantifier === 'one' && steps[0].predicates.length === 1 && !steps[0].inverse ? steps[0].predicates[0] : -1;
    const setCount = setChecks.length;
    const valueCount = valueChecks.length;
    shape.run = (focus, sink, inherited) => {
      const { index } = this.state;
      let values: readonly number[];
      let start: number;
      let stop: number;
      if (simple !== -1) {
        values = index.objects;
        start = index.find(focus, simple);
        stop = index.hitEnd;
      } else {
        values = this.evaluate(steps, focus);
        start = 0;
        stop = values.length;
      }
      for (let at = 0; at < setCount; at++) setChecks[at](focus, values, start, stop, sink, inherited);
      for (let at = start; at < stop; at++) {
        const value = values[at];
        for (let check = 0; check < valueCount; check++) valueChecks[check](focus, value, sink, value);
      }
    };
  }

  /** Constraints on the whole set of values of a property shape; undefined for per-value ones. */
  private propertyLevel(shape: CompiledShape, term: Term, name: string): SetCheck | undefined {
    const key = shape.key;
    switch (name) {
      case 'minCount': {
        const minimum = this.integer(key, this.one(key, term, 'minCount'), 'minCount');
        return (focus, _values, start, stop, sink, inherited) => {
          if (stop - start < minimum) sink.report(shape, component('MinCount'), focus, inherited);
        };
      }
      case 'maxCount': {
        const maximum = this.integer(key, this.one(key, term, 'maxCount'), 'maxCount');
        return (focus, _values, start, stop, sink, inherited) => {
          if (stop - start > maximum) sink.report(shape, component('MaxCount'), focus, inherited);
        };
      }
      case 'hasValue': {
        const expected = this.table.intern(this.one(key, term, 'hasValue')!);
        return (focus, values, start, stop, sink, inherited) => {
          for (let at = start; at < stop; at++) if (values[at] === expected) return;
          sink.report(shape, component('HasValue'), focus, inherited);
        };
      }
      case 'equals': {
        const other = this.predicateParameter(key, term, 'equals');
        return (focus, values, start, stop, sink) => {
          const { index } = this.state;
          const from = index.find(focus, other);
          const to = index.hitEnd;
          const references = index.objects;
          for (let at = start; at < stop; at++) {
            let found = false;
            for (let ref = from; ref < to; ref++) if (references[ref] === values[at]) found = true;
            if (!found) sink.report(shape, component('Equals'), focus, values[at]);
          }
          for (let ref = from; ref < to; ref++) {
            let found = false;
            for (let at = start; at < stop; at++) if (references[ref] === values[at]) found = true;
            if (!found) sink.report(shape, component('Equals'), focus, references[ref]);
          }
        };
      }
      case 'lessThan':
      case 'lessThanOrEquals': {
        const other = this.predicateParameter(key, term, name);
        const orEqual = name === 'lessThanOrEquals';
        const id = component(name === 'lessThan' ? 'LessThan' : 'LessThanOrEquals');
        return (focus, values, start, stop, sink) => {
          const { index } = this.state;
          const from = index.find(focus, other);
          const to = index.hitEnd;
          for (let at = start; at < stop; at++) {
            const left = index.orderKey(values[at]);
            for (let ref = from; ref < to; ref++) {
              const comparison = compareKeys(left, index.orderKey(index.objects[ref]));
              if (comparison === undefined || Number.isNaN(comparison) || (orEqual ? comparison > 0 : comparison >= 0)) sink.report(shape, id, focus, values[at]);
            }
          }
        };
      }
      case 'uniqueLang': {
        const flag = this.one(key, term, 'uniqueLang')!;
        // shacl-engine: only the literal true^^xsd:boolean switches it on
        if (!(flag.termType === 'Literal' && flag.value === 'true' && flag.datatype.value === `${XSD}boolean`)) return () => undefined;
        return (focus, values, start, stop, sink, inherited) => {
          const { index } = this.state;
          let reported: string[] | undefined;
          for (let at = start; at < stop; at++) {
            const language = index.languages[values[at]];
            if (!language || reported?.includes(language)) continue;
            for (let later = at + 1; later < stop; later++) {
              if (index.languages[values[later]] === language) {
                (reported ??= []).push(language);
                sink.report(shape, component('UniqueLang'), focus, inherited);
                break;
              }
            }
          }
        };
      }
      case 'qualifiedValueShape':
        return this.qualified(shape, term);
      default:
        return undefined;
    }
  }

  private qualified(shape: CompiledShape, term: Term): SetCheck {
    const key = shape.key;
    const valueShape = this.shape(this.one(key, term, 'qualifiedValueShape')!);
    const disjointTerm = this.one(key, term, 'qualifiedValueShapesDisjoint');
    const disjoint = disjointTerm !== undefined && (disjointTerm.value === 'true' || disjointTerm.value === '1');
    const minTerm = this.one(key, term, 'qualifiedMinCount');
    const maxTerm = this.one(key, term, 'qualifiedMaxCount');
    const minimum = minTerm ? this.integer(key, minTerm, 'qualifiedMinCount') : undefined;
    const maximum = maxTerm ? this.integer(key, maxTerm, 'qualifiedMaxCount') : undefined;
    const siblings: CompiledShape[] = [];
    if (disjoint) {
      const seen = new Set<string>([valueShape.key]);
      for (const parent of this.shapes.getSubjects(namedNode(`${SH}property`), term as Quad['object'], null)) {
        for (const sibling of this.objects(parent, 'property')) {
          for (const other of this.objects(sibling, 'qualifiedValueShape')) {
            const label = shapeLabel(other);
            if (seen.has(label)) continue;
            seen.add(label);
            siblings.push(this.shape(other));
          }
        }
      }
    }
    return (focus, values, start, stop, sink, inherited) => {
      let count = 0;
      for (let at = start; at < stop; at++) {
        const value = values[at];
        if (!this.conforms(valueShape, value, value)) continue;
        if (siblings.length > 0 && siblings.every((sibling) => this.conforms(sibling, value, value))) continue;
        count++;
      }
      if (maximum !== undefined && count > maximum) sink.report(shape, component('QualifiedMaxCount'), focus, inherited);
      if (minimum !== undefined && count < minimum) sink.report(shape, component('QualifiedMinCount'), focus, inherited);
    };
  }

  /** Per-value constraints (shacl-engine's "generic" validations): value is the value node, or the focus node of a node shape. */
  private generic(shape: CompiledShape, term: Term, name: string): ValueCheck[] {
    const key = shape.key;
    switch (name) {
      case 'class':
        return this.objects(term, 'class').map((item) => {
          const target = this.table.intern(item);
          const id = component('Class');
          return (focus, value, sink) => {
            if (!this.instanceOf(value, target)) sink.report(shape, id, focus, value);
          };
        });
      case 'datatype': {
        const datatypeTerm = this.one(key, term, 'datatype')!;
        if (datatypeTerm.termType !== 'NamedNode') throw new UnsupportedShapeError(key, `sh:datatype ${datatypeTerm.value}`, 'not an IRI');
        const datatype = this.table.intern(datatypeTerm);
        const check = lexicalCheck(datatypeTerm.value);
        const id = component('Datatype');
        return [
          (focus, value, sink) => {
            const { index } = this.state;
            if (index.datatypes[value] !== datatype || (check !== undefined && !check(index.lexicals[value]))) sink.report(shape, id, focus, value);
          },
        ];
      }
      case 'nodeKind': {
        const kindTerm = this.one(key, term, 'nodeKind')!;
        const kinds = NODE_KINDS[kindTerm.value];
        if (kinds === undefined) throw new UnsupportedShapeError(key, `sh:nodeKind ${kindTerm.value}`, 'not a SHACL node kind');
        const id = component('NodeKind');
        return [
          (focus, value, sink) => {
            if ((this.state.index.kinds[value] & kinds) === 0) sink.report(shape, id, focus, value);
          },
        ];
      }
      case 'minExclusive':
      case 'minInclusive':
      case 'maxExclusive':
      case 'maxInclusive': {
        const boundTerm = this.one(key, term, name)!;
        if (boundTerm.termType !== 'Literal') throw new UnsupportedShapeError(key, `sh:${name} ${boundTerm.value}`, 'not a literal');
        const bound: OrderKey | undefined = orderKey(boundTerm.value, boundTerm.datatype.value);
        const id = component(name.charAt(0).toUpperCase() + name.slice(1));
        const accept =
          name === 'minExclusive'
            ? (comparison: number) => comparison > 0
            : name === 'minInclusive'
              ? (comparison: number) => comparison >= 0
              : name === 'maxExclusive'
                ? (comparison: number) => comparison < 0
                : (comparison: number) => comparison <= 0;
        return [
          (focus, value, sink) => {
            const comparison = compareKeys(this.state.index.orderKey(value), bound);
            if (comparison === undefined || !accept(comparison)) sink.report(shape, id, focus, value);
          },
        ];
      }
      case 'minLength':
      case 'maxLength': {
        const limit = this.integer(key, this.one(key, term, name), name);
        const minimum = name === 'minLength';
        const id = component(minimum ? 'MinLength' : 'MaxLength');
        return [
          (focus, value, sink) => {
            const { index } = this.state;
            if (index.kinds[value] === BLANK) {
              sink.report(shape, id, focus, value);
              return;
            }
            const length = codePointLength(index.lexicals[value]);
            if (minimum ? length < limit : length > limit) sink.report(shape, id, focus, value);
          },
        ];
      }
      case 'pattern': {
        const pattern = this.one(key, term, 'pattern')!.value;
        const flags = this.one(key, term, 'flags')?.value ?? '';
        if (/[^ims]/.test(flags)) throw new UnsupportedShapeError(key, `sh:flags "${flags}"`, 'only i, m and s have a JavaScript equivalent');
        let regex: RegExp;
        try {
          regex = new RegExp(pattern, flags);
        } catch (error) {
          throw new UnsupportedShapeError(key, `sh:pattern "${pattern}"`, (error as Error).message);
        }
        const id = component('Pattern');
        return [
          (focus, value, sink) => {
            const { index } = this.state;
            // SHACL: a blank node never matches (shacl-engine tests its label)
            if (index.kinds[value] === BLANK || !regex.test(index.lexicals[value])) sink.report(shape, id, focus, value);
          },
        ];
      }
      case 'languageIn': {
        const ranges = this.list(key, this.one(key, term, 'languageIn')!, 'sh:languageIn').map((item) => item.value);
        const id = component('LanguageIn');
        return [
          (focus, value, sink) => {
            const { index } = this.state;
            const language = index.kinds[value] === LITERAL ? index.languages[value] : '';
            for (const range of ranges) if (languageMatches(language, range)) return;
            sink.report(shape, id, focus, value);
          },
        ];
      }
      case 'in': {
        const members = new Set(this.list(key, this.one(key, term, 'in')!, 'sh:in').map((item) => this.table.intern(item)));
        const id = component('In');
        return [
          (focus, value, sink) => {
            if (!members.has(value)) sink.report(shape, id, focus, value);
          },
        ];
      }
      case 'disjoint': {
        const other = this.predicateParameter(key, term, 'disjoint');
        const id = component('Disjoint');
        return [
          (focus, value, sink) => {
            if (this.state.index.has(focus, other, value)) sink.report(shape, id, focus, value);
          },
        ];
      }
      case 'node':
        return this.objects(term, 'node').map((item) => {
          const node = this.shape(item);
          const id = component('Node');
          return (focus, value, sink, childInherited) => {
            if (!this.conforms(node, value, childInherited)) sink.report(shape, id, focus, value);
          };
        });
      case 'property':
        return this.objects(term, 'property').map((item) => {
          const property = this.shape(item);
          return (_focus, value, sink, childInherited) => property.run(value, sink, childInherited);
        });
      case 'not': {
        const negated = this.shape(this.one(key, term, 'not')!);
        const id = component('Not');
        return [
          (focus, value, sink, childInherited) => {
            if (this.conforms(negated, value, childInherited)) sink.report(shape, id, focus, value);
          },
        ];
      }
      case 'and':
      case 'or':
      case 'xone': {
        const lists = this.objects(term, name);
        const members = lists.flatMap((head) => this.list(key, head, `sh:${name}`)).map((item) => this.shape(item));
        const id = component(name === 'and' ? 'And' : name === 'or' ? 'Or' : 'Xone');
        if (name === 'and') {
          return [
            (focus, value, sink, childInherited) => {
              // every member runs (as shacl-engine), so a member's own checks see the same data
              let all = true;
              for (const member of members) if (!this.conforms(member, value, childInherited)) all = false;
              if (!all) sink.report(shape, id, focus, value);
            },
          ];
        }
        if (name === 'or') {
          return [
            (focus, value, sink, childInherited) => {
              for (const member of members) if (this.conforms(member, value, childInherited)) return;
              sink.report(shape, id, focus, value);
            },
          ];
        }
        return [
          (focus, value, sink, childInherited) => {
            let count = 0;
            for (const member of members) if (this.conforms(member, value, childInherited)) count++;
            if (count !== 1) sink.report(shape, id, focus, value);
          },
        ];
      }
      default:
        throw new UnsupportedShapeError(key, `sh:${name}`);
    }
  }
}

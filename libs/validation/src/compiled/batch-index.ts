import { PREFIXES } from '@platform/linked-data';
import type { Quad, Term } from '@rdfjs/types';
import { orderKey } from './literals.js';
import type { OrderKey } from './literals.js';

export const IRI = 1;
export const BLANK = 2;
export const LITERAL = 4;

const XSD_STRING = `${PREFIXES.xsd}string`;
const RDF_LANG_STRING = `${PREFIXES.rdf}langString`;

/** Literal parts read from an n3 term's id (`"lex"`, `"lex"@nl`, `"lex"^^<dt>`) without the getters' allocations. */
interface LiteralParts {
  lexical: string;
  language: string;
  datatype: string;
}

function literalParts(term: Term, key: string): LiteralParts {
  if (term.termType !== 'Literal') throw new Error('not a literal');
  if (key.charCodeAt(0) === 34 /* " */) {
    const end = key.lastIndexOf('"');
    const rest = key.length - end - 1;
    if (rest === 0) return { lexical: key.slice(1, end), language: '', datatype: XSD_STRING };
    if (key.charCodeAt(end + 1) === 64 /* @ */) return { lexical: key.slice(1, end), language: key.slice(end + 2), datatype: RDF_LANG_STRING };
    if (key.charCodeAt(end + 1) === 94 /* ^ */) return { lexical: key.slice(1, end), language: '', datatype: key.slice(end + 3) };
  }
  return { lexical: term.value, language: term.language, datatype: term.datatype.value };
}

/** A key per RDF term: the n3 id form, also for terms from another factory. */
export function termKey(term: Term): string {
  const id = (term as { id?: unknown }).id;
  if (typeof id === 'string') return id;
  switch (term.termType) {
    case 'BlankNode':
      return `_:${term.value}`;
    case 'Literal': {
      const suffix = term.language ? `@${term.language}` : term.datatype.value === XSD_STRING ? '' : `^^${term.datatype.value}`;
      return `"${term.value}"${suffix}`;
    }
    default:
      return term.value;
  }
}

/**
 * The terms the compiled shapes name (classes, predicates, sh:in members, ...), interned once at
 * compile time: every batch index starts with them at the same ids, so a compiled check compares ids.
 */
export class TermTable {
  readonly ids = new Map<string, number>();
  readonly terms: Term[] = [];

  intern(term: Term): number {
    const key = termKey(term);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(key, id);
      this.terms.push(term);
    }
    return id;
  }
}

/**
 * One batch's data as integer ids: every term interned once (blank nodes made unique per item), the
 * triples deduplicated and grouped by subject then predicate (CSR arrays), so a path step is a scan of
 * one subject's few predicate runs and hands out a slice of `objects` without copying. Which items
 * contain a node (subject or non-literal object) is kept for attributing results.
 */
export class BatchIndex {
  readonly terms: Term[];
  readonly kinds: number[] = [];
  /** Lexical form (literal), IRI, or blank label. */
  readonly lexicals: string[] = [];
  readonly languages: string[] = [];
  /** Datatype id of a literal, -1 otherwise. */
  readonly datatypes: number[] = [];
  /** Grouped triples: subject s owns predicates/objects [begin[s], end[s]). */
  readonly predicates: number[] = [];
  readonly objects: number[] = [];
  private begin: number[] = [];
  private end: number[] = [];
  /** End of the run the last `find` found (see there). */
  hitEnd = 0;
  /** Every term's id: starts as a copy of the table's (one look-up per term instead of two). */
  private readonly local: Map<string, number>;
  private readonly rawSubjects: number[] = [];
  private readonly rawPredicates: number[] = [];
  private readonly rawObjects: number[] = [];
  private readonly firstOwner: number[] = [];
  private readonly moreOwners = new Map<number, number[]>();
  private readonly orderKeys: (OrderKey | undefined | null)[] = [];
  private reverse: { begin: number[]; end: number[]; predicates: number[]; subjects: number[] } | undefined;
  private bySubjectOf: Map<number, number[]> | undefined;
  private byObjectOf: Map<number, number[]> | undefined;
  private stamps: Int32Array = new Int32Array(0);
  private stampGeneration = 0;
  quadCount = 0;

  /** The batch has rdfs:subClassOf triples (class checks then follow them). */
  hasSubclasses = false;

  constructor(
    table: TermTable,
    private readonly subClassOf = -1,
  ) {
    this.terms = table.terms.slice();
    this.local = new Map(table.ids);
    for (const [key, id] of table.ids) this.describe(id, table.terms[id], key);
  }

  get size(): number {
    return this.terms.length;
  }

  private describe(id: number, term: Term, key: string): void {
    switch (term.termType) {
      case 'NamedNode':
        this.kinds[id] = IRI;
        this.lexicals[id] = term.value;
        this.languages[id] = '';
        this.datatypes[id] = -1;
        break;
      case 'BlankNode':
        this.kinds[id] = BLANK;
        this.lexicals[id] = term.value;
        this.languages[id] = '';
        this.datatypes[id] = -1;
        break;
      case 'Literal': {
        const parts = literalParts(term, key);
        this.kinds[id] = LITERAL;
        this.lexicals[id] = parts.lexical;
        this.languages[id] = parts.language;
        this.datatypes[id] = -2; // resolved below (the datatype IRI is itself a term)
        this.datatypes[id] = this.internIri(parts.datatype);
        break;
      }
      default:
        this.kinds[id] = 0;
        this.lexicals[id] = term.value;
        this.languages[id] = '';
        this.datatypes[id] = -1;
    }
    this.firstOwner[id] = -1;
    this.orderKeys[id] = null;
  }

  private internKey(key: string, term: Term): number {
    let id = this.local.get(key);
    if (id === undefined) {
      id = this.terms.length;
      this.local.set(key, id);
      this.terms.push(term);
      this.describe(id, term, key);
    }
    return id;
  }

  private internIri(iri: string): number {
    const known = this.local.get(iri);
    if (known !== undefined) return known;
    const id = this.terms.length;
    this.local.set(iri, id);
    const term: Term = { termType: 'NamedNode', value: iri, equals: (other: Term | null | undefined) => !!other && other.termType === 'NamedNode' && other.value === iri };
    this.terms.push(term);
    this.describe(id, term, iri);
    return id;
  }

  private own(id: number, item: number): void {
    const first = this.firstOwner[id];
    if (first === -1) {
      this.firstOwner[id] = item;
      return;
    }
    if (first === item) return;
    const more = this.moreOwners.get(id);
    if (!more) this.moreOwners.set(id, [item]);
    else if (more[more.length - 1] !== item) more.push(item);
  }

  /** Adds one item's quads (graph names are ignored: items are validated as one default graph). */
  addItem(quads: readonly Quad[], item: number, relabel = true): void {
    for (const quad of quads) {
      const subjectTerm = quad.subject;
      const objectTerm = quad.object;
      // blank node labels are only unique within one item: make them unique in the union
      const subject = this.internKey(relabel && subjectTerm.termType === 'BlankNode' ? `_:i${item}_${subjectTerm.value}` : termKey(subjectTerm), subjectTerm);
      const predicate = this.internKey(termKey(quad.predicate), quad.predicate);
      const object = this.internKey(relabel && objectTerm.termType === 'BlankNode' ? `_:i${item}_${objectTerm.value}` : termKey(objectTerm), objectTerm);
      this.rawSubjects.push(subject);
      this.rawPredicates.push(predicate);
      this.rawObjects.push(object);
      if (predicate === this.subClassOf) this.hasSubclasses = true;
      this.own(subject, item);
      if (objectTerm.termType !== 'Literal') this.own(object, item);
    }
  }

  /** Groups the triples by subject, then predicate (insertion order kept within a run), dropping duplicates. */
  finish(): this {
    const nodes = this.terms.length;
    const count = this.rawSubjects.length;
    const begin = new Array<number>(nodes).fill(0);
    for (let index = 0; index < count; index++) begin[this.rawSubjects[index]]++;
    let offset = 0;
    for (let node = 0; node < nodes; node++) {
      const size = begin[node];
      begin[node] = offset;
      offset += size;
    }
    const fill = begin.slice();
    const predicates = new Array<number>(count);
    const objects = new Array<number>(count);
    for (let index = 0; index < count; index++) {
      const at = fill[this.rawSubjects[index]]++;
      predicates[at] = this.rawPredicates[index];
      objects[at] = this.rawObjects[index];
    }
    // per subject: stable insertion sort by predicate, then drop repeated (predicate, object) pairs
    const end = new Array<number>(nodes);
    let write = 0;
    for (let node = 0; node < nodes; node++) {
      const from = begin[node];
      const to = fill[node];
      for (let index = from + 1; index < to; index++) {
        const predicate = predicates[index];
        const object = objects[index];
        let at = index - 1;
        while (at >= from && predicates[at] > predicate) {
          predicates[at + 1] = predicates[at];
          objects[at + 1] = objects[at];
          at--;
        }
        predicates[at + 1] = predicate;
        objects[at + 1] = object;
      }
      const start = write;
      for (let index = from; index < to; index++) {
        const predicate = predicates[index];
        const object = objects[index];
        let duplicate = false;
        for (let back = write - 1; back >= start && predicates[back] === predicate; back--) {
          if (objects[back] === object) {
            duplicate = true;
            break;
          }
        }
        if (duplicate) continue;
        predicates[write] = predicate;
        objects[write] = object;
        write++;
      }
      begin[node] = start;
      end[node] = write;
    }
    predicates.length = write;
    objects.length = write;
    this.begin = begin;
    this.end = end;
    (this as { predicates: number[] }).predicates = predicates;
    (this as { objects: number[] }).objects = objects;
    this.quadCount = write;
    this.stamps = new Int32Array(nodes);
    return this;
  }

  /**
   * Start of the objects of (subject, predicate) in `objects`; their end is in `hitEnd` (read it before
   * the next call). An empty run when there are none.
   */
  find(subject: number, predicate: number): number {
    const to = subject < this.end.length ? this.end[subject] : 0;
    let index = subject < this.begin.length ? this.begin[subject] : 0;
    for (; index < to; index++) {
      if (this.predicates[index] === predicate) {
        let stop = index + 1;
        while (stop < to && this.predicates[stop] === predicate) stop++;
        this.hitEnd = stop;
        return index;
      }
      if (this.predicates[index] > predicate) break;
    }
    this.hitEnd = index;
    return index;
  }

  /** Does (subject, predicate, object) hold? */
  has(subject: number, predicate: number, object: number): boolean {
    const start = this.find(subject, predicate);
    const stop = this.hitEnd;
    for (let index = start; index < stop; index++) if (this.objects[index] === object) return true;
    return false;
  }

  /** The (predicate, object) pairs of a subject: [start, stop) in `predicates`/`objects`. */
  subjectRange(subject: number): [number, number] {
    return subject < this.begin.length ? [this.begin[subject], this.end[subject]] : [0, 0];
  }

  /** Subjects of (?, predicate, object), in the order of the grouped triples. */
  subjectsOf(predicate: number, object: number): number[] {
    const reverse = this.reverseIndex();
    const out: number[] = [];
    if (object >= reverse.begin.length) return out;
    for (let index = reverse.begin[object]; index < reverse.end[object]; index++) {
      if (reverse.predicates[index] === predicate) out.push(reverse.subjects[index]);
    }
    return out;
  }

  /** Distinct subjects that have `predicate`, in the order of their ids (first appearance). */
  subjectsWith(predicate: number): number[] {
    if (!this.bySubjectOf) {
      const groups = new Map<number, number[]>();
      for (let subject = 0; subject < this.begin.length; subject++) {
        let previous = -1;
        for (let index = this.begin[subject]; index < this.end[subject]; index++) {
          const current = this.predicates[index];
          if (current === previous) continue;
          previous = current;
          const list = groups.get(current);
          if (list) list.push(subject);
          else groups.set(current, [subject]);
        }
      }
      this.bySubjectOf = groups;
    }
    return this.bySubjectOf.get(predicate) ?? [];
  }

  /** Distinct objects of `predicate`, in the order of the grouped triples. */
  objectsWith(predicate: number): number[] {
    if (!this.byObjectOf) {
      const groups = new Map<number, number[]>();
      const seen = new Map<number, Set<number>>();
      for (let index = 0; index < this.predicates.length; index++) {
        const current = this.predicates[index];
        const object = this.objects[index];
        let known = seen.get(current);
        if (!known) {
          known = new Set();
          seen.set(current, known);
          groups.set(current, []);
        }
        if (known.has(object)) continue;
        known.add(object);
        groups.get(current)!.push(object);
      }
      this.byObjectOf = groups;
    }
    return this.byObjectOf.get(predicate) ?? [];
  }

  private reverseIndex(): { begin: number[]; end: number[]; predicates: number[]; subjects: number[] } {
    if (this.reverse) return this.reverse;
    const nodes = this.terms.length;
    const begin = new Array<number>(nodes).fill(0);
    for (const object of this.objects) begin[object]++;
    let offset = 0;
    for (let node = 0; node < nodes; node++) {
      const size = begin[node];
      begin[node] = offset;
      offset += size;
    }
    const end = begin.slice();
    const predicates = new Array<number>(this.objects.length);
    const subjects = new Array<number>(this.objects.length);
    for (let subject = 0; subject < this.begin.length; subject++) {
      for (let index = this.begin[subject]; index < this.end[subject]; index++) {
        const at = end[this.objects[index]]++;
        predicates[at] = this.predicates[index];
        subjects[at] = subject;
      }
    }
    this.reverse = { begin, end, predicates, subjects };
    return this.reverse;
  }

  /** The value of a literal for ordering (cached per term). */
  orderKey(id: number): OrderKey | undefined {
    let key = this.orderKeys[id];
    if (key === null) {
      key = this.kinds[id] === LITERAL ? orderKey(this.lexicals[id], this.lexicals[this.datatypes[id]]) : undefined;
      this.orderKeys[id] = key;
    }
    return key;
  }

  /** Starts a new "seen" set over node ids (no allocation): `mark` returns false for a node already marked. */
  startMarks(): void {
    this.stampGeneration++;
  }

  mark(node: number): boolean {
    if (this.stamps[node] === this.stampGeneration) return false;
    this.stamps[node] = this.stampGeneration;
    return true;
  }

  /** Items (indexes into the batch) that contain this node. */
  owners(node: number): number[] {
    const first = this.firstOwner[node];
    if (first === undefined || first === -1) return [];
    const more = this.moreOwners.get(node);
    return more ? [first, ...more] : [first];
  }
}

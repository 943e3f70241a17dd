import type { DatasetCore, Quad, Term } from '@rdfjs/types';

/** A stable key per term; n3 terms carry one already (`id`). */
export function termId(term: Term): string {
  const id = (term as { id?: unknown }).id;
  if (typeof id === 'string') return id;
  switch (term.termType) {
    case 'BlankNode':
      return `_:${term.value}`;
    case 'Literal':
      return `"${term.value}"@${term.language}^^${term.datatype.value}`;
    case 'DefaultGraph':
      return '';
    default:
      return term.value;
  }
}

const EMPTY: Quad[] = [];

/**
 * The read-mostly DatasetCore shacl-engine walks. Nested subject -> predicate and predicate -> object
 * indexes over plain arrays: a match hands out the index array itself instead of copying into a new
 * store, which is what the engine's many small `match(s, p)` lookups need. Duplicate quads are dropped
 * (a batch repeats shared nodes such as a place).
 */
export class IndexedDataset implements DatasetCore {
  private readonly all: Quad[] = [];
  private readonly subjectPredicate = new Map<string, Map<string, Quad[]>>();
  private readonly predicateObject = new Map<string, Map<string, Quad[]>>();
  private objectIndex: Map<string, Quad[]> | undefined;
  private predicateIndex: Map<string, Quad[]> | undefined;
  private subjectIndex: Map<string, Quad[]> | undefined;

  constructor(quads: Iterable<Quad> = []) {
    for (const quad of quads) this.add(quad);
  }

  get size(): number {
    return this.all.length;
  }

  add(quad: Quad): this {
    const subject = termId(quad.subject);
    const predicate = termId(quad.predicate);
    const object = termId(quad.object);
    let predicates = this.subjectPredicate.get(subject);
    if (!predicates) {
      predicates = new Map();
      this.subjectPredicate.set(subject, predicates);
    }
    let list = predicates.get(predicate);
    if (!list) {
      list = [];
      predicates.set(predicate, list);
    } else if (list.some((existing) => termId(existing.object) === object && existing.graph.equals(quad.graph))) {
      return this;
    }
    list.push(quad);
    this.all.push(quad);
    let objects = this.predicateObject.get(predicate);
    if (!objects) {
      objects = new Map();
      this.predicateObject.set(predicate, objects);
    }
    const byObject = objects.get(object);
    if (byObject) byObject.push(quad);
    else objects.set(object, [quad]);
    this.objectIndex = this.predicateIndex = this.subjectIndex = undefined;
    return this;
  }

  delete(): this {
    throw new Error('IndexedDataset is append-only');
  }

  has(quad: Quad): boolean {
    const list = this.subjectPredicate.get(termId(quad.subject))?.get(termId(quad.predicate)) ?? EMPTY;
    const object = termId(quad.object);
    return list.some((existing) => termId(existing.object) === object && existing.graph.equals(quad.graph));
  }

  /** Quads with this subject and predicate: the index array itself (do not modify). */
  withSubjectPredicate(subject: Term, predicate: Term): readonly Quad[] {
    return this.subjectPredicate.get(termId(subject))?.get(termId(predicate)) ?? EMPTY;
  }

  /** Quads with this predicate and object: the index array itself (do not modify). */
  withPredicateObject(predicate: Term, object: Term): readonly Quad[] {
    return this.predicateObject.get(termId(predicate))?.get(termId(object)) ?? EMPTY;
  }

  match(subject?: Term | null, predicate?: Term | null, object?: Term | null, graph?: Term | null): DatasetCore {
    let candidates: Quad[];
    let filterObject = false;
    if (subject && predicate) {
      candidates = this.subjectPredicate.get(termId(subject))?.get(termId(predicate)) ?? EMPTY;
      filterObject = Boolean(object);
    } else if (predicate && object) {
      candidates = this.predicateObject.get(termId(predicate))?.get(termId(object)) ?? EMPTY;
    } else if (subject) {
      candidates = this.bySubject().get(termId(subject)) ?? EMPTY;
      filterObject = Boolean(object);
    } else if (object) {
      candidates = this.byObject().get(termId(object)) ?? EMPTY;
    } else if (predicate) {
      candidates = this.byPredicate().get(termId(predicate)) ?? EMPTY;
    } else {
      candidates = this.all;
    }
    if (!filterObject && !graph) return new QuadList(candidates);
    const objectId = filterObject && object ? termId(object) : undefined;
    return new QuadList(
      candidates.filter(
        (quad) => (objectId === undefined || termId(quad.object) === objectId) && (!graph || quad.graph.equals(graph)),
      ),
    );
  }

  [Symbol.iterator](): Iterator<Quad> {
    return this.all[Symbol.iterator]();
  }

  private bySubject(): Map<string, Quad[]> {
    this.subjectIndex ??= new Map([...this.subjectPredicate].map(([subject, predicates]) => [subject, [...predicates.values()].flat()]));
    return this.subjectIndex;
  }

  private byPredicate(): Map<string, Quad[]> {
    this.predicateIndex ??= new Map([...this.predicateObject].map(([predicate, objects]) => [predicate, [...objects.values()].flat()]));
    return this.predicateIndex;
  }

  private byObject(): Map<string, Quad[]> {
    if (!this.objectIndex) {
      const index = new Map<string, Quad[]>();
      for (const quad of this.all) {
        const key = termId(quad.object);
        const list = index.get(key);
        if (list) list.push(quad);
        else index.set(key, [quad]);
      }
      this.objectIndex = index;
    }
    return this.objectIndex;
  }
}

/** The result of a match: a read-only view over an index array. */
class QuadList implements DatasetCore {
  constructor(private readonly quads: Quad[]) {}

  get size(): number {
    return this.quads.length;
  }

  add(): this {
    throw new Error('a match result is read-only');
  }

  delete(): this {
    throw new Error('a match result is read-only');
  }

  has(quad: Quad): boolean {
    return this.quads.some((candidate) => candidate.equals(quad));
  }

  match(subject?: Term | null, predicate?: Term | null, object?: Term | null, graph?: Term | null): DatasetCore {
    return new QuadList(
      this.quads.filter(
        (quad) =>
          (!subject || quad.subject.equals(subject)) &&
          (!predicate || quad.predicate.equals(predicate)) &&
          (!object || quad.object.equals(object)) &&
          (!graph || quad.graph.equals(graph)),
      ),
    );
  }

  [Symbol.iterator](): Iterator<Quad> {
    return this.quads[Symbol.iterator]();
  }
}

// Minimal types for shacl-engine 1.1 (the package ships none): only what ShaclValidator uses.
declare module 'shacl-engine' {
  import type { DatasetCore, Quad, Term } from '@rdfjs/types';

  export interface EngineFactory {
    namedNode(value: string): Term;
    blankNode(value?: string): Term;
    literal(value: string, languageOrDatatype?: string | Term): Term;
    variable?(value: string): Term;
    quad(subject: Term, predicate: Term, object: Term, graph?: Term): Quad;
    dataset(quads?: Quad[]): DatasetCore;
  }

  export interface EnginePathStep {
    quantifier: 'one' | 'oneOrMore' | 'zeroOrMore' | 'zeroOrOne';
    start: 'subject' | 'object';
    end: 'subject' | 'object';
    predicates: Term[];
  }

  export interface EnginePointer {
    term: Term;
    terms: Term[];
  }

  export interface EngineShape {
    ptr: EnginePointer;
    message: Term[];
  }

  export interface EngineResult {
    args: Record<string, unknown>;
    constraintComponent: Term;
    focusNode: EnginePointer;
    path: EnginePathStep[] | null | undefined;
    severity: Term;
    shape: EngineShape;
    value?: EnginePointer;
    message: Term[];
  }

  export interface EngineReport {
    conforms: boolean;
    results: EngineResult[];
  }

  export class Validator {
    constructor(shapes: DatasetCore, options: { factory: EngineFactory; debug?: boolean; details?: boolean });
    validate(data: { dataset: DatasetCore; terms?: Iterable<Term> }, shapes?: Array<{ terms: Term[] }>): Promise<EngineReport>;
  }
}

// rdf-validation 0.1 (shacl-engine's own datatype checks) ships no types: only what the shape compiler uses.
declare module 'rdf-validation' {
  import type { Term } from '@rdfjs/types';

  export interface TermValidation {
    validateSimple(term: { value: string }): boolean;
  }

  export class XsdValidation {
    validations: { get(datatype: Term): TermValidation | undefined };
    validateSimple(term: Term): boolean;
  }
}

import { readFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compactIri, parseTurtle, PREFIXES } from '@platform/linked-data';
import type { DatasetCore, Quad, Term } from '@rdfjs/types';
import { DataFactory, Store } from 'n3';
import { Validator } from 'shacl-engine';
import type { EngineFactory, EnginePathStep, EngineResult } from 'shacl-engine';
import { IndexedDataset } from './indexed-dataset.js';
import { formatTerm, generateMessage } from './messages.js';
import type { BilingualMessage } from './messages.js';

export type Severity = 'Violation' | 'Warning' | 'Info';

export interface ValidationResult {
  /** IRI, or `_:label` for a blank node. */
  focusNode: string;
  /** SHACL path in compact form (`dcterms:title`, `^ex:p`, `ex:a/ex:b`, `(ex:a|ex:b)`, `ex:p*`). */
  path?: string;
  severity: Severity;
  message: BilingualMessage;
  sourceShape?: string;
  /** Full IRI of the constraint component, e.g. http://www.w3.org/ns/shacl#MinCountConstraintComponent. */
  constraint: string;
  /** The offending value: IRI, `_:label`, or a literal's lexical form. */
  value?: string;
}

export interface ValidationOutcome {
  conforms: boolean;
  results: ValidationResult[];
}

const SH = PREFIXES.sh;

/** n3's DataFactory plus the dataset constructor shacl-engine needs for its report. */
const engineFactory: EngineFactory = {
  namedNode: (value) => DataFactory.namedNode(value),
  blankNode: (value) => DataFactory.blankNode(value),
  literal: (value, languageOrDatatype) =>
    DataFactory.literal(value, languageOrDatatype as string | Parameters<typeof DataFactory.literal>[1]),
  variable: (value) => DataFactory.variable(value),
  quad: (subject, predicate, object, graph) =>
    DataFactory.quad(
      subject as Quad['subject'],
      predicate as Quad['predicate'],
      object as Quad['object'],
      graph as Quad['graph'] | undefined,
    ) as Quad,
  dataset: (quads) => new Store(quads) as unknown as DatasetCore,
};

function termKey(term: Term): string {
  return term.termType === 'BlankNode' ? `_:${term.value}` : term.value;
}

function formatPath(steps: EnginePathStep[] | null | undefined): string | undefined {
  if (!steps || steps.length === 0) return undefined;
  const formatStep = (step: EnginePathStep): string => {
    const names = step.predicates.map((predicate) => (predicate.termType === 'NamedNode' ? compactIri(predicate.value) : formatTerm(predicate)));
    let text = names.length > 1 ? `(${names.join('|')})` : names[0];
    if (step.start === 'object') text = `^${text}`;
    if (step.quantifier === 'oneOrMore') text += '+';
    if (step.quantifier === 'zeroOrMore') text += '*';
    if (step.quantifier === 'zeroOrOne') text += '?';
    return text;
  };
  return steps.map(formatStep).join('/');
}

/** The shape files of the platform (`<repo>/shapes/*.ttl`), found from this file or the working directory. */
export function defaultShapeFiles(): string[] {
  // From libs/validation/src (ts-jest) or dist/libs/validation/src (built), or the working directory.
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, '../../../shapes'), resolve(here, '../../../../shapes'), resolve(process.cwd(), 'shapes')];
  const directory = candidates.find((candidate) => existsSync(join(candidate, 'cultuurparticipatie.ttl')));
  if (!directory) throw new Error(`shapes/ not found (looked in ${candidates.join(', ')})`);
  return readdirSync(directory)
    .filter((name) => name.endsWith('.ttl'))
    .sort()
    .map((name) => join(directory, name));
}

/** The union of a batch, and how to hand results back to the items. */
function prepareBatch(graphs: Quad[][]): { data: IndexedDataset; attribute: (results: ValidationResult[]) => ValidationOutcome[] } {
  const data = new IndexedDataset();
  const owners = new Map<string, number[]>();
  const own = (key: string, item: number): void => {
    const items = owners.get(key);
    if (!items) owners.set(key, [item]);
    else if (items[items.length - 1] !== item) items.push(item);
  };
  const blankLabels = new Map<string, string>();
  graphs.forEach((quads, item) => {
    // blank node labels are only unique within one item: make them unique in the union
    const relabel = <T extends Term>(term: T): T => {
      if (term.termType !== 'BlankNode') return term;
      const label = `i${item}_${term.value}`;
      blankLabels.set(label, term.value);
      return DataFactory.blankNode(label) as unknown as T;
    };
    for (const quad of quads) {
      const subject = relabel(quad.subject);
      const object = relabel(quad.object);
      data.add(subject === quad.subject && object === quad.object ? quad : (DataFactory.quad(subject, quad.predicate, object, quad.graph) as Quad));
      own(termKey(subject), item);
      if (object.termType !== 'Literal') own(termKey(object), item);
    }
  });
  const restore = (text: string | undefined): string | undefined => {
    if (text === undefined || !text.startsWith('_:')) return text;
    return `_:${blankLabels.get(text.slice(2)) ?? text.slice(2)}`;
  };
  const attribute = (results: ValidationResult[]): ValidationOutcome[] => {
    const outcomes: ValidationOutcome[] = graphs.map(() => ({ conforms: true, results: [] }));
    for (const result of results) {
      const visible: ValidationResult = { ...result, focusNode: restore(result.focusNode) ?? result.focusNode };
      if (result.value !== undefined) visible.value = restore(result.value);
      for (const item of owners.get(result.focusNode) ?? []) {
        outcomes[item].results.push(visible);
        outcomes[item].conforms = false;
      }
    }
    return outcomes;
  };
  return { data, attribute };
}

/**
 * SHACL validation (shacl-engine, SHACL Core and SHACL-SPARQL) behind our own types. The shapes graph
 * is parsed and compiled once; every call only loads the data. Failures are outcomes, never exceptions.
 */
export class ShaclValidator {
  private readonly engine: Validator;

  private constructor(private readonly shapes: Store) {
    this.engine = new Validator(shapes as unknown as DatasetCore, { factory: engineFactory });
  }

  static async fromFiles(paths: string[]): Promise<ShaclValidator> {
    const texts = await Promise.all(paths.map((path) => readFile(path, 'utf8')));
    return ShaclValidator.fromQuads(texts.flatMap((text, index) => parseTurtle(text, `file://${paths[index]}`)));
  }

  static fromQuads(shapeQuads: Quad[]): ShaclValidator {
    return new ShaclValidator(new Store(shapeQuads));
  }

  /** Validates one graph. */
  async validate(quads: Quad[]): Promise<ValidationOutcome> {
    const results = await this.run(new IndexedDataset(quads));
    return { conforms: results.length === 0, results };
  }

  /**
   * Validates many items (each an activity graph with its dependent nodes) in one engine run over their
   * union, then gives each item the results whose focus node it contains (shared nodes such as a place
   * count for every item that contains them).
   */
  async validateBatch(graphs: Quad[][]): Promise<ValidationOutcome[]> {
    const batch = prepareBatch(graphs);
    return batch.attribute(await this.run(batch.data));
  }

  private async run(data: IndexedDataset): Promise<ValidationResult[]> {
    const report = await this.engine.validate({ dataset: data });
    return report.results.map((result) => this.toResult(result, data));
  }

  private shapeParameter(shape: Term, name: string): Term[] {
    const objects = this.shapes.getObjects(shape as Quad['subject'], DataFactory.namedNode(SH + name), null);
    if (name === 'in' || name === 'languageIn') return objects.flatMap((head) => this.list(head));
    return objects;
  }

  private list(head: Term): Term[] {
    const items: Term[] = [];
    let node: Term = head;
    const first = DataFactory.namedNode(`${PREFIXES.rdf}first`);
    const rest = DataFactory.namedNode(`${PREFIXES.rdf}rest`);
    for (let guard = 0; guard < 1000 && node.value !== `${PREFIXES.rdf}nil`; guard += 1) {
      const value = this.shapes.getObjects(node as Quad['subject'], first, null)[0];
      if (value) items.push(value);
      const next = this.shapes.getObjects(node as Quad['subject'], rest, null)[0];
      if (!next) break;
      node = next;
    }
    return items;
  }

  private toResult(result: EngineResult, data: IndexedDataset): ValidationResult {
    const focus = result.focusNode.term;
    const shapeTerm = result.shape.ptr.term;
    const component = result.constraintComponent.value;
    const path = formatPath(result.path);
    const valueTerm = result.value?.term;
    let found: number | undefined;
    if (result.path && result.path.length === 1 && result.path[0].quantifier === 'one' && result.path[0].predicates.length === 1) {
      const step = result.path[0];
      found =
        step.start === 'subject'
          ? data.match(focus, step.predicates[0]).size
          : data.match(null, step.predicates[0], focus).size;
    }
    return this.buildResult({
      focus,
      shapeTerm,
      component,
      path,
      valueTerm,
      found,
      severity: result.severity,
      messages: result.shape.message,
    });
  }

  private buildResult(input: {
    focus: Term;
    shapeTerm: Term | undefined;
    component: string;
    path: string | undefined;
    valueTerm: Term | undefined;
    found: number | undefined;
    severity: Term;
    messages: Term[];
  }): ValidationResult {
    const { focus, shapeTerm, component, path, valueTerm, found } = input;
    const componentName = component.startsWith(SH) ? component.slice(SH.length) : compactIri(component);
    const generated = generateMessage({
      component: componentName,
      path,
      value: valueTerm,
      parameter: (name) => (shapeTerm ? this.shapeParameter(shapeTerm, name) : []),
      found,
    });
    // sh:message of the shape wins, per language; an untagged sh:message counts as English
    const own = { nl: undefined as string | undefined, en: undefined as string | undefined };
    for (const message of input.messages) {
      const language = message.termType === 'Literal' ? message.language : '';
      if (language === 'nl') own.nl ??= message.value;
      else if (language === 'en' || language === '') own.en ??= message.value;
    }
    const severityName = input.severity.value.startsWith(SH) ? input.severity.value.slice(SH.length) : 'Violation';
    const output: ValidationResult = {
      focusNode: termKey(focus),
      severity: (severityName === 'Warning' || severityName === 'Info' ? severityName : 'Violation') as Severity,
      message: { nl: own.nl ?? generated.nl, en: own.en ?? generated.en },
      constraint: component,
    };
    if (path !== undefined) output.path = path;
    if (shapeTerm) output.sourceShape = termKey(shapeTerm);
    if (valueTerm) output.value = valueTerm.termType === 'Literal' ? valueTerm.value : termKey(valueTerm);
    return output;
  }
}

import { readFile } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseTurtle } from '@platform/linked-data';
import type { DatasetCore, Quad, Term } from '@rdfjs/types';
import { DataFactory, Store } from 'n3';
import { Validator } from 'shacl-engine';
import type { EngineFactory, EngineResult } from 'shacl-engine';
import { CompiledShaclValidator } from './compiled/compiled-validator.js';
import { IndexedDataset } from './indexed-dataset.js';
import { formatPath } from './path-format.js';
import { ResultBuilder, termKey } from './result-builder.js';
import type { ValidationOutcome, ValidationResult } from './result-builder.js';

export type { Severity, ValidationOutcome, ValidationResult } from './result-builder.js';

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
      if (result.value !== undefined && visible.value !== result.value) {
        // the generated message names the value too: with the label the item used
        const renamed = (text: string) => text.split(result.value!).join(visible.value!);
        visible.message = { nl: renamed(result.message.nl), en: renamed(result.message.en) };
      }
      for (const item of owners.get(result.focusNode) ?? []) {
        outcomes[item].results.push(visible);
        outcomes[item].conforms = false;
      }
    }
    return outcomes;
  };
  return { data, attribute };
}

/** Which implementation validates: the shape compiler, or shacl-engine (the reference it is proven against). */
export type ShaclEngineKind = 'compiled' | 'shacl-engine';

export interface ShaclValidatorOptions {
  /** Default `shacl-engine`. `compiled` refuses to start on shapes that use a construct it does not cover. */
  engine?: ShaclEngineKind;
}

/**
 * SHACL validation behind our own types, by shacl-engine (SHACL Core and SHACL-SPARQL) or by the shapes
 * compiled into specialised validators (`{ engine: 'compiled' }`, SHACL Core; see compiled/). The shapes
 * graph is parsed and compiled once; every call only loads the data. Failures are outcomes, never exceptions.
 */
export class ShaclValidator {
  private readonly engine: Validator;
  private readonly results: ResultBuilder;
  private readonly compiled: CompiledShaclValidator | undefined;
  readonly engineKind: ShaclEngineKind;

  private constructor(shapes: Store, options: ShaclValidatorOptions) {
    this.engine = new Validator(shapes as unknown as DatasetCore, { factory: engineFactory });
    this.results = new ResultBuilder(shapes);
    this.engineKind = options.engine ?? 'shacl-engine';
    this.compiled = this.engineKind === 'compiled' ? CompiledShaclValidator.fromStore(shapes) : undefined;
  }

  static async fromFiles(paths: string[], options: ShaclValidatorOptions = {}): Promise<ShaclValidator> {
    const texts = await Promise.all(paths.map((path) => readFile(path, 'utf8')));
    return ShaclValidator.fromQuads(
      texts.flatMap((text, index) => parseTurtle(text, `file://${paths[index]}`)),
      options,
    );
  }

  static fromQuads(shapeQuads: Quad[], options: ShaclValidatorOptions = {}): ShaclValidator {
    return new ShaclValidator(new Store(shapeQuads), options);
  }

  /** Validates one graph. */
  async validate(quads: Quad[]): Promise<ValidationOutcome> {
    if (this.compiled) return this.compiled.validate(quads);
    const results = await this.run(new IndexedDataset(quads));
    return { conforms: results.length === 0, results };
  }

  /**
   * Validates many items (each an activity graph with its dependent nodes) in one engine run over their
   * union, then gives each item the results whose focus node it contains (shared nodes such as a place
   * count for every item that contains them).
   */
  async validateBatch(graphs: Quad[][]): Promise<ValidationOutcome[]> {
    if (this.compiled) return this.compiled.validateBatch(graphs);
    const batch = prepareBatch(graphs);
    return batch.attribute(await this.run(batch.data));
  }

  private async run(data: IndexedDataset): Promise<ValidationResult[]> {
    const report = await this.engine.validate({ dataset: data });
    return report.results.map((result) => this.toResult(result, data));
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
    return this.results.build({
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
}

import { readFile } from 'node:fs/promises';
import { parseTurtle } from '@platform/linked-data';
import type { Quad } from '@rdfjs/types';
import { Store } from 'n3';
import { ResultBuilder } from '../result-builder.js';
import type { ValidationOutcome, ValidationResult } from '../result-builder.js';
import { BatchIndex } from './batch-index.js';
import { ShapeCompiler } from './shape-compiler.js';
import type { CompiledShape, PathOverride, ResultSink, TargetedShape } from './shape-compiler.js';

/** Collects the failures of one run as parallel arrays; results are worded only after the run. */
class CollectingSink implements ResultSink {
  readonly shapes: CompiledShape[] = [];
  readonly components: string[] = [];
  readonly focusNodes: number[] = [];
  readonly values: number[] = [];
  readonly paths: (PathOverride | undefined)[] = [];

  report(shape: CompiledShape, component: string, focus: number, value: number, path?: PathOverride): void {
    this.shapes.push(shape);
    this.components.push(component);
    this.focusNodes.push(focus);
    this.values.push(value);
    this.paths.push(path);
  }

  get size(): number {
    return this.shapes.length;
  }
}

/**
 * SHACL Core validation by shapes compiled at start-up (see ShapeCompiler): a batch is interned into
 * one BatchIndex, each top-level shape's targets are resolved against it, and the compiled closures
 * run over integer ids. Nothing is allocated per value while data conforms; a failure is recorded as
 * ids and worded afterwards with the same ResultBuilder (and so the same bilingual messages) as the
 * shacl-engine path.
 */
export class CompiledShaclValidator {
  private readonly compiler: ShapeCompiler;
  private readonly targeted: TargetedShape[];
  private readonly builder: ResultBuilder;

  private constructor(shapes: Store) {
    this.compiler = new ShapeCompiler(shapes);
    this.targeted = this.compiler.compile();
    this.builder = new ResultBuilder(shapes);
  }

  /** Compiles the shapes; throws UnsupportedShapeError when they use a construct the compiler does not cover. */
  static fromStore(shapes: Store): CompiledShaclValidator {
    return new CompiledShaclValidator(shapes);
  }

  static fromQuads(shapeQuads: Quad[]): CompiledShaclValidator {
    return new CompiledShaclValidator(new Store(shapeQuads));
  }

  static async fromFiles(paths: string[]): Promise<CompiledShaclValidator> {
    const texts = await Promise.all(paths.map((path) => readFile(path, 'utf8')));
    return CompiledShaclValidator.fromQuads(texts.flatMap((text, index) => parseTurtle(text, `file://${paths[index]}`)));
  }

  async validate(quads: Quad[]): Promise<ValidationOutcome> {
    return this.validateSync(quads);
  }

  async validateBatch(graphs: Quad[][]): Promise<ValidationOutcome[]> {
    return this.validateBatchSync(graphs);
  }

  /** Validates one graph (every result, also for focus nodes only named by sh:targetNode). */
  validateSync(quads: readonly Quad[]): ValidationOutcome {
    // one graph: blank node labels stay as they are (as ShaclValidator.validate)
    const index = new BatchIndex(this.compiler.table, this.compiler.subClassOf);
    index.addItem(quads, 0, false);
    index.finish();
    const sink = this.run(index);
    const results: ValidationResult[] = [];
    for (let at = 0; at < sink.size; at++) results.push(this.word(index, sink, at));
    return { conforms: results.length === 0, results };
  }

  /**
   * Validates many items as one union graph (as ShaclValidator.validateBatch): each item gets the
   * results whose focus node it contains; a node shared by items (a place) counts for each.
   */
  validateBatchSync(graphs: readonly (readonly Quad[])[]): ValidationOutcome[] {
    const outcomes: ValidationOutcome[] = graphs.map(() => ({ conforms: true, results: [] }));
    if (graphs.length === 0) return outcomes;
    const index = this.index(graphs);
    const sink = this.run(index);
    for (let at = 0; at < sink.size; at++) {
      const owners = index.owners(sink.focusNodes[at]);
      if (owners.length === 0) continue;
      const result = this.word(index, sink, at);
      for (const item of owners) {
        outcomes[item].results.push(result);
        outcomes[item].conforms = false;
      }
    }
    return outcomes;
  }

  private index(graphs: readonly (readonly Quad[])[]): BatchIndex {
    const index = new BatchIndex(this.compiler.table, this.compiler.subClassOf);
    graphs.forEach((quads, item) => index.addItem(quads, item));
    return index.finish();
  }

  private run(index: BatchIndex): CollectingSink {
    const sink = new CollectingSink();
    // shacl-engine ignores an empty data graph
    if (index.quadCount === 0) return sink;
    const state = this.compiler.state;
    state.index = index;
    state.subclasses = index.hasSubclasses;
    for (const { shape, classes, nodes, subjectsOf, objectsOf } of this.targeted) {
      // targets first (deduplicated), then the shape on each, as shacl-engine
      index.startMarks();
      const focusNodes: number[] = [];
      const take = (node: number): void => {
        if (index.mark(node)) focusNodes.push(node);
      };
      for (const target of classes) for (const node of this.compiler.instancesOf(target)) take(node);
      for (const node of nodes) take(node);
      for (const predicate of objectsOf) for (const node of index.objectsWith(predicate)) take(node);
      for (const predicate of subjectsOf) for (const node of index.subjectsWith(predicate)) take(node);
      for (const focus of focusNodes) shape.run(focus, sink, -1);
    }
    return sink;
  }

  private word(index: BatchIndex, sink: CollectingSink, at: number): ValidationResult {
    const shape = sink.shapes[at];
    const focus = sink.focusNodes[at];
    const value = sink.values[at];
    const override = sink.paths[at];
    let found: number | undefined;
    const predicate = override ? override.predicate : shape.simplePredicate;
    if (predicate !== -1) {
      if (!override && shape.simpleInverse) found = index.subjectsOf(predicate, focus).length;
      else {
        const start = index.find(focus, predicate);
        found = index.hitEnd - start;
      }
    }
    return this.builder.build({
      focus: index.terms[focus],
      shapeTerm: shape.term,
      component: sink.components[at],
      path: override ? override.text : shape.pathText,
      valueTerm: value === -1 ? undefined : index.terms[value],
      found,
      severity: shape.severity,
      messages: shape.messages,
    });
  }
}

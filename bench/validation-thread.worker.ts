/** A piscina worker for bench/validation-threads.ts: validates a batch that arrives as N-Triples text, one string per item. */
import { ShaclValidator, defaultShapeFiles, type ValidationOutcome } from '@platform/validation';
import type { Quad } from '@rdfjs/types';
import { Parser } from 'n3';

const validator = await ShaclValidator.fromFiles(defaultShapeFiles());

export default async function validateNTriples(task: { items: string[] }): Promise<ValidationOutcome[]> {
  // RDF/JS objects cannot cross a thread boundary (structured clone drops their prototypes): text can.
  const graphs = task.items.map((text) => new Parser({ format: 'N-Triples' }).parse(text) as Quad[]);
  return validator.validateBatch(graphs);
}

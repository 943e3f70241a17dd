import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { parseTurtle, PREFIXES } from '@platform/linked-data';
import { defaultShapeFiles, ShaclValidator } from '@platform/validation';
import type { ValidationResult } from '@platform/validation';

// Fixtures: shapes/tests/<shape>/{valid,invalid}/*.ttl. Valid files must conform. Every invalid file lists
// the results it expects as `# expect: <ConstraintComponent local name> <compact path or ->` lines, and
// must produce exactly that set. 
const FIXTURES = resolve(process.cwd(), 'shapes/tests');

interface Fixture {
  shape: string;
  kind: 'valid' | 'invalid';
  name: string;
  text: string;
}

const fixtures: Fixture[] = readdirSync(FIXTURES).flatMap((shape) =>
  (['valid', 'invalid'] as const).flatMap((kind) => {
    const directory = join(FIXTURES, shape, kind);
    let names: string[] = [];
    try {
      names = readdirSync(directory).filter((name) => name.endsWith('.ttl'));
    } catch {
      names = [];
    }
    return names.map((name) => ({ shape, kind, name, text: readFileSync(join(directory, name), 'utf8') }));
  }),
);

function expectations(text: string): string[] {
  return [...text.matchAll(/^# expect: (\S+) (\S+)\s*$/gm)].map(([, component, path]) => `${component} ${path}`).sort();
}

let validator: ShaclValidator;
let compiled: ShaclValidator;

beforeAll(async () => {
  validator = await ShaclValidator.fromFiles(defaultShapeFiles());
  compiled = await ShaclValidator.fromFiles(defaultShapeFiles(), { engine: 'compiled' });
});

/** Everything a result says, for comparing the two engines result for result. */
function tuple(result: ValidationResult): string {
  return JSON.stringify([result.focusNode, result.path, result.constraint, result.value, result.sourceShape, result.severity, result.message]);
}

describe('shape fixtures', () => {
  it('has a valid and an invalid fixture for every shape folder', () => {
    for (const shape of readdirSync(FIXTURES)) {
      expect([shape, fixtures.some((fixture) => fixture.shape === shape && fixture.kind === 'valid')]).toEqual([shape, true]);
      expect([shape, fixtures.some((fixture) => fixture.shape === shape && fixture.kind === 'invalid')]).toEqual([shape, true]);
    }
  });

  describe('through ShaclValidator', () => {
      for (const fixture of fixtures) {
        it(`${fixture.shape}/${fixture.kind}/${fixture.name}`, async () => {
          const outcome = await validator.validate(parseTurtle(fixture.text));
          if (fixture.kind === 'valid') {
            expect(outcome.results).toEqual([]);
            return;
          }
          const expected = expectations(fixture.text);
          expect(expected.length).toBeGreaterThan(0);
          const actual = [
            ...new Set(outcome.results.map((result) => `${result.constraint.replace(PREFIXES.sh, '')} ${result.path ?? '-'}`)),
          ].sort();
          expect(actual).toEqual(expected);
          for (const result of outcome.results) {
            expect(result.message.nl.length).toBeGreaterThan(0);
            expect(result.message.en.length).toBeGreaterThan(0);
          }
        });
      }
  });

  describe('through the compiled validator: the same results as shacl-engine', () => {
    for (const fixture of fixtures) {
      it(`${fixture.shape}/${fixture.kind}/${fixture.name}`, async () => {
        const quads = parseTurtle(fixture.text);
        const reference = await validator.validate(quads);
        const outcome = await compiled.validate(quads);
        expect(outcome.conforms).toBe(reference.conforms);
        expect(outcome.results.map(tuple).sort()).toEqual(reference.results.map(tuple).sort());
        // also as one item of a batch
        const [batched] = await compiled.validateBatch([quads]);
        expect(batched.results.map(tuple).sort()).toEqual(reference.results.map(tuple).sort());
      });
    }
  });
});

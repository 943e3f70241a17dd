import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalJson, contentHash } from './content-hash.js';

/** The form canonicalJson had until issue 10's ingest work: every stored content hash was taken over its bytes. */
function reference(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, entry]) => entry !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, entry]) => `${JSON.stringify(key)}:${reference(entry)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

describe('canonicalJson', () => {
  it('gives the bytes of the earlier form for any JSON-like value (undefined properties and elements included)', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.constant(undefined),
        fc.constant(null),
        fc.boolean(),
        fc.double(),
        fc.integer(),
        fc.string({ unit: 'binary' }),
        fc.array(tie('node')),
        fc.dictionary(fc.string({ unit: 'binary' }), tie('node')),
      ),
    })).node;
    fc.assert(
      fc.property(value, (generated) => {
        expect(canonicalJson(generated)).toBe(reference(generated));
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts keys by UTF-16 code unit and leaves undefined out', () => {
    expect(canonicalJson({ b: [1, undefined, { z: null, a: 'x"é\u2028' }], a: 1.5, c: undefined, é: true, A: [] })).toBe(
      '{"A":[],"a":1.5,"b":[1,,{"a":"x\\"é\u2028","z":null}],"é":true}',
    );
  });

  it('keeps the content hashes already stored', () => {
    // Taken with the earlier form: a changed byte would make every stored item look changed.
    expect(contentHash({ b: [1, undefined, { z: null, a: 'x"é\u2028' }], a: 1.5, c: undefined, é: true, A: [] })).toBe('BGzi5LaBGssjN6oWHUeH0RflBXNa_LGv8SD_lf5ghG0');
  });
});

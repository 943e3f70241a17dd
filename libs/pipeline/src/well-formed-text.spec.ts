import { describe, expect, it } from '@jest/globals';
import { illFormedTextAt, refuseIllFormedText } from './well-formed-text.js';
import type { IngestItem } from './ingest-item.js';

describe('text that is not Unicode (lone surrogates)', () => {
  it('names the first string or key holding a lone surrogate by its JSON pointer; well-formed text and complete pairs pass', () => {
    expect(illFormedTextAt({ title: { nl: 'Concert 💥' }, tags: ['a', 'b'] })).toBeNull();
    expect(illFormedTextAt({ title: { nl: 'x\uD800y' } })).toBe('/title/nl');
    expect(illFormedTextAt({ performances: [{ externalId: 'ok' }, { externalId: '\uDC00' }] })).toBe('/performances/1/externalId');
    expect(illFormedTextAt({ 'a/b~\uDBFF': 1 })).toBe('/a~1b~0\uDBFF');
    expect(illFormedTextAt('\uD800')).toBe('/');
    expect(illFormedTextAt(null)).toBeNull();
  });

  it('walks any depth without recursion', () => {
    let deep: unknown = '\uD800';
    for (let level = 0; level < 100_000; level++) deep = [deep];
    expect(illFormedTextAt(deep)).toMatch(/^(\/0){100000}$/);
  });

  it('refuses such an item with a problem in nl and en, keeps its other problems, reports a well-formed external id; others pass unchanged', () => {
    const good: IngestItem = { kind: 'activity', externalId: 'a1', activity: { externalId: 'a1' } as never, problems: [] };
    const items: IngestItem[] = [
      good,
      { kind: 'activity', externalId: 'a\uD8002', activity: { externalId: 'a\uD8002' } as never, problems: [] },
      { kind: 'place', externalId: 'p1', place: { externalId: 'p1', name: { nl: '\uDFFF' } } as never, problems: [] },
      { kind: 'activity', externalId: 'a3', activity: { externalId: 'a3' } as never, placeRef: 'v\uD800', problems: [{ severity: 'Warning', message: { nl: 'eerder', en: 'earlier' }, constraint: 'x' }] },
      { kind: 'deletion', externalId: 'd\uD800', entity: 'activity', problems: [] },
    ];
    const [kept, activity, place, reference, deletion] = refuseIllFormedText(items);
    expect(kept).toBe(good);
    expect(activity).toEqual({ kind: 'activity', externalId: 'a\uFFFD2', problems: [expect.objectContaining({ path: '/externalId', severity: 'Violation', constraint: 'unicode:well-formed' })] });
    expect(activity.problems[0].message.nl).toContain('geen geldige Unicode');
    expect(activity.problems[0].message.en).toContain('not valid Unicode');
    expect(place).toEqual({ kind: 'place', externalId: 'p1', problems: [expect.objectContaining({ path: '/name/nl' })] });
    expect(reference).toEqual({ kind: 'activity', externalId: 'a3', problems: [expect.objectContaining({ constraint: 'x' }), expect.objectContaining({ path: '/placeRef' })] });
    expect(deletion).toMatchObject({ kind: 'deletion', externalId: 'd\uFFFD', problems: [expect.objectContaining({ path: '/externalId' })] });
  });
});

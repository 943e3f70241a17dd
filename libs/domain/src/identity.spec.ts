import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { v5 as uuidv5 } from 'uuid';
import { entityId, PLATFORM_NAMESPACE, type EntityKind } from './identity.js';

describe('entityId', () => {
  it('is the uuid package\'s version 5 of (kind, source, external id) under the platform namespace', () => {
    const kinds: EntityKind[] = ['activiteit', 'uitvoering', 'locatie', 'organisator'];
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.string(), fc.string({ unit: 'grapheme' }), (kind, sourceId, externalId) => {
        expect(entityId(kind, sourceId, externalId)).toBe(uuidv5(`${kind}\u0000${sourceId}\u0000${externalId}`, PLATFORM_NAMESPACE));
      }),
      { numRuns: 2000 },
    );
    // a published id never changes
    expect(entityId('activiteit', 'demo', 'a-1')).toBe(uuidv5('activiteit\u0000demo\u0000a-1', PLATFORM_NAMESPACE));
  });
});

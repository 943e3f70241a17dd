import { describe, expect, it } from '@jest/globals';
import { availabilityLevelFor } from './availability.js';
import { entityId } from './identity.js';

describe('availabilityLevelFor', () => {
  it('is OutOfStock when nothing remains', () => {
    expect(availabilityLevelFor(500, 0)).toBe('OutOfStock');
  });
  it('is LimitedAvailability at or below the ratio or the count', () => {
    expect(availabilityLevelFor(500, 50)).toBe('LimitedAvailability');
    expect(availabilityLevelFor(40, 10)).toBe('LimitedAvailability');
    expect(availabilityLevelFor(500, 51)).toBe('InStock');
  });
  it('honours configured thresholds', () => {
    expect(availabilityLevelFor(100, 30, { limitedRatio: 0.3, limitedCount: 0 })).toBe('LimitedAvailability');
    expect(availabilityLevelFor(100, 31, { limitedRatio: 0.3, limitedCount: 0 })).toBe('InStock');
  });
});

describe('entityId', () => {
  it('is stable for the same source and external id and differs otherwise', () => {
    const first = entityId('activiteit', 'demo', 'evt-1');
    expect(entityId('activiteit', 'demo', 'evt-1')).toBe(first);
    expect(entityId('activiteit', 'other', 'evt-1')).not.toBe(first);
    expect(entityId('locatie', 'demo', 'evt-1')).not.toBe(first);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('keeps the ids already published (every IRI depends on them)', () => {
    expect(entityId('activiteit', 'demo', 'evt-1')).toBe('e744b562-a924-5dce-9e58-43493ae85eaf');
    expect(entityId('uitvoering', 'bench-1w', 'bench-1w-a0-p0')).toBe('702a78c7-603f-594b-b3d0-09b503079845');
    expect(entityId('locatie', 'bron é', 'zaal-✓')).toBe('271810e1-62b7-5031-93b1-819fdfc49754');
  });
});

describe('entityId past its memory', () => {
  it('gives the same ids after the remembered ids are dropped', () => {
    const first = Array.from({ length: 50 }, (_, index) => entityId('uitvoering', 'memory', `p${index}`));
    // More ids than are remembered: the memory is cleared on the way.
    for (let index = 0; index < 100_500; index++) entityId('activiteit', 'memory-filler', `a${index}`);
    expect(Array.from({ length: 50 }, (_, index) => entityId('uitvoering', 'memory', `p${index}`))).toEqual(first);
    expect(entityId('activiteit', 'demo', 'evt-1')).toBe('e744b562-a924-5dce-9e58-43493ae85eaf');
  });
});

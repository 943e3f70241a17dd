import { describe, expect, it } from '@jest/globals';
import type { ChangeEvent } from './change-events.js';
import { InvalidFiltersError, matches, readFilters } from './filters.js';

const PLACE = '11111111-1111-4111-8111-111111111111';
const ORGANIZER = '22222222-2222-4222-8222-222222222222';
const ACTIVITY = '33333333-3333-4333-8333-333333333333';

function anEvent(overrides: Partial<ChangeEvent> = {}): ChangeEvent {
  return {
    seq: '7',
    entityType: 'activity',
    entityId: ACTIVITY,
    sourceId: 's',
    operation: 'upsert',
    detail: null,
    occurredAt: new Date(),
    factsKnown: true,
    placeId: PLACE,
    organizerId: ORGANIZER,
    postalCode: '9000',
    municipalities: ['gent', 'gand'],
    ...overrides,
  };
}

describe('change filters', () => {
  it('reads JSON lists and comma-separated query values, and names the filter that is wrong', () => {
    expect(readFilters({ kinds: ['availability'], placeIds: [PLACE] }, 'body /filters')).toEqual({ kinds: ['availability'], placeIds: [PLACE] });
    expect(readFilters({ municipalities: 'Gent, Antwerpen' }, 'query ')).toEqual({ municipalities: ['Gent', 'Antwerpen'] });
    expect(() => readFilters({ placeIds: ['nope'] }, 'body /filters')).toThrow(InvalidFiltersError);
    try {
      readFilters({ postalCodes: ['90000'] }, 'body /filters');
    } catch (error) {
      expect((error as InvalidFiltersError).problem.where).toBe('body /filters/postalCodes');
      expect((error as InvalidFiltersError).problem.message.nl).toMatch(/postcode/);
    }
    expect(() => readFilters([], 'body /filters')).toThrow(/object/);
  });

  it('refuses names every object inherits (__proto__, toString) as unknown filters, not with a 500 (found by the fuzz test)', () => {
    for (const name of ['__proto__', 'toString', 'constructor']) {
      const input = JSON.parse(`{"${name}": ["x"]}`) as Record<string, unknown>;
      expect(() => readFilters(input, 'filters')).toThrow(InvalidFiltersError);
    }
  });

  it('ANDs the filters given and ORs the values within one', () => {
    expect(matches({}, anEvent())).toBe(true);
    expect(matches({ kinds: ['availability'] }, anEvent())).toBe(false);
    expect(matches({ kinds: ['availability', 'upsert'], placeIds: [PLACE] }, anEvent())).toBe(true);
    expect(matches({ placeIds: [PLACE], organizerIds: ['44444444-4444-4444-8444-444444444444'] }, anEvent())).toBe(false);
    expect(matches({ municipalities: ['GÉNT'] }, anEvent())).toBe(true);
    expect(matches({ municipalities: ['Antwerpen'] }, anEvent())).toBe(false);
    expect(matches({ postalCodes: ['9000'] }, anEvent())).toBe(true);
    expect(matches({ activityIds: [ACTIVITY] }, anEvent({ entityType: 'place', entityId: ACTIVITY }))).toBe(false);
    expect(matches({ entityTypes: ['place'] }, anEvent())).toBe(false);
  });

  it('lets a deletion without known facts through place and region filters, but not through kind or id filters', () => {
    const unknown = anEvent({ operation: 'delete', factsKnown: false, placeId: null, organizerId: null, postalCode: null, municipalities: [] });
    expect(matches({ placeIds: [PLACE] }, unknown)).toBe(true);
    expect(matches({ kinds: ['availability'] }, unknown)).toBe(false);
    expect(matches({ activityIds: ['55555555-5555-4555-8555-555555555555'] }, unknown)).toBe(false);
  });
});

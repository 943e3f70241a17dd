import { describe, expect, it } from '@jest/globals';
import { SearchParameterError, SearchParameterReader } from './search-parameters.js';

const read = (raw: Record<string, unknown>) => SearchParameterReader.read(raw, { strict: true });
const refusal = (raw: Record<string, unknown>) => {
  try {
    read(raw);
  } catch (error) {
    if (error instanceof SearchParameterError) return error.parameter;
    throw error;
  }
  throw new Error('accepted');
};

describe('search parameters (REST and GraphQL alike)', () => {
  it('reads UiTdatabank-style values: dates in Brussels time, distances with units, lists in three spellings', () => {
    const { query, sort, facets, limit } = read({
      dateFrom: '2027-07-01',
      coordinates: '51.0543, 3.7174',
      distance: '500m',
      'regions[]': ['nis-44021', '40000'],
      termIds: 'concert,jazz',
      labels: ['a,b'],
      status: 'Unavailable,TemporarilyUnavailable',
      'sort[distance]': 'asc',
      facets: 'types,regions',
      limit: '5',
    });
    expect(query.dateFrom?.toISOString()).toBe('2027-06-30T22:00:00.000Z'); // summer: +02:00
    expect(query.near).toEqual({ latitude: 51.0543, longitude: 3.7174, distanceKm: 0.5 });
    expect(query.regions).toEqual(['44021', '40000']);
    expect(query.termIds).toEqual(['concert', 'jazz']);
    expect(query.labels).toEqual(['a,b']); // labels may contain commas
    expect(query.status).toEqual(['cancelled', 'postponed']);
    expect(sort).toEqual({ by: 'distance', order: 'asc' });
    expect(facets).toEqual(['types', 'regions']);
    expect(limit).toBe(5);
  });

  it('a date as dateTo means the end of that day in Brussels (winter: +01:00)', () => {
    expect(read({ dateTo: '2027-01-31' }).query.dateTo?.toISOString()).toBe('2027-01-31T22:59:59.999Z');
  });

  it('defaults: relevance with text, else start; audience any', () => {
    expect(read({ text: 'jazz' }).sort).toEqual({ by: 'relevance', order: 'desc' });
    expect(read({}).sort).toEqual({ by: 'start', order: 'asc' });
    expect(read({ 'sort[score]': 'desc', text: 'x' }).sort).toEqual({ by: 'relevance', order: 'desc' });
    expect(read({}).query).toEqual({});
  });

  it('names the parameter it cannot read', () => {
    expect(refusal({ dateFrom: '2027-13-45T10:00:00' })).toBe('dateFrom');
    expect(refusal({ dateFrom: '2027-03-02', dateTo: '2027-03-01' })).toBe('dateTo');
    expect(refusal({ coordinates: '51,3' })).toBe('distance');
    expect(refusal({ distance: '5km' })).toBe('coordinates');
    expect(refusal({ coordinates: '51,3', distance: '5 parsecs' })).toBe('distance');
    expect(refusal({ bounds: '51,3' })).toBe('bounds');
    expect(refusal({ bounds: '52,3|51,4' })).toBe('bounds');
    expect(refusal({ postalCode: '90%' })).toBe('postalCode');
    expect(refusal({ organizerId: 'abc' })).toBe('organizerId');
    expect(refusal({ audienceType: 'kids' })).toBe('audienceType');
    expect(refusal({ maxAge: '-1' })).toBe('maxAge');
    expect(refusal({ price: 'gratis' })).toBe('price');
    expect(refusal({ free: 'yes' })).toBe('free');
    expect(refusal({ bookingAvailability: 'Maybe' })).toBe('bookingAvailability');
    expect(refusal({ minRemainingSeats: '2.5' })).toBe('minRemainingSeats');
    expect(refusal({ minRemainingSeats: '999999999999' })).toBe('minRemainingSeats');
    expect(refusal({ attendanceMode: 'hybrid' })).toBe('attendanceMode');
    expect(refusal({ languages: 'nld' })).toBe('languages');
    expect(refusal({ facets: 'prices' })).toBe('facets');
    expect(refusal({ 'sort[title]': 'asc' })).toBe('sort[title]');
    expect(refusal({ 'sort[start]': 'up' })).toBe('sort[start]');
    expect(refusal({ 'sort[start]': 'asc', 'sort[modified]': 'desc' })).toBe('sort');
    expect(refusal({ 'sort[score]': 'desc' })).toBe('sort[score]');
    expect(refusal({ text: ['a', 'b'] })).toBe('text');
    expect(refusal({ limit: '0' })).toBe('limit');
    expect(refusal({ q: 'labels:x' })).toBe('q');
  });

  it('prefixes GraphQL argument names', () => {
    expect(() => SearchParameterReader.read({ dateFrom: 'morgen' }, { prefix: 'filter.' })).toThrow(/^filter\.dateFrom: /);
  });
});

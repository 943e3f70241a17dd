import { describe, expect, it } from '@jest/globals';
import type { FetchedResponse } from '../connector.js';
import type { MappedActivity, MappedInvalid } from '../mapped-item.js';
import { isOsloJsonLd, mapRpdePage } from './rpde-mapper.js';

const context = { settings: { baseUrl: 'https://feed.example/rpde', options: {} }, now: new Date('2026-03-10T12:00:00Z') };
const page = (items: unknown[]): FetchedResponse[] => [
  { url: 'https://feed.example/rpde', contentType: 'application/json', body: Buffer.from(JSON.stringify({ next: 'https://feed.example/rpde?afterChangeNumber=9', items })) },
];
const event = (overrides: Record<string, unknown> = {}) => ({
  '@type': 'Event',
  name: 'Strijkkwartet',
  startDate: '2027-02-01T20:00:00+01:00',
  location: { identifier: 'bijloke', name: 'De Bijloke', address: { streetAddress: 'Jozef Kluyskensstraat 2', postalCode: '9000', addressLocality: 'Gent' } },
  ...overrides,
});

describe('RPDE mapping', () => {
  it('maps a schema.org Event: place with its address split, prices, status and seats', () => {
    const [item] = mapRpdePage(
      page([{ state: 'updated', kind: 'Event', id: 7, modified: 9, data: event({ eventStatus: 'https://schema.org/EventPostponed', maximumAttendeeCapacity: 100, remainingAttendeeCapacity: 50, offers: [{ price: 0 }, { price: '15.5', name: 'Basis' }] }) }]),
      context,
    ) as MappedActivity[];
    expect(item.externalId).toBe('7');
    expect(item.activity.place?.address).toEqual({ street: 'Jozef Kluyskensstraat', houseNumber: '2', postalCode: '9000', municipality: { nl: 'Gent' } });
    expect(item.activity.performances).toEqual([
      { externalId: '7', start: '2027-02-01T20:00:00+01:00', status: 'postponed', availability: { capacity: 100, remaining: 50, level: 'InStock', changedAt: '2026-03-10T12:00:00.000Z' } },
    ]);
    expect(item.activity.prices.map((price) => [price.category, price.amount])).toEqual([['free', 0], ['base', 15.5]]);
  });

  it('rejects what it cannot read with bilingual problems naming where, and never throws', () => {
    const items = mapRpdePage(
      page([
        { state: 'updated', id: 'a', modified: 1, data: event({ startDate: '2027-02-01T20:00:00' }) },
        { state: 'updated', id: 'b', modified: 2, data: event({ eventStatus: 'Bezig' }) },
        { state: 'updated', id: 'c', modified: 3, data: { '@type': 'Person', name: 'Iemand' } },
        { state: 'updated', id: 'd', modified: 4 },
        { state: 'gewijzigd', id: 'e', modified: 5, data: event() },
        { state: 'updated', modified: 6, data: event() },
      ]),
      context,
    ) as MappedInvalid[];
    expect(items.map((item) => [item.type, item.externalId, item.problems[0].path])).toEqual([
      ['invalid', 'a', '/data/startDate'],
      ['invalid', 'b', '/data/eventStatus'],
      ['invalid', 'c', '/items/2/data/@type'],
      ['invalid', 'd', '/items/3/data'],
      ['invalid', 'e', '/items/4/state'],
      ['invalid', null, '/items/5'],
    ]);
    expect(items[0].problems[0].message.nl).toContain('tijdzone');
    expect(items[0].problems[0].message.en).toContain('offset');
  });

  it('keeps the last item of an id on a page (a tombstone after an update wins)', () => {
    const items = mapRpdePage(page([{ state: 'updated', id: 'x', modified: 1, data: event() }, { state: 'deleted', id: 'x', modified: 2 }]), context);
    expect(items).toEqual([{ type: 'deletion', externalId: 'x' }]);
  });

  it('tells OSLO JSON-LD from OpenActive JSON-LD', () => {
    expect(isOsloJsonLd({ '@context': 'https://openactive.io/', '@type': 'ScheduledSession' })).toBe(false);
    expect(isOsloJsonLd({ '@context': 'https://w3id.org/cultuurdata-platform/ns/context.jsonld', '@type': 'Activiteit' })).toBe(true);
    expect(isOsloJsonLd({ '@type': 'Event' })).toBe(false);
  });
});

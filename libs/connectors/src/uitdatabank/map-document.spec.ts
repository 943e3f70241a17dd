import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import type { MappedActivity, MappedItem } from '../mapped-item.js';
import { PUSH_MAPPERS } from '../push-mappers.js';
import { mapUitdatabankDocument, splitStreetAddress, UITDATABANK_TERMS_BASE } from './map-document.js';

const CONTEXT = { sourceId: 'udb-test', now: new Date('2026-12-01T12:00:00Z') };
const REFERENCE = new URL('../../../../../shared/reference/uitdatabank/samples/', import.meta.url);

function json(url: URL): Record<string, unknown> {
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>;
}
/** The documents of a reference sample file (udb3-json-schemas *-with-read-example.json: `examples`). */
function referenceExamples(name: string): Array<Record<string, unknown>> {
  return json(new URL(name, REFERENCE)).examples as Array<Record<string, unknown>>;
}
function fixture(name: string): Record<string, unknown> {
  return json(new URL(`testing/${name}`, import.meta.url));
}
function only<T extends MappedItem['type']>(items: MappedItem[], type: T): Extract<MappedItem, { type: T }> {
  const matching = items.filter((item) => item.type === type);
  expect(matching).toHaveLength(1);
  return matching[0] as Extract<MappedItem, { type: T }>;
}
function activityOf(items: MappedItem[]): MappedActivity {
  return only(items, 'activity');
}
const term = (id: string, label: string) => ({ iri: `${UITDATABANK_TERMS_BASE}${id}`, label: { nl: label } });

describe('mapUitdatabankDocument: the reference samples of udb3-json-schemas', () => {
  const [complete, periodic, withTheme] = referenceExamples('event-with-read-example.json');

  it('maps the complete read example with every language, its embedded place and organizer', () => {
    const items = mapUitdatabankDocument(complete, CONTEXT);
    // One item per document: the embedded place and organizer travel inside the activity (one report line per pushed document).
    expect(items.map((item) => item.type)).toEqual(['activity']);
    const { activity, externalId, placeRef, organizerRef } = activityOf(items);
    expect(externalId).toBe('85b04295-479c-40f5-b3dd-469dfb4387b3');
    expect(placeRef).toBeUndefined();
    expect(organizerRef).toBeUndefined();
    expect(activity.title).toEqual({ nl: 'Nederlandse naam', fr: 'Nom français', de: 'Deutscher Name', en: 'English name' });
    expect(Object.keys(activity.description ?? {})).toEqual(['nl', 'fr', 'de', 'en']);
    expect(activity.type).toEqual(term('0.50.4.0.0', 'Concert'));
    expect(activity.calendarType).toBe('single');
    expect(activity.performances).toEqual([
      {
        externalId: '85b04295-479c-40f5-b3dd-469dfb4387b3:0',
        start: '2021-05-17T16:00:00+00:00',
        end: '2021-05-17T22:00:00+00:00',
        status: 'scheduled',
        availability: { level: 'InStock', changedAt: '2021-05-17T22:00:00+00:00' },
      },
    ]);
    expect(activity.place).toMatchObject({
      externalId: '85b04295-479c-40f5-b3dd-469dfb4387b3',
      name: { nl: 'Nederlandse naam', fr: 'Nom français', de: 'Deutscher Name', en: 'English name' },
      address: {
        street: 'Wetstraat',
        houseNumber: '1',
        postalCode: '1000',
        municipality: { nl: 'Brussel', fr: 'Bruxelles', de: 'Brüssel', en: 'Brussels' },
        country: 'BE',
      },
      geo: { latitude: 50.8816177, longitude: 4.7137986 },
      type: { iri: `${UITDATABANK_TERMS_BASE}OyaPaf64AEmEAYXHeLMAtA`, label: { nl: 'Zaal of expohal' } },
    });
    expect(activity.organizer).toEqual({
      externalId: '5cf42d51-3a4f-46f0-a8af-1cf672be8c84',
      name: { nl: 'Nederlandse tekst', fr: 'Texte français', de: 'Deutscher Text', en: 'English text' },
      email: 'info@publiq.be',
      phone: '+32/1234567890',
      url: 'https://www.publiq.be',
    });
    expect(activity.prices).toEqual([
      { category: 'base', name: { nl: 'Basistarief', fr: 'Tarif de base', en: 'Base tariff', de: 'Basisrate' }, amount: 10.5, currency: 'EUR' },
    ]);
    expect(activity.booking).toEqual({
      url: 'https://www.example.com',
      urlLabel: { nl: 'Nederlandse beschrijving', fr: 'Description français', de: 'Deutscher Beschreibung', en: 'English description' },
      email: 'info@example.com',
      phone: '016/112233',
      availableFrom: '2021-05-17T22:00:00+00:00',
      availableUntil: '2021-05-17T22:00:00+00:00',
    });
    expect(activity).toMatchObject({
      status: 'scheduled',
      audience: 'everyone',
      labels: ['label1'],
      hiddenLabels: ['label2'],
      typicalAgeRange: { min: 6, max: 12 },
      attendanceMode: 'mixed',
      onlineUrl: 'https://www.publiq.be/livestream',
      contactPoint: { phones: ['016/112233'], emails: ['info@example.com'], urls: ['https://www.example.com'] },
      sameAs: ['http://www.uitinvlaanderen.be/agenda/e/test-event/85b04295-479c-40f5-b3dd-469dfb4387b3'],
      mainLanguage: 'nl',
    });
    expect(activity.images).toEqual(['https://images-test.uitdatabank.be/85b04295-479c-40f5-b3dd-469dfb4387b3.png']);
    expect(activity.media).toEqual([
      {
        url: 'https://images-test.uitdatabank.be/85b04295-479c-40f5-b3dd-469dfb4387b3.png',
        identifier: '85b04295-479c-40f5-b3dd-469dfb4387b3',
        thumbnailUrl: 'https://images-test.uitdatabank.be/85b04295-479c-40f5-b3dd-469dfb4387b3.png',
        description: 'Een voorbeeld afbeelding',
        copyrightHolder: 'John doe',
        language: 'nl',
      },
    ]);
    // Nothing is dropped: production, birthdateRange, contributors, ... stay in the kept document.
    expect(activity.sourceDocument).toEqual({ format: 'uitdatabank-jsonld', document: complete });
  });

  it('maps the periodic example with opening hours and references to its place and organizer', () => {
    const mapped = activityOf(mapUitdatabankDocument(periodic, CONTEXT));
    expect(mapped.placeRef).toBe('85b04295-479c-40f5-b3dd-469dfb4387b3');
    expect(mapped.organizerRef).toBe('c76db023-ef6d-49d9-8d15-5ddc3e6eb0a9');
    expect(mapped.activity).toMatchObject({
      calendarType: 'periodic',
      performances: [],
      period: { start: '2026-01-01T00:00:00+01:00', end: '2026-12-31T23:59:59+01:00' },
      openingHours: [{ opens: '18:00', closes: '19:00', daysOfWeek: ['monday', 'wednesday', 'friday'] }],
      type: term('0.54.0.0.0', 'Yoga'),
    });
    // closed and adjusted days have no OSLO counterpart: kept in the source document
    expect(mapped.activity.sourceDocument?.document.openingHoursClosedDays).toEqual(periodic.openingHoursClosedDays);
  });

  it('maps a theme term and keeps the event type', () => {
    const { activity } = activityOf(mapUitdatabankDocument(withTheme, CONTEXT));
    expect(activity.type).toEqual(term('0.3.1.0.0', 'Lessenreeks'));
    expect(activity.theme).toEqual(term('0.52.0.0.0', 'Circus'));
  });

  it('maps the place read example to a place', () => {
    const [document] = referenceExamples('place-with-read-example.json');
    const place = only(mapUitdatabankDocument(document, CONTEXT), 'place');
    expect(place.externalId).toBe('85b04295-479c-40f5-b3dd-469dfb4387b3');
    expect(place.place).toEqual({
      externalId: '85b04295-479c-40f5-b3dd-469dfb4387b3',
      name: { nl: 'Nederlandse naam', fr: 'Nom français', de: 'Deutscher Name', en: 'English name' },
      address: {
        street: 'Wetstraat',
        houseNumber: '1',
        postalCode: '1000',
        municipality: { nl: 'Brussel', fr: 'Bruxelles', de: 'Brüssel', en: 'Brussels' },
        country: 'BE',
      },
      geo: { latitude: 50.8816177, longitude: 4.7137986 },
      type: term('0.14.0.0.0', 'Monument'),
    });
  });

  it('maps the organizer read example to an organizer', () => {
    const [document] = referenceExamples('organizer-with-read-example.json');
    expect(mapUitdatabankDocument(document, CONTEXT)).toEqual([
      {
        type: 'organizer',
        externalId: '5cf42d51-3a4f-46f0-a8af-1cf672be8c84',
        organizer: {
          externalId: '5cf42d51-3a4f-46f0-a8af-1cf672be8c84',
          name: { nl: 'Nederlandse tekst', fr: 'Texte français', de: 'Deutscher Text', en: 'English text' },
          email: 'info@publiq.be',
          phone: '+32/1234567890',
          url: 'https://www.publiq.be',
        },
      },
    ]);
  });
});

describe('mapUitdatabankDocument: calendar types', () => {
  it('single: one performance with capacity and remaining capacity, facilities, tariffs and UiTPAS prices', () => {
    const { activity } = activityOf(mapUitdatabankDocument(fixture('single-calendar-with-capacity.json'), CONTEXT));
    expect(activity.performances).toEqual([
      {
        externalId: '0b8ac2a1-6f86-4a3a-9f57-1c0a2f6b1e01:0',
        start: '2027-02-01T20:00:00+01:00',
        end: '2027-02-01T22:00:00+01:00',
        status: 'scheduled',
        // 25 of 300 is under the 10% threshold: last tickets
        availability: { capacity: 300, remaining: 25, level: 'LimitedAvailability', changedAt: '2026-11-20T14:03:11+00:00' },
      },
    ]);
    expect(activity.facilities).toEqual([term('3.23.2.0.0', 'Rolstoeltoegankelijk'), term('3.13.2.0.0', 'Audiodescriptie')]);
    expect(activity.theme).toEqual(term('1.8.1.0.0', 'Klassieke muziek'));
    expect(activity.prices.map((price) => [price.category, price.amount])).toEqual([
      ['base', 22],
      ['tariff', 15.5],
      ['social', 4.4],
    ]);
    expect(activity.typicalAgeRange).toEqual({ min: 12 });
    expect(activity.attendanceMode).toBe('offline');
    expect(activity.place?.address).toEqual({
      street: 'Jozef Kluyskensstraat',
      houseNumber: '2',
      postalCode: '9000',
      municipality: { nl: 'Gent' },
      country: 'BE',
    });
  });

  it('multiple: one performance per subEvent with its status and bookingAvailability', () => {
    const mapped = activityOf(mapUitdatabankDocument(fixture('multiple-calendar-with-sub-event-capacity.json'), CONTEXT));
    const changedAt = '2026-12-02T08:00:00+00:00';
    expect(mapped.activity.performances).toEqual([
      {
        externalId: '7e4b9f2c-1a3d-4e5f-8b6a-9c0d1e2f3a11:0',
        start: '2027-03-03T14:00:00+01:00',
        end: '2027-03-03T16:00:00+01:00',
        status: 'scheduled',
        availability: { capacity: 100, remaining: 50, level: 'InStock', changedAt },
      },
      {
        externalId: '7e4b9f2c-1a3d-4e5f-8b6a-9c0d1e2f3a11:1',
        start: '2027-03-10T14:00:00+01:00',
        end: '2027-03-10T16:00:00+01:00',
        status: 'cancelled',
        availability: { capacity: 200, remaining: 0, level: 'OutOfStock', changedAt },
      },
      {
        externalId: '7e4b9f2c-1a3d-4e5f-8b6a-9c0d1e2f3a11:2',
        start: '2027-03-17T14:00:00+01:00',
        end: '2027-03-17T16:00:00+01:00',
        status: 'postponed',
        availability: { level: 'InStock', changedAt },
      },
    ]);
    // a free base price has no name in UiTdatabank's output: the default name is filled in
    expect(mapped.activity.prices).toEqual([
      { category: 'base', name: { nl: 'Basistarief', fr: 'Tarif de base', en: 'Base tariff', de: 'Basisrate' }, amount: 0, currency: 'EUR' },
    ]);
    expect(mapped.placeRef).toBe('5a2f1d0c-3c7e-4c8e-9d55-7f7b2a1e9c02');
    expect(mapped.activity.place).toBeUndefined();
    expect(mapped.organizerRef).toBe('9c1d7e44-2b8f-4f0e-8a61-3d2e5f6a7b03');
  });

  it('periodic: the period, opening hours (H:MM normalised) and the status of the whole activity', () => {
    const { activity } = activityOf(mapUitdatabankDocument(fixture('periodic-calendar-with-opening-hours.json'), CONTEXT));
    expect(activity).toMatchObject({
      calendarType: 'periodic',
      performances: [],
      period: { start: '2027-04-01T00:00:00+02:00', end: '2027-09-30T23:59:59+02:00' },
      status: 'postponed',
      audience: 'education',
      openingHours: [
        { opens: '10:00', closes: '18:00', daysOfWeek: ['tuesday', 'wednesday', 'thursday', 'friday'] },
        { opens: '09:30', closes: '17:00', daysOfWeek: ['saturday', 'sunday'] },
      ],
    });
    expect(Object.keys(activity.title)).toEqual(['nl', 'fr', 'en', 'de']);
  });

  it('permanent: no period, opening hours, mixed attendance with its online URL, videos', () => {
    const { activity } = activityOf(mapUitdatabankDocument(fixture('permanent-calendar-online.json'), CONTEXT));
    expect(activity.calendarType).toBe('permanent');
    expect(activity.period).toBeUndefined();
    expect(activity.performances).toEqual([]);
    expect(activity.openingHours?.[0].daysOfWeek).toHaveLength(7);
    expect(activity).toMatchObject({ attendanceMode: 'mixed', onlineUrl: 'https://www.publiq.be/livestream' });
    expect(activity.videos).toEqual([
      {
        url: 'https://www.youtube.com/watch?v=cEItmb_a20D',
        identifier: 'b504cf44-9ab8-4641-9934-38d1cc67242c',
        embedUrl: 'https://www.youtube.com/embed/cEItmb_a20D',
        copyrightHolder: 'publiq',
        language: 'nl',
      },
    ]);
  });
});

describe('mapUitdatabankDocument: deletions and bad records', () => {
  it('a DELETED event is a deletion of the activity', () => {
    expect(mapUitdatabankDocument(fixture('deleted-event.json'), CONTEXT)).toEqual([
      { type: 'deletion', externalId: 'd3e5f7a9-1b2c-4d3e-8f4a-5b6c7d8e9f41', entity: 'activity' },
    ]);
  });

  it('a REJECTED place or organizer is a deletion of that entity', () => {
    const [place] = referenceExamples('place-with-read-example.json');
    const [organizer] = referenceExamples('organizer-with-read-example.json');
    expect(mapUitdatabankDocument({ ...place, workflowStatus: 'REJECTED' }, CONTEXT)).toEqual([
      { type: 'deletion', externalId: '85b04295-479c-40f5-b3dd-469dfb4387b3', entity: 'place' },
    ]);
    expect(mapUitdatabankDocument({ ...organizer, workflowStatus: 'DELETED' }, CONTEXT)).toEqual([
      { type: 'deletion', externalId: '5cf42d51-3a4f-46f0-a8af-1cf672be8c84', entity: 'organizer' },
    ]);
  });

  it('a broken record is one invalid item naming every problem by JSON pointer, in Dutch and English', () => {
    const items = mapUitdatabankDocument(fixture('broken-event.json'), CONTEXT);
    const invalid = only(items, 'invalid');
    expect(items).toHaveLength(1);
    expect(invalid.externalId).toBe('e4f6a8b0-2c3d-4e5f-9a6b-7c8d9e0f1a51');
    expect(invalid.problems.map((problem) => problem.path).sort()).toEqual(
      ['/name', '/priceInfo/0/category', '/subEvent/0/startDate', '/subEvent/1/startDate', '/subEvent/2/endDate'].sort(),
    );
    for (const problem of invalid.problems) {
      expect(problem.severity).toBe('Violation');
      expect(problem.message.nl).not.toEqual(problem.message.en);
      expect(problem.message.nl.length).toBeGreaterThan(10);
    }
    const startProblem = invalid.problems.find((problem) => problem.path === '/subEvent/1/startDate');
    expect(startProblem?.message.en).toContain('2027-03-05T20:00:00');
    expect(startProblem?.message.en).toContain('offset');
  });

  it('an unknown calendarType or none at all is invalid', () => {
    const base = fixture('deleted-event.json');
    const noCalendar = { ...base, workflowStatus: 'APPROVED', calendarType: undefined };
    const unknown = { ...base, workflowStatus: 'APPROVED', calendarType: 'sometimes' };
    expect(only(mapUitdatabankDocument(noCalendar, CONTEXT), 'invalid').problems[0].path).toBe('/calendarType');
    expect(only(mapUitdatabankDocument(unknown, CONTEXT), 'invalid').problems[0].message.en).toContain('"sometimes"');
  });

  it('remainingCapacity above capacity is invalid', () => {
    const document = fixture('single-calendar-with-capacity.json');
    const subEvents = document.subEvent as Array<Record<string, unknown>>;
    subEvents[0].bookingAvailability = { type: 'Available', capacity: 10, remainingCapacity: 11 };
    const invalid = only(mapUitdatabankDocument(document, CONTEXT), 'invalid');
    expect(invalid.problems.map((problem) => problem.path)).toEqual(['/subEvent/0/bookingAvailability/remainingCapacity']);
  });

  it('never throws: anything that is not a UiTdatabank document becomes an invalid item', () => {
    const garbage: unknown[] = [null, 42, 'event', [], {}, { '@id': 'https://io.uitdatabank.be/things/1' }];
    for (const value of garbage) {
      const items = mapUitdatabankDocument(value, CONTEXT);
      expect(items).toHaveLength(1);
      expect(items[0].type).toBe('invalid');
    }
    const weird = {
      '@id': 'https://io.uitdatabank.be/events/f0000000-0000-4000-8000-000000000001',
      name: 5,
      calendarType: 'single',
      subEvent: [7, { startDate: 3 }],
      location: 'here',
      terms: 'concert',
      priceInfo: { base: 1 },
      openingHours: [{ opens: '25:00', closes: '10:00', dayOfWeek: ['someday'] }],
      labels: [1, 2],
      typicalAgeRange: '12-6',
      audience: { audienceType: 'aliens' },
    };
    const invalid = only(mapUitdatabankDocument(weird, CONTEXT), 'invalid');
    expect(invalid.problems.map((problem) => problem.path)).toEqual(
      expect.arrayContaining(['/name', '/subEvent/0', '/subEvent/1/startDate', '/location', '/terms', '/priceInfo', '/openingHours/0/opens']),
    );
  });
});

describe('PUSH_MAPPERS.uitdatabank', () => {
  const push = PUSH_MAPPERS.uitdatabank!;
  const single = fixture('single-calendar-with-capacity.json');
  const broken = fixture('broken-event.json');

  it('takes one document, an array, or {items: [...]}', () => {
    expect(push(single, CONTEXT).map((item) => item.type)).toEqual(['activity']);
    expect(push([single, fixture('deleted-event.json')], CONTEXT).map((item) => item.type)).toEqual(['activity', 'deletion']);
    expect(push({ items: [fixture('permanent-calendar-online.json')] }, CONTEXT).map((item) => item.type)).toEqual(['activity']);
  });

  it('points problems at the document inside the pushed body', () => {
    const [fromArray] = push([broken], CONTEXT);
    const [fromItems] = push({ items: [single, broken] }, CONTEXT).filter((item) => item.type === 'invalid');
    expect(fromArray.type === 'invalid' && fromArray.problems.map((problem) => problem.path)).toContain('/0/name');
    expect(fromItems.type === 'invalid' && fromItems.problems.map((problem) => problem.path)).toContain('/items/1/name');
  });

  it('rejects a body that is no document at all', () => {
    const [item] = push('hello', CONTEXT);
    expect(item.type).toBe('invalid');
  });
});

describe('splitStreetAddress', () => {
  it.each([
    ['Wetstraat 1', { street: 'Wetstraat', houseNumber: '1' }],
    ['Kerkstraat 12A bus 3', { street: 'Kerkstraat', houseNumber: '12A', box: '3' }],
    ['Rue de la Loi 16', { street: 'Rue de la Loi', houseNumber: '16' }],
    ['Grote Markt', { street: 'Grote Markt' }],
    ['Straat van 1830 5', { street: 'Straat van 1830', houseNumber: '5' }],
  ])('%s', (input, expected) => {
    expect(splitStreetAddress(input)).toEqual(expected);
  });
});


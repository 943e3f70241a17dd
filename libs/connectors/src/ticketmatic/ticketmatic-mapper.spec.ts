import { describe, expect, it } from '@jest/globals';
import type { MappedItem } from '../mapped-item.js';
import { recorded } from './testing/ticketmatic-fixture-api.js';
import { eventSeats, mapChangedEvent, type EventListPage } from './ticketmatic-mapper.js';
import { checkTicketmaticSettings, readTicketmaticOptions } from './ticketmatic-options.js';
import type { TicketmaticEvent } from './raw-types.js';
import { canonicalTimestamp, isoFromTimestamp } from './timestamps.js';

const NOW = new Date('2026-11-20T10:00:00Z');
const events = recorded.events();
const lookup: EventListPage = {
  events,
  locations: Object.fromEntries(recorded.locations().map((location) => [String(location.id), location])),
  priceTypes: Object.fromEntries(recorded.priceTypes().map((priceType) => [String(priceType.id), priceType])),
};
const options = (extra: Record<string, unknown> = {}) => readTicketmaticOptions({ baseUrl: 'https://apps.ticketmatic.com', options: { accountName: 'cultuurhuis', ...extra } });
const event = (id: number, change: Partial<TicketmaticEvent> = {}): TicketmaticEvent => ({ ...structuredClone(events.find((candidate) => candidate.id === id) as TicketmaticEvent), ...change });
const activityOf = (items: MappedItem[]) => {
  const [item] = items;
  if (item?.type !== 'activity') throw new Error(`expected an activity, got ${JSON.stringify(item)}`);
  return item.activity;
};

describe('ticketmatic mapper', () => {
  it('reads translations of mlstring fields from `translations` next to the base language', () => {
    const activity = activityOf(mapChangedEvent(event(1001), lookup, options(), NOW));
    expect(activity.title).toEqual({ nl: 'Strijkkwartet Danel', en: 'Danel String Quartet', fr: 'Quatuor Danel' });
    expect(activity.description).toEqual({ nl: 'Het Quatuor Danel speelt de strijkkwartetten 7 tot 9.', en: 'The Quatuor Danel plays string quartets 7 to 9.' });
    expect(activityOf(mapChangedEvent(event(1001), lookup, options({ language: 'fr' }), NOW)).title).toEqual({ fr: 'Quatuor Danel', en: 'Danel String Quartet' });
  });

  it('maps price types to categories, leaves subscriptions out and takes the lowest or the configured channel', () => {
    const all = activityOf(mapChangedEvent(event(1001), lookup, options({ socialPriceTypes: [3] }), NOW)).prices;
    expect(all.map((price) => [price.name.nl, price.category, price.amount])).toEqual([
      ['Normaal', 'base', 24],
      ['-26 jaar', 'tariff', 12],
      ['UiTPAS kansentarief', 'social', 6],
      ['Genodigde', 'free', 0],
    ]);
    const boxOffice = activityOf(mapChangedEvent(event(1001), lookup, options({ salesChannelId: 2 }), NOW)).prices;
    expect(boxOffice.map((price) => [price.name.nl, price.amount])).toEqual([['Normaal', 26], ['Genodigde', 0]]);
    const ticketsOnly = activityOf(mapChangedEvent(event(1001), lookup, options({ contingents: [2001] }), NOW)).prices;
    expect(ticketsOnly.map((price) => price.name.nl)).not.toContain('Genodigde');
  });

  it('sums seats over the contingents that count, by id or by name', () => {
    expect(eventSeats(event(1001), options())).toEqual({ capacity: 320, remaining: 140, stamp: '2026-11-20 09:12:40.118204' });
    expect(eventSeats(event(1001), options({ contingents: ['tickets'] }))).toMatchObject({ capacity: 300, remaining: 120 });
    expect(eventSeats(event(1001), options({ contingents: [2002] }))).toEqual({ capacity: 20, remaining: 20, stamp: '2026-09-01 08:00:00.000000' });
    expect(eventSeats(event(1001, { availability: [] }), options())).toBeNull();
  });

  it('splits "Nr. + Box" and keeps the geo point of the location', () => {
    const place = activityOf(mapChangedEvent(event(1002), lookup, options(), NOW)).place;
    expect(place).toEqual({
      externalId: '12',
      name: { nl: 'Vooruit' },
      address: { street: 'Sint-Pietersnieuwstraat', houseNumber: '23', box: '1', postalCode: '9000', municipality: { nl: 'Gent' }, country: 'BE' },
      geo: { latitude: 51.0478, longitude: 3.7276 },
    });
  });

  it('rejects an event whose location has no address, unless options.locations gives one', () => {
    const [invalid] = mapChangedEvent(event(1003), lookup, options(), NOW);
    expect(invalid).toMatchObject({ type: 'invalid', externalId: '1003', problems: [{ path: '/locationid', severity: 'Violation' }] });
    const configured = activityOf(mapChangedEvent(event(1003), lookup, options({ locations: { '13': { street: 'Kouter', houseNumber: '29', postalCode: '9000', municipality: 'Gent' } } }), NOW));
    expect(configured.place).toEqual({ externalId: '13', name: { nl: 'Kelder Handelsbeurs' }, address: { street: 'Kouter', houseNumber: '29', postalCode: '9000', municipality: { nl: 'Gent' }, country: 'BE' } });
  });

  it('names every problem of a record in Dutch and English instead of throwing', () => {
    const [invalid] = mapChangedEvent(event(1001, { name: '', translations: {}, startts: 'volgende week', locationid: 0 }), lookup, options(), NOW);
    expect(invalid.type === 'invalid' && invalid.problems.map((problem) => problem.path)).toEqual(['/name', '/startts', '/locationid']);
    expect(invalid.type === 'invalid' && invalid.problems[1].message).toEqual({
      nl: 'Evenement 1001 heeft geen geldig begintijdstip (startts: "volgende week").',
      en: 'Event 1001 has no valid start time (startts: "volgende week").',
    });
    expect(mapChangedEvent(event(1001, { id: 'x' as unknown as number }), lookup, options(), NOW)[0]).toMatchObject({ type: 'invalid', externalId: null, problems: [{ path: '/id' }] });
  });

  it('marks tagged events cancelled or postponed, and a redrafted event is a deletion', () => {
    expect(activityOf(mapChangedEvent(event(1002, { tags: ['Geannuleerd'] }), lookup, options(), NOW)).performances[0].status).toBe('cancelled');
    expect(activityOf(mapChangedEvent(event(1002, { tags: ['uitgesteld'] }), lookup, options(), NOW)).performances[0].status).toBe('postponed');
    expect(activityOf(mapChangedEvent(event(1002, { tags: ['afgelast'] }), lookup, options({ cancelledTags: ['schrapping'] }), NOW)).performances[0].status).toBe('scheduled');
    expect(mapChangedEvent(event(1002, { currentstatus: 19001 }), lookup, options(), NOW)).toEqual([{ type: 'deletion', externalId: '1002', entity: 'activity' }]);
  });

  it('declares a link for reconciliation from the externalcode when the source says what it is the id of', () => {
    const coded = event(1002, { externalcode: ' 7e4b9f2c-1a3d-4e5f-8b6a-9c0d1e2f3a11 ' });
    expect(activityOf(mapChangedEvent(coded, lookup, options(), NOW)).links).toBeUndefined();
    expect(activityOf(mapChangedEvent(coded, lookup, options({ externalCodeLinksTo: { sourceKind: 'uitdatabank' } }), NOW)).links).toEqual([
      { sourceKind: 'uitdatabank', externalId: '7e4b9f2c-1a3d-4e5f-8b6a-9c0d1e2f3a11' },
    ]);
    expect(activityOf(mapChangedEvent(event(1002, { externalcode: '' }), lookup, options({ externalCodeLinksTo: { sourceKind: 'uitdatabank' } }), NOW)).links).toBeUndefined();
    const problems = checkTicketmaticSettings({ baseUrl: 'https://apps.ticketmatic.com', options: { accountName: 'cultuurhuis', externalCodeLinksTo: 'uitdatabank' } }, { accessKey: 'a', secretKey: 'b' });
    expect(problems.map((problem) => problem.path)).toEqual(['/options/externalCodeLinksTo']);
  });

  it('gives the same activity when the same record is mapped again later (seat stamp, not the clock)', () => {
    const first = mapChangedEvent(event(1002), lookup, options(), NOW);
    const later = mapChangedEvent(event(1002), lookup, options(), new Date('2027-01-01T00:00:00Z'));
    expect(later).toEqual(first);
    expect(activityOf(first).performances[0].availability).toEqual({ capacity: 450, remaining: 12, level: 'LimitedAvailability', changedAt: '2026-11-19T21:40:02.770Z' });
  });

  it('compares Ticketmatic timestamps to the microsecond', () => {
    expect(canonicalTimestamp('2015-05-29 09:21:10.38252')).toBe('2015-05-29 09:21:10.382520');
    expect(canonicalTimestamp('2015-05-29T09:21:10')).toBe('2015-05-29 09:21:10.000000');
    expect(canonicalTimestamp('2022-09-26T09:00:00+0200')).toBe('2022-09-26 07:00:00.000000');
    expect(canonicalTimestamp('2015-13-40 09:21:10')).toBeNull();
    expect(canonicalTimestamp('')).toBeNull();
    expect((canonicalTimestamp('2026-11-20 09:30:12.1') as string) < (canonicalTimestamp('2026-11-20 09:30:12.345678') as string)).toBe(true);
    expect(isoFromTimestamp('2027-02-01 19:00:00.000000')).toBe('2027-02-01T19:00:00Z');
  });
});

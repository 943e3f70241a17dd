import { describe, expect, it } from '@jest/globals';
import type { FetchedResponse } from '../connector.js';
import type { MappedActivity, MappedInvalid } from '../mapped-item.js';
import type { YesplanCustomData, YesplanEvent } from './raw-types.js';
import { recorded } from './testing/yesplan-fixtures.js';
import { mapEvent, readPageDocuments } from './yesplan-mapper.js';
import { checkYesplanSettings, readYesplanOptions } from './yesplan-options.js';
import { yesplanConnector, type YesplanCursor } from './yesplan.connector.js';

const ADDRESS = { postalCode: '9000', municipality: { nl: 'Gent' } };
const options = (overrides: Record<string, unknown> = {}) =>
  readYesplanOptions({ options: { capacityKeywords: ['cap'], remainingKeywords: ['free'], locations: { 'loc-1': { address: ADDRESS } }, ...overrides } }).options;

function event(overrides: Partial<YesplanEvent> = {}): YesplanEvent {
  return {
    id: 'ev-1',
    name: 'Hamlet',
    starttime: '2027-02-01T14:00:00+01:00',
    endtime: '2027-02-01T23:00:00+01:00',
    status: { id: 'st-1', name: 'Bevestigd', _type: 'eventstatus' },
    profile: { id: 'pr-1', name: 'Voorstelling', _type: 'eventprofile' },
    locations: [{ id: 'loc-1', name: 'Grote zaal', _type: 'location' }],
    _type: 'event',
    ...overrides,
  };
}

const seats = (fields: Record<string, unknown>): YesplanCustomData => ({
  groups: [{ keyword: 'ticketing', children: [{ keyword: 'ticketing_zaal', children: Object.entries(fields).map(([keyword, value]) => ({ keyword, value })) }] }],
});

const documents = (customData: Record<string, YesplanCustomData> = {}) => ({ locations: new Map(), customData: new Map(Object.entries(customData)) });

describe('yesplan mapping', () => {
  it('maps an event to an activity with one performance; planning times when there is no default schedule', () => {
    const [item] = mapEvent(event(), documents(), options()) as MappedActivity[];
    expect(item.activity).toEqual({
      externalId: 'ev-1',
      title: { nl: 'Hamlet' },
      place: { externalId: 'loc-1', name: { nl: 'Grote zaal' }, address: ADDRESS },
      performances: [{ externalId: 'ev-1', start: '2027-02-01T14:00:00+01:00', end: '2027-02-01T23:00:00+01:00', status: 'scheduled' }],
      prices: [],
    });
  });

  it('prefers the default schedule (the public time) unless told otherwise, and names in the title language', () => {
    const scheduled = event({ defaultschedulestart: '2027-02-01T20:00:00+01:00', defaultscheduleend: null });
    const [item] = mapEvent(scheduled, documents(), options({ titleLanguage: 'fr' })) as MappedActivity[];
    expect(item.activity.performances[0]).toEqual({ externalId: 'ev-1', start: '2027-02-01T20:00:00+01:00', status: 'scheduled' });
    expect(item.activity.title).toEqual({ fr: 'Hamlet' });
    const [planning] = mapEvent(scheduled, documents(), options({ useDefaultSchedule: false })) as MappedActivity[];
    expect(planning.activity.performances[0].start).toBe('2027-02-01T14:00:00+01:00');
  });

  it('maps configured statuses to cancelled and postponed, by name or id, whatever the case', () => {
    const status = (name: string, id = 'x') => (mapEvent(event({ status: { id, name } }), documents(), options({ postponedStatuses: ['Verplaatst'] }))[0] as MappedActivity).activity.performances[0].status;
    expect(status('GEANNULEERD')).toBe('cancelled');
    expect(status('verplaatst')).toBe('postponed');
    expect(status('Optie')).toBe('scheduled');
    expect((mapEvent(event({ status: { id: 'st-9', name: 'Schrapping' } }), documents(), options({ cancelledStatuses: ['st-9'] }))[0] as MappedActivity).activity.performances[0].status).toBe(
      'cancelled',
    );
  });

  it('withdraws events whose status or profile is not published, but keeps cancelled ones', () => {
    const published = options({ includeStatuses: ['Bevestigd'], includeProfiles: ['Voorstelling'] });
    expect(mapEvent(event({ status: { name: 'Optie' } }), documents(), published)).toEqual([{ type: 'deletion', externalId: 'ev-1', entity: 'activity' }]);
    expect(mapEvent(event({ profile: { name: 'Repetitie' } }), documents(), published)).toEqual([{ type: 'deletion', externalId: 'ev-1', entity: 'activity' }]);
    expect(mapEvent(event({ status: { name: 'Geannuleerd' } }), documents(), published)[0].type).toBe('activity');
  });

  it('declares a link for reconciliation from the configured custom-data keyword', () => {
    const linked = options({ linkKeyword: 'uitdatabank_id', linkTo: { sourceKind: 'uitdatabank' } });
    const [item] = mapEvent(event(), documents({ 'ev-1': seats({ cap: 500, uitdatabank_id: ' 7e4b9f2c-1a3d-4e5f-8b6a-9c0d1e2f3a11 ' }) }), linked) as MappedActivity[];
    expect(item.activity.links).toEqual([{ sourceKind: 'uitdatabank', externalId: '7e4b9f2c-1a3d-4e5f-8b6a-9c0d1e2f3a11' }]);
    const [unlinked] = mapEvent(event(), documents({ 'ev-1': seats({ cap: 500 }) }), linked) as MappedActivity[];
    expect(unlinked.activity.links).toBeUndefined();
    const { problems } = readYesplanOptions({ options: { linkKeyword: 'uitdatabank_id' } });
    expect(problems.map((problem) => problem.path)).toContain('options.linkKeyword');
  });

  it('takes seat counts from the first configured keyword with a value, numbers as text included', () => {
    const configured = options({ capacityKeywords: ['cap_zaal', 'cap'] });
    expect(mapEvent(event(), documents({ 'ev-1': seats({ cap_zaal: null, cap: '1 200', free: 7 }) }), configured)[1]).toEqual({
      type: 'availability',
      performanceId: 'ev-1',
      capacity: 1200,
      remaining: 7,
    });
    expect(mapEvent(event(), documents({ 'ev-1': seats({ cap_zaal: 300, cap: 900 }) }), configured)[1]).toEqual({ type: 'availability', performanceId: 'ev-1', capacity: 300 });
    expect(mapEvent(event(), documents({ 'ev-1': seats({ cap: '' }) }), configured)).toHaveLength(1);
  });

  it('rejects seat counts that are not counts, or more remaining than capacity, naming the keyword', () => {
    const [wrong] = mapEvent(event(), documents({ 'ev-1': seats({ cap: 'veel' }) }), options()) as MappedInvalid[];
    expect(wrong).toMatchObject({ type: 'invalid', externalId: 'ev-1' });
    expect(wrong.problems[0]).toMatchObject({ path: '/customdata/cap', message: { nl: expect.stringContaining('"veel"'), en: expect.stringContaining('not a number of seats') } });
    const [over] = mapEvent(event(), documents({ 'ev-1': seats({ cap: 100, free: 101 }) }), options()) as MappedInvalid[];
    expect(over.problems[0].message.en).toContain('101 remaining seats (free) is more than the capacity 100 (cap)');
  });

  it('turns unmappable events into invalid items with bilingual problems, never exceptions', () => {
    const problemsOf = (record: YesplanEvent) => (mapEvent(record, documents(), options())[0] as MappedInvalid).problems.map((problem) => problem.path);
    expect(problemsOf(event({ id: undefined, name: '' }))).toEqual(['/id', '/name']);
    expect(problemsOf(event({ starttime: '01-02-2027 20:00' }))).toEqual(['/starttime']);
    expect(problemsOf(event({ endtime: '2027-02-01T10:00:00+01:00' }))).toEqual(['/endtime']);
    expect(problemsOf(event({ locations: [] }))).toEqual(['/locations']);
    expect(problemsOf(event({ locations: [{ id: 'loc-2', name: 'Studio' }] }))).toEqual(['/locations/0']);
    const [unknown] = mapEvent(event({ locations: [{ id: 'loc-2', name: 'Studio' }] }), documents(), options()) as MappedInvalid[];
    expect(unknown.problems[0].message.nl).toContain('options.locations.loc-2.address');
    // A house with one building gives one address for every room.
    expect(mapEvent(event({ locations: [{ id: 'loc-2', name: 'Studio' }] }), documents(), options({ defaultAddress: ADDRESS }))[0].type).toBe('activity');
  });

  it('maps a page from its archived responses, and the deletions the step confirmed from its cursor', () => {
    const response = (path: string, url: string): FetchedResponse => ({ url, contentType: 'application/json', body: recorded(path) });
    const cursor = { ...yesplanConnector.initialCursor({ baseUrl: '', options: {} }, new Date()), deleted: ['ev-gone'] } satisfies YesplanCursor;
    const page = {
      cursor,
      done: true,
      responses: [
        response('pass-1/events-page-2.json', 'https://demo.yesplan.be/api/events/event%3Adate%3Ax?book=4711&page=2'),
        response('location/300-1700000002.json', 'https://demo.yesplan.be/api/location/300-1700000002'),
        { url: 'https://demo.yesplan.be/api/location/300-1700000003', contentType: 'text/html', body: Buffer.from('<html>') },
      ],
    };
    const settings = { baseUrl: 'https://demo.yesplan.be', options: { locations: { '300-1700000002': { address: ADDRESS } } } };
    const items = yesplanConnector.mapPage(page, { sourceId: 's', settings, now: new Date() });
    expect(items.map((item) => item.type)).toEqual(['invalid', 'activity', 'invalid', 'activity', 'deletion']);
    expect(items[0]).toMatchObject({ externalId: null, problems: [{ message: { en: expect.stringContaining('/api/location/300-1700000003 is not JSON') } }] });
    expect(items[4]).toEqual({ type: 'deletion', externalId: 'ev-gone', entity: 'activity' });
    expect(readPageDocuments(page.responses).locations.get('300-1700000002')?.name).toBe('Foyer');
  });
});

describe('yesplan settings', () => {
  it('accepts a complete source and names every wrong setting in Dutch and English', () => {
    const good = { baseUrl: 'https://theater.yesplan.be', options: { capacityKeywords: 'cap', locations: { a: { address: ADDRESS } } } };
    expect(checkYesplanSettings(good, { apiKey: 'k3y-k3y-k3y' })).toEqual([]);
    const problems = checkYesplanSettings(
      { baseUrl: 'http://theater.yesplan.be', options: { daysAhead: 0, pageSize: 500, titleLanguage: 'xx', remainingKeywords: ['free'], locations: { a: { address: { street: 'x' } } }, dateQuery: 'date:{from}' } },
      {},
    );
    expect(problems.map((problem) => problem.path)).toEqual([
      'baseUrl',
      'credentials.apiKey',
      'options.daysAhead',
      'options.pageSize',
      'options.dateQuery',
      'options.locations.a.address',
      'options.titleLanguage',
      'options.remainingKeywords',
    ]);
    expect(problems.every((problem) => problem.nl !== problem.en && problem.nl.length > 0)).toBe(true);
    expect(checkYesplanSettings({ baseUrl: 'http://127.0.0.1:8080', options: {} }, { apiKey: 'k3y-k3y' })).toEqual([]);
  });
});

import { describe, expect, it } from '@jest/globals';
import type { Activity } from './activity.js';
import { DEFAULT_PRECEDENCE, mergeCluster, parsePrecedence, type ClusterMember } from './reconciliation.js';

const place = { externalId: 'v', name: { nl: 'Vooruit' }, address: { postalCode: '9000', municipality: { nl: 'Gent' } } };

function member(kind: string, overrides: Partial<Activity>, performances: ClusterMember['performances'], createdAt: string): ClusterMember {
  return {
    activityId: `${kind}-id`,
    sourceId: `${kind}-source`,
    sourceKind: kind,
    createdAt,
    activity: { externalId: `${kind}-ext`, title: { nl: `${kind} title` }, place, performances: [], prices: [], ...overrides },
    performances,
  };
}

const ticketing = member(
  'ticketmatic',
  { title: { nl: 'Dez Mona - Tour' }, prices: [{ category: 'base', name: { nl: 'Basis' }, amount: 25, currency: 'EUR' }] },
  [{ id: 'tm-p', externalId: '1', start: '2027-03-01T19:00:00.000Z', status: 'scheduled', availability: { capacity: 800, remaining: 37, level: 'InStock', changedAt: '2027-01-01T00:00:00Z' } }],
  '2026-12-01T10:00:00Z',
);
const planning = member(
  'yesplan',
  {},
  [
    { id: 'yp-p', externalId: 'y1', start: '2027-03-01T19:15:00.000Z', end: '2027-03-01T21:00:00.000Z', status: 'scheduled', availability: { capacity: 820, remaining: null, level: 'InStock', changedAt: '2027-01-01T00:00:00Z' } },
    { id: 'yp-extra', externalId: 'y2', start: '2027-03-02T19:00:00.000Z', status: 'scheduled' },
  ],
  '2026-12-02T10:00:00Z',
);
const calendar = member(
  'uitdatabank',
  { title: { nl: 'Dez Mona' }, description: { nl: 'Een lange beschrijving.' }, images: ['https://img.example/dez.jpg'] },
  [{ id: 'udb-p', externalId: 'u1', start: '2027-03-01T19:00:00.000Z', status: 'scheduled' }],
  '2026-12-03T10:00:00Z',
);

describe('mergeCluster', () => {
  const merged = mergeCluster([calendar, planning, ticketing], DEFAULT_PRECEDENCE, 30);

  it('keeps the oldest record as the identity and takes each field from the source that knows it best', () => {
    expect(merged.root).toBe(ticketing);
    expect(merged.activity.externalId).toBe('ticketmatic-ext');
    expect(merged.activity.title).toEqual({ nl: 'Dez Mona' });
    expect(merged.activity.description).toEqual({ nl: 'Een lange beschrijving.' });
    expect(merged.activity.images).toEqual(['https://img.example/dez.jpg']);
    expect(merged.activity.prices[0].amount).toBe(25);
    expect(merged.provenance).toEqual(
      expect.arrayContaining([
        { field: 'title', sourceId: 'uitdatabank-source', activityId: 'uitdatabank-id' },
        { field: 'prices', sourceId: 'ticketmatic-source', activityId: 'ticketmatic-id' },
      ]),
    );
  });

  it('aligns performances by start time: schedule from planning, seats from ticketing, one per source', () => {
    expect(merged.performances).toHaveLength(2);
    const [first, second] = merged.performances;
    expect(first).toMatchObject({ id: 'tm-p', sourceId: 'ticketmatic-source', start: '2027-03-01T19:15:00.000Z', end: '2027-03-01T21:00:00.000Z', scheduleFrom: 'yesplan-source', availabilityFrom: 'ticketmatic-source' });
    expect(first.availability).toMatchObject({ capacity: 800, remaining: 37 });
    expect(first.sameAs.sort()).toEqual(['tm-p', 'udb-p', 'yp-p']);
    expect(second).toMatchObject({ id: 'yp-extra', scheduleFrom: 'yesplan-source', availabilityFrom: null, sameAs: ['yp-extra'] });
    expect(merged.activity.performances.map((performance) => performance.externalId)).toEqual(['1', 'y2']);
  });

  it('merges booking info per part: the sale period from ticketing, the booking URL from the calendar when ticketing has none', () => {
    const withBooking = mergeCluster(
      [
        { ...calendar, activity: { ...calendar.activity, booking: { url: 'https://vooruit.be/tickets', phone: '09 267 28 28' } } },
        { ...ticketing, activity: { ...ticketing.activity, booking: { availableFrom: '2026-12-01T10:00:00Z' } } },
      ],
      DEFAULT_PRECEDENCE,
      30,
    );
    expect(withBooking.activity.booking).toEqual({ url: 'https://vooruit.be/tickets', phone: '09 267 28 28', availableFrom: '2026-12-01T10:00:00Z' });
    expect(withBooking.provenance).toEqual(expect.arrayContaining([{ field: 'booking.availableFrom', sourceId: 'ticketmatic-source', activityId: 'ticketmatic-id' }]));
  });

  it('follows configured precedence', () => {
    const planningSeats = mergeCluster([calendar, planning, ticketing], parsePrecedence('availability:yesplan,ticketmatic;description:ticketmatic'), 30);
    expect(planningSeats.performances[0]).toMatchObject({ availabilityFrom: 'yesplan-source', availability: { capacity: 820 } });
    expect(planningSeats.activity.title).toEqual({ nl: 'Dez Mona - Tour' });
    expect(() => parsePrecedence('colour:uitdatabank')).toThrow(/colour:uitdatabank/);
  });

  it('does not align performances further apart than the window', () => {
    const apart = mergeCluster([ticketing, planning], DEFAULT_PRECEDENCE, 10);
    expect(apart.performances).toHaveLength(3);
  });
});

import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DEFAULT_RULES } from '../disclosure/primary-suppression.js';
import { cellId, TOTAL } from '../disclosure/statistical-table.js';
import { compareParticipation } from './compare-participation.js';
import { MINIMUM_PEERS, organizationProfiles, PEER_KINDS, peerGroup, peerGroupRefusal, type OrganizationTickets } from './peer-groups.js';
import { protectParticipation, type AggregateCell, type AggregateContribution } from './protect-participation.js';
import { periodEnvelope, periodOf, periodRange, shiftPeriod, TREND_PERIODS, trendSeries, type TrendMeasure } from './trends.js';

const K = 10;
const RULES = { ...DEFAULT_RULES, k: K };

/** Venue municipalities of three provinces in two regions, and four activity types. */
const VENUES = ['44021', '41002', '11002', '12025', '21004'];
const TYPES = ['concert', 'theatre', 'dance', 'expo'];
const geography = {
  provinceOf: (nis5: string) => (nis5.startsWith('4') ? '40000' : nis5.startsWith('1') ? '10000' : '04000'),
  regionOf: (nis5: string) => (nis5.startsWith('2') ? ('04000' as const) : ('02000' as const)),
};

const ticketsArbitrary = fc.array(
  fc.record({
    organization: fc.integer({ min: 0, max: 14 }).map((index) => `org${index}`),
    venueNis5: fc.constantFrom(...VENUES),
    activityType: fc.constantFrom(...TYPES),
    tickets: fc.integer({ min: 1, max: 500 }),
  }),
  { minLength: 1, maxLength: 60 },
);

describe('peer groups', () => {
  it('leave the organisation out, share its value, and are shown only with at least 5 others', () => {
    fc.assert(
      fc.property(ticketsArbitrary, (rows: OrganizationTickets[]) => {
        const profiles = organizationProfiles(rows, geography);
        for (const profile of profiles) {
          for (const kind of PEER_KINDS) {
            const group = peerGroup(profiles, profile.organization, kind);
            expect(group.peers).not.toContain(profile.organization);
            expect(group.code).toBe(profile[kind]);
            // Exactly the others with the same value.
            expect(group.peers.sort()).toEqual(profiles.filter((other) => other.organization !== profile.organization && other[kind] === profile[kind]).map((other) => other.organization).sort());
            expect(group.available).toBe(group.peers.length >= MINIMUM_PEERS);
            const refusal = peerGroupRefusal(group);
            if (group.available) expect(refusal).toBeNull();
            else expect(refusal!.nl).toContain(`minstens ${MINIMUM_PEERS}`);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('give every organisation the province of the venue where it sells most, and its main type (ties: smallest code)', () => {
    const profiles = organizationProfiles(
      [
        { organization: 'a', venueNis5: '44021', activityType: 'concert', tickets: 10 },
        { organization: 'a', venueNis5: '11002', activityType: 'theatre', tickets: 30 },
        { organization: 'a', venueNis5: '11002', activityType: 'concert', tickets: 25 },
        { organization: 'b', venueNis5: '44021', activityType: 'theatre', tickets: 5 },
        { organization: 'b', venueNis5: '21004', activityType: 'dance', tickets: 5 },
      ],
      geography,
    );
    expect(profiles).toEqual([
      { organization: 'a', tickets: 65, province: '10000', region: '02000', activityType: 'concert' },
      { organization: 'b', tickets: 10, province: '04000', region: '04000', activityType: 'dance' },
    ]);
  });

  it('refuse a group of 4 and accept a group of 5, with a bilingual reason and no figures', () => {
    const rows = (count: number) => Array.from({ length: count + 1 }, (_, index) => ({ organization: `o${index}`, venueNis5: '44021', activityType: 'concert', tickets: 100 + index }));
    const small = peerGroup(organizationProfiles(rows(4), geography), 'o0', 'province');
    expect(small).toMatchObject({ available: false, code: '40000' });
    expect(small.peers).toHaveLength(4);
    expect(peerGroupRefusal(small)!.en).toMatch(/counts 4 other organisation\(s\); at least 5/);
    expect(peerGroupRefusal(small)!.en).not.toMatch(/10[0-4]/);
    expect(peerGroup(organizationProfiles(rows(5), geography), 'o0', 'activityType').available).toBe(true);
  });
});

/** Records of tickets to aggregate cells over one dimension with its margin, like the store's GROUP BY CUBE. */
interface TicketRecord {
  organization: string;
  band: string;
  person: number;
  cents: number;
  key: number;
}

function aggregate(records: readonly TicketRecord[]): { cells: AggregateCell[]; contributions: AggregateContribution[] } {
  const groups = new Map<string, TicketRecord[]>();
  for (const record of records) for (const code of [record.band, TOTAL]) groups.set(code, [...(groups.get(code) ?? []), record]);
  const cells = [...groups].map(([code, members]): AggregateCell => {
    const persons = new Map(members.map((member) => [member.person, member.key * 7 + member.person]));
    return {
      coordinates: [code],
      tickets: members.length,
      persons: persons.size,
      revenueCents: members.reduce((sum, member) => sum + member.cents, 0),
      ticketKeySum: String(members.reduce((sum, member) => sum + member.key, 0)),
      personKeySum: String([...persons.values()].reduce((sum, key) => sum + key, 0)),
    };
  });
  const contributions: AggregateContribution[] = [];
  for (const [code, members] of groups) {
    const byOrganization = new Map<string, number>();
    for (const member of members) byOrganization.set(member.organization, (byOrganization.get(member.organization) ?? 0) + member.cents);
    for (const [organization, revenueCents] of byOrganization) contributions.push({ coordinates: [code], organization, revenueCents });
  }
  return { cells, contributions };
}

const recordsArbitrary = (organizations: string[]) =>
  fc.array(
    fc.record({
      organization: fc.constantFrom(...organizations),
      band: fc.constantFrom('15-24', '25-34', '35-44', '65-74'),
      person: fc.integer({ min: 0, max: 400 }),
      cents: fc.integer({ min: 0, max: 5000 }),
      key: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
    }),
    { minLength: 1, maxLength: 300 },
  );

const labelled = (table: ReturnType<typeof protectParticipation>) => table.map((cell) => ({ ...cell, labels: cell.coordinates }));

describe('comparisons', () => {
  it('never show a withheld value, always withhold the organisation\'s own revenue, and take shares from published values only', () => {
    fc.assert(
      fc.property(recordsArbitrary(['own']), recordsArbitrary(['p1', 'p2', 'p3', 'p4', 'p5']), (ownRecords, peerRecords) => {
        const own = aggregate(ownRecords);
        const peers = aggregate(peerRecords);
        const rows = compareParticipation(labelled(protectParticipation(['ageBand'], own.cells, own.contributions, RULES)), labelled(protectParticipation(['ageBand'], peers.cells, peers.contributions, RULES)));
        const truth = (records: TicketRecord[], code: string) => new Set(records.filter((record) => code === TOTAL || record.band === code).map((record) => record.person)).size;
        for (const row of rows) {
          for (const [side, records] of [
            [row.organization, ownRecords],
            [row.peers, peerRecords],
          ] as const) {
            const persons = truth(records, row.coordinates[0]);
            if (persons > 0 && persons < K) expect(side.obsStatus).toBe('C');
            if (side.obsStatus === 'C') {
              expect(side.participants).toBeNull();
              expect(side.tickets).toBeNull();
              expect(side.share).toBeNull();
            }
            if (side.revenueStatus === 'C') expect(side.revenue).toBeNull();
          }
          // One organisation holds all of its own revenue: the dominance rule withholds it wherever it sold.
          if (truth(ownRecords, row.coordinates[0]) > 0) expect(row.organization.revenueStatus).toBe('C');
          const total = rows.find((other) => other.coordinates[0] === TOTAL)!;
          if (row.peers.participants !== null && total.peers.participants) {
            expect(row.peers.share).toBeCloseTo((row.peers.participants / total.peers.participants) * 100, 1);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('withhold the peers\' revenue when one peer dominates it', () => {
    const records: TicketRecord[] = Array.from({ length: 200 }, (_, index) => ({ organization: index < 190 ? 'big' : `small${index % 5}`, band: '25-34', person: index, cents: 2000, key: index * 7919 }));
    const peers = aggregate(records);
    const published = protectParticipation(['ageBand'], peers.cells, peers.contributions, RULES);
    const total = published.find((cell) => cell.coordinates[0] === TOTAL)!;
    expect(total.obsStatus).toBe('A');
    expect(total.revenueStatus).toBe('C');
    expect(total.revenue).toBeNull();
  });

  it('count a row that one side does not have as published zero there', () => {
    const own = aggregate(Array.from({ length: 40 }, (_, index) => ({ organization: 'own', band: '25-34', person: index, cents: 100, key: index })));
    const peers = aggregate(Array.from({ length: 80 }, (_, index) => ({ organization: `p${index % 5}`, band: index % 2 ? '25-34' : '65-74', person: index, cents: 100, key: index })));
    const rows = compareParticipation(labelled(protectParticipation(['ageBand'], own.cells, own.contributions, RULES)), labelled(protectParticipation(['ageBand'], peers.cells, peers.contributions, RULES)));
    const old = rows.find((row) => row.coordinates[0] === '65-74')!;
    expect(old.organization).toMatchObject({ participants: 0, tickets: 0, share: 0, obsStatus: 'A' });
    expect(old.peers.participants).toBeGreaterThan(30);
  });
});

describe('trend periods', () => {
  it('code periods in Brussels time and step through them', () => {
    expect(periodOf('month', new Date('2026-08-31T22:30:00Z'))).toBe('2026-09');
    expect(periodOf('season', new Date('2026-08-31T21:30:00Z'))).toBe('2025-2026');
    expect(periodOf('season', new Date('2026-09-01T00:00:00Z'))).toBe('2026-2027');
    expect(periodOf('year', new Date('2026-12-31T23:30:00Z'))).toBe('2027');
    expect(shiftPeriod('month', '2026-01', -1)).toBe('2025-12');
    expect(shiftPeriod('month', '2026-01', -12)).toBe('2025-01');
    expect(shiftPeriod('season', '2025-2026', -1)).toBe('2024-2025');
    expect(periodRange('month', '2025-11', '2026-02')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(() => periodRange('month', '1900-01', '2026-01')).toThrow(RangeError);
  });

  it('have an envelope that holds every moment of the period (for the index on the start)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2060-01-01T00:00:00Z'), noInvalidDate: true }), fc.constantFrom(...TREND_PERIODS), (moment, kind) => {
        const envelope = periodEnvelope(kind, periodOf(kind, moment));
        expect(envelope.from.getTime()).toBeLessThanOrEqual(moment.getTime());
        expect(envelope.to.getTime()).toBeGreaterThan(moment.getTime());
        // Tight: at most a day of margin each side.
        expect(periodOf(kind, new Date(envelope.from.getTime() + 2 * 24 * 3600 * 1000))).toBe(periodOf(kind, moment));
      }),
      { numRuns: 300 },
    );
  });
});

describe('trends', () => {
  const MEASURES: TrendMeasure[] = ['tickets', 'participants', 'revenue'];
  const cell = (period: string, participants: number | null, revenue: number | null) => ({
    coordinates: [period],
    labels: [period],
    tickets: participants === null ? null : participants * 2,
    participants,
    visitsPerParticipant: participants ? 2 : null,
    revenue,
    penetration: null,
    index: null,
    obsStatus: participants === null ? ('C' as const) : ('A' as const),
    revenueStatus: revenue === null ? ('C' as const) : ('A' as const),
  });

  it('are continuous (no data is a published 0) and withhold every change computed from a withheld value', () => {
    const cells = [cell('2025-10', 50, 500), cell('2026-09', 40, null), cell('2026-10', null, null), cell('2026-12', 30, 300), cell(TOTAL, 130, 900)];
    const [series] = trendSeries({ kind: 'month', cells, periods: periodRange('month', '2026-09', '2027-01'), firstData: '2025-10', measures: MEASURES, homeDimension: false });
    expect(series.points.map((point) => point.period)).toEqual(['2026-09', '2026-10', '2026-11', '2026-12', '2027-01']);
    const [september, october, november, december, january] = series.points;
    expect(november).toMatchObject({ tickets: 0, participants: 0, revenue: 0, obsStatus: 'A' });
    expect(january).toMatchObject({ tickets: 0, participants: 0, obsStatus: 'A' });
    // September against August (0): the change is the value, the percentage undefined; revenue withheld.
    expect(september.previous).toMatchObject({ period: '2026-08', obsStatus: 'A', revenueStatus: 'C', absolute: { participants: 40, revenue: null }, percent: { participants: null } });
    // A year before September: before the first data, so no comparison.
    expect(september.yearAgo).toBeNull();
    // October is withheld: both of its changes are withheld, and November's change from October too.
    expect(october.participants).toBeNull();
    expect(october.previous).toMatchObject({ obsStatus: 'C', absolute: { tickets: null, participants: null } });
    expect(october.yearAgo).toMatchObject({ period: '2025-10', obsStatus: 'C', absolute: { participants: null }, percent: { participants: null } });
    expect(november.previous).toMatchObject({ period: '2026-10', obsStatus: 'C', absolute: { participants: null } });
    expect(december.previous).toMatchObject({ obsStatus: 'A', absolute: { participants: 30, revenue: 300 } });
    expect(january.previous).toMatchObject({ absolute: { participants: -30, tickets: -60 }, percent: { participants: -100 } });
  });

  it('never derive a withheld value from a change (random series)', () => {
    const valueArbitrary = fc.oneof(fc.constant(null), fc.integer({ min: 0, max: 500 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(valueArbitrary, valueArbitrary), { minLength: 1, maxLength: 30 }), (values) => {
        const periods = periodRange('month', '2024-01', shiftPeriod('month', '2024-01', values.length - 1));
        const cells = values.map(([participants, revenue], index) => cell(periods[index], participants, revenue));
        const [series] = trendSeries({ kind: 'month', cells, periods, firstData: '2024-01', measures: MEASURES, homeDimension: false });
        const byPeriod = new Map(series.points.map((point) => [point.period, point]));
        expect(series.points).toHaveLength(periods.length);
        for (const point of series.points) {
          for (const comparison of [point.previous, point.yearAgo]) {
            if (!comparison) continue;
            const earlier = byPeriod.get(comparison.period)!;
            const countsWithheld = point.obsStatus === 'C' || earlier.obsStatus === 'C';
            expect(comparison.obsStatus).toBe(countsWithheld ? 'C' : 'A');
            if (countsWithheld) expect([comparison.absolute.participants, comparison.percent.participants, comparison.absolute.tickets]).toEqual([null, null, null]);
            else expect(comparison.absolute.participants).toBe(point.participants! - earlier.participants!);
            if (point.revenueStatus === 'C' || earlier.revenueStatus === 'C') expect(comparison.absolute.revenue).toBeNull();
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('give one series per code of a further dimension, the total first, zeros where a code sold nothing', () => {
    const cells = [
      { ...cell('2026-09', 20, 100), coordinates: ['2026-09', TOTAL], labels: ['2026-09', 'Totaal / Total'] },
      { ...cell('2026-09', 20, 100), coordinates: ['2026-09', 'online'], labels: ['2026-09', 'online'] },
      { ...cell('2026-10', 12, 100), coordinates: ['2026-10', TOTAL], labels: ['2026-10', 'Totaal / Total'] },
      { ...cell('2026-10', 12, 100), coordinates: ['2026-10', 'phone'], labels: ['2026-10', 'phone'] },
    ];
    const series = trendSeries({ kind: 'month', cells, periods: ['2026-09', '2026-10'], firstData: '2026-09', measures: MEASURES, homeDimension: false });
    expect(series.map((line) => line.coordinates[0])).toEqual([TOTAL, 'online', 'phone']);
    expect(series[1].points[1]).toMatchObject({ period: '2026-10', participants: 0 });
    expect(series[2].points[0]).toMatchObject({ period: '2026-09', participants: 0 });
    expect(cellId(series[0].coordinates)).toBe(TOTAL);
  });
});

import { describe, expect, it } from '@jest/globals';
import { BelgianGeography } from '../geography/belgian-geography.js';
import { ageBandOf } from '../participation/age-band.js';
import { syntheticTickets, type SyntheticPerformance, type SyntheticTicket } from './synthetic-participation.js';

const PERFORMANCES: SyntheticPerformance[] = [
  { externalId: 'kids', start: new Date('2027-01-03T14:00:00Z'), activityType: 'kindervoorstelling', venuePostcode: '2800', capacity: 300, prices: [{ category: 'basis', amount: 11 }, { category: 'tarief', amount: 7 }, { category: 'uitpas', amount: 3 }] },
  { externalId: 'pop', start: new Date('2027-03-19T19:00:00Z'), activityType: 'concert', theme: 'pop-en-rock', venuePostcode: '8500', capacity: 350, prices: [{ category: 'basis', amount: 25 }, { category: 'uitpas', amount: 6 }] },
  { externalId: 'classic', start: new Date('2027-05-14T19:00:00Z'), activityType: 'concert', theme: 'klassieke-muziek', venuePostcode: '8000', capacity: 820, prices: [{ category: 'basis', amount: 30 }, { category: 'tarief', amount: 12 }, { category: 'kansentarief', amount: 7.5 }] },
  { externalId: 'expo', start: new Date('2027-02-06T10:00:00Z'), activityType: 'tentoonstelling', venuePostcode: '3600', prices: [{ category: 'basis', amount: 9 }, { category: 'gratis', amount: 0 }] },
];
const geography = BelgianGeography.load();
const draw = (seed: number, tickets = 20_000): SyntheticTicket[] => [...syntheticTickets(PERFORMANCES, geography, { tickets, seed })];

describe('synthetic participation (demo generator)', () => {
  const tickets = draw(7);
  const of = (performance: string) => tickets.filter((ticket) => ticket.performance === performance);
  const median = (values: number[]) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)];
  const ages = (performance: string, at: Date) =>
    of(performance).flatMap((ticket) => (ticket.participant.birthYear === undefined ? [] : [at.getUTCFullYear() - ticket.participant.birthYear]));

  it('is deterministic: the same seed gives the same tickets, another seed others', () => {
    expect(draw(7, 3000)).toEqual(draw(7, 3000));
    expect(JSON.stringify(draw(8, 3000))).not.toEqual(JSON.stringify(draw(7, 3000)));
  });

  it('makes exactly the asked number of tickets, in proportion to seats, each a valid push item without personal fields', () => {
    expect(tickets).toHaveLength(20_000);
    expect(new Set(tickets.map((ticket) => ticket.id)).size).toBe(20_000);
    // 300 : 350 : 820 : 6000 seats-equivalents
    expect(of('expo').length).toBeGreaterThan(of('classic').length);
    expect(of('classic').length).toBeGreaterThan(of('pop').length);
    for (const ticket of tickets.slice(0, 500)) {
      expect(Object.keys(ticket.participant).every((key) => ['id', 'birthYear', 'postcode', 'country'].includes(key))).toBe(true);
      expect(Date.parse(ticket.soldAt)).toBeLessThanOrEqual(PERFORMANCES.find((performance) => performance.externalId === ticket.performance)!.start.getTime());
    }
  });

  it('draws homes by population and distance: most near the venue, a few far, some abroad or unknown', () => {
    const homes = of('pop').map((ticket) => (ticket.participant.postcode ? geography.municipalityOfPostcode(ticket.participant.postcode) : null));
    const kortrijk = homes.filter((nis5) => nis5 === '34022').length;
    const province = homes.filter((nis5) => nis5 && geography.provinceOf(nis5) === '30000').length;
    expect(kortrijk / homes.length).toBeGreaterThan(0.1);
    expect(province / homes.length).toBeGreaterThan(0.5);
    expect(province / homes.length).toBeLessThan(0.97);
    expect(new Set(homes).size).toBeGreaterThan(40);
    expect(tickets.some((ticket) => ticket.participant.country === 'NL')).toBe(true);
    expect(tickets.some((ticket) => !ticket.participant.postcode && !ticket.participant.country)).toBe(true);
  });

  it('draws ages by activity type: children and parents at a children\'s show, young adults at pop, older at classical', () => {
    const kids = ages('kids', PERFORMANCES[0].start);
    expect(kids.filter((age) => age < 15).length / kids.length).toBeGreaterThan(0.35);
    expect(kids.filter((age) => age >= 30 && age < 50).length / kids.length).toBeGreaterThan(0.25);
    expect(median(ages('pop', PERFORMANCES[1].start))).toBeLessThan(35);
    expect(median(ages('classic', PERFORMANCES[2].start))).toBeGreaterThan(50);
    expect(ageBandOf(tickets[0].participant.birthYear ?? 1980, PERFORMANCES[0].start)).not.toBeNull();
  });

  it('has social tariffs, reduced tariffs for the young, free entry for children, several channels, repeat visitors and cancellations', () => {
    const share = (predicate: (ticket: SyntheticTicket) => boolean) => tickets.filter(predicate).length / tickets.length;
    const withSocialRate = tickets.filter((ticket) => ticket.performance !== 'expo');
    const social = withSocialRate.filter((ticket) => ticket.priceCategory === 'uitpas' || ticket.priceCategory === 'kansentarief').length / withSocialRate.length;
    expect(social).toBeGreaterThan(0.03);
    expect(social).toBeLessThan(0.12);
    expect(of('expo').some((ticket) => ticket.priceCategory === 'uitpas')).toBe(false);
    expect(of('expo').some((ticket) => ticket.priceCategory === 'gratis' && ticket.price === 0)).toBe(true);
    expect(of('classic').some((ticket) => ticket.priceCategory === 'tarief' && ticket.price === 12)).toBe(true);
    for (const channel of ['online', 'box-office', 'phone', 'reseller']) expect(share((ticket) => ticket.channel === channel)).toBeGreaterThan(0.01);
    const visitsByPerson = new Map<string, Set<string>>();
    for (const ticket of tickets) visitsByPerson.set(ticket.participant.id, (visitsByPerson.get(ticket.participant.id) ?? new Set()).add(ticket.transaction));
    const repeat = [...visitsByPerson.values()].filter((orders) => orders.size > 1).length;
    expect(repeat / visitsByPerson.size).toBeGreaterThan(0.05);
    expect(share((ticket) => ticket.status === 'cancelled')).toBeGreaterThan(0.01);
    // sales spread over weeks before the performance
    const lead = of('classic').map((ticket) => (PERFORMANCES[2].start.getTime() - Date.parse(ticket.soldAt)) / 86_400_000);
    expect(lead.filter((days) => days < 7).length / lead.length).toBeGreaterThan(0.2);
    expect(lead.filter((days) => days > 30).length / lead.length).toBeGreaterThan(0.1);
  });
});

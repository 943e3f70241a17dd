import { readFileSync } from 'node:fs';
import { BELGIUM_DATA_DIR, type BelgianGeography } from '../geography/belgian-geography.js';
import type { SalesChannel, TicketPriceCategory } from '../participation/participation.js';

/**
 * A deterministic generator of synthetic participation: tickets in the documented push format (see
 * docs/guide-researchers.md) over a set of performances, for the demo and the benchmarks. Nothing in
 * it is about a real person: participants are made-up household members (`demo-h12-1`) with a birth
 * year and a home postcode drawn from Statbel's population. The same seed and performances always give
 * the same tickets.
 *
 * How it draws (each a simple, stated model, not a claim about real audiences):
 * - home municipality: a gravity model, population x 1 / (1 + (d / d0)^2) with d the distance between
 *   municipality centroids (km), d0 12 km (8 for lectures and films, 25 for festivals and halls of 800
 *   seats or more); municipalities across the language border weigh 0.3; 2 % live abroad (NL, FR);
 * - age: a mixture of normal distributions per activity type (and theme for concerts and festivals):
 *   children's shows draw parents and their children, pop concerts young adults, classical music and
 *   lectures older audiences; 12 % of households give no birth year, 4 % no postcode;
 * - orders: households of 1 to 5 (families at children's shows), a quarter of orders by a household
 *   that came before (repeat visitors keep their pseudonym, home and ages);
 * - price category: social tariff (UiTPAS 60 %, kansentarief 40 %) for 7 % of households where the
 *   activity has one, the reduced tariff for most under 26, free entry for children where it exists;
 * - channel: online, box office, phone, reseller, with older buyers at the box office and by phone more
 *   often and festivals through resellers; 2.5 % of tickets cancelled, 7 % of the rest no-shows;
 * - sales time: 35 % in the last week before the performance, 40 % a few weeks ahead, 25 % one to four
 *   months ahead (exhibition visits: the month before).
 */

export interface SyntheticPerformance {
  /** The vendor's performance id (as pushed with the activity). */
  externalId: string;
  start: Date;
  /** Last segment of the activity type's IRI (concert, kindervoorstelling, ...). */
  activityType: string;
  /** Last segment of the theme's IRI, if any. */
  theme?: string;
  /** The venue's postcode (Belgian). */
  venuePostcode: string;
  /** Seats; absent for exhibitions (open visits). */
  capacity?: number;
  /** The activity's prices, by our price categories. */
  prices: Array<{ category: TicketPriceCategory; amount: number }>;
}

export interface SyntheticParticipationOptions {
  tickets: number;
  seed: number;
  /** Prefix of ticket, order and household ids (distinct runs in one source must not collide). */
  idPrefix?: string;
}

/** One ticket in the push format (what a vendor would send after leaving out names and contacts). */
export interface SyntheticTicket {
  id: string;
  transaction: string;
  performance: string;
  soldAt: string;
  priceCategory: TicketPriceCategory;
  price: number;
  channel: SalesChannel;
  status: 'sold' | 'cancelled';
  attended?: boolean;
  participant: { id: string; birthYear?: number; postcode?: string; country?: string };
}

/** mulberry32: a small, well-known 32-bit PRNG; plenty for synthetic data, and the same on every platform. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Municipality centroids (WGS84) from the map file's `cx` / `cy`. */
export function municipalityCentroids(): Map<string, { longitude: number; latitude: number }> {
  const topology = JSON.parse(readFileSync(new URL('municipalities-2019.topojson', BELGIUM_DATA_DIR), 'utf8')) as {
    objects: { regions: { geometries: Array<{ properties: { NISCODE_2019: number | string; cx: number; cy: number } }> } };
  };
  return new Map(
    topology.objects.regions.geometries.map(({ properties }) => [String(properties.NISCODE_2019).padStart(5, '0'), { longitude: properties.cx, latitude: properties.cy }]),
  );
}

function distanceKm(a: { longitude: number; latitude: number }, b: { longitude: number; latitude: number }): number {
  const radians = Math.PI / 180;
  const x = (b.longitude - a.longitude) * radians * Math.cos(((a.latitude + b.latitude) / 2) * radians);
  const y = (b.latitude - a.latitude) * radians;
  return 6371 * Math.sqrt(x * x + y * y);
}

type Mixture = Array<[weight: number, mean: number, sd: number]>;

/** Ages of adult buyers by activity type (and theme), as mixtures of normals. */
function adultAges(performance: SyntheticPerformance): Mixture {
  const theme = performance.theme ?? '';
  switch (performance.activityType) {
    case 'kindervoorstelling':
      return [[0.85, 38, 6], [0.15, 66, 6]];
    case 'concert':
    case 'festival':
      if (theme === 'pop-en-rock') return [[0.8, 27, 7], [0.2, 45, 9]];
      if (theme === 'jazz') return [[0.6, 48, 13], [0.4, 30, 8]];
      if (theme === 'klassieke-muziek') return [[0.75, 62, 11], [0.25, 35, 10]];
      return [[1, 40, 15]];
    case 'theatervoorstelling':
      return [[0.7, 52, 13], [0.3, 28, 7]];
    case 'dansvoorstelling':
      return [[0.6, 34, 10], [0.4, 55, 11]];
    case 'tentoonstelling':
      return [[0.5, 58, 12], [0.5, 32, 9]];
    case 'lezing':
      return [[0.85, 63, 10], [0.15, 25, 4]];
    case 'film':
      return [[0.5, 28, 8], [0.5, 60, 11]];
    default:
      return [[1, 45, 16]];
  }
}

/** Order sizes (weights for 1, 2, 3, 4, 5 tickets). */
function orderSizes(performance: SyntheticPerformance): number[] {
  if (performance.activityType === 'kindervoorstelling') return [0.05, 0.3, 0.35, 0.25, 0.05];
  if (performance.activityType === 'lezing') return [0.55, 0.4, 0.05, 0, 0];
  return [0.3, 0.5, 0.1, 0.08, 0.02];
}

interface Member {
  id: string;
  birthYear?: number;
}

interface Household {
  members: Member[];
  postcode?: string;
  country?: string;
  social: boolean;
}

const FAR_REACH_CAPACITY = 800;

/** Draws tickets one at a time (a generator: a million tickets need not be held at once). */
export function* syntheticTickets(performances: readonly SyntheticPerformance[], geography: BelgianGeography, options: SyntheticParticipationOptions): Generator<SyntheticTicket> {
  const random = seededRandom(options.seed);
  const prefix = options.idPrefix ?? 'demo-';
  const centroids = municipalityCentroids();
  const normal = (mean: number, sd: number) => {
    // Box-Muller; 1 - random() keeps the logarithm finite.
    const u = 1 - random();
    const v = random();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const fromMixture = (mixture: Mixture) => {
    let pick = random();
    for (const [weight, mean, sd] of mixture) {
      if (pick < weight) return normal(mean, sd);
      pick -= weight;
    }
    const [, mean, sd] = mixture[mixture.length - 1];
    return normal(mean, sd);
  };
  const choose = <T>(weights: number[], values: readonly T[]): T => {
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    let pick = random() * total;
    for (let index = 0; index < values.length; index++) {
      if (pick < weights[index]) return values[index];
      pick -= weights[index];
    }
    return values[values.length - 1];
  };

  const postcodesOf = new Map<string, string[]>();
  for (const [postcode, nis5] of geography.postcodeMunicipalities()) {
    const list = postcodesOf.get(nis5) ?? [];
    list.push(postcode);
    postcodesOf.set(nis5, list);
  }
  const municipalities = [...geography.municipalities.values()].filter((municipality) => centroids.has(municipality.nis5) && postcodesOf.has(municipality.nis5));
  // One cumulative gravity distribution per (venue municipality, reach).
  const gravity = new Map<string, Float64Array>();
  const homeDistribution = (venueNis5: string, reachKm: number) => {
    const key = `${venueNis5}:${reachKm}`;
    let cumulative = gravity.get(key);
    if (!cumulative) {
      const venue = centroids.get(venueNis5)!;
      const venueRegion = geography.regionOf(venueNis5);
      cumulative = new Float64Array(municipalities.length);
      let sum = 0;
      municipalities.forEach((municipality, index) => {
        const distance = distanceKm(venue, centroids.get(municipality.nis5)!);
        // Across the language border (Flanders <-> Wallonia) audiences are much thinner; Brussels goes both ways.
        const border = venueRegion !== municipality.region && venueRegion !== '04000' && municipality.region !== '04000' ? 0.3 : 1;
        sum += (municipality.population * border) / (1 + (distance / reachKm) ** 2);
        cumulative![index] = sum;
      });
      gravity.set(key, cumulative);
    }
    return cumulative;
  };
  const drawHome = (cumulative: Float64Array) => {
    const target = random() * cumulative[cumulative.length - 1];
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle] <= target) low = middle + 1;
      else high = middle;
    }
    const postcodes = postcodesOf.get(municipalities[low].nis5)!;
    return postcodes[Math.floor(random() * postcodes.length)];
  };

  // Tickets per performance: in proportion to seats (an exhibition counts as 6,000 visits), summing to `tickets`.
  const open = performances.filter((performance) => geography.municipalityOfPostcode(performance.venuePostcode) && centroids.has(geography.municipalityOfPostcode(performance.venuePostcode)!));
  const weights = open.map((performance) => performance.capacity ?? 6000);
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  const quotas = weights.map((weight) => Math.floor((options.tickets * weight) / totalWeight));
  let remainder = options.tickets - quotas.reduce((sum, quota) => sum + quota, 0);
  for (let index = 0; remainder > 0 && open.length > 0; index = (index + 1) % open.length, remainder--) quotas[index] += 1;

  // Households that came before, per venue municipality (loyal audiences of a house and its town).
  const regulars = new Map<string, Household[]>();
  let householdCount = 0;
  let orderCount = 0;
  let ticketCount = 0;
  const order = [...open.keys()].sort((left, right) => open[left].start.getTime() - open[right].start.getTime() || open[left].externalId.localeCompare(open[right].externalId));
  for (const index of order) {
    const performance = open[index];
    const venueNis5 = geography.municipalityOfPostcode(performance.venuePostcode)!;
    const reach =
      performance.activityType === 'festival' || (performance.capacity ?? 0) >= FAR_REACH_CAPACITY ? 25 : performance.activityType === 'lezing' || performance.activityType === 'film' ? 8 : 12;
    const homes = homeDistribution(venueNis5, reach);
    const year = performance.start.getUTCFullYear();
    const categories = new Map(performance.prices.map((price) => [price.category, price.amount]));
    const basePrices = performance.prices.filter((price) => price.category === 'basis');
    const social = categories.has('uitpas') || categories.has('kansentarief');
    const pool = regulars.get(venueNis5) ?? [];
    regulars.set(venueNis5, pool);
    let left = quotas[index];
    while (left > 0) {
      let household: Household;
      if (pool.length > 20 && random() < 0.25) household = pool[Math.floor(random() * pool.length)];
      else {
        const size = choose(orderSizes(performance), [1, 2, 3, 4, 5]);
        const householdId = `${prefix}h${++householdCount}`;
        const knowsAge = random() >= 0.12;
        const adultAge = Math.min(95, Math.max(18, Math.round(fromMixture(adultAges(performance)))));
        const members: Member[] = [];
        for (let member = 0; member < size; member++) {
          let age = adultAge;
          if (member > 0) {
            if (performance.activityType === 'kindervoorstelling' && (member > 1 || size > 2 || random() < 0.5)) age = Math.round(Math.min(14, Math.max(2, normal(7, 2.5))));
            else age = Math.min(95, Math.max(16, Math.round(adultAge + normal(0, 5))));
          }
          members.push({ id: `${householdId}-${member + 1}`, ...(knowsAge ? { birthYear: year - age } : {}) });
        }
        const abroad = random();
        household = {
          members,
          ...(abroad < 0.015 ? { country: 'NL' } : abroad < 0.02 ? { country: 'FR' } : random() < 0.04 ? {} : { postcode: drawHome(homes) }),
          social: random() < 0.07,
        };
        pool.push(household);
      }
      const orderId = `${prefix}o${++orderCount}`;
      const buyer = household.members[0];
      const buyerAge = buyer.birthYear === undefined ? 45 : year - buyer.birthYear;
      const channel: SalesChannel =
        performance.activityType === 'festival'
          ? choose([0.6, 0.08, 0.02, 0.28, 0.02], ['online', 'box-office', 'phone', 'reseller', 'other'] as const)
          : buyerAge >= 65
            ? choose([0.42, 0.35, 0.15, 0.05, 0.03], ['online', 'box-office', 'phone', 'reseller', 'other'] as const)
            : choose([0.72, 0.15, 0.03, 0.08, 0.02], ['online', 'box-office', 'phone', 'reseller', 'other'] as const);
      const leadDays =
        performance.capacity === undefined
          ? random() * 30
          : choose([0.35, 0.4, 0.25], [0, 1, 2]) === 0
            ? random() * 7
            : random() < 0.6
              ? 7 + -Math.log(1 - random()) * 14
              : 30 + random() * 90;
      // A sale between 08:00 and 23:00 on its day.
      const soldDay = new Date(performance.start.getTime() - Math.floor(leadDays) * 86_400_000);
      soldDay.setUTCHours(7 + Math.floor(random() * 15), Math.floor(random() * 60), 0, 0);
      const soldAt = soldDay.getTime() > performance.start.getTime() ? new Date(performance.start.getTime() - 3_600_000) : soldDay;
      const base = basePrices.length > 1 && random() < 0.25 ? basePrices[1] : basePrices[0];
      for (const member of household.members.slice(0, left)) {
        const age = member.birthYear === undefined ? undefined : year - member.birthYear;
        let category: TicketPriceCategory = base ? 'basis' : (performance.prices[0]?.category ?? 'gratis');
        if (social && household.social) category = categories.has('uitpas') && (!categories.has('kansentarief') || random() < 0.6) ? 'uitpas' : 'kansentarief';
        else if (categories.has('gratis') && ((age !== undefined && age < 12) || random() < 0.08)) category = 'gratis';
        else if (categories.has('tarief') && age !== undefined && age < 26 && random() < 0.8) category = 'tarief';
        const price = category === 'basis' && base ? base.amount : (categories.get(category) ?? 0);
        const cancelled = random() < 0.025;
        yield {
          id: `${prefix}t${++ticketCount}`,
          transaction: orderId,
          performance: performance.externalId,
          soldAt: soldAt.toISOString(),
          priceCategory: category,
          price,
          channel,
          status: cancelled ? 'cancelled' : 'sold',
          ...(cancelled ? {} : { attended: random() >= 0.07 }),
          participant: {
            id: member.id,
            ...(member.birthYear !== undefined ? { birthYear: member.birthYear } : {}),
            ...(household.postcode ? { postcode: household.postcode } : {}),
            ...(household.country ? { country: household.country } : {}),
          },
        };
        left -= 1;
      }
    }
  }
}

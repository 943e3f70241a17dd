import { cellKeyOf, perturbCount, perturbMagnitude } from '../disclosure/cell-key.js';
import { primarySuppression, type DisclosureRules } from '../disclosure/primary-suppression.js';
import { secondarySuppression } from '../disclosure/secondary-suppression.js';
import { cellId, flatDimension, TOTAL, type StatisticalTable, type TableCell } from '../disclosure/statistical-table.js';
import type { BelgianGeography } from '../geography/belgian-geography.js';
import type { AgeBand } from '../participation/age-band.js';

/** The unprotected aggregate of one cell (from the database; never published as it is). */
export interface AggregateCell {
  coordinates: string[];
  tickets: number;
  persons: number;
  revenueCents: number;
  ticketKeySum: string;
  personKeySum: string;
}

export interface AggregateContribution {
  coordinates: string[];
  organization: string;
  revenueCents: number;
}

/** SDMX observation status: A normal, C confidential (suppressed; the value is withheld, never zero). */
export type ObservationStatus = 'A' | 'C';

export interface PublishedCell {
  coordinates: string[];
  tickets: number | null;
  participants: number | null;
  visitsPerParticipant: number | null;
  /** Euros (perturbed, whole euros). */
  revenue: number | null;
  /** Participants per 1,000 inhabitants of the home area (same age band when grouped by age band). */
  penetration: number | null;
  /** 100 = as many participants as the area's population share predicts. */
  index: number | null;
  obsStatus: ObservationStatus;
  revenueStatus: ObservationStatus;
}

const HOME_DIMENSIONS = ['homeMunicipality', 'homeProvince', 'homeRegion'] as const;

/**
 * Aggregates to publishable cells: primary suppression (persons < k; revenue dominated by one
 * organisation), secondary suppression over persons, tickets and revenue with their margins, then
 * cell-key perturbation of what is published, then penetration from the perturbed counts.
 */
export function protectParticipation(
  groupBy: readonly string[],
  cells: readonly AggregateCell[],
  contributions: readonly AggregateContribution[],
  rules: DisclosureRules,
  geography?: BelgianGeography,
  options: { auditWork?: number; onClosedPattern?: () => void } = {},
): PublishedCell[] {
  const dimensions = groupBy.map((name, index) => flatDimension(name, [...new Set(cells.map((cell) => cell.coordinates[index]).filter((code) => code !== TOTAL))]));
  const table = (value: (cell: AggregateCell) => number, additive: boolean, withContributions = false): StatisticalTable => {
    const byCell = new Map<string, number[]>();
    if (withContributions) for (const contribution of contributions) byCell.set(cellId(contribution.coordinates), [...(byCell.get(cellId(contribution.coordinates)) ?? []), contribution.revenueCents]);
    const entries = cells.map((cell): [string, TableCell] => [
      cellId(cell.coordinates),
      { coordinates: cell.coordinates, value: value(cell), ...(withContributions ? { contributions: byCell.get(cellId(cell.coordinates)) ?? [] } : {}) },
    ]);
    return { dimensions, cells: new Map(entries), additive };
  };
  const persons = table((cell) => cell.persons, false);
  const tickets = table((cell) => cell.tickets, true);
  const revenue = table((cell) => cell.revenueCents, true, true);

  const countPrimary = new Set(primarySuppression(persons, { ...rules, dominance: { n: rules.dominance.n, percent: 101 } }).keys());
  // One work budget for the three audits of this answer (see SuppressionOptions.budget).
  const suppression = { budget: { work: options.auditWork ?? Infinity }, onFallback: options.onClosedPattern };
  const countPattern = secondarySuppression(tickets, secondarySuppression(persons, countPrimary, () => rules.k, undefined, suppression), () => rules.k, undefined, suppression);
  const revenuePrimary = new Set([...countPattern, ...[...primarySuppression(revenue, { ...rules, k: 0 })].filter(([, reason]) => reason === 'dominance').map(([id]) => id)]);
  // A suppressed revenue must stay uncertain by at least a fifth of its value (and k euros).
  const revenuePattern = secondarySuppression(revenue, revenuePrimary, (id) => Math.max(rules.k * 100, 0.2 * revenue.cells.get(id)!.value), undefined, suppression);

  const published = cells.map((cell): PublishedCell => {
    const id = cellId(cell.coordinates);
    const confidential = countPattern.has(id);
    const ticketCount = confidential ? null : perturbCount(cell.tickets, cellKeyOf(cell.ticketKeySum));
    const participantCount = confidential ? null : perturbCount(cell.persons, cellKeyOf(cell.personKeySum));
    return {
      coordinates: cell.coordinates,
      tickets: ticketCount,
      participants: participantCount,
      visitsPerParticipant: ticketCount !== null && participantCount ? Math.round((ticketCount / participantCount) * 100) / 100 : null,
      revenue: revenuePattern.has(id) ? null : perturbMagnitude(cell.revenueCents, cellKeyOf(cell.ticketKeySum)) / 100,
      penetration: null,
      index: null,
      obsStatus: confidential ? 'C' : 'A',
      revenueStatus: revenuePattern.has(id) ? 'C' : 'A',
    };
  });
  if (geography) addPenetration(groupBy, published, geography);
  return published;
}

function addPenetration(groupBy: readonly string[], cells: PublishedCell[], geography: BelgianGeography): void {
  const homeIndex = groupBy.findIndex((dimension) => (HOME_DIMENSIONS as readonly string[]).includes(dimension));
  if (homeIndex < 0) return;
  const level = groupBy[homeIndex] as (typeof HOME_DIMENSIONS)[number];
  const bandIndex = groupBy.indexOf('ageBand');
  const all = [...geography.municipalities.keys()];
  const areaMembers = (code: string): string[] =>
    code === TOTAL
      ? all
      : level === 'homeMunicipality'
        ? [code]
        : all.filter((nis5) => (level === 'homeProvince' ? geography.provinceOf(nis5) : geography.regionOf(nis5)) === code);
  const populationCache = new Map<string, number>();
  const population = (area: string, band: string) => {
    const cacheKey = `${area}|${band}`;
    if (!populationCache.has(cacheKey)) {
      populationCache.set(cacheKey, band === TOTAL ? geography.populationOf(areaMembers(area)) : geography.populationOf(areaMembers(area), band as AgeBand));
    }
    return populationCache.get(cacheKey)!;
  };
  const byId = new Map(cells.map((cell) => [cellId(cell.coordinates), cell]));
  for (const cell of cells) {
    const area = cell.coordinates[homeIndex];
    const band = bandIndex >= 0 ? cell.coordinates[bandIndex] : TOTAL;
    if (cell.participants === null || area === '_U' || band === '_U') continue;
    const inhabitants = population(area, band);
    if (inhabitants <= 0) continue;
    cell.penetration = Math.round((cell.participants / inhabitants) * 1000 * 100) / 100;
    // The index compares the area's share of participants with its share of the population (same other coordinates).
    const totalCell = byId.get(cellId(cell.coordinates.map((code, index) => (index === homeIndex ? TOTAL : code))));
    const totalPopulation = population(TOTAL, band);
    if (totalCell?.participants && totalPopulation > 0) {
      cell.index = Math.round(((cell.participants / totalCell.participants) / (inhabitants / totalPopulation)) * 100);
    }
  }
}

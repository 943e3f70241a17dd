import type { StatisticalTable, TableCell } from './statistical-table.js';

export interface DisclosureRules {
  /** A published person count must be at least k (DISCLOSURE_K, default 10). */
  k: number;
  /** (n, k) dominance: a magnitude cell is unsafe when its n largest contributors hold more than k percent. */
  dominance: { n: number; percent: number };
}

export const DEFAULT_RULES: DisclosureRules = { k: 10, dominance: { n: 1, percent: 85 } };

export type PrimaryReason = 'threshold' | 'dominance';

/** True when the n largest contributions exceed `percent` of the cell's total (the (n,k) rule). */
export function isDominated(contributions: readonly number[], n: number, percent: number): boolean {
  const total = contributions.reduce((sum, contribution) => sum + contribution, 0);
  if (total <= 0) return false;
  const top = [...contributions].sort((a, b) => b - a).slice(0, n).reduce((sum, contribution) => sum + contribution, 0);
  return top * 100 > percent * total;
}

/** Unsafe by itself: 0 < persons < k (an empty cell discloses nobody), or dominated revenue. */
export function primaryReason(cell: TableCell, rules: DisclosureRules): PrimaryReason | null {
  if (cell.value > 0 && cell.value < rules.k) return 'threshold';
  if (cell.contributions && isDominated(cell.contributions, rules.dominance.n, rules.dominance.percent)) return 'dominance';
  return null;
}

/** Primary suppression: a pure step over the table, cell id -> reason. */
export function primarySuppression(table: StatisticalTable, rules: DisclosureRules): Map<string, PrimaryReason> {
  const suppressed = new Map<string, PrimaryReason>();
  for (const [id, cell] of table.cells) {
    const reason = primaryReason(cell, rules);
    if (reason) suppressed.set(id, reason);
  }
  return suppressed;
}

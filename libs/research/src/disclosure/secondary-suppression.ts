import { AuditBudgetExceeded, auditSuppression, suppressedGroups, type AuditBudget } from './audit.js';
import { marginRelations, type MarginRelation, type StatisticalTable } from './statistical-table.js';

export interface SuppressionOptions {
  /**
   * Linear-programming work the audit-and-repair may still do (variables x constraints per program,
   * summed over all rounds; one budget may serve several tables of one answer). Past it, the pattern is
   * closed instead (see closedPattern): safe without an audit, at the price of more withheld cells. A
   * work count, not a time, so that the same table always gets the same pattern on any machine under any
   * load: two different patterns of one table, published side by side, could give away what each
   * withholds. Unset: no limit.
   */
  budget?: AuditBudget;
  /** Called when the budget ran out and the closed pattern was used. */
  onFallback?: () => void;
}

/**
 * The pattern closed over the relations: every non-empty cell of a relation that holds a suppressed
 * cell is suppressed too, until nothing changes. Safe by construction, no linear program needed: in
 * every relation a suppressed cell is in, all published cells are 0, so multiplying the true values of
 * the suppressed cells by any t >= 0 satisfies every relation (sums and the distinct-person bounds
 * alike), and each suppressed cell with a true value above 0 is unbounded above. Used when a large,
 * detailed table would take the audit minutes (581 municipalities x age bands over a million tickets).
 */
export function closedPattern(table: StatisticalTable, suppressed: ReadonlySet<string>, relations: readonly MarginRelation[] = marginRelations(table)): Set<string> {
  const closed = new Set(suppressed);
  const value = (id: string) => table.cells.get(id)!.value;
  let changed = true;
  while (changed) {
    changed = false;
    for (const relation of relations) {
      const members = [relation.parent, ...relation.children];
      if (!members.some((id) => closed.has(id))) continue;
      for (const id of members) {
        if (!closed.has(id) && value(id) !== 0) {
          closed.add(id);
          changed = true;
        }
      }
    }
  }
  return closed;
}

/** How wide the attacker's interval of a suppressed cell must at least be. */
export type ProtectionLevel = (cellId: string) => number;

/**
 * Secondary suppression: adds cells to the pattern until no suppressed cell can be narrowed to an
 * interval narrower than its protection level from the published cells and margins. A pure step.
 *
 * First a cheap pass to a fixed point (every relation that holds a suppressed cell holds at least two,
 * whose values together reach the protection level), then audit-and-repair: cells the audit finds too
 * narrow get a further partner in one of their relations, or, when all of those are suppressed already,
 * in a relation of the connected group they are solved in, until the audit passes. Partners are the
 * smallest non-empty cells (least information lost).
 *
 * Cells with value 0 are never secondary partners (decision R10; sdcTable's status `z`, "published, but
 * not used for secondary suppression"): an empty cell discloses nobody, and hiding it protects nothing,
 * because an attacker bounds it from the margins anyway (0 <= cell <= margin) while the suppressed zero
 * itself becomes a cell the audit has to protect, often one that cannot be (all its partners empty).
 * A pattern of non-empty cells always exists: once every non-empty cell of a group's relations is
 * suppressed, every published cell there is 0, the relations are homogeneous and scaling the true
 * table shows each suppressed cell unbounded. Only a zero cell that a caller passes as primary may get
 * zero partners, as a last resort.
 */
export function secondarySuppression(
  table: StatisticalTable,
  primary: ReadonlySet<string>,
  protection: ProtectionLevel,
  relations: MarginRelation[] = marginRelations(table),
  options: SuppressionOptions = {},
): Set<string> {
  const budget = options.budget ?? { work: Infinity };
  const suppressed = new Set(primary);
  if (suppressed.size === 0) return suppressed;
  const byCell = new Map<string, MarginRelation[]>();
  for (const relation of relations) for (const id of [relation.parent, ...relation.children]) byCell.set(id, [...(byCell.get(id) ?? []), relation]);
  const value = (id: string) => table.cells.get(id)!.value;

  const addPartner = (relation: MarginRelation, allowZeros = false): boolean => {
    const candidates = [relation.parent, ...relation.children].filter((id) => !suppressed.has(id) && (allowZeros || value(id) !== 0));
    if (candidates.length === 0) return false;
    // Prefer children (a suppressed margin hides more than it protects), smallest first.
    candidates.sort((a, b) => rank(a) - rank(b) || value(a) - value(b) || (a < b ? -1 : 1));
    suppressed.add(candidates[0]);
    return true;
    function rank(id: string) {
      return (value(id) === 0 ? 2 : 0) + (id === relation.parent ? 1 : 0);
    }
  };

  const settle = () => {
    let changed = true;
    while (changed) {
      changed = false;
      for (const relation of relations) {
        const members = [relation.parent, ...relation.children].filter((id) => suppressed.has(id));
        if (members.length === 0) continue;
        const needed = Math.max(...members.map(protection));
        const together = members.filter((id) => id !== relation.parent).reduce((sum, id) => sum + value(id), 0);
        const needsMore = members.length === 1 || (!suppressed.has(relation.parent) && together < needed);
        if (needsMore && addPartner(relation)) changed = true;
      }
    }
  };

  /** One more partner for a cell the audit finds too narrow: its own relations first, then its group's. */
  const repair = (id: string): boolean => {
    if ((byCell.get(id) ?? []).some((relation) => addPartner(relation))) return true;
    const group = suppressedGroups(suppressed, relations).find((candidate) => candidate.cells.has(id));
    if (group?.relations.some((relation) => addPartner(relation))) return true;
    return value(id) === 0 && (group?.relations.some((relation) => addPartner(relation, true)) ?? false);
  };

  settle();
  // Every round adds at least one cell, so the audit passes within as many rounds as the table has cells.
  for (let round = 0; round <= table.cells.size; round += 1) {
    let intervals: Map<string, { lower: number; upper: number }>;
    try {
      intervals = auditSuppression(table, suppressed, relations, budget);
    } catch (error) {
      if (!(error instanceof AuditBudgetExceeded)) throw error;
      options.onFallback?.();
      return closedPattern(table, suppressed, relations);
    }
    const narrow = [...intervals].filter(([id, interval]) => interval.upper - interval.lower < protection(id) - 1e-9);
    if (narrow.length === 0) return suppressed;
    let added = false;
    for (const [id] of narrow) if (repair(id)) added = true;
    // Unreachable (see above: a fully suppressed group is unbounded); never hand out an unsafe pattern.
    if (!added) throw new Error(`secondary suppression found no partner for ${narrow.length} cell(s) the audit finds too narrow`);
    settle();
  }
  throw new Error('secondary suppression did not converge');
}

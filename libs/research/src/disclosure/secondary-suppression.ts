import { auditSuppression } from './audit.js';
import { marginRelations, type MarginRelation, type StatisticalTable } from './statistical-table.js';

/** How wide the attacker's interval of a suppressed cell must at least be. */
export type ProtectionLevel = (cellId: string) => number;

/**
 * Secondary suppression: adds cells to the pattern until no suppressed cell can be narrowed to an
 * interval narrower than its protection level from the published cells and margins. A pure step.
 *
 * First a cheap pass to a fixed point (every relation that holds a suppressed cell holds at least two,
 * whose values together reach the protection level), then audit-and-repair: cells the audit finds too
 * narrow get a further partner in one of their relations, until the audit passes. Partners are the
 * smallest non-empty cells (least information lost), never cells already published as structural zeros
 * when another choice exists.
 */
export function secondarySuppression(
  table: StatisticalTable,
  primary: ReadonlySet<string>,
  protection: ProtectionLevel,
  relations: MarginRelation[] = marginRelations(table),
): Set<string> {
  const suppressed = new Set(primary);
  if (suppressed.size === 0) return suppressed;
  const byCell = new Map<string, MarginRelation[]>();
  for (const relation of relations) for (const id of [relation.parent, ...relation.children]) byCell.set(id, [...(byCell.get(id) ?? []), relation]);
  const value = (id: string) => table.cells.get(id)!.value;

  const addPartner = (relation: MarginRelation, exclude: ReadonlySet<string>): boolean => {
    const candidates = [relation.parent, ...relation.children].filter((id) => !suppressed.has(id) && !exclude.has(id));
    if (candidates.length === 0) return false;
    // Prefer non-empty children (a suppressed margin hides more than it protects), smallest first.
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
        if (needsMore && addPartner(relation, new Set())) changed = true;
      }
    }
  };

  settle();
  for (let round = 0; round < table.cells.size; round += 1) {
    const intervals = auditSuppression(table, suppressed, relations);
    const narrow = [...intervals].filter(([id, interval]) => interval.upper - interval.lower < protection(id) - 1e-9);
    if (narrow.length === 0) return suppressed;
    let added = false;
    for (const [id] of narrow) {
      for (const relation of byCell.get(id) ?? []) {
        if (addPartner(relation, new Set())) {
          added = true;
          break;
        }
      }
    }
    // Nothing left to add: every related cell is suppressed already (then the audit cannot be narrow).
    if (!added) return suppressed;
    settle();
  }
  return suppressed;
}

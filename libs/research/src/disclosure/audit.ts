import { solve, type Constraint } from 'yalps';
import { marginRelations, type MarginRelation, type StatisticalTable } from './statistical-table.js';

/** Degenerate tables make the simplex cycle without Bland's rule. */
const SOLVER_OPTIONS = { checkCycles: true, maxIterations: 100_000 };

/** How much linear-programming work the audit may still do (variables x constraints per program, summed). */
export interface AuditBudget {
  work: number;
}

/** The audit ran out of its work budget (a large, detailed table): the caller falls back to a safe pattern. */
export class AuditBudgetExceeded extends Error {
  constructor() {
    super('the suppression audit ran out of time');
  }
}

export interface Interval {
  lower: number;
  /** Infinity when nothing bounds the cell from above. */
  upper: number;
}

/**
 * What an attacker can infer: for each suppressed cell, the smallest and largest value consistent with
 * every published cell and the table's margin relations (cells are non-negative). Solved as two linear
 * programs per suppressed cell, over the connected group of suppressed cells it shares relations with.
 * A pure step: it reads the true table and the suppression pattern, and changes neither.
 */
export function auditSuppression(
  table: StatisticalTable,
  suppressed: ReadonlySet<string>,
  relations = marginRelations(table),
  budget: AuditBudget = { work: Infinity },
): Map<string, Interval> {
  const intervals = new Map<string, Interval>();
  for (const group of suppressedGroups(suppressed, relations)) {
    if (group.relations.length === 1) {
      // One relation (a one-way table, or a lone pattern): the interval has a closed form.
      for (const [id, interval] of singleRelationIntervals(table, suppressed, group.relations[0])) intervals.set(id, interval);
      continue;
    }
    const constraints = new Map<string, Constraint>();
    const variables = new Map<string, Map<string, number>>([...group.cells].map((id) => [id, new Map<string, number>()]));
    group.relations.forEach((relation, index) => {
      // parent - sum(children) = 0 (additive) or <= 0 (distinct persons); known cells move to the right-hand side.
      let constant = 0;
      const term = (id: string, coefficient: number) => {
        if (suppressed.has(id)) variables.get(id)!.set(`r${index}`, (variables.get(id)!.get(`r${index}`) ?? 0) + coefficient);
        else constant -= coefficient * table.cells.get(id)!.value;
      };
      term(relation.parent, 1);
      for (const child of relation.children) term(child, -1);
      constraints.set(`r${index}`, table.additive ? { equal: constant } : { max: constant });
      if (!table.additive) {
        // A child never exceeds its parent (one person is one person in the margin too).
        relation.children.forEach((child, position) => {
          const name = `c${index}_${position}`;
          let bound = 0;
          const add = (id: string, coefficient: number) => {
            if (suppressed.has(id)) variables.get(id)!.set(name, (variables.get(id)!.get(name) ?? 0) + coefficient);
            else bound -= coefficient * table.cells.get(id)!.value;
          };
          add(child, 1);
          add(relation.parent, -1);
          constraints.set(name, { max: bound });
        });
      }
    });
    for (const id of group.cells) {
      // Work of one pair of solves, in a unit that is the same on every machine (so the same question
      // always gets the same pattern, whatever the load): variables x constraints of the program.
      budget.work -= 2 * group.cells.size * constraints.size;
      if (budget.work < 0) throw new AuditBudgetExceeded();
      const objective = `objective:${id}`;
      const model = (direction: 'minimize' | 'maximize') => ({
        direction,
        objective,
        constraints,
        variables: [...variables].map(([name, coefficients]) => [name, name === id ? new Map([...coefficients, [objective, 1]]) : coefficients] as const),
      });
      const low = solve(model('minimize'), SOLVER_OPTIONS);
      const high = solve(model('maximize'), SOLVER_OPTIONS);
      intervals.set(id, { lower: low.status === 'optimal' ? low.result : 0, upper: high.status === 'unbounded' ? Infinity : high.status === 'optimal' ? high.result : Infinity });
    }
  }
  for (const id of suppressed) if (!intervals.has(id)) intervals.set(id, { lower: 0, upper: Infinity });
  return intervals;
}

interface SuppressedGroup {
  cells: Set<string>;
  relations: MarginRelation[];
}

/** Suppressed cells linked through relations they both appear in: each group is solved on its own. */
export function suppressedGroups(suppressed: ReadonlySet<string>, relations: readonly MarginRelation[]): SuppressedGroup[] {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(id, root);
    return root;
  };
  for (const id of suppressed) parent.set(id, id);
  const involved: MarginRelation[] = [];
  for (const relation of relations) {
    const members = [relation.parent, ...relation.children].filter((id) => suppressed.has(id));
    if (members.length === 0) continue;
    involved.push(relation);
    for (const member of members.slice(1)) parent.set(find(member), find(members[0]));
  }
  const groups = new Map<string, SuppressedGroup>();
  for (const id of suppressed) {
    const root = find(id);
    if (!groups.has(root)) groups.set(root, { cells: new Set(), relations: [] });
    groups.get(root)!.cells.add(id);
  }
  for (const relation of involved) {
    const member = [relation.parent, ...relation.children].find((id) => suppressed.has(id))!;
    groups.get(find(member))!.relations.push(relation);
  }
  return [...groups.values()];
}

/** The intervals of the suppressed cells of one relation alone: what the linear programs would find. */
function singleRelationIntervals(table: StatisticalTable, suppressed: ReadonlySet<string>, relation: MarginRelation): Map<string, Interval> {
  const value = (id: string) => table.cells.get(id)!.value;
  const published = relation.children.filter((id) => !suppressed.has(id));
  const hidden = relation.children.filter((id) => suppressed.has(id));
  const publishedSum = published.reduce((sum, id) => sum + value(id), 0);
  const intervals = new Map<string, Interval>();
  if (suppressed.has(relation.parent)) {
    const largest = published.reduce((max, id) => Math.max(max, value(id)), 0);
    intervals.set(relation.parent, {
      lower: table.additive ? publishedSum : largest,
      upper: hidden.length === 0 ? publishedSum : Infinity,
    });
    for (const id of hidden) intervals.set(id, { lower: 0, upper: Infinity });
    return intervals;
  }
  const parent = value(relation.parent);
  for (const id of hidden) {
    if (table.additive) {
      const rest = parent - publishedSum;
      intervals.set(id, hidden.length === 1 ? { lower: rest, upper: rest } : { lower: 0, upper: rest });
    } else {
      intervals.set(id, { lower: hidden.length === 1 ? Math.max(0, parent - publishedSum) : 0, upper: parent });
    }
  }
  return intervals;
}

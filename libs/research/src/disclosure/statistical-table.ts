/**
 * A statistical table in the shape of the SDC tools (sdcTable, tau-Argus): cells over dimensions, each
 * dimension with its hierarchy, the margins (totals) being cells too. Suppression and the audit read
 * the table's linear structure from here.
 */

/** The code of a dimension's grand total. */
export const TOTAL = '_T';

export interface Dimension {
  name: string;
  /** code -> parent code; the total has parent null. Every code's chain ends at TOTAL. */
  parents: ReadonlyMap<string, string | null>;
}

export interface TableCell {
  coordinates: readonly string[];
  /** The protected count (persons). */
  value: number;
  /** Per contributor (organisation) magnitudes of the cell, for the dominance rule. */
  contributions?: readonly number[];
}

export interface StatisticalTable {
  dimensions: readonly Dimension[];
  cells: ReadonlyMap<string, TableCell>;
  /**
   * Whether a margin is the sum of its children (ticket counts) or only bounded by it (distinct
   * persons: one person can be in two children). The audit uses equalities or inequalities accordingly.
   */
  additive: boolean;
}

/** One margin relation: the parent cell and its children along one dimension, other coordinates fixed. */
export interface MarginRelation {
  parent: string;
  children: string[];
}

export function cellId(coordinates: readonly string[]): string {
  return coordinates.join('\u001f');
}

/** A flat hierarchy: the codes under one total. */
export function flatDimension(name: string, codes: readonly string[]): Dimension {
  return { name, parents: new Map<string, string | null>([[TOTAL, null], ...codes.map((code) => [code, TOTAL] as const)]) };
}

function childrenOf(dimension: Dimension): Map<string, string[]> {
  const children = new Map<string, string[]>();
  for (const [code, parent] of dimension.parents) {
    if (parent === null) continue;
    children.set(parent, [...(children.get(parent) ?? []), code]);
  }
  return children;
}

/**
 * Every margin relation of the table: for each dimension, each code with children, and each cell of
 * the other dimensions. A cell missing from the table counts as an empty cell (value 0) and is added
 * by `completeTable`, so relations only name existing cells.
 */
export function marginRelations(table: StatisticalTable): MarginRelation[] {
  const relations: MarginRelation[] = [];
  table.dimensions.forEach((dimension, index) => {
    const children = childrenOf(dimension);
    for (const cell of table.cells.values()) {
      const parentCode = cell.coordinates[index];
      const kids = children.get(parentCode);
      if (!kids) continue;
      const childIds = kids.map((code) => cellId(cell.coordinates.map((coordinate, position) => (position === index ? code : coordinate))));
      relations.push({ parent: cellId(cell.coordinates), children: childIds.filter((id) => table.cells.has(id)) });
    }
  });
  return relations.filter((relation) => relation.children.length > 0);
}

/**
 * A table from its interior cells: every margin computed by summing (person counts of margins must be
 * given by the caller when they are not additive; then pass them in `margins`).
 */
export function tableFromInterior(
  dimensions: readonly Dimension[],
  interior: readonly TableCell[],
  options: { additive?: boolean; margins?: ReadonlyMap<string, TableCell> } = {},
): StatisticalTable {
  const cells = new Map<string, TableCell>();
  const ancestors = (dimension: Dimension, code: string): string[] => {
    const chain = [code];
    let parent = dimension.parents.get(code) ?? null;
    while (parent !== null) {
      chain.push(parent);
      parent = dimension.parents.get(parent) ?? null;
    }
    return chain;
  };
  // Every combination of ancestors of every interior cell, summed.
  const sums = new Map<string, { value: number; contributions: number[] | undefined }>();
  for (const cell of interior) {
    const chains = dimensions.map((dimension, index) => ancestors(dimension, cell.coordinates[index]));
    const combine = (index: number, prefix: string[]) => {
      if (index === chains.length) {
        const id = cellId(prefix);
        const sum = sums.get(id) ?? { value: 0, contributions: cell.contributions ? new Array<number>(cell.contributions.length).fill(0) : undefined };
        sum.value += cell.value;
        cell.contributions?.forEach((contribution, position) => (sum.contributions![position] = (sum.contributions![position] ?? 0) + contribution));
        sums.set(id, sum);
        return;
      }
      for (const code of chains[index]) combine(index + 1, [...prefix, code]);
    };
    combine(0, []);
  }
  for (const [id, sum] of sums) {
    cells.set(id, options.margins?.get(id) ?? { coordinates: id.split('\u001f'), value: sum.value, ...(sum.contributions ? { contributions: sum.contributions } : {}) });
  }
  return { dimensions, cells, additive: options.additive ?? true };
}

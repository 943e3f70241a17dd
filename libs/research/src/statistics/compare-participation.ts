import { cellId, TOTAL } from '../disclosure/statistical-table.js';
import type { PublishedCell } from './protect-participation.js';

/** One side of a comparison row: the published (protected) measures plus the row's share of the side. */
export type ComparisonSide = Omit<PublishedCell, 'coordinates'> & {
  /** The row's participants as a percentage of the side's total participants; null when either is withheld. */
  share: number | null;
};

export interface ComparisonRow {
  coordinates: string[];
  labels: string[];
  organization: ComparisonSide;
  peers: ComparisonSide;
}

type LabelledCell = PublishedCell & { labels: readonly string[] };

/** An empty cell: nothing sold there. Zero discloses nobody and is published (decision R10). */
const EMPTY: ComparisonSide = { tickets: 0, participants: 0, visitsPerParticipant: null, revenue: 0, penetration: 0, index: null, share: 0, obsStatus: 'A', revenueStatus: 'A' };

/**
 * Pairs two tables that were protected separately (the organisation's and its peers' aggregate) row by
 * row. Nothing is recomputed from true values: only published (suppressed and perturbed) figures enter,
 * so a share is never more precise than its parts and a withheld value stays withheld.
 */
export function compareParticipation(organization: readonly LabelledCell[], peers: readonly LabelledCell[]): ComparisonRow[] {
  const index = (cells: readonly LabelledCell[]) => new Map(cells.map((cell) => [cellId(cell.coordinates), cell]));
  const own = index(organization);
  const others = index(peers);
  const totalId = (coordinates: readonly string[]) => cellId(coordinates.map(() => TOTAL));
  const side = (cells: Map<string, LabelledCell>, coordinates: readonly string[]): ComparisonSide => {
    const cell = cells.get(cellId(coordinates));
    const total = cells.get(totalId(coordinates));
    if (!cell) return { ...EMPTY, share: total?.participants ? 0 : null };
    const share = cell.participants !== null && total?.participants ? Math.round((cell.participants / total.participants) * 1000) / 10 : null;
    return {
      tickets: cell.tickets,
      participants: cell.participants,
      visitsPerParticipant: cell.visitsPerParticipant,
      revenue: cell.revenue,
      penetration: cell.penetration,
      index: cell.index,
      share,
      obsStatus: cell.obsStatus,
      revenueStatus: cell.revenueStatus,
    };
  };
  const rows = new Map<string, { coordinates: string[]; labels: string[] }>();
  for (const cell of [...organization, ...peers]) if (!rows.has(cellId(cell.coordinates))) rows.set(cellId(cell.coordinates), { coordinates: [...cell.coordinates], labels: [...cell.labels] });
  return [...rows.values()]
    .map((row) => ({ ...row, organization: side(own, row.coordinates), peers: side(others, row.coordinates) }))
    .sort((a, b) => (a.coordinates.join('|') < b.coordinates.join('|') ? -1 : 1));
}

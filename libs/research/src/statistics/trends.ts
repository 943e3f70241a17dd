import { cellId, TOTAL } from '../disclosure/statistical-table.js';
import type { ObservationStatus, PublishedCell } from './protect-participation.js';

/** The periods a trend is counted in, by the performance start in Brussels time. */
export const TREND_PERIODS = ['month', 'season', 'year'] as const;
export type TrendPeriod = (typeof TREND_PERIODS)[number];

/** A line longer than this is not a trend any more but a dump (50 years of months). */
export const MAX_TREND_POINTS = 600;

export const TREND_MEASURES = ['tickets', 'participants', 'visitsPerParticipant', 'revenue', 'penetration', 'index'] as const;
export type TrendMeasure = (typeof TREND_MEASURES)[number];

type Values = Record<TrendMeasure, number | null>;

export interface TrendChange {
  /** The earlier period compared with. */
  period: string;
  /** C when either period's counts are withheld: then every count change is withheld too. */
  obsStatus: ObservationStatus;
  /** C when either period's revenue is withheld. */
  revenueStatus: ObservationStatus;
  /** Value minus earlier value, per chosen measure (null: withheld or not computable). */
  absolute: Partial<Values>;
  /** 100 × change / earlier value, per chosen measure (null also when the earlier value is 0). */
  percent: Partial<Values>;
}

export interface TrendPoint extends Values {
  period: string;
  obsStatus: ObservationStatus;
  revenueStatus: ObservationStatus;
  previous: TrendChange | null;
  yearAgo: TrendChange | null;
}

export interface TrendSeries {
  /** Codes and labels of the further dimension (empty without one). */
  coordinates: string[];
  labels: string[];
  points: TrendPoint[];
}

const BRUSSELS = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit' });

/** The period a moment falls in (Brussels time), coded as the statistics code it ("2026-09", "2025-2026", "2026"). */
export function periodOf(kind: TrendPeriod, moment: Date): string {
  const parts = Object.fromEntries(BRUSSELS.formatToParts(moment).map((part) => [part.type, part.value]));
  const year = Number(parts.year);
  const month = Number(parts.month);
  if (kind === 'month') return `${year}-${String(month).padStart(2, '0')}`;
  if (kind === 'year') return String(year);
  return month >= 9 ? `${year}-${year + 1}` : `${year - 1}-${year}`;
}

/** The period `steps` periods later (negative: earlier). */
export function shiftPeriod(kind: TrendPeriod, code: string, steps: number): string {
  if (kind === 'month') {
    const [year, month] = code.split('-').map(Number);
    const serial = year * 12 + (month - 1) + steps;
    return `${Math.floor(serial / 12)}-${String((serial % 12) + 1).padStart(2, '0')}`;
  }
  const start = Number(code.slice(0, 4)) + steps;
  return kind === 'year' ? String(start) : `${start}-${start + 1}`;
}

/**
 * A UTC interval that surely contains the period (Brussels time is UTC+1 or +2: a day of margin each
 * side), to let the database use its index on the performance start before the exact period test.
 */
export function periodEnvelope(kind: TrendPeriod, code: string): { from: Date; to: Date } {
  const year = Number(code.slice(0, 4));
  const [start, end] =
    kind === 'month'
      ? [Date.UTC(year, Number(code.slice(5, 7)) - 1, 1), Date.UTC(year, Number(code.slice(5, 7)), 1)]
      : kind === 'season'
        ? [Date.UTC(year, 8, 1), Date.UTC(year + 1, 8, 1)]
        : [Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1)];
  const day = 24 * 3600 * 1000;
  return { from: new Date(start - day), to: new Date(end + day) };
}

/** The periods per year: the distance to "the same period a year earlier". */
export function periodsPerYear(kind: TrendPeriod): number {
  return kind === 'month' ? 12 : 1;
}

/** Every period from first to last, both included (codes of one kind sort chronologically). */
export function periodRange(kind: TrendPeriod, first: string, last: string): string[] {
  const periods: string[] = [];
  for (let code = first; code <= last; code = shiftPeriod(kind, code, 1)) {
    periods.push(code);
    if (periods.length > MAX_TREND_POINTS) throw new RangeError(`more than ${MAX_TREND_POINTS} periods`);
  }
  return periods;
}

export interface TrendInput {
  kind: TrendPeriod;
  /** Protected cells grouped by [period] or [period, dimension], margins included. */
  cells: ReadonlyArray<PublishedCell & { labels: readonly string[] }>;
  /** The points to show, in order (continuous). */
  periods: readonly string[];
  /** The first period with any data: comparisons with earlier periods are not made. */
  firstData: string | null;
  measures: readonly TrendMeasure[];
  /** Whether the further dimension is a home area (then penetration and index come with the cells). */
  homeDimension: boolean;
  /** Inhabitants behind a series' penetration when it is not grouped by home area (null: none). */
  population?: (seriesCode: string | null) => number | null;
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;
const DECIMALS: Record<TrendMeasure, number> = { tickets: 0, participants: 0, visitsPerParticipant: 2, revenue: 0, penetration: 2, index: 0 };

/**
 * Series of protected values per period, continuous (a period without tickets is 0, published: zero
 * discloses nobody), with the change against the previous period and the same period a year earlier.
 * Changes are computed from published values only; a change involving a withheld value is withheld.
 */
export function trendSeries(input: TrendInput): TrendSeries[] {
  const byId = new Map(input.cells.map((cell) => [cellId(cell.coordinates), cell]));
  const grouped = input.cells.some((cell) => cell.coordinates.length > 1);
  const seriesCodes = grouped
    ? [...new Map(input.cells.filter((cell) => cell.coordinates[0] !== TOTAL).map((cell) => [cell.coordinates[1], cell.labels[1]]))].sort(([a], [b]) => (a === TOTAL ? -1 : b === TOTAL ? 1 : a < b ? -1 : 1))
    : [];
  if (grouped && !seriesCodes.some(([code]) => code === TOTAL)) seriesCodes.unshift([TOTAL, 'Totaal / Total']);
  const series: Array<{ code: string | null; label: string | null }> = grouped ? seriesCodes.map(([code, label]) => ({ code, label })) : [{ code: null, label: null }];

  const point = (period: string, code: string | null): Omit<TrendPoint, 'previous' | 'yearAgo'> => {
    const cell = byId.get(cellId(code === null ? [period] : [period, code]));
    const chosen = (measure: TrendMeasure, value: number | null) => (input.measures.includes(measure) ? value : null);
    if (cell) {
      let penetration = cell.penetration;
      if (!input.homeDimension) {
        const inhabitants = input.population?.(code) ?? null;
        penetration = cell.participants !== null && inhabitants ? round((cell.participants / inhabitants) * 1000, 2) : null;
      }
      return {
        period,
        tickets: chosen('tickets', cell.tickets),
        participants: chosen('participants', cell.participants),
        visitsPerParticipant: chosen('visitsPerParticipant', cell.visitsPerParticipant),
        revenue: chosen('revenue', cell.revenue),
        penetration: chosen('penetration', penetration),
        index: chosen('index', cell.index),
        obsStatus: cell.obsStatus,
        revenueStatus: cell.revenueStatus,
      };
    }
    // Nothing sold: published zeros. Index compares with the period's total, which may be empty too.
    const periodTotal = code === null ? undefined : byId.get(cellId([period, TOTAL]));
    const inhabitants = input.homeDimension ? 1 : (input.population?.(code) ?? null);
    return {
      period,
      tickets: chosen('tickets', 0),
      participants: chosen('participants', 0),
      visitsPerParticipant: null,
      revenue: chosen('revenue', 0),
      penetration: chosen('penetration', inhabitants ? 0 : null),
      index: chosen('index', input.homeDimension && periodTotal?.participants ? 0 : null),
      obsStatus: 'A',
      revenueStatus: 'A',
    };
  };

  const change = (now: Omit<TrendPoint, 'previous' | 'yearAgo'>, earlier: Omit<TrendPoint, 'previous' | 'yearAgo'>): TrendChange => {
    const obsStatus: ObservationStatus = now.obsStatus === 'C' || earlier.obsStatus === 'C' ? 'C' : 'A';
    const revenueStatus: ObservationStatus = now.revenueStatus === 'C' || earlier.revenueStatus === 'C' ? 'C' : 'A';
    const absolute: Partial<Values> = {};
    const percent: Partial<Values> = {};
    for (const measure of input.measures) {
      const withheld = (measure === 'revenue' ? revenueStatus : obsStatus) === 'C';
      const a = now[measure];
      const b = earlier[measure];
      absolute[measure] = withheld || a === null || b === null ? null : round(a - b, DECIMALS[measure]);
      percent[measure] = withheld || a === null || b === null || b === 0 ? null : round(((a - b) / b) * 100, 1);
    }
    return { period: earlier.period, obsStatus, revenueStatus, absolute, percent };
  };

  return series.map(({ code, label }) => {
    const cache = new Map<string, Omit<TrendPoint, 'previous' | 'yearAgo'>>();
    const at = (period: string) => {
      if (!cache.has(period)) cache.set(period, point(period, code));
      return cache.get(period)!;
    };
    const compared = (period: string, steps: number) => {
      const earlier = shiftPeriod(input.kind, period, -steps);
      return input.firstData === null || earlier < input.firstData ? null : change(at(period), at(earlier));
    };
    return {
      coordinates: code === null ? [] : [code],
      labels: label === null ? [] : [label],
      points: input.periods.map((period) => ({ ...at(period), previous: compared(period, 1), yearAgo: compared(period, periodsPerYear(input.kind)) })),
    };
  });
}

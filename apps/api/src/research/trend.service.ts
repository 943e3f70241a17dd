import { Injectable } from '@nestjs/common';
import {
  AGE_BANDS,
  MAX_TREND_POINTS,
  periodEnvelope,
  periodOf,
  periodRange,
  periodsPerYear,
  POPULATION_YEAR,
  shiftPeriod,
  TOTAL,
  TREND_PERIODS,
  trendSeries,
  type AgeBand,
  type TrendPeriod,
  type TrendPoint,
} from '@platform/research';
import { ParticipationQueryStore, type ParticipationDimension, type ParticipationFilter } from '@platform/storage';
import { ApiError } from '../errors/api-error.js';
import { checkGroupBy, ParticipationStatisticsService, type ParticipationMeasure } from './participation-statistics.service.js';

const TIME_DIMENSIONS: readonly string[] = ['day', 'week', 'month', 'season', 'year'];
const HOME_DIMENSIONS: readonly string[] = ['homeMunicipality', 'homeProvince', 'homeRegion'];

export interface Trend {
  period: TrendPeriod;
  groupBy: ParticipationDimension[];
  measures: ParticipationMeasure[];
  k: number;
  populationYear: number;
  series: Array<{ coordinates: Array<{ dimension: string; code: string; label: string }>; points: TrendPoint[] }>;
}

/** Trends: the protected measures per month, season or year, continuous, with changes against earlier periods. */
@Injectable()
export class TrendService {
  constructor(
    private readonly statistics: ParticipationStatisticsService,
    private readonly store: ParticipationQueryStore,
  ) {}

  async trend(period: string | undefined, groupBy: string[], filter: ParticipationFilter, measures: string[] | undefined, where: (parameter: string) => string): Promise<Trend> {
    if (!period || !(TREND_PERIODS as readonly string[]).includes(period)) {
      throw new ApiError('invalid-argument', { nl: `period is ${TREND_PERIODS.join(', ')}.`, en: `period is one of ${TREND_PERIODS.join(', ')}.` }, where('period'));
    }
    const kind = period as TrendPeriod;
    if (groupBy.length > 1 || groupBy.some((dimension) => TIME_DIMENSIONS.includes(dimension))) {
      throw new ApiError('invalid-argument', { nl: 'groupBy: hoogstens één dimensie, geen tijdsdimensie (die geeft period).', en: 'groupBy: at most one dimension, not a time dimension (period gives it).' }, where('groupBy'));
    }
    for (const dimension of TIME_DIMENSIONS) {
      if ((filter as Record<string, unknown>)[dimension]) {
        throw new ApiError('invalid-argument', { nl: `Een trend filtert niet op ${dimension}: gebruik from en to.`, en: `A trend takes no ${dimension} filter: use from and to.` }, where(dimension));
      }
    }
    const dimensions = checkGroupBy(groupBy, where('groupBy'));
    const chosen = this.statistics.checkMeasures(measures ?? [], where('measures'));
    const { from, to, ...rest } = filter;
    if (from && to && Date.parse(from) >= Date.parse(to)) {
      throw new ApiError('invalid-argument', { nl: 'from moet vóór to liggen.', en: 'from must lie before to.' }, where('from'));
    }
    const span = await this.store.span(rest);
    const firstData = span ? periodOf(kind, span.first) : null;
    const first = from ? periodOf(kind, new Date(from)) : firstData;
    const last = to ? periodOf(kind, new Date(Date.parse(to) - 1)) : span ? periodOf(kind, span.last) : null;
    let periods: string[] = [];
    if (first !== null && last !== null && first <= last) {
      try {
        periods = periodRange(kind, first, last);
      } catch {
        throw new ApiError('invalid-argument', { nl: `Hoogstens ${MAX_TREND_POINTS} perioden; beperk from en to.`, en: `At most ${MAX_TREND_POINTS} periods; narrow from and to.` }, where('from'));
      }
    }
    const base = { period: kind, groupBy: dimensions, measures: chosen, k: this.statistics.k, populationYear: POPULATION_YEAR };
    if (periods.length === 0) return { ...base, series: [] };
    // Whole periods, and a year before the first point so that it has its comparisons: one protected table.
    const read = periodRange(kind, shiftPeriod(kind, periods[0], -periodsPerYear(kind)), periods[periods.length - 1]);
    const envelope = { from: periodEnvelope(kind, read[0]).from.toISOString(), to: periodEnvelope(kind, read[read.length - 1]).to.toISOString() };
    const table = await this.statistics.table([kind, ...dimensions], { ...rest, ...envelope, [kind]: read }, [], where('groupBy'));
    const series = trendSeries({
      kind,
      cells: table.cells,
      periods,
      firstData,
      measures: chosen,
      homeDimension: dimensions.length === 1 && HOME_DIMENSIONS.includes(dimensions[0]),
      population: (code) => this.population(rest, dimensions[0], code),
    });
    return {
      ...base,
      series: series.map((line) => ({
        coordinates: line.coordinates.map((code, index) => ({ dimension: dimensions[index], code, label: line.labels[index] })),
        points: line.points,
      })),
    };
  }

  /** Inhabitants of the filtered home area (and age bands), the base of penetration without a home dimension. */
  private population(filter: ParticipationFilter, dimension: ParticipationDimension | undefined, code: string | null): number | null {
    const geography = this.statistics.geography;
    let bands: readonly string[] | undefined = filter.ageBand;
    if (dimension === 'ageBand' && code !== null && code !== TOTAL) bands = bands ? bands.filter((band) => band === code) : [code];
    const members = [...geography.municipalities.keys()].filter(
      (nis5) =>
        (!filter.homeMunicipality || filter.homeMunicipality.includes(nis5)) &&
        (!filter.homeProvince || filter.homeProvince.includes(geography.provinceOf(nis5) ?? '')) &&
        (!filter.homeRegion || filter.homeRegion.includes(geography.regionOf(nis5) ?? '')),
    );
    const known = bands?.filter((band): band is AgeBand => (AGE_BANDS as readonly string[]).includes(band));
    if (bands && known!.length === 0) return null;
    const inhabitants = known ? known.reduce((sum, band) => sum + geography.populationOf(members, band), 0) : geography.populationOf(members);
    return inhabitants > 0 ? inhabitants : null;
  }
}

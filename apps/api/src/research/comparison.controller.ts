import { Controller, Get, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import type { Request, Response } from 'express';
import { PEER_KINDS, TREND_PERIODS, type ComparisonSide } from '@platform/research';
import { ResearcherAuthGuard } from '../auth/researcher-auth.guard.js';
import { ApiError } from '../errors/api-error.js';
import { ComparisonService, type Comparison } from './comparison.service.js';
import { PARTICIPATION_MEASURES } from './participation-statistics.service.js';
import { filterFromQuery, list } from './research.controller.js';
import { TrendService, type Trend } from './trend.service.js';

const capitalized = (word: string) => word[0].toUpperCase() + word.slice(1);
const cell = (value: number | string | null | undefined) => (value === null || value === undefined ? '' : String(value));

/** CSV of a comparison: the row's codes and labels, then the organisation's and the peers' measures, share and statuses. */
export function comparisonToCsv(comparison: Comparison): string {
  const sides = ['organization', 'peers'] as const;
  const fields = [...comparison.measures, 'share', 'obsStatus', 'revenueStatus'] as const;
  const header = [...comparison.groupBy.flatMap((dimension) => [dimension, `${dimension}Label`]), ...sides.flatMap((side) => fields.map((field) => `${side}${capitalized(field)}`))];
  const rows = comparison.rows.map((row) => [
    ...row.coordinates.flatMap((coordinate) => [coordinate.code, coordinate.label]),
    ...sides.flatMap((side) => fields.map((field) => cell(row[side][field as keyof ComparisonSide]))),
  ]);
  return stringify([header, ...rows]);
}

/** CSV of a trend: one row per series and period, the measures and statuses, then the changes. */
export function trendToCsv(trend: Trend): string {
  const changes = trend.measures.flatMap((measure) => [`${measure}ChangePrevious`, `${measure}ChangePreviousPercent`, `${measure}ChangeYearAgo`, `${measure}ChangeYearAgoPercent`]);
  const header = [...trend.groupBy.flatMap((dimension) => [dimension, `${dimension}Label`]), 'period', ...trend.measures, 'obsStatus', 'revenueStatus', ...changes];
  const rows = trend.series.flatMap((line) =>
    line.points.map((point) => [
      ...line.coordinates.flatMap((coordinate) => [coordinate.code, coordinate.label]),
      point.period,
      ...trend.measures.map((measure) => cell(point[measure])),
      point.obsStatus,
      point.revenueStatus,
      ...trend.measures.flatMap((measure) => [
        cell(point.previous?.absolute[measure]),
        cell(point.previous?.percent[measure]),
        cell(point.yearAgo?.absolute[measure]),
        cell(point.yearAgo?.percent[measure]),
      ]),
    ]),
  );
  return stringify([header, ...rows]);
}

function formatOf(query: Record<string, unknown>, request: Request): 'json' | 'csv' {
  const format = typeof query.format === 'string' ? query.format : /text\/csv/.test(request.headers.accept ?? '') ? 'csv' : 'json';
  if (format !== 'json' && format !== 'csv') throw new ApiError('invalid-argument', { nl: 'format is json of csv.', en: 'format is json or csv.' }, 'query format');
  return format;
}

const inQuery = (parameter: string) => `query ${parameter}`;

@ApiTags('research')
@Controller('v1/research')
@UseGuards(ResearcherAuthGuard)
@ApiBearerAuth('researcher')
export class ComparisonController {
  constructor(
    private readonly comparisons: ComparisonService,
    private readonly trends: TrendService,
  ) {}

  @Get('organizers')
  @ApiOperation({ summary: 'Organisations with participation, with their province, region and main activity type and the size of each peer group' })
  @ApiQuery({ name: 'from', required: false })
  @ApiQuery({ name: 'to', required: false })
  async organizers(@Query() query: Record<string, unknown>) {
    return this.comparisons.organizers(filterFromQuery(query));
  }

  @Get('comparators')
  @ApiOperation({
    summary: 'An organisation against the aggregate of its peer group (JSON or CSV)',
    description:
      'Peers: the other organisations of the same province, region (of the main venue) or main activity type; shown only with at least 5 of them. ' +
      'Both sides are protected like participation (k, dominance, secondary suppression, cell-key perturbation); the organisation\'s own revenue is always withheld.',
  })
  @ApiQuery({ name: 'organizer', required: true })
  @ApiQuery({ name: 'peers', required: true, enum: [...PEER_KINDS] })
  @ApiQuery({ name: 'groupBy', required: false, description: 'at most one dimension' })
  @ApiQuery({ name: 'measures', required: false, description: PARTICIPATION_MEASURES.join(', ') })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  async comparators(@Query() query: Record<string, unknown>, @Req() request: Request, @Res() response: Response) {
    const format = formatOf(query, request);
    // `organizer` names the organisation compared, not a filter.
    const { organizer: _organizer, ...filters } = query;
    const comparison = await this.comparisons.compare(
      typeof query.organizer === 'string' ? query.organizer : undefined,
      typeof query.peers === 'string' ? query.peers : undefined,
      list(query.groupBy) ?? [],
      filterFromQuery(filters),
      list(query.measures),
      inQuery,
    );
    if (format === 'json') {
      response.status(200).json(comparison);
      return;
    }
    if (!comparison.available) throw new ApiError('peer-group-too-small', comparison.reason!, 'query peers', { peers: comparison.peers, minimumPeers: comparison.minimumPeers });
    response
      .status(200)
      .type('text/csv; charset=utf-8')
      .setHeader('content-disposition', `attachment; filename="comparators-${comparison.peers.kind}${comparison.groupBy.map((dimension) => `-${dimension}`).join('')}.csv"`)
      .send(comparisonToCsv(comparison));
  }

  @Get('trends')
  @ApiOperation({
    summary: 'Protected participation per month, season or year, with the change against the previous period and a year earlier (JSON or CSV)',
    description: 'Continuous: a period without tickets is 0. A change computed from a withheld value is withheld (obsStatus C). Same k, cell keys and population base (Statbel 2021) for every period.',
  })
  @ApiQuery({ name: 'period', required: true, enum: [...TREND_PERIODS] })
  @ApiQuery({ name: 'groupBy', required: false, description: 'at most one dimension' })
  @ApiQuery({ name: 'measures', required: false, description: PARTICIPATION_MEASURES.join(', ') })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv'] })
  async trend(@Query() query: Record<string, unknown>, @Req() request: Request, @Res() response: Response) {
    const format = formatOf(query, request);
    const trend = await this.trends.trend(typeof query.period === 'string' ? query.period : undefined, list(query.groupBy) ?? [], filterFromQuery(query), list(query.measures), inQuery);
    if (format === 'json') {
      response.status(200).json(trend);
      return;
    }
    response
      .status(200)
      .type('text/csv; charset=utf-8')
      .setHeader('content-disposition', `attachment; filename="trends-${trend.period}${trend.groupBy.map((dimension) => `-${dimension}`).join('')}.csv"`)
      .send(trendToCsv(trend));
  }
}

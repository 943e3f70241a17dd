import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { stringify } from 'csv-stringify/sync';
import type { Request, Response } from 'express';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@platform/config';
import { toTurtle } from '@platform/linked-data';
import { cubeToJsonLd, participationCube } from '@platform/research';
import { PARTICIPATION_DIMENSIONS, ResearcherKeyStore, type ParticipationFilter } from '@platform/storage';
import { AdminGuard } from '../auth/admin.guard.js';
import { ResearcherAuthGuard } from '../auth/researcher-auth.guard.js';
import { ApiError } from '../errors/api-error.js';
import { PARTICIPATION_MEASURES, ParticipationStatisticsService, type ParticipationTable } from './participation-statistics.service.js';

export const list = (value: unknown): string[] | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value.split(',').map((entry) => entry.trim()).filter(Boolean) : Array.isArray(value) ? value.map(String) : undefined;

const ISO_8601 = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?)?$/;

/** Query parameters to a filter: every dimension name takes a comma-separated list of codes; from/to are ISO date-times. */
export function filterFromQuery(query: Record<string, unknown>): ParticipationFilter {
  const filter: ParticipationFilter = {};
  for (const dimension of PARTICIPATION_DIMENSIONS) {
    const values = list(query[dimension]);
    if (values) (filter as Record<string, string[]>)[dimension] = values;
  }
  for (const bound of ['from', 'to'] as const) {
    const value = query[bound];
    if (value === undefined) continue;
    // Date.parse alone takes "%00" or "1" for a year (V8's lenient parser): ISO 8601 only, then normalised.
    if (typeof value !== 'string' || !ISO_8601.test(value) || Number.isNaN(Date.parse(value))) {
      throw new ApiError(
        'invalid-argument',
        { nl: `${bound} moet een ISO 8601-datum zijn (2026-09-01 of 2026-09-01T00:00:00+02:00).`, en: `${bound} must be an ISO 8601 date (2026-09-01 or 2026-09-01T00:00:00+02:00).` },
        `query ${bound}`,
      );
    }
    filter[bound] = new Date(value).toISOString();
  }
  return filter;
}

/** CSV of a protected table: codes and labels per dimension, the measures, and each cell's status (C = confidential). */
export function tableToCsv(table: ParticipationTable): string {
  const header = [...table.groupBy.flatMap((dimension) => [dimension, `${dimension}Label`]), ...table.measures, 'obsStatus', 'revenueStatus'];
  const rows = table.cells.map((cell) => [
    ...cell.coordinates.flatMap((code, index) => [code, cell.labels[index]]),
    ...table.measures.map((measure) => {
      const value = cell[measure];
      return value === null ? '' : String(value);
    }),
    cell.obsStatus,
    cell.revenueStatus,
  ]);
  return stringify([header, ...rows]);
}

@ApiTags('research')
@Controller()
export class ResearchController {
  constructor(
    private readonly statistics: ParticipationStatisticsService,
    private readonly keys: ResearcherKeyStore,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  @Get('v1/research/participation')
  @UseGuards(ResearcherAuthGuard)
  @ApiBearerAuth('researcher')
  @ApiOperation({
    summary: 'Protected participation statistics (JSON or CSV)',
    description:
      'groupBy: up to 3 of ' + PARTICIPATION_DIMENSIONS.join(', ') + '. Filters: any dimension name with comma-separated codes, from/to (performance start). ' +
      'Cells below k persons and revenue dominated by one organisation are suppressed (obsStatus C, value empty), with secondary suppression; published values are perturbed with the cell-key method.',
  })
  @ApiQuery({ name: 'groupBy', required: false, description: 'comma-separated dimensions' })
  @ApiQuery({ name: 'measures', required: false, description: PARTICIPATION_MEASURES.join(', ') })
  @ApiQuery({ name: 'format', required: false, enum: ['json', 'csv', 'turtle', 'jsonld'], description: 'turtle / jsonld: an RDF Data Cube (qb:DataSet with its qb:DataStructureDefinition)' })
  async participation(@Query() query: Record<string, unknown>, @Req() request: Request, @Res() response: Response) {
    const table = await this.statistics.table(list(query.groupBy) ?? [], filterFromQuery(query), list(query.measures), 'query groupBy');
    const accept = request.headers.accept ?? '';
    const format = typeof query.format === 'string' ? query.format : /text\/csv/.test(accept) ? 'csv' : /text\/turtle/.test(accept) ? 'turtle' : /application\/ld\+json/.test(accept) ? 'jsonld' : 'json';
    if (!['json', 'csv', 'turtle', 'jsonld'].includes(format)) {
      throw new ApiError('invalid-argument', { nl: 'format is json, csv, turtle of jsonld.', en: 'format is json, csv, turtle or jsonld.' }, 'query format');
    }
    if (format === 'turtle' || format === 'jsonld') {
      const cube = participationCube(table, {
        baseUrl: this.config.get('PUBLIC_BASE_URL', { infer: true }),
        query: request.originalUrl.replace(/[?&]format=[^&]*/, ''),
        title: `Participation by ${table.groupBy.join(', ') || 'total'}`,
        issued: new Date(),
      });
      if (format === 'turtle') response.status(200).type('text/turtle; charset=utf-8').send(toTurtle(cube));
      else response.status(200).type('application/ld+json; charset=utf-8').send(JSON.stringify(await cubeToJsonLd(cube)));
      return;
    }
    const wantsCsv = format === 'csv';
    if (wantsCsv) {
      response
        .status(200)
        .type('text/csv; charset=utf-8')
        .setHeader('content-disposition', `attachment; filename="participation-${table.groupBy.join('-') || 'total'}.csv"`)
        .send(tableToCsv(table));
      return;
    }
    response.status(200).json(table);
  }

  @Post('v1/admin/researcher-keys')
  @UseGuards(AdminGuard)
  @ApiBearerAuth('admin')
  @ApiOperation({ summary: 'Issue a researcher key (shown once): it reads participation statistics only.' })
  async issue(@Body() body: unknown) {
    const name = (body as { name?: unknown } | undefined)?.name;
    if (typeof name !== 'string' || name.trim() === '') throw new ApiError('invalid-argument', { nl: 'name is verplicht.', en: 'name is required.' }, 'body /name');
    return this.keys.issue(name.trim());
  }

  @Get('v1/admin/researcher-keys')
  @UseGuards(AdminGuard)
  @ApiBearerAuth('admin')
  list() {
    return this.keys.list();
  }

  @Delete('v1/admin/researcher-keys/:keyId')
  @UseGuards(AdminGuard)
  @ApiBearerAuth('admin')
  @HttpCode(204)
  async revoke(@Param('keyId') keyId: string) {
    if (!/^[0-9a-f-]{36}$/.test(keyId) || !(await this.keys.revoke(keyId))) {
      throw new ApiError('key-not-found', { nl: `Geen actieve onderzoekerssleutel ${keyId}.`, en: `No live researcher key ${keyId}.` }, 'path keyId');
    }
  }
}

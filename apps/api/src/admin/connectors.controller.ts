import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Res, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { AppConfig } from '@platform/config';
import { connectorFor } from '@platform/connectors';
import { ConnectorSchedules } from '@platform/queue';
import { ConnectorStore, SourceStore, viewConnector, type ConnectorRunEntity } from '@platform/storage';
import { AdminGuard } from '../auth/admin.guard.js';
import { ApiError } from '../errors/api-error.js';

/** A run report as operators read it. */
export function presentRun(run: ConnectorRunEntity) {
  const { id, sourceId, trigger, status, startedAt, finishedAt, pages, fetched, accepted, rejected, unchanged, deleted, availabilityUpdates, rejections, error, cursorStart, cursorEnd } = run;
  return {
    id,
    sourceId,
    trigger,
    status,
    startedAt,
    finishedAt,
    durationMs: finishedAt ? finishedAt.getTime() - startedAt.getTime() : null,
    pages,
    fetched,
    accepted,
    rejected,
    unchanged,
    deleted,
    availabilityUpdates,
    rejections,
    error,
    cursorStart,
    cursorEnd,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FINISHED = new Set(['succeeded', 'failed', 'interrupted', 'skipped']);

function readConnectorInput(body: unknown): { baseUrl: string; everyMinutes: number | null; options: Record<string, unknown>; credentials?: Record<string, string> } {
  const input = (body ?? {}) as Record<string, unknown>;
  const invalid = (where: string, nl: string, en: string) => new ApiError('invalid-argument', { nl, en }, `body ${where}`);
  if (typeof input.baseUrl !== 'string' || !/^https?:\/\/[^\s]+$/.test(input.baseUrl)) {
    throw invalid('/baseUrl', 'baseUrl: een absolute http(s)-URL is verplicht.', 'baseUrl: an absolute http(s) URL is required.');
  }
  const everyMinutes = input.everyMinutes ?? null;
  if (everyMinutes !== null && (!Number.isInteger(everyMinutes) || (everyMinutes as number) < 1 || (everyMinutes as number) > 7 * 24 * 60)) {
    throw invalid('/everyMinutes', 'everyMinutes: een geheel getal van 1 tot 10080, of null (alleen met de hand).', 'everyMinutes: an integer from 1 to 10080, or null (runs by hand only).');
  }
  const options = input.options ?? {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw invalid('/options', 'options: een JSON-object.', 'options: a JSON object.');
  }
  let credentials: Record<string, string> | undefined;
  if (input.credentials !== undefined) {
    const given = input.credentials as Record<string, unknown>;
    if (typeof given !== 'object' || given === null || Array.isArray(given) || Object.values(given).some((value) => typeof value !== 'string')) {
      throw invalid('/credentials', 'credentials: een object met tekstwaarden.', 'credentials: an object of string values.');
    }
    credentials = given as Record<string, string>;
  }
  return { baseUrl: input.baseUrl.replace(/\/+$/, ''), everyMinutes: everyMinutes as number | null, options: options as Record<string, unknown>, credentials };
}

@ApiTags('admin: connectors')
@ApiBearerAuth('admin')
@UseGuards(AdminGuard)
@Controller('v1/admin')
export class ConnectorsController {
  constructor(
    private readonly sources: SourceStore,
    private readonly connectors: ConnectorStore,
    private readonly schedules: ConnectorSchedules,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  private async sourceWithConnector(sourceId: string) {
    const source = await this.sources.find(sourceId);
    if (!source) throw new ApiError('source-not-found', { nl: `Onbekende bron: ${sourceId}`, en: `Unknown source: ${sourceId}` }, 'path sourceId');
    const connector = connectorFor(source.kind);
    if (!connector) {
      throw new ApiError(
        'invalid-argument',
        { nl: `Bron ${sourceId} is van soort ${source.kind}: die heeft geen connector (alleen push).`, en: `Source ${sourceId} is of kind ${source.kind}, which has no connector (push only).` },
        'path sourceId',
      );
    }
    return { source, connector };
  }

  @Put('sources/:sourceId/connector')
  @ApiOperation({
    summary: 'Configure the connector of a source (kind uitdatabank, ticketmatic, yesplan, rpde or ldes).',
    description: 'Credentials are stored and used, never returned or logged; leave them out to keep the stored ones. everyMinutes schedules runs in the worker.',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['baseUrl'],
      properties: {
        baseUrl: { type: 'string', example: 'https://search.uitdatabank.be' },
        everyMinutes: { type: 'integer', nullable: true, example: 15 },
        options: { type: 'object', additionalProperties: true },
        credentials: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  })
  async configure(@Param('sourceId') sourceId: string, @Body() body: unknown) {
    const { connector } = await this.sourceWithConnector(sourceId);
    const input = readConnectorInput(body);
    const stored = await this.connectors.find(sourceId);
    if (stored?.credentialsUnreadable && !input.credentials) {
      throw new ApiError(
        'invalid-argument',
        {
          nl: `De opgeslagen geheimen kunnen niet geopend worden (${stored.credentialsUnreadable}): geef ze opnieuw in credentials.`,
          en: `The stored credentials cannot be opened (${stored.credentialsUnreadable}): give them again in credentials.`,
        },
        'body /credentials',
      );
    }
    const problems = connector.checkSettings({ baseUrl: input.baseUrl, everyMinutes: input.everyMinutes ?? undefined, options: input.options }, input.credentials ?? stored?.credentials ?? {});
    if (problems.length > 0) {
      throw new ApiError(
        'invalid-argument',
        { nl: problems.map((problem) => `${problem.path}: ${problem.nl}`).join(' '), en: problems.map((problem) => `${problem.path}: ${problem.en}`).join(' ') },
        `body ${problems[0].path}`,
        problems,
      );
    }
    const saved = await this.connectors.configure(sourceId, input);
    await this.schedules.schedule(sourceId, saved.everyMinutes);
    return viewConnector(saved);
  }

  @Get('sources/:sourceId/connector')
  @ApiOperation({ summary: 'The connector settings, cursor and state of a source (secret names only, never values).' })
  async show(@Param('sourceId') sourceId: string) {
    const stored = await this.connectors.find(sourceId);
    if (!stored) throw new ApiError('connector-not-found', { nl: `Bron ${sourceId} heeft geen connector.`, en: `Source ${sourceId} has no connector.` }, 'path sourceId');
    return viewConnector(stored);
  }

  @Delete('sources/:sourceId/connector/cursor')
  @HttpCode(204)
  @ApiOperation({ summary: 'Forget the cursor: the next run starts from the beginning of the remote feed (re-sent records are no-ops).' })
  async resetCursor(@Param('sourceId') sourceId: string) {
    if (!(await this.connectors.find(sourceId))) {
      throw new ApiError('connector-not-found', { nl: `Bron ${sourceId} heeft geen connector.`, en: `Source ${sourceId} has no connector.` }, 'path sourceId');
    }
    if (!(await this.connectors.resetCursor(sourceId))) {
      throw new ApiError(
        'run-in-progress',
        { nl: `Er loopt een synchronisatie van bron ${sourceId}; zet de cursor terug als ze klaar is.`, en: `A run of source ${sourceId} is in progress; reset the cursor when it has finished.` },
        'path sourceId',
      );
    }
  }

  @Post('sources/:sourceId/runs')
  @ApiOperation({ summary: 'Start a run by hand: 202 with the run id, or with ?wait=true 200 with the report once the run ends.' })
  @ApiQuery({ name: 'wait', required: false, type: Boolean })
  async start(@Param('sourceId') sourceId: string, @Query('wait') wait: string | undefined, @Res() response: Response) {
    await this.sourceWithConnector(sourceId);
    if (!(await this.connectors.find(sourceId))) {
      throw new ApiError(
        'connector-not-found',
        { nl: `Bron ${sourceId} heeft nog geen connector-instellingen.`, en: `Source ${sourceId} has no connector settings yet.` },
        'path sourceId',
      );
    }
    const runId = await this.connectors.queueRun(sourceId, 'manual');
    await this.schedules.startRun(sourceId, runId);
    const statusUrl = `${this.config.get('PUBLIC_BASE_URL', { infer: true })}/v1/admin/runs/${runId}`;
    if (wait !== undefined && wait !== 'false') {
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        const run = await this.connectors.findRun(runId);
        if (run && FINISHED.has(run.status)) {
          response.status(200).json(presentRun(run));
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    response.status(202).location(statusUrl).json({ runId, status: 'queued', statusUrl });
  }

  @Get('sources/:sourceId/runs')
  @ApiOperation({ summary: 'The latest runs of a source, newest first.' })
  async list(@Param('sourceId') sourceId: string) {
    return (await this.connectors.listRuns(sourceId)).map(presentRun);
  }

  @Get('runs/:runId')
  @ApiOperation({ summary: 'One run report: fetched, accepted, rejected (with reasons), unchanged, deleted, duration.' })
  async find(@Param('runId') runId: string) {
    const run = UUID.test(runId) ? await this.connectors.findRun(runId) : null;
    if (!run) throw new ApiError('run-not-found', { nl: `Onbekende run: ${runId}`, en: `Unknown run: ${runId}` }, 'path runId');
    return presentRun(run);
  }
}

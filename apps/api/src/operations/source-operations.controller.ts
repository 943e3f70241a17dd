import { Controller, Delete, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { ConnectorStore, MAX_THROUGHPUT_MINUTES, OperationsStore, SourceStore, viewConnector } from '@platform/storage';
import { SourceAccessGuard, type PrincipalRequest } from '../auth/source-access.guard.js';
import { presentRun } from '../admin/connectors.controller.js';
import { ApiError } from '../errors/api-error.js';

const MAX_LIMIT = 200;

/** A positive integer query parameter within bounds, or a clear 400 naming it. */
export function readInteger(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) {
    throw new ApiError('invalid-argument', { nl: `${name}: een geheel getal van 1 tot ${max}.`, en: `${name}: an integer from 1 to ${max}.` }, `query ${name}`);
  }
  return parsed;
}

function readTime(value: string | undefined, name: string): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) {
    throw new ApiError('invalid-argument', { nl: `${name}: een tijdstip (ISO 8601).`, en: `${name}: a time (ISO 8601).` }, `query ${name}`);
  }
  return parsed;
}

/**
 * What a vendor may see and do about its own source, and the operator about every source: the source,
 * its keys, its connector and runs (read), its batches and rejected items, its throughput. The console
 * reads these; they are plain REST for scripts too.
 */
@ApiTags('source operations')
@ApiBearerAuth('vendor')
@ApiBearerAuth('admin')
@UseGuards(SourceAccessGuard)
@Controller()
export class SourceOperationsController {
  constructor(
    private readonly sources: SourceStore,
    private readonly connectors: ConnectorStore,
    private readonly operations: OperationsStore,
  ) {}

  @Get('v1/me')
  @ApiOperation({ summary: 'Who this token is: the operator (admin token) or the vendor of one source.' })
  me(@Req() request: PrincipalRequest) {
    const { principal } = request;
    return principal.role === 'admin' ? { role: 'admin' } : { role: 'vendor', keyId: principal.keyId, source: principal.source };
  }

  @Get('v1/sources/:sourceId')
  @ApiOperation({ summary: 'One source.' })
  async source(@Param('sourceId') sourceId: string) {
    return (await this.sources.find(sourceId))!;
  }

  @Get('v1/sources/:sourceId/keys')
  @ApiOperation({ summary: 'The keys of the source (prefix and state only, never the key).' })
  async keys(@Param('sourceId') sourceId: string, @Req() request: PrincipalRequest) {
    const keys = await this.sources.listKeys(sourceId);
    const own = request.principal.role === 'vendor' ? request.principal.keyId : null;
    return keys.map(({ id, keyPrefix, createdAt, revokedAt }) => ({ keyId: id, keyPrefix, createdAt, revokedAt, current: id === own }));
  }

  @Post('v1/sources/:sourceId/keys')
  @ApiOperation({ summary: 'Issue another key for the source (rotation): the key is shown once.' })
  issueKey(@Param('sourceId') sourceId: string) {
    return this.sources.issueKey(sourceId);
  }

  @Delete('v1/sources/:sourceId/keys/:keyId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Revoke a key of the source: it stops working at once.' })
  async revokeKey(@Param('sourceId') sourceId: string, @Param('keyId') keyId: string) {
    if (!(await this.sources.revokeKey(sourceId, keyId))) {
      throw new ApiError('key-not-found', { nl: `Geen actieve sleutel ${keyId} voor bron ${sourceId}.`, en: `No live key ${keyId} for source ${sourceId}.` }, 'path keyId');
    }
  }

  @Get('v1/sources/:sourceId/connector')
  @ApiOperation({ summary: 'The connector settings, cursor and state of the source (secret names only, never values).' })
  async connector(@Param('sourceId') sourceId: string) {
    const stored = await this.connectors.find(sourceId);
    if (!stored) throw new ApiError('connector-not-found', { nl: `Bron ${sourceId} heeft geen connector.`, en: `Source ${sourceId} has no connector.` }, 'path sourceId');
    return viewConnector(stored);
  }

  @Get('v1/sources/:sourceId/runs')
  @ApiOperation({ summary: 'The latest connector runs of the source, newest first (a running one shows its progress so far).' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  async runs(@Param('sourceId') sourceId: string, @Query('limit') limit?: string) {
    return (await this.connectors.listRuns(sourceId, readInteger(limit, 'limit', 20, MAX_LIMIT))).map(presentRun);
  }

  @Get('v1/sources/:sourceId/batches')
  @ApiOperation({ summary: 'The batches of the source (pushes and connector pages), newest first; ?rejected=true: only those with rejected items or a failure.' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  @ApiQuery({ name: 'before', required: false, description: 'receivedAt of the last batch of the previous page' })
  @ApiQuery({ name: 'rejected', required: false, type: Boolean })
  async batches(@Param('sourceId') sourceId: string, @Query('limit') limit?: string, @Query('before') before?: string, @Query('rejected') rejected?: string) {
    const rows = await this.operations.batches(sourceId, {
      limit: readInteger(limit, 'limit', 50, MAX_LIMIT),
      before: readTime(before, 'before'),
      rejectedOnly: rejected === 'true',
    });
    return rows.map(({ id, createdAt, ...row }) => ({ batchId: id, receivedAt: createdAt, ...row }));
  }

  @Get('v1/sources/:sourceId/rejections')
  @ApiOperation({ summary: 'The latest rejected items of the source across batches, with their SHACL results (nl and en).' })
  @ApiQuery({ name: 'limit', required: false, type: Number })
  rejections(@Param('sourceId') sourceId: string, @Query('limit') limit?: string) {
    return this.operations.rejections(sourceId, readInteger(limit, 'limit', 50, MAX_LIMIT));
  }

  @Get('v1/sources/:sourceId/throughput')
  @ApiOperation({ summary: 'Items accepted, rejected and unchanged, failed batches and failed runs of the source per minute, for the last `minutes` (default 60).' })
  @ApiQuery({ name: 'minutes', required: false, type: Number })
  async throughput(@Param('sourceId') sourceId: string, @Query('minutes') minutes?: string) {
    return { sourceId, minutes: await this.operations.throughput({ sourceId, minutes: readInteger(minutes, 'minutes', 60, MAX_THROUGHPUT_MINUTES) }) };
  }
}

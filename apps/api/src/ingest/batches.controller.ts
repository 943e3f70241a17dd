import { Controller, Get, Param, ParseUUIDPipe, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ArchiveStore, BatchStore, type IngestBatchEntity } from '@platform/storage';
import { SourceAccessGuard, type PrincipalRequest } from '../auth/source-access.guard.js';
import { ApiError } from '../errors/api-error.js';
import { presentBatch } from './batch-view.js';

@ApiTags('vendor push')
@ApiBearerAuth('vendor')
@ApiBearerAuth('admin')
@UseGuards(SourceAccessGuard)
@Controller('v1/batches')
export class BatchesController {
  constructor(
    private readonly batches: BatchStore,
    private readonly archive: ArchiveStore,
  ) {}

  /** The batch if this caller may read it: the operator, or the vendor of the batch's source. */
  private allowed<T extends { sourceId: string }>(batch: T | null, batchId: string, request: PrincipalRequest): T {
    if (!batch) throw new ApiError('batch-not-found', { nl: `Onbekende batch: ${batchId}`, en: `Unknown batch: ${batchId}` }, 'path batchId');
    const { principal } = request;
    if (principal.role === 'vendor' && batch.sourceId !== principal.source.id) {
      throw new ApiError('forbidden', { nl: 'Deze batch hoort bij een andere bron.', en: 'This batch belongs to another source.' }, 'path batchId');
    }
    return batch;
  }

  @Get(':batchId')
  @ApiOperation({ summary: 'Status and per-item results of a batch (SHACL results in nl and en): the vendor of its source or the operator.' })
  async get(@Param('batchId', new ParseUUIDPipe()) batchId: string, @Req() request: PrincipalRequest) {
    const view = await this.batches.view(batchId);
    this.allowed(view?.batch ?? null, batchId, request);
    return presentBatch(view!);
  }

  @Get(':batchId/payload')
  @ApiOperation({
    summary: 'The archived body of a batch, byte for byte, with the Content-Type it was received with (a connector page: its first response).',
  })
  async payload(@Param('batchId', new ParseUUIDPipe()) batchId: string, @Req() request: PrincipalRequest, @Res() response: Response) {
    const batch: IngestBatchEntity = this.allowed(await this.batches.find(batchId), batchId, request);
    const payload = await this.archive.find(batch.payloadId);
    if (!payload) throw new ApiError('resource-not-found', { nl: `Het archief van batch ${batchId} ontbreekt.`, en: `The archive of batch ${batchId} is missing.` }, 'path batchId');
    response
      .status(200)
      .set({
        'Content-Type': payload.contentType,
        // Whatever a vendor or a remote sent is shown, never run: no sniffing, no scripts on this origin.
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "sandbox; default-src 'none'",
        'Content-Disposition': `inline; filename="batch-${batchId}"`,
        'Cache-Control': 'private, max-age=86400, immutable',
        'X-Payload-Id': payload.id,
        'X-Received-At': payload.receivedAt.toISOString(),
        ...(payload.origin ? { 'X-Payload-Origin': payload.origin } : {}),
      })
      .send(payload.body);
  }
}

import { Controller, Get, Param, ParseUUIDPipe, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BatchStore } from '@platform/storage';
import { VendorAuthGuard, type AuthenticatedRequest } from '../auth/vendor-auth.guard.js';
import { ApiError } from '../errors/api-error.js';
import { presentBatch } from './batch-view.js';

@ApiTags('vendor push')
@ApiBearerAuth('vendor')
@UseGuards(VendorAuthGuard)
@Controller('v1/batches')
export class BatchesController {
  constructor(private readonly batches: BatchStore) {}

  @Get(':batchId')
  @ApiOperation({ summary: 'Status and per-item results of a pushed batch (SHACL results in nl and en).' })
  async get(@Param('batchId', new ParseUUIDPipe()) batchId: string, @Req() request: AuthenticatedRequest) {
    const view = await this.batches.view(batchId);
    if (!view) throw new ApiError('batch-not-found', { nl: `Onbekende batch: ${batchId}`, en: `Unknown batch: ${batchId}` }, 'path batchId');
    if (view.batch.sourceId !== request.caller.source.id) {
      throw new ApiError('forbidden', { nl: 'Deze batch hoort bij een andere bron.', en: 'This batch belongs to another source.' }, 'path batchId');
    }
    return presentBatch(view);
  }
}

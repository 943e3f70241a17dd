import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { MAX_THROUGHPUT_MINUTES, OperationsStore } from '@platform/storage';
import { AdminGuard } from '../auth/admin.guard.js';
import { readInteger } from './source-operations.controller.js';

@ApiTags('admin')
@ApiBearerAuth('admin')
@UseGuards(AdminGuard)
@Controller('v1/admin')
export class AdminOperationsController {
  constructor(private readonly operations: OperationsStore) {}

  @Get('throughput')
  @ApiOperation({ summary: 'Items accepted, rejected and unchanged, failed batches and failed runs of all sources per minute, for the last `minutes` (default 60).' })
  @ApiQuery({ name: 'minutes', required: false, type: Number })
  async throughput(@Query('minutes') minutes?: string) {
    return { minutes: await this.operations.throughput({ minutes: readInteger(minutes, 'minutes', 60, MAX_THROUGHPUT_MINUTES) }) };
  }
}

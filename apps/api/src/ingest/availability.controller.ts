import { Controller, HttpCode, Param, Put, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConfigService } from '@nestjs/config';
import type { Response } from 'express';
import type { AppConfig } from '@platform/config';
import { AvailabilityService } from '@platform/pipeline';
import { ArchiveStore } from '@platform/storage';
import { VendorAuthGuard, type AuthenticatedRequest } from '../auth/vendor-auth.guard.js';
import { ApiError } from '../errors/api-error.js';
import { bodyBytes, bodyText, parseJsonBody } from './request-body.js';

const UPDATE_SCHEMA = { $ref: '#/components/schemas/AvailabilityUpdate' };

@ApiTags('vendor push')
@ApiBearerAuth('vendor')
@UseGuards(VendorAuthGuard)
@Controller('v1/sources/:sourceId')
export class AvailabilityController {
  constructor(
    private readonly archive: ArchiveStore,
    private readonly availability: AvailabilityService,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  private async archived(sourceId: string, request: AuthenticatedRequest): Promise<unknown> {
    const bytes = bodyBytes(request);
    await this.archive.archive({ sourceId, kind: 'availability', contentType: request.headers['content-type'] ?? 'application/json', body: bytes });
    return parseJsonBody(bodyText(bytes));
  }

  @Put('performances/:performanceId/availability')
  @ApiOperation({
    summary: 'Set the availability of one performance (fast lane)',
    description: '{capacity, remaining}, {remaining} (stored capacity) or {level}. Stored, change-logged and published to subscribers at once.',
  })
  @ApiBody({ schema: UPDATE_SCHEMA })
  async updateOne(
    @Param('sourceId') sourceId: string,
    @Param('performanceId') performanceId: string,
    @Req() request: AuthenticatedRequest,
    @Res() response: Response,
  ) {
    const body = await this.archived(sourceId, request);
    const [result] = await this.availability.update(sourceId, [{ performanceId, body }]);
    if (result.status === 'not-found') {
      throw new ApiError('resource-not-found', { nl: `Onbekende uitvoering ${performanceId} in bron ${sourceId}.`, en: `Unknown performance ${performanceId} in source ${sourceId}.` }, 'path performanceId');
    }
    response.status(result.status === 'rejected' ? 400 : result.status === 'conflict' ? 409 : 200).json(result);
  }

  @Put('availability')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Set the availability of many performances at once',
    description: 'A JSON array (or {"items": [...]}) of updates, each with performanceId. Per-item results; one bad item does not block the others.',
  })
  @ApiBody({ schema: { type: 'array', items: UPDATE_SCHEMA } })
  async updateMany(@Param('sourceId') sourceId: string, @Req() request: AuthenticatedRequest) {
    const body = await this.archived(sourceId, request);
    const items = Array.isArray(body) ? body : Array.isArray((body as { items?: unknown })?.items) ? (body as { items: unknown[] }).items : null;
    if (!items || items.length === 0) {
      throw new ApiError('malformed-body', { nl: 'Verwacht een niet-lege JSON-array van updates.', en: 'Expected a non-empty JSON array of updates.' }, 'body');
    }
    const maxItems = this.config.get('MAX_BATCH_ITEMS', { infer: true });
    if (items.length > maxItems) {
      throw new ApiError(
        'malformed-body',
        { nl: `${items.length} updates in één verzoek; het maximum is ${maxItems}.`, en: `${items.length} updates in one request; the maximum is ${maxItems}.` },
        'body',
      );
    }
    const updates = items.map((item, index) => {
      const performanceId = (item as { performanceId?: unknown })?.performanceId;
      if (typeof performanceId !== 'string') {
        throw new ApiError('malformed-body', { nl: `Item ${index} mist performanceId.`, en: `Item ${index} lacks performanceId.` }, `body /${index}/performanceId`);
      }
      return { performanceId, body: item };
    });
    return { items: await this.availability.update(sourceId, updates) };
  }
}

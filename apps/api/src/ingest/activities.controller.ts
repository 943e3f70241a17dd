import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Delete, HttpCode, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Queue, QueueEvents } from 'bullmq';
import type { Response } from 'express';
import type { AppConfig } from '@platform/config';
import { requestIdOf } from '@platform/observability';
import { IngestService, SUPPORTED_CONTENT_TYPES } from '@platform/pipeline';
import { INGEST_JOB_OPTIONS, INGEST_QUEUE, ingestJobId, type IngestJob } from '@platform/queue';
import { ActivityStore, ArchiveStore, BatchStore, SourceStore } from '@platform/storage';
import { bearerToken } from '../auth/bearer-token.js';
import { VendorAuthGuard, type AuthenticatedRequest } from '../auth/vendor-auth.guard.js';
import { ApiError } from '../errors/api-error.js';
import { presentBatch } from './batch-view.js';
import { INGEST_QUEUE_EVENTS } from './queue-events.provider.js';
import { bodyBytes, bodyText, payloadFormat } from './request-body.js';

const PUSH_CONTENT_TYPES = Object.keys(SUPPORTED_CONTENT_TYPES);

@ApiTags('vendor push')
@Controller('v1')
export class ActivitiesController {
  constructor(
    private readonly archive: ArchiveStore,
    private readonly batches: BatchStore,
    private readonly activities: ActivityStore,
    private readonly sources: SourceStore,
    private readonly ingest: IngestService,
    @InjectQueue(INGEST_QUEUE) private readonly queue: Queue<IngestJob>,
    @Inject(INGEST_QUEUE_EVENTS) private readonly queueEvents: QueueEvents,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  @Post('sources/:sourceId/activities')
  @UseGuards(VendorAuthGuard)
  @ApiBearerAuth('vendor')
  @ApiOperation({
    summary: 'Push a batch of activities',
    description:
      'A JSON array (or {"items": [...]}) of activities in the push format, or OSLO Cultuurparticipatie JSON-LD / Turtle / N-Triples. ' +
      'The body is archived first; items are validated against the SHACL shapes by the worker. 202 with a batch id, or with ?wait=true 200 with per-item results.',
  })
  @ApiConsumes(...PUSH_CONTENT_TYPES)
  @ApiBody({ schema: { type: 'array', items: { $ref: '#/components/schemas/Activity' } } })
  @ApiQuery({ name: 'wait', required: false, type: Boolean, description: 'Answer with the per-item results once the batch is processed.' })
  async push(@Param('sourceId') sourceId: string, @Query('wait') wait: string | undefined, @Req() request: AuthenticatedRequest, @Res() response: Response) {
    const format = payloadFormat(request);
    const bytes = bodyBytes(request);
    const payloadId = await this.archive.archive({ sourceId, kind: 'activities', contentType: request.headers['content-type'] ?? 'application/json', body: bytes });
    const body = bodyText(bytes);
    // A payload that cannot be read at all is refused now (it stays archived); item problems are the worker's.
    await this.ingest.check(format, body, sourceId, request.caller.source.kind);
    const batchId = await this.batches.create(sourceId, payloadId);
    const job = await this.queue.add('ingest', { batchId, sourceId, payloadId, requestId: requestIdOf(request) }, { ...INGEST_JOB_OPTIONS, jobId: ingestJobId(batchId) });
    const statusUrl = `${this.config.get('PUBLIC_BASE_URL', { infer: true })}/v1/batches/${batchId}`;
    if (wait !== undefined && wait !== 'false') {
      try {
        await job.waitUntilFinished(this.queueEvents, 120_000);
      } catch (error) {
        // The job failed after its retries (the worker marks the batch failed too); a timeout means: poll statusUrl.
        const reason = (error as Error).message;
        if (!/timed out/i.test(reason)) {
          response.status(500).json({
            batchId,
            status: 'failed',
            statusUrl,
            error: {
              code: 'internal',
              message: { nl: `De batch kon niet verwerkt worden: ${reason}`, en: `The batch could not be processed: ${reason}` },
            },
          });
          return;
        }
        response.status(202).location(statusUrl).json({ batchId, status: 'processing', statusUrl });
        return;
      }
      response.status(200).json(presentBatch((await this.batches.view(batchId))!));
      return;
    }
    response.status(202).location(statusUrl).json({ batchId, status: 'queued', statusUrl });
  }

  @Delete('sources/:sourceId/activities/:externalId')
  @UseGuards(VendorAuthGuard)
  @ApiBearerAuth('vendor')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete an activity (by the vendor\'s external id); recorded in the change log.' })
  async remove(@Param('sourceId') sourceId: string, @Param('externalId') externalId: string) {
    if (!(await this.activities.delete(sourceId, externalId))) {
      throw new ApiError('resource-not-found', { nl: `Geen activiteit ${externalId} in bron ${sourceId}.`, en: `No activity ${externalId} in source ${sourceId}.` }, 'path externalId');
    }
  }

  @Post('validate')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Dry run: validate a batch exactly as a push would, store nothing',
    description: 'Anonymous or with a vendor key (then IRIs are minted as for that source).',
  })
  @ApiConsumes(...PUSH_CONTENT_TYPES)
  @ApiBody({ schema: { type: 'array', items: { $ref: '#/components/schemas/Activity' } } })
  async validate(@Req() request: AuthenticatedRequest) {
    const format = payloadFormat(request);
    const body = bodyText(bodyBytes(request));
    const key = bearerToken(request);
    const caller = key ? await this.sources.authenticate(key) : null;
    const sourceId = caller?.source.id ?? 'validate';
    const verdicts = await this.ingest.evaluate(sourceId, await this.ingest.read(format, body, sourceId, new Date(), caller?.source.kind), new Date(), { skipUnchanged: false });
    return {
      conforms: verdicts.every((verdict) => verdict.status !== 'rejected'),
      items: verdicts.map(({ position, externalId, status, problems }) => ({ position, externalId, status: status === 'rejected' ? 'rejected' : 'valid', results: problems })),
    };
  }
}

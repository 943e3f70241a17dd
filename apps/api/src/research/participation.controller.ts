import { InjectQueue } from '@nestjs/bullmq';
import { Controller, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Queue, QueueEvents } from 'bullmq';
import type { Response } from 'express';
import type { AppConfig } from '@platform/config';
import { ParticipationIngestService, PseudonymKeyMissingError } from '@platform/pipeline';
import { INGEST_JOB_OPTIONS, INGEST_QUEUE, ingestJobId, type IngestJob } from '@platform/queue';
import { ArchiveStore, BatchStore } from '@platform/storage';
import { VendorAuthGuard, type AuthenticatedRequest } from '../auth/vendor-auth.guard.js';
import { ApiError } from '../errors/api-error.js';
import { presentBatch } from '../ingest/batch-view.js';
import { INGEST_QUEUE_EVENTS } from '../ingest/queue-events.provider.js';
import { bodyBytes, bodyText, payloadFormat } from '../ingest/request-body.js';

@ApiTags('participation (research)')
@Controller('v1')
export class ParticipationController {
  constructor(
    private readonly archive: ArchiveStore,
    private readonly batches: BatchStore,
    private readonly participation: ParticipationIngestService,
    @InjectQueue(INGEST_QUEUE) private readonly queue: Queue<IngestJob>,
    @Inject(INGEST_QUEUE_EVENTS) private readonly queueEvents: QueueEvents,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  @Post('sources/:sourceId/participation')
  @UseGuards(VendorAuthGuard)
  @ApiBearerAuth('vendor')
  @ApiOperation({
    summary: 'Push ticket sales and attendance (participation) for research',
    description:
      'A JSON array (or {"items": [...]}) of tickets in the documented format, or OSLO Cultuurparticipatie cp:Ticket / cp:Transactie / cp:Deelname / cp:Participant ' +
      'as JSON-LD or Turtle. Personal data (names, e-mail, phone, address, customer numbers, exact birth dates) is stripped before anything is stored or ' +
      'archived; each item\'s report names the fields that were dropped. What is kept of each ticket is validated against the OSLO participation ' +
      'SHACL shapes by the worker, as activities are: a violating ticket is rejected with its SHACL results. 202 with a batch id, or with ?wait=true 200 with per-item results.',
  })
  @ApiConsumes('application/json', 'application/ld+json', 'text/turtle', 'application/n-triples')
  @ApiQuery({ name: 'wait', required: false, type: Boolean })
  async push(@Param('sourceId') sourceId: string, @Query('wait') wait: string | undefined, @Req() request: AuthenticatedRequest, @Res() response: Response) {
    const format = payloadFormat(request);
    const body = bodyText(bodyBytes(request));
    let stripped;
    try {
      // Strip first: the archive only ever sees the stripped form.
      stripped = await this.participation.strip(format, body, sourceId);
    } catch (error) {
      if (error instanceof PseudonymKeyMissingError) {
        throw new ApiError(
          'not-configured',
          {
            nl: 'Dit platform aanvaardt geen deelnamegegevens: de beheerder heeft geen PSEUDONYM_KEY ingesteld.',
            en: 'This platform does not accept participation data: the operator has not set PSEUDONYM_KEY.',
          },
          'server',
        );
      }
      throw error;
    }
    const payloadId = await this.archive.archive({ sourceId, kind: 'participation', contentType: 'application/json', body: Buffer.from(JSON.stringify(stripped)) });
    const batchId = await this.batches.create(sourceId, payloadId);
    const job = await this.queue.add('participation', { kind: 'participation', batchId, sourceId, payloadId }, { ...INGEST_JOB_OPTIONS, jobId: ingestJobId(batchId) });
    const statusUrl = `${this.config.get('PUBLIC_BASE_URL', { infer: true })}/v1/batches/${batchId}`;
    if (wait !== undefined && wait !== 'false') {
      try {
        await job.waitUntilFinished(this.queueEvents, 120_000);
      } catch (error) {
        const reason = (error as Error).message;
        if (!/timed out/i.test(reason)) {
          response.status(500).json({
            batchId,
            status: 'failed',
            statusUrl,
            error: { code: 'internal', message: { nl: `De batch kon niet verwerkt worden: ${reason}`, en: `The batch could not be processed: ${reason}` } },
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
}

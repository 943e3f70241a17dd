import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { IngestService, ParticipationIngestService } from '@platform/pipeline';
import { INGEST_QUEUE, type IngestJob, type IngestJobResult } from '@platform/queue';
import { BatchStore } from '@platform/storage';

/** Thin: the pipeline does the work. Concurrency comes from WORKER_CONCURRENCY (see worker.module.ts). */
@Processor(INGEST_QUEUE)
export class IngestProcessor extends WorkerHost {
  private readonly logger = new Logger(IngestProcessor.name);

  constructor(
    private readonly ingest: IngestService,
    private readonly participation: ParticipationIngestService,
    private readonly batches: BatchStore,
  ) {
    super();
  }

  process(job: Job<IngestJob>): Promise<IngestJobResult> {
    return job.data.kind === 'participation' ? this.participation.processBatch(job.data) : this.ingest.processBatch(job.data);
  }

  /** After the last attempt the batch says why, so a vendor polling it is not left waiting. */
  @OnWorkerEvent('failed')
  async onFailed(job: Job<IngestJob> | undefined, error: Error): Promise<void> {
    if (!job) return;
    this.logger.error(`batch ${job.data.batchId} attempt ${job.attemptsMade} failed: ${error.message}`);
    if (job.attemptsMade >= (job.opts.attempts ?? 1)) await this.batches.markFailed(job.data.batchId, error.message);
  }
}

import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { PinoLogger } from 'nestjs-pino';
import { PlatformMetrics } from '@platform/observability';
import { IngestService, ParticipationIngestService } from '@platform/pipeline';
import { INGEST_QUEUE, workerLockOptions, type IngestJob, type IngestJobResult } from '@platform/queue';
import { BatchStore } from '@platform/storage';

/** Thin: the pipeline does the work. Concurrency comes from WORKER_CONCURRENCY (see worker.module.ts). */
@Processor(INGEST_QUEUE, workerLockOptions())
export class IngestProcessor extends WorkerHost {
  private readonly logger = new Logger(IngestProcessor.name);

  constructor(
    private readonly ingest: IngestService,
    private readonly participation: ParticipationIngestService,
    private readonly batches: BatchStore,
    private readonly pino: PinoLogger,
    private readonly metrics: PlatformMetrics,
  ) {
    super();
  }

  process(job: Job<IngestJob>): Promise<IngestJobResult> {
    // Every log line of this batch carries the request id of the push that brought it.
    return this.pino.runInContext(() => {
      this.logger.log(`batch ${job.data.batchId} (${job.data.sourceId}): processing, attempt ${job.attemptsMade + 1}`);
      return job.data.kind === 'participation' ? this.participation.processBatch(job.data) : this.ingest.processBatch(job.data);
    }, {
      bindings: { requestId: job.data.requestId, batchId: job.data.batchId, jobId: job.id, attempt: job.attemptsMade + 1 },
    });
  }

  @OnWorkerEvent('completed')
  onCompleted(): void {
    this.metrics.jobs.inc({ queue: INGEST_QUEUE, outcome: 'completed' });
  }

  /** After the last attempt the batch says why, so a vendor polling it is not left waiting. */
  @OnWorkerEvent('failed')
  async onFailed(job: Job<IngestJob> | undefined, error: Error): Promise<void> {
    this.metrics.jobs.inc({ queue: INGEST_QUEUE, outcome: 'failed' });
    if (!job) return;
    await this.pino.runInContext(
      async () => {
        this.logger.error(`batch ${job.data.batchId} attempt ${job.attemptsMade} failed: ${error.message}`);
        if (job.attemptsMade >= (job.opts.attempts ?? 1)) await this.batches.markFailed(job.data.batchId, error.message);
      },
      { bindings: { requestId: job.data.requestId, batchId: job.data.batchId, jobId: job.id } },
    );
  }
}

import { InjectQueue } from '@nestjs/bullmq';
import { Logger, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import type { Queue } from 'bullmq';
import type { AppConfig } from '@platform/config';
import { PipelineModule, Reconciler } from '@platform/pipeline';
import { ConnectorSchedules, INGEST_QUEUE, ingestJobId, INGEST_JOB_OPTIONS, type IngestJob } from '@platform/queue';
import { BatchStore, ConnectorStore } from '@platform/storage';
import { ChangeDispatcher, WebhookSender, WebhooksModule } from '@platform/webhooks';
import { ConnectorSyncProcessor } from './connector-sync.processor.js';
import { IngestProcessor } from './ingest.processor.js';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor.js';

/** A push creates its batch and then its job: a sweep leaves younger batches to the push. */
const SWEEP_MIN_AGE_MS = 5000;

/** The queue consumers. Imported by the worker process, and by the api process when ROLE=all. */
@Module({
  imports: [PipelineModule, WebhooksModule],
  providers: [IngestProcessor, ConnectorSyncProcessor, WebhookDeliveryProcessor],
})
export class WorkerModule implements OnApplicationBootstrap, BeforeApplicationShutdown, OnModuleDestroy {
  private sweep?: NodeJS.Timeout;
  private sweeping = false;

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly config: ConfigService<AppConfig, true>,
    private readonly batches: BatchStore,
    @InjectQueue(INGEST_QUEUE) private readonly queue: Queue<IngestJob>,
    private readonly connectors: ConnectorStore,
    private readonly schedules: ConnectorSchedules,
    private readonly reconciler: Reconciler,
    private readonly dispatcher: ChangeDispatcher,
    private readonly sender: WebhookSender,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.moduleRef.get(IngestProcessor, { strict: false }).worker.concurrency = this.config.get('WORKER_CONCURRENCY', { infer: true });
    // Webhook deliveries wait on receivers, not on the CPU: many at once.
    this.moduleRef.get(WebhookDeliveryProcessor, { strict: false }).worker.concurrency = this.config.get('WEBHOOK_CONCURRENCY', { infer: true });
    // Follows the change log from its stored cursor: changes committed while no worker ran are sent now.
    this.dispatcher.start();
    await this.requeueUnfinished(0);
    // Redis can also lose jobs while this process runs (a restart without persistence): sweep again now and then.
    this.sweep = setInterval(() => void this.requeueUnfinished(SWEEP_MIN_AGE_MS).catch((error: unknown) => Logger.warn(`recovery sweep failed: ${String(error)}`, 'Worker')), this.config.get('RECOVERY_SWEEP_MS', { infer: true }));
    this.sweep.unref();
    // Activities stored but not reconciled when a process stopped.
    const reconciled = await this.reconciler.reconcilePending();
    if (reconciled > 0) Logger.log(`reconciled ${reconciled} activities left pending`, 'Worker');
    // The schedules follow the stored connector settings (Redis may have lost them, or settings changed while down).
    await this.schedules.reconcile(await this.connectors.list());
  }

  /** Before the database closes (onApplicationShutdown): the dispatcher may be inside a transaction. */
  async onModuleDestroy(): Promise<void> {
    await this.dispatcher.stop();
    this.sender.close();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.sweep);
  }

  /**
   * Batches answered with 202 whose jobs Redis lost (the embedded redis-server keeps nothing on disk):
   * queue them again; the deterministic job id makes this a no-op for jobs Redis still has.
   */
  private async requeueUnfinished(minAgeMs: number): Promise<void> {
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      const known = new Set<string>();
      // Not the batches of pushes still being answered: their own job is on its way.
      const unfinished = (await this.batches.unfinished()).filter((batch) => batch.createdAt.getTime() <= Date.now() - minAgeMs);
      for (const batch of unfinished) {
        const jobId = ingestJobId(batch.id);
        const job = await this.queue.getJob(jobId);
        if (job) {
          known.add(jobId);
          // Failed without the batch saying so (BullMQ gave up on a job that stalled too often): try again.
          if (minAgeMs > 0 && (await job.isFailed()) && job.attemptsMade < (job.opts.attempts ?? 1)) await job.retry('failed');
        } else {
          // A participation batch goes back as one: its archived payload says which pipeline reads it.
          const job: IngestJob = { batchId: batch.id, sourceId: batch.sourceId, payloadId: batch.payloadId, ...(batch.kind === 'participation' ? { kind: 'participation' as const } : {}) };
          await this.queue.add(batch.kind === 'participation' ? 'participation' : 'ingest', job, { ...INGEST_JOB_OPTIONS, jobId });
        }
      }
      const requeued = unfinished.length - known.size;
      if (requeued > 0) Logger.log(`queued ${requeued} unfinished batch(es) again`, 'Worker');
      // Webhook messages too: a pending one whose job is gone would never be sent (the dispatcher queues only new ones).
      if (minAgeMs > 0) {
        const deliveries = await this.dispatcher.requeueLost(minAgeMs);
        if (deliveries > 0) Logger.log(`queued ${deliveries} lost webhook deliveries again`, 'Worker');
      }
    } finally {
      this.sweeping = false;
    }
  }
}

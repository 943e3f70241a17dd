import { InjectQueue } from '@nestjs/bullmq';
import { Logger, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
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

/** The queue consumers. Imported by the worker process, and by the api process when ROLE=all. */
@Module({
  imports: [PipelineModule, WebhooksModule],
  providers: [IngestProcessor, ConnectorSyncProcessor, WebhookDeliveryProcessor],
})
export class WorkerModule implements OnApplicationBootstrap, OnModuleDestroy {
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
    // Batches answered with 202 whose jobs Redis lost (the embedded redis-server keeps nothing on disk):
    // queue them again; the deterministic job id makes this a no-op for jobs Redis still has.
    const unfinished = await this.batches.unfinished();
    for (const batch of unfinished) {
      await this.queue.add('ingest', { batchId: batch.id, sourceId: batch.sourceId, payloadId: batch.payloadId }, { ...INGEST_JOB_OPTIONS, jobId: ingestJobId(batch.id) });
    }
    if (unfinished.length > 0) Logger.log(`queued ${unfinished.length} unfinished batch(es) again`, 'Worker');
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
}

import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { UnrecoverableError, WaitingError, type Job } from 'bullmq';
import { PlatformMetrics, ShutdownState } from '@platform/observability';
import { ConnectorSyncService, RunInterruptedError, SyncError } from '@platform/pipeline';
import { CONNECTOR_QUEUE, workerLockOptions, type ConnectorJob } from '@platform/queue';

/** Thin: the sync service does the work. A run that cannot start (unknown source, already running) is not retried. */
@Processor(CONNECTOR_QUEUE, workerLockOptions())
export class ConnectorSyncProcessor extends WorkerHost {
  private readonly logger = new Logger(ConnectorSyncProcessor.name);

  constructor(
    private readonly sync: ConnectorSyncService,
    private readonly shutdown: ShutdownState,
    private readonly metrics: PlatformMetrics,
  ) {
    super();
  }

  async process(job: Job<ConnectorJob>, token?: string): Promise<{ runId: string }> {
    const source = job.data.sourceId;
    this.logger.log(`connector run of ${source}: starting (${job.data.trigger}, attempt ${job.attemptsMade + 1})`);
    try {
      // A retry is a new run with its own report; the first attempt fills the report the API made.
      const runId = await this.sync.run(source, { trigger: job.data.trigger, runId: job.attemptsMade === 0 ? job.data.runId : undefined, signal: this.shutdown.signal });
      this.metrics.connectorRuns.inc({ source, outcome: 'succeeded' });
      return { runId };
    } catch (error) {
      if (error instanceof RunInterruptedError) {
        // SIGTERM: the run stopped after a saved page. The job goes back to the queue, so another worker
        // continues from the cursor at once (as a new run: this one's report says interrupted).
        this.metrics.connectorRuns.inc({ source, outcome: 'interrupted' });
        this.metrics.jobs.inc({ queue: CONNECTOR_QUEUE, outcome: 'handed-back' });
        await job.updateData({ ...job.data, runId: undefined });
        await job.moveToWait(token);
        throw new WaitingError();
      }
      this.metrics.connectorRuns.inc({ source, outcome: error instanceof SyncError && error.code === 'run-in-progress' ? 'skipped' : 'failed' });
      if (error instanceof SyncError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }
}

import { Processor, WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { ConnectorSyncService, SyncError } from '@platform/pipeline';
import { CONNECTOR_QUEUE, type ConnectorJob } from '@platform/queue';

/** Thin: the sync service does the work. A run that cannot start (unknown source, already running) is not retried. */
@Processor(CONNECTOR_QUEUE)
export class ConnectorSyncProcessor extends WorkerHost {
  constructor(private readonly sync: ConnectorSyncService) {
    super();
  }

  async process(job: Job<ConnectorJob>): Promise<{ runId: string }> {
    try {
      // A retry is a new run with its own report; the first attempt fills the report the API made.
      const runId = await this.sync.run(job.data.sourceId, { trigger: job.data.trigger, runId: job.attemptsMade === 0 ? job.data.runId : undefined });
      return { runId };
    } catch (error) {
      if (error instanceof SyncError) throw new UnrecoverableError(error.message);
      throw error;
    }
  }
}

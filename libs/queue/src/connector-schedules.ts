import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { CONNECTOR_JOB_OPTIONS, CONNECTOR_QUEUE, connectorSchedulerId, type ConnectorJob } from './queues.js';

/** Connector runs on the queue: the repeatable schedule of each source, and runs started by hand. */
@Injectable()
export class ConnectorSchedules {
  constructor(@InjectQueue(CONNECTOR_QUEUE) private readonly queue: Queue<ConnectorJob>) {}

  /** Every `everyMinutes`, or no schedule at all (null). Idempotent: BullMQ keeps one scheduler per id. */
  async schedule(sourceId: string, everyMinutes: number | null): Promise<void> {
    if (everyMinutes === null) {
      await this.queue.removeJobScheduler(connectorSchedulerId(sourceId));
      return;
    }
    await this.queue.upsertJobScheduler(
      connectorSchedulerId(sourceId),
      { every: everyMinutes * 60_000 },
      { name: 'sync', data: { sourceId, trigger: 'schedule' }, opts: CONNECTOR_JOB_OPTIONS },
    );
  }

  /** Makes the schedules exactly these (sources whose connector went away lose theirs). */
  async reconcile(connectors: Array<{ sourceId: string; everyMinutes: number | null }>): Promise<void> {
    const wanted = new Set(connectors.filter((connector) => connector.everyMinutes !== null).map((connector) => connectorSchedulerId(connector.sourceId)));
    for (const scheduler of await this.queue.getJobSchedulers()) {
      if (scheduler.key && !wanted.has(scheduler.key)) await this.queue.removeJobScheduler(scheduler.key);
    }
    for (const connector of connectors) await this.schedule(connector.sourceId, connector.everyMinutes);
  }

  async startRun(sourceId: string, runId: string): Promise<void> {
    await this.queue.add('sync', { sourceId, trigger: 'manual', runId }, { ...CONNECTOR_JOB_OPTIONS, jobId: `manual-${runId}` });
  }
}

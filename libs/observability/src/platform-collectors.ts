import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { CONNECTOR_QUEUE, INGEST_QUEUE } from '@platform/queue';
import { ConsumerPositions } from './consumer-positions.js';
import { PlatformMetrics } from './platform-metrics.js';

const COLLECT_TIMEOUT_MS = 1000;
const QUEUE_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed'] as const;

/** Bounded, so a scrape during a Redis or Postgres outage still answers (without the figures it could not read). */
async function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([work, new Promise<never>((_resolve, reject) => (timer = setTimeout(() => reject(new Error('timed out')), COLLECT_TIMEOUT_MS)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Figures read at scrape time from the shared state (Redis, Postgres), so they are the same on every
 * replica: queue depth and the age of the oldest waiting job, the change-log head, and each feed or
 * webhook consumer's position and lag behind that head.
 */
@Injectable()
export class PlatformCollectors {
  private readonly logger = new Logger('Metrics');

  constructor(metrics: PlatformMetrics, dataSource: DataSource, positions: ConsumerPositions, @InjectQueue(INGEST_QUEUE) ingest: Queue, @InjectQueue(CONNECTOR_QUEUE) connector: Queue) {
    const queues = [ingest, connector];
    metrics.gauge('cdp_queue_jobs', 'Jobs in each BullMQ queue, by state.', ['queue', 'state'], async (gauge) => {
      gauge.reset();
      for (const queue of queues) {
        const counts = await this.guard(`queue ${queue.name}`, queue.getJobCounts(...QUEUE_STATES));
        if (counts) for (const state of QUEUE_STATES) gauge.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    });
    metrics.gauge('cdp_queue_oldest_waiting_age_seconds', 'Age of the oldest job waiting in each queue (0 when none waits): work that is not being picked up.', ['queue'], async (gauge) => {
      gauge.reset();
      for (const queue of queues) {
        // asc: the oldest first (BullMQ pushes new jobs on the left of the wait list).
        const oldest = await this.guard(`queue ${queue.name}`, queue.getJobs(['wait'], 0, 0, true));
        if (oldest) gauge.set({ queue: queue.name }, oldest[0] ? Math.max(0, (Date.now() - oldest[0].timestamp) / 1000) : 0);
      }
    });
    const readHead = async () => {
      const rows = await this.guard('change log', dataSource.query<Array<{ head: string | null }>>('SELECT max(seq) AS head FROM change_log'));
      return rows ? Number(rows[0]?.head ?? 0) : undefined;
    };
    metrics.gauge('cdp_change_log_head_seq', 'Highest sequence number in the change log (every feed and webhook reads from it).', [], async (gauge) => {
      gauge.reset();
      const head = await readHead();
      if (head !== undefined) gauge.set(head);
    });
    // prom-client collects gauges concurrently: each one reads what it needs itself.
    metrics.gauge('cdp_feed_consumer_position_seq', 'Last change-log seq each feed or webhook consumer has, by kind (rpde, ldes, webhook) and consumer.', ['kind', 'consumer'], async (gauge) => {
      gauge.reset();
      for (const position of (await this.guard('consumer positions', positions.read())) ?? []) gauge.set({ kind: position.kind, consumer: position.consumer }, position.seq);
    });
    metrics.gauge('cdp_feed_consumer_lag', 'Changes between the change-log head and each feed or webhook consumer position.', ['kind', 'consumer'], async (gauge) => {
      gauge.reset();
      const read = (await this.guard('consumer positions', positions.read())) ?? [];
      if (read.length === 0) return;
      const head = await readHead();
      if (head === undefined) return;
      for (const position of read) gauge.set({ kind: position.kind, consumer: position.consumer }, Math.max(0, head - position.seq));
    });
  }

  private async guard<T>(what: string, work: Promise<T>): Promise<T | undefined> {
    try {
      return await withTimeout(work);
    } catch (error) {
      this.logger.warn(`metrics: ${what} could not be read: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }
}

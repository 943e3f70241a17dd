import { ConfigService } from '@nestjs/config';
import { QueueEvents } from 'bullmq';
import type { AppConfig } from '@platform/config';
import { INGEST_QUEUE } from '@platform/queue';

export const INGEST_QUEUE_EVENTS = Symbol('INGEST_QUEUE_EVENTS');

/** Lets `?wait=true` wait for the worker (in this or another process) to finish a batch. */
export const ingestQueueEventsProvider = {
  provide: INGEST_QUEUE_EVENTS,
  inject: [ConfigService],
  useFactory: async (config: ConfigService<AppConfig, true>) => {
    const events = new QueueEvents(INGEST_QUEUE, {
      connection: { url: config.get('REDIS_URL', { infer: true }), maxRetriesPerRequest: null },
      prefix: config.get('REDIS_PREFIX', { infer: true }),
    });
    await events.waitUntilReady();
    return events;
  },
};

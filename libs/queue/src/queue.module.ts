import { BullModule } from '@nestjs/bullmq';
import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Redis } from 'ioredis';
import type { AppConfig } from '@platform/config';
import { LiveChangesPublisher, LiveChangesSubscriber } from './live-changes.js';
import { ConnectorSchedules } from './connector-schedules.js';
import { CONNECTOR_QUEUE, INGEST_QUEUE, WEBHOOK_QUEUE } from './queues.js';
import { createFailFastRedis, createRedis } from './redis-connection.js';

export const PUBLISHER_REDIS = Symbol('PUBLISHER_REDIS');
export const SUBSCRIBER_REDIS = Symbol('SUBSCRIBER_REDIS');

/** Closes the Redis connections this module opened, so a process can stop cleanly. */
@Injectable()
class RedisConnections implements OnApplicationShutdown {
  constructor(
    @Inject(PUBLISHER_REDIS) private readonly publisher: Redis,
    @Inject(SUBSCRIBER_REDIS) private readonly subscriber: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.publisher.quit(), this.subscriber.quit()]);
  }
}

const redisUrl = (config: ConfigService<AppConfig, true>) => {
  const url = config.get('REDIS_URL', { infer: true });
  if (!url) throw new Error('REDIS_URL is not set (the embedded start sets it after starting redis-server)');
  return url;
};

/** BullMQ queues and Redis pub/sub of live changes: shared by api and worker. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) => ({
        connection: { url: redisUrl(config), maxRetriesPerRequest: null },
        prefix: config.get('REDIS_PREFIX', { infer: true }),
      }),
    }),
    BullModule.registerQueue({ name: INGEST_QUEUE }, { name: CONNECTOR_QUEUE }, { name: WEBHOOK_QUEUE }),
  ],
  providers: [
    { provide: PUBLISHER_REDIS, inject: [ConfigService], useFactory: (config: ConfigService<AppConfig, true>) => createFailFastRedis(redisUrl(config)) },
    { provide: SUBSCRIBER_REDIS, inject: [ConfigService], useFactory: (config: ConfigService<AppConfig, true>) => createRedis(redisUrl(config)) },
    {
      provide: LiveChangesPublisher,
      inject: [PUBLISHER_REDIS, ConfigService],
      useFactory: (redis: Redis, config: ConfigService<AppConfig, true>) => new LiveChangesPublisher(redis, config.get('REDIS_PREFIX', { infer: true })),
    },
    {
      provide: LiveChangesSubscriber,
      inject: [SUBSCRIBER_REDIS, ConfigService],
      useFactory: (redis: Redis, config: ConfigService<AppConfig, true>) => new LiveChangesSubscriber(redis, config.get('REDIS_PREFIX', { infer: true })),
    },
    RedisConnections,
    ConnectorSchedules,
  ],
  exports: [BullModule, ConnectorSchedules, LiveChangesPublisher, LiveChangesSubscriber, PUBLISHER_REDIS],
})
export class QueueModule {}

import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { CONNECTOR_QUEUE, INGEST_QUEUE, PUBLISHER_REDIS } from '@platform/queue';
import { ShutdownState } from './shutdown-state.js';

export interface HealthAnswer {
  status: 200 | 503;
  body: HealthCheckResult | { status: 'ok' };
}

const CHECK_TIMEOUT_MS = 2000;

/**
 * Liveness and readiness of a process (api or worker), checked with @nestjs/terminus. Live: the
 * process answers (restart it when not). Ready: Postgres answers, every migration is applied, Redis
 * answers, both BullMQ queues can be read, and the process is not stopping (send it no work when not).
 */
@Injectable()
export class PlatformHealth {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly database: TypeOrmHealthIndicator,
    private readonly dataSource: DataSource,
    @Inject(PUBLISHER_REDIS) private readonly redis: Redis,
    @InjectQueue(INGEST_QUEUE) private readonly ingestQueue: Queue,
    @InjectQueue(CONNECTOR_QUEUE) private readonly connectorQueue: Queue,
    private readonly shutdown: ShutdownState,
  ) {}

  live(): HealthAnswer {
    return { status: 200, body: { status: 'ok' } };
  }

  async ready(): Promise<HealthAnswer> {
    try {
      const body = await this.health.check([
        () => this.database.pingCheck('database', { connection: this.dataSource }).withTimeout(CHECK_TIMEOUT_MS),
        () =>
          this.indicator
            .check('migrations')
            .attempt(async () => {
              // showMigrations is true while a migration is not applied (a process started on an older schema).
              if (await this.dataSource.showMigrations()) throw new Error('migrations are pending');
              return { applied: this.dataSource.migrations.length };
            })
            .withTimeout(CHECK_TIMEOUT_MS),
        () =>
          this.indicator
            .check('redis')
            .attempt(async () => {
              await this.redis.ping();
            })
            .withTimeout(CHECK_TIMEOUT_MS),
        () =>
          this.indicator
            .check('queues')
            .attempt(async () => {
              const [ingest, connector] = await Promise.all([
                this.ingestQueue.getJobCounts('waiting', 'active', 'delayed', 'failed'),
                this.connectorQueue.getJobCounts('waiting', 'active', 'delayed', 'failed'),
              ]);
              return { [INGEST_QUEUE]: ingest, [CONNECTOR_QUEUE]: connector };
            })
            .withTimeout(CHECK_TIMEOUT_MS),
        () => (this.shutdown.stopping ? this.indicator.check('process').down({ message: 'stopping (SIGTERM received)' }) : this.indicator.check('process').up()),
      ]);
      return { status: 200, body };
    } catch (error) {
      if (error instanceof ServiceUnavailableException) return { status: 503, body: error.getResponse() as HealthCheckResult };
      throw error;
    }
  }
}

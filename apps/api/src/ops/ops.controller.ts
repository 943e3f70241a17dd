import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PlatformHealth, PlatformMetrics } from '@platform/observability';

/** For orchestrators and Prometheus: liveness, readiness (terminus) and metrics (prom-client). */
@ApiTags('operations')
@Controller()
export class OpsController {
  constructor(
    private readonly health: PlatformHealth,
    private readonly metrics: PlatformMetrics,
  ) {}

  @Get('health/live')
  @ApiOperation({ summary: 'Liveness: the process answers (200). Restart it when this fails.' })
  live(@Res() response: Response): void {
    const answer = this.health.live();
    response.status(answer.status).json(answer.body);
  }

  @Get('health/ready')
  @ApiOperation({ summary: 'Readiness: Postgres, migrations, Redis, the BullMQ queues, and not stopping. 200, or 503 with what is down.' })
  async ready(@Res() response: Response): Promise<void> {
    const answer = await this.health.ready();
    response.status(answer.status).json(answer.body);
  }

  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format).' })
  async exposition(@Res() response: Response): Promise<void> {
    const { contentType, body } = await this.metrics.exposition();
    response.status(200).type(contentType).send(body);
  }
}

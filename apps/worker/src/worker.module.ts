import { Module, type OnApplicationBootstrap } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import type { AppConfig } from '@platform/config';
import { PipelineModule } from '@platform/pipeline';
import { IngestProcessor } from './ingest.processor.js';

/** The queue consumers. Imported by the worker process, and by the api process when ROLE=all. */
@Module({
  imports: [PipelineModule],
  providers: [IngestProcessor],
})
export class WorkerModule implements OnApplicationBootstrap {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  onApplicationBootstrap(): void {
    this.moduleRef.get(IngestProcessor, { strict: false }).worker.concurrency = this.config.get('WORKER_CONCURRENCY', { infer: true });
  }
}

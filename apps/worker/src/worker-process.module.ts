import { Module, type DynamicModule } from '@nestjs/common';
import { CoreModule } from '@platform/runtime';
import { WorkerModule } from './worker.module.js';

/** The worker process as a whole: core (config, database, queues) plus the processors. */
@Module({})
export class WorkerProcessModule {
  static create(overrides: Record<string, string> = {}): DynamicModule {
    return { module: WorkerProcessModule, imports: [CoreModule.forRoot(overrides), WorkerModule] };
  }
}

import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PipelineModule } from '@platform/pipeline';
import { CoreModule } from '@platform/runtime';
import { ConnectorsController } from './admin/connectors.controller.js';
import { ReconciliationController } from './admin/reconciliation.controller.js';
import { SourcesController } from './admin/sources.controller.js';
import { ApiErrorFilter } from './errors/api-error.filter.js';
import { GraphqlApiModule } from './graphql/graphql-api.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { OpsController } from './ops/ops.controller.js';
import { RateLimitGuard } from './auth/rate-limit.guard.js';
import { PublishedModule } from './published/published.module.js';
import { ResourcesController } from './resources/resources.controller.js';

/**
 * The api process. `extra` lets the single-process start (ROLE=all) add the worker's module, so one
 * set of providers serves both entrypoints.
 */
@Module({})
export class AppModule {
  static create(extra: Array<Type | DynamicModule> = [], overrides: Record<string, string> = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(overrides),
        IngestModule,
        PipelineModule,
        GraphqlApiModule,
        PublishedModule,
        ...extra,
      ],
      controllers: [SourcesController, ConnectorsController, ReconciliationController, ResourcesController, OpsController],
      providers: [
        { provide: APP_FILTER, useClass: ApiErrorFilter },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}

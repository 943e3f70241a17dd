import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { PipelineModule } from '@platform/pipeline';
import { CoreModule } from '@platform/runtime';
import { ConnectorsController } from './admin/connectors.controller.js';
import { ConsumersController } from './admin/consumers.controller.js';
import { ReconciliationController } from './admin/reconciliation.controller.js';
import { SourcesController } from './admin/sources.controller.js';
import { ApiErrorFilter } from './errors/api-error.filter.js';
import { FeedsApiModule } from './feeds/feeds-api.module.js';
import { GraphqlApiModule } from './graphql/graphql-api.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { OpsController } from './ops/ops.controller.js';
import { RateLimitGuard } from './auth/rate-limit.guard.js';
import { AdminOperationsController } from './operations/admin-operations.controller.js';
import { SourceOperationsController } from './operations/source-operations.controller.js';
import { PagesModule } from './pages/pages.module.js';
import { PublishedModule } from './published/published.module.js';
import { ResourcesController } from './resources/resources.controller.js';
import { EventsController } from './events/events.controller.js';
import { AdminWebhooksController } from './webhooks/admin-webhooks.controller.js';
import { WebhooksController } from './webhooks/webhooks.controller.js';
import { WebhooksModule } from '@platform/webhooks';
import { SearchModule } from './search/search.module.js';
import { ResearchModule } from './research/research.module.js';
import { CatalogueModule } from './catalogue/catalogue.module.js';

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
        PagesModule,
        FeedsApiModule,
        WebhooksModule,
        SearchModule,
        ResearchModule,
        CatalogueModule,
        ...extra,
      ],
      controllers: [
        SourcesController,
        ConnectorsController,
        ReconciliationController,
        ResourcesController,
        SourceOperationsController,
        AdminOperationsController,
        ConsumersController,
        WebhooksController,
        AdminWebhooksController,
        EventsController,
        OpsController,
      ],
      providers: [
        { provide: APP_FILTER, useClass: ApiErrorFilter },
        { provide: APP_GUARD, useClass: RateLimitGuard },
      ],
    };
  }
}

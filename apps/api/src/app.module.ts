import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import type { AppConfig } from '@platform/config';
import { CoreModule } from '@platform/runtime';
import { SourcesController } from './admin/sources.controller.js';
import { ApiErrorFilter } from './errors/api-error.filter.js';
import { GraphqlApiModule } from './graphql/graphql-api.module.js';
import { IngestModule } from './ingest/ingest.module.js';
import { KeyedThrottlerGuard } from './auth/keyed-throttler.guard.js';
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
        ThrottlerModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<AppConfig, true>) => ({
            throttlers: [{ name: 'default', ttl: 60_000, limit: config.get('RATE_LIMIT_PER_MINUTE', { infer: true }) }],
          }),
        }),
        IngestModule,
        GraphqlApiModule,
        ...extra,
      ],
      controllers: [SourcesController, ResourcesController],
      providers: [
        { provide: APP_FILTER, useClass: ApiErrorFilter },
        { provide: APP_GUARD, useClass: KeyedThrottlerGuard },
      ],
    };
  }
}

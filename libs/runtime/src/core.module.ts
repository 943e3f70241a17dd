import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { validateConfig } from '@platform/config';
import { ObservabilityModule } from '@platform/observability';
import { QueueModule } from '@platform/queue';
import { StorageModule } from '@platform/storage';

/** What both processes need: validated config, the database, queues and pub/sub, health, metrics and logs. */
@Module({})
export class CoreModule {
  /** `overrides` win over the environment (tests use them instead of mutating process.env). */
  static forRoot(overrides: Record<string, string> = {}): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          cache: true,
          validate: (environment) => validateConfig({ ...environment, ...overrides }),
        }),
        StorageModule,
        QueueModule,
        ObservabilityModule,
      ],
    };
  }
}

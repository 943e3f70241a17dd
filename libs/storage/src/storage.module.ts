import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@platform/config';
import { dataSourceOptions, initializeDataSource } from './data-source.js';
import { ActivityQueryStore } from './stores/activity-query.store.js';
import { ActivitySearchStore } from './stores/activity-search.store.js';
import { ActivityStore } from './stores/activity.store.js';
import { ArchiveStore } from './stores/archive.store.js';
import { AvailabilityStore } from './stores/availability.store.js';
import { BatchStore } from './stores/batch.store.js';
import { ChangeLogStore } from './stores/change-log.store.js';
import { ConnectorStore } from './stores/connector.store.js';
import { OperationsStore } from './stores/operations.store.js';
import { ReconciliationStore } from './stores/reconciliation.store.js';
import { SourceStore } from './stores/source.store.js';
import { ParticipationStore, ResearcherKeyStore } from './stores/participation.store.js';
import { ParticipationQueryStore } from './stores/participation-query.store.js';
import { SecretBox } from './secret-box.js';

const STORES = [
  ActivityQueryStore,
  ActivitySearchStore,
  ActivityStore,
  ArchiveStore,
  AvailabilityStore,
  BatchStore,
  ChangeLogStore,
  ConnectorStore,
  OperationsStore,
  ReconciliationStore,
  SourceStore,
  ParticipationStore,
  ParticipationQueryStore,
  ResearcherKeyStore,
];

/** The database (Postgres, or embedded PGlite) with migrations applied, and the stores over it. */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AppConfig, true>) =>
        dataSourceOptions({
          url: config.get('DATABASE_URL', { infer: true }),
          dataDir: config.get('DATA_DIR', { infer: true }),
          connectTimeoutMs: config.get('DATABASE_CONNECT_TIMEOUT_MS', { infer: true }),
        }),
      dataSourceFactory: (options) => initializeDataSource(options!),
    }),
  ],
  providers: [
    ...STORES.filter((store) => store !== ConnectorStore).map((store) => ({ provide: store, inject: [DataSource], useFactory: (dataSource: DataSource) => new store(dataSource) })),
    {
      provide: ConnectorStore,
      inject: [DataSource, ConfigService],
      useFactory: (dataSource: DataSource, config: ConfigService<AppConfig, true>) => new ConnectorStore(dataSource, new SecretBox(config.get('CREDENTIALS_KEY', { infer: true }))),
    },
  ],
  exports: STORES,
})
export class StorageModule {}

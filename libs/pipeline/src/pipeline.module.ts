import { Module } from '@nestjs/common';
import { ShaclValidator, defaultShapeFiles } from '@platform/validation';
import { AvailabilityService } from './availability.service.js';
import { ConnectorSyncService } from './connector-sync.service.js';
import { IngestService } from './ingest.service.js';
import { Reconciler } from './reconciliation/reconciler.service.js';
import { ParticipationIngestService } from './participation/participation-ingest.service.js';

/** The ingest path and the availability fast lane; the SHACL shapes are parsed once per process. */
@Module({
  providers: [
    { provide: ShaclValidator, useFactory: () => ShaclValidator.fromFiles(defaultShapeFiles(), { engine: 'compiled' }) },
    IngestService,
    AvailabilityService,
    ConnectorSyncService,
    Reconciler,
    ParticipationIngestService,
  ],
  exports: [ParticipationIngestService, IngestService, AvailabilityService, ConnectorSyncService, Reconciler, ShaclValidator],
})
export class PipelineModule {}

import { ActivityEntity } from './activity.entity.js';
import { ApiClientEntity } from './api-client.entity.js';
import { ChangeLogEntity } from './change-log.entity.js';
import { ConnectorRunEntity } from './connector-run.entity.js';
import { ConnectorEntity } from './connector.entity.js';
import { IngestBatchEntity } from './ingest-batch.entity.js';
import { OrganizerEntity } from './organizer.entity.js';
import { PerformanceEntity } from './performance.entity.js';
import { PlaceEntity } from './place.entity.js';
import { RawPayloadEntity } from './raw-payload.entity.js';
import { SourceEntity } from './source.entity.js';
import { ValidationReportEntity } from './validation-report.entity.js';

export * from './activity.entity.js';
export * from './api-client.entity.js';
export * from './change-log.entity.js';
export * from './connector-run.entity.js';
export * from './connector.entity.js';
export * from './ingest-batch.entity.js';
export * from './organizer.entity.js';
export * from './performance.entity.js';
export * from './place.entity.js';
export * from './raw-payload.entity.js';
export * from './source.entity.js';
export * from './validation-report.entity.js';

export const ENTITIES = [
  SourceEntity,
  ApiClientEntity,
  RawPayloadEntity,
  IngestBatchEntity,
  ValidationReportEntity,
  PlaceEntity,
  OrganizerEntity,
  ActivityEntity,
  PerformanceEntity,
  ChangeLogEntity,
  ConnectorEntity,
  ConnectorRunEntity,
];

import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { QueueEvents } from 'bullmq';
import { PipelineModule } from '@platform/pipeline';
import { ActivitiesController } from './activities.controller.js';
import { AvailabilityController } from './availability.controller.js';
import { BatchesController } from './batches.controller.js';
import { ParticipationController } from '../research/participation.controller.js';
import { INGEST_QUEUE_EVENTS, ingestQueueEventsProvider } from './queue-events.provider.js';

/** Everything vendors call: push, dry-run validation, availability, batch reports. */
@Module({
  imports: [PipelineModule],
  controllers: [ActivitiesController, AvailabilityController, BatchesController, ParticipationController],
  providers: [ingestQueueEventsProvider],
})
export class IngestModule implements OnApplicationShutdown {
  constructor(@Inject(INGEST_QUEUE_EVENTS) private readonly queueEvents: QueueEvents) {}

  async onApplicationShutdown(): Promise<void> {
    await this.queueEvents.close();
  }
}

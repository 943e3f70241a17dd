import { Module } from '@nestjs/common';
import { FeedsModule } from '@platform/feeds';
import { WebhooksModule } from '@platform/webhooks';
import { ConsumerPositionReaders } from '../ops/consumer-position-readers.js';
import { PublishedModule } from '../published/published.module.js';
import { FeedDocuments } from './feed-documents.js';
import { LdesController } from './ldes.controller.js';
import { RpdeController } from './rpde.controller.js';

/** The change feeds over HTTP: RPDE at /feeds/{activities|places|organizers}, LDES at /ldes/{...}. */
@Module({
  imports: [FeedsModule, PublishedModule, WebhooksModule],
  controllers: [RpdeController, LdesController],
  // ConsumerPositionReaders: keyed feed readers' positions (and the webhook subscriptions') for /metrics.
  providers: [FeedDocuments, ConsumerPositionReaders],
})
export class FeedsApiModule {}

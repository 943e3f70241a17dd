import { Module } from '@nestjs/common';
import { FeedsModule } from '@platform/feeds';
import { PublishedModule } from '../published/published.module.js';
import { FeedDocuments } from './feed-documents.js';
import { LdesController } from './ldes.controller.js';
import { RpdeController } from './rpde.controller.js';

/** The change feeds over HTTP: RPDE at /feeds/{activities|places|organizers}, LDES at /ldes/{...}. */
@Module({
  imports: [FeedsModule, PublishedModule],
  controllers: [RpdeController, LdesController],
  providers: [FeedDocuments],
})
export class FeedsApiModule {}

import { Module } from '@nestjs/common';
import { ParticipationResolver } from './participation.resolver.js';
import { ParticipationStatisticsService } from './participation-statistics.service.js';
import { ResearchController } from './research.controller.js';

/** Researchers' side: protected participation statistics over REST (JSON, CSV) and GraphQL, researcher keys. */
@Module({
  controllers: [ResearchController],
  providers: [ParticipationStatisticsService, ParticipationResolver],
  exports: [ParticipationStatisticsService],
})
export class ResearchModule {}

import { Module } from '@nestjs/common';
import { ComparisonController } from './comparison.controller.js';
import { ComparisonResolver } from './comparison.resolver.js';
import { ComparisonService } from './comparison.service.js';
import { ParticipationResolver } from './participation.resolver.js';
import { ParticipationStatisticsService } from './participation-statistics.service.js';
import { ResearchController } from './research.controller.js';
import { TrendService } from './trend.service.js';

/** Researchers' side: protected participation statistics, comparators and trends over REST (JSON, CSV) and GraphQL, researcher keys. */
@Module({
  controllers: [ResearchController, ComparisonController],
  providers: [ParticipationStatisticsService, ParticipationResolver, ComparisonService, TrendService, ComparisonResolver],
  exports: [ParticipationStatisticsService],
})
export class ResearchModule {}

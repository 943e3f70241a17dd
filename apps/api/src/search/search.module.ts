import { Module } from '@nestjs/common';
import { PublishedModule } from '../published/published.module.js';
import { ActivitySearchService } from './activity-search.service.js';
import { SearchController } from './search.controller.js';

/** Search of published activities: REST here, GraphQL `activities` through the same service. */
@Module({ imports: [PublishedModule], controllers: [SearchController], providers: [ActivitySearchService], exports: [ActivitySearchService] })
export class SearchModule {}

import { Injectable } from '@nestjs/common';
import type { ParsedSearch } from '@platform/search';
import { ActivitySearchStore, type SearchHit, type SearchResult } from '@platform/storage';
import { PublishedActivities, type PublishedView } from '../published/published-activities.js';

export interface SearchPage extends Omit<SearchResult, 'rows'> {
  views: PublishedView[];
  hits: SearchHit[];
}

/** The one search behind GraphQL `activities` and REST `GET /v1/activities`: the store's hits as published views. */
@Injectable()
export class ActivitySearchService {
  constructor(
    private readonly store: ActivitySearchStore,
    private readonly published: PublishedActivities,
  ) {}

  async search(parsed: ParsedSearch): Promise<SearchPage> {
    const { rows, ...result } = await this.store.search(parsed.query, parsed.sort, parsed.limit, parsed.after, parsed.facets);
    return { ...result, views: await this.published.views(rows) };
  }
}

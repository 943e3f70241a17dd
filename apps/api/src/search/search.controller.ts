import { Controller, Get, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '@platform/config';
import { activityToSchemaOrg } from '@platform/linked-data';
import { SearchParameterError, SearchParameterReader } from '@platform/search';
import { InvalidCursorError } from '@platform/storage';
import { ApiError } from '../errors/api-error.js';
import { PublishedDescriptions } from '../published/published-descriptions.js';
import { ActivitySearchService } from './activity-search.service.js';

/**
 * The collection's context: Hydra for the collection and its paging (https://www.w3.org/ns/hydra/core), schema.org
 * for the members (each an Event, as on the activity's own page), the platform vocabulary for facets and distance.
 */
export const SEARCH_CONTEXT = {
  '@vocab': 'https://schema.org/',
  hydra: 'http://www.w3.org/ns/hydra/core#',
  cdp: 'https://w3id.org/cultuurdata-platform/ns#',
  Collection: 'hydra:Collection',
  PartialCollectionView: 'hydra:PartialCollectionView',
  totalItems: 'hydra:totalItems',
  member: { '@id': 'hydra:member', '@container': '@list' },
  view: { '@id': 'hydra:view', '@type': '@id' },
  first: { '@id': 'hydra:first', '@type': '@id' },
  next: { '@id': 'hydra:next', '@type': '@id' },
  facet: { '@id': 'cdp:facet', '@type': '@json' },
  distanceKm: 'cdp:distanceKm',
};

/** GET /v1/activities: the search of GraphQL `activities` as a Hydra collection of schema.org Events. */
@ApiTags('search')
@Controller('v1/activities')
export class SearchController {
  private readonly publicBaseUrl: string;

  constructor(
    private readonly search: ActivitySearchService,
    private readonly descriptions: PublishedDescriptions,
    config: ConfigService<AppConfig, true>,
  ) {
    this.publicBaseUrl = config.get('PUBLIC_BASE_URL', { infer: true });
  }

  @Get()
  @ApiOperation({
    summary: 'Search activities (UiTdatabank Search API v3 parameter names). JSON-LD: a hydra:Collection with a PartialCollectionView; follow view.next.',
    description: 'See docs/guide-search.md for every parameter. A value that cannot be read is a 400 naming the parameter.',
  })
  @ApiProduces('application/ld+json', 'application/json')
  @ApiQuery({ name: 'text', required: false })
  @ApiQuery({ name: 'dateFrom', required: false })
  @ApiQuery({ name: 'dateTo', required: false })
  @ApiQuery({ name: 'coordinates', required: false, example: '51.0543,3.7174' })
  @ApiQuery({ name: 'distance', required: false, example: '10km' })
  @ApiQuery({ name: 'facets', required: false, example: 'types,regions' })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'after', required: false })
  async list(@Req() request: Request, @Res() response: Response): Promise<void> {
    const raw = request.query as Record<string, unknown>;
    let page;
    try {
      const parsed = SearchParameterReader.read(raw, { strict: true });
      page = { parsed, result: await this.search.search(parsed) };
    } catch (error) {
      if (error instanceof SearchParameterError) throw new ApiError('invalid-argument', error.messages, `query ${error.parameter}`);
      if (error instanceof InvalidCursorError) throw new ApiError('invalid-argument', { nl: error.message, en: error.message }, 'query after');
      throw error;
    }
    const { parsed, result } = page;
    const descriptions = await this.descriptions.describe(result.views);
    const url = (after?: string) => {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(raw)) {
        if (key === 'after') continue;
        for (const entry of Array.isArray(value) ? value : [value]) search.append(key, String(entry));
      }
      if (after) search.set('after', after);
      const query = search.toString();
      return `${this.publicBaseUrl}/v1/activities${query ? `?${query}` : ''}`;
    };
    const collection = {
      '@context': SEARCH_CONTEXT,
      '@id': url(),
      '@type': 'Collection',
      totalItems: result.totalCount,
      member: descriptions.map((description, index) => ({
        ...activityToSchemaOrg(description, { context: false }),
        ...(result.hits[index]?.distanceKm !== null && result.hits[index]?.distanceKm !== undefined ? { distanceKm: Math.round(result.hits[index].distanceKm! * 1000) / 1000 } : {}),
      })),
      view: {
        '@id': url(parsed.after),
        '@type': 'PartialCollectionView',
        first: url(),
        ...(result.hasNextPage && result.endCursor ? { next: url(result.endCursor) } : {}),
      },
      ...(parsed.facets.length > 0 ? { facet: result.facets } : {}),
    };
    response.vary('Accept');
    response.set('Cache-Control', 'public, max-age=10');
    response.type(request.accepts(['application/ld+json', 'application/json']) === 'application/json' ? 'application/json' : 'application/ld+json').send(JSON.stringify(collection));
  }
}

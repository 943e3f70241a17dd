import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiHeader, ApiOperation, ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '@platform/config';
import { FEED_NAMES, isFeedName, rpdePageJson, RpdeFeed } from '@platform/feeds';
import { ApiError } from '../errors/api-error.js';
import { ConsumerPositionReaders } from '../ops/consumer-position-readers.js';
import { FeedDocuments } from './feed-documents.js';

/** RPDE 1.0 (OpenActive Realtime Paged Data Exchange) feeds of the change log. */
@ApiTags('feeds')
@Controller('feeds')
export class RpdeController {
  private readonly publicBaseUrl: string;

  constructor(
    private readonly feed: RpdeFeed,
    private readonly documents: FeedDocuments,
    private readonly readers: ConsumerPositionReaders,
    config: ConfigService<AppConfig, true>,
  ) {
    this.publicBaseUrl = config.get('PUBLIC_BASE_URL', { infer: true });
  }

  @Get(':feed')
  @ApiOperation({
    summary: 'An RPDE 1.0 page (change-number ordering): each entity once, at its latest change; `deleted` tombstones; follow `next` until `items` is empty.',
  })
  @ApiParam({ name: 'feed', enum: FEED_NAMES })
  @ApiQuery({ name: 'afterChangeNumber', required: false, description: 'The `modified` of the last item you processed (absent: from the start).' })
  @ApiHeader({ name: 'Authorization', required: false, description: 'Optional "Bearer <consumer key>": the reader\'s position then shows in /metrics (cdp_feed_consumer_lag).' })
  async page(@Param('feed') name: string, @Query() query: Record<string, unknown>, @Req() request: Request, @Res() response: Response) {
    if (!isFeedName(name)) {
      throw new ApiError('resource-not-found', { nl: `Geen feed ${name}; er zijn ${FEED_NAMES.join(', ')}.`, en: `No feed ${name}; there are ${FEED_NAMES.join(', ')}.` }, 'path');
    }
    for (const other of ['afterTimestamp', 'afterId']) {
      if (query[other] !== undefined) {
        throw new ApiError(
          'invalid-argument',
          {
            nl: `Deze feed ordent op wijzigingsnummer: gebruik afterChangeNumber, niet ${other}.`,
            en: `This feed uses the change-number ordering strategy: use afterChangeNumber, not ${other}.`,
          },
          `query ${other}`,
        );
      }
    }
    const after = query.afterChangeNumber;
    if (after !== undefined && (typeof after !== 'string' || !/^\d{1,18}$/.test(after))) {
      throw new ApiError(
        'invalid-argument',
        {
          nl: `afterChangeNumber moet een geheel getal >= 0 zijn (de modified van het laatste item), niet ${JSON.stringify(after)}.`,
          en: `afterChangeNumber must be a whole number >= 0 (the modified of the last item), not ${JSON.stringify(after)}.`,
        },
        'query afterChangeNumber',
      );
    }
    // afterChangeNumber is what the reader has processed: with a consumer key, its position.
    await this.readers.record(request, 'rpde', name, Number(after ?? 0));
    const search = request.originalUrl.includes('?') ? request.originalUrl.slice(request.originalUrl.indexOf('?')) : '';
    const page = await this.feed.page(name, after ?? '0', `${this.publicBaseUrl}/feeds/${name}${search}`, this.documents.render);
    // RPDE: a page with items is final for an hour; the last page changes as soon as something commits.
    response.set('Cache-Control', page.isLastPage ? 'public, max-age=8' : 'public, max-age=3600');
    response.type('application/json; charset=utf-8').send(rpdePageJson(page));
  }
}

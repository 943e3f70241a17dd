import { createHash } from 'node:crypto';
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '@platform/config';
import { FEED_NAMES, isFeedName, LDES_MEDIA_TYPES, LdesStream, serialize, type FeedName, type LdesDocument, type LdesMediaType } from '@platform/feeds';
import { ApiError } from '../errors/api-error.js';

// Most change numbers one page request may cover.
const MAX_PAGE_SPAN = 10_000;

/** Linked Data Event Streams (TREE) of the change log, in Turtle, JSON-LD and N-Triples. */
@ApiTags('feeds')
@Controller('ldes')
export class LdesController {
  private readonly settings: string;

  constructor(
    private readonly stream: LdesStream,
    config: ConfigService<AppConfig, true>,
  ) {
    // Part of every ETag: the same version reads differently under another base URL or licence.
    this.settings = [config.get('PUBLIC_BASE_URL', { infer: true }), config.get('FEED_LICENSE', { infer: true }), config.get('FEED_TOMBSTONE_DAYS', { infer: true }), config.get('FEED_LDES_PAGE_SPAN', { infer: true })].join('|');
  }

  @Get(':stream')
  @ApiOperation({ summary: 'The ldes:EventStream: member shape, timestamp and version-of paths, DCAT description, its tree:view.' })
  @ApiParam({ name: 'stream', enum: FEED_NAMES })
  @ApiProduces(...LDES_MEDIA_TYPES)
  async description(@Param('stream') stream: string, @Req() request: Request, @Res() response: Response) {
    const name = this.streamName(stream);
    await this.serve(request, response, this.stream.description(name), 'public, max-age=300');
  }

  @Get(':stream/view')
  @ApiOperation({ summary: 'The view: a TREE relation to every page, with both bounds on prov:generatedAtTime; short-lived.' })
  @ApiParam({ name: 'stream', enum: FEED_NAMES })
  @ApiProduces(...LDES_MEDIA_TYPES)
  async view(@Param('stream') stream: string, @Req() request: Request, @Res() response: Response) {
    const name = this.streamName(stream);
    await this.serve(request, response, await this.stream.view(name), 'public, max-age=8');
  }

  @Get(':stream/pages/:range')
  @ApiOperation({ summary: 'A page of version objects: the changes with sequence numbers first..last; full pages are immutable.' })
  @ApiParam({ name: 'stream', enum: FEED_NAMES })
  @ApiParam({ name: 'range', example: '1-500', description: 'first-last change number (as the view links them)' })
  @ApiProduces(...LDES_MEDIA_TYPES)
  async page(@Param('stream') stream: string, @Param('range') range: string, @Req() request: Request, @Res() response: Response) {
    const name = this.streamName(stream);
    const match = /^(\d{1,15})-(\d{1,15})$/.exec(range);
    const [first, last] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
    if (!match || first < 1 || last < first || last - first >= MAX_PAGE_SPAN) {
      throw new ApiError(
        'invalid-argument',
        {
          nl: `Een pagina is first-last (wijzigingsnummers, 1 <= first <= last, hoogstens ${MAX_PAGE_SPAN}), niet ${JSON.stringify(range)}.`,
          en: `A page is first-last (change numbers, 1 <= first <= last, at most ${MAX_PAGE_SPAN}), not ${JSON.stringify(range)}.`,
        },
        'path',
      );
    }
    const document = await this.stream.page(name, { first, last });
    if (!document) {
      throw new ApiError('resource-not-found', { nl: `Pagina ${range} bestaat nog niet.`, en: `Page ${range} does not exist yet.` }, 'path');
    }
    await this.serve(request, response, document, document.immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=8');
  }

  private streamName(stream: string): FeedName {
    if (isFeedName(stream)) return stream;
    throw new ApiError('resource-not-found', { nl: `Geen stroom ${stream}; er zijn ${FEED_NAMES.join(', ')}.`, en: `No stream ${stream}; there are ${FEED_NAMES.join(', ')}.` }, 'path');
  }

  private async serve(request: Request, response: Response, document: LdesDocument, cacheControl: string): Promise<void> {
    const mediaType = request.accepts([...LDES_MEDIA_TYPES]) as LdesMediaType | false;
    if (!mediaType) {
      throw new ApiError('not-acceptable', { nl: `Beschikbaar als ${LDES_MEDIA_TYPES.join(', ')}.`, en: `Available as ${LDES_MEDIA_TYPES.join(', ')}.` }, 'header Accept');
    }
    // The serialisation is deterministic (fixed blank-node labels), so equal versions are equal bytes.
    const etag = `"${createHash('sha1').update(`${document.version}|${mediaType}|${this.settings}`).digest('base64url')}"`;
    response.vary('Accept');
    response.set('ETag', etag);
    response.set('Cache-Control', cacheControl);
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch && (ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag))) {
      response.status(304).end();
      return;
    }
    response.type(`${mediaType}; charset=utf-8`).send(await serialize(document.quads, mediaType));
  }
}

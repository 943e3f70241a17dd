import { createHash } from 'node:crypto';
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '@platform/config';
import { FEED_NAMES, isFeedName, LDES_MEDIA_TYPES, LdesStream, serialize, type FeedName, type LdesDocument, type LdesMediaType } from '@platform/feeds';
import { ApiError } from '../errors/api-error.js';
import { ConsumerPositionReaders } from '../ops/consumer-position-readers.js';

// Most change numbers one page request may cover.
const MAX_PAGE_SPAN = 10_000;
// Serialised full pages kept per process: they never change, so a later consumer gets the same bytes at once.
const FULL_PAGE_CACHE_ENTRIES = 64;
const FULL_PAGE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

/** Linked Data Event Streams (TREE) of the change log, in Turtle, JSON-LD and N-Triples. */
@ApiTags('feeds')
@Controller('ldes')
export class LdesController {
  private readonly settings: string;
  /** Insertion-ordered: the oldest entry is dropped first. */
  private readonly fullPages = new Map<string, { etag: string; body: string }>();

  constructor(
    private readonly stream: LdesStream,
    private readonly readers: ConsumerPositionReaders,
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
    // A reader fetching page first-last has processed everything before it: with a consumer key, its position.
    await this.readers.record(request, 'ldes', name, first - 1);
    const mediaType = this.mediaType(request);
    const cacheKey = `${name}/${first}-${last}|${mediaType}`;
    const cached = this.fullPages.get(cacheKey);
    if (cached) {
      // Only full pages are kept: no need to ask the database what it already said for good.
      this.send(request, response, cached.etag, FULL_PAGE_CACHE_CONTROL, mediaType, cached.body);
      return;
    }
    const document = await this.stream.page(name, { first, last });
    if (!document) {
      throw new ApiError('resource-not-found', { nl: `Pagina ${range} bestaat nog niet.`, en: `Page ${range} does not exist yet.` }, 'path');
    }
    if (!document.immutable) {
      await this.serve(request, response, document, 'public, max-age=8');
      return;
    }
    const etag = this.etag(document, mediaType);
    const body = await serialize(document.quads, mediaType);
    this.fullPages.set(cacheKey, { etag, body });
    if (this.fullPages.size > FULL_PAGE_CACHE_ENTRIES) this.fullPages.delete(this.fullPages.keys().next().value!);
    this.send(request, response, etag, FULL_PAGE_CACHE_CONTROL, mediaType, body);
  }

  private streamName(stream: string): FeedName {
    if (isFeedName(stream)) return stream;
    throw new ApiError('resource-not-found', { nl: `Geen stroom ${stream}; er zijn ${FEED_NAMES.join(', ')}.`, en: `No stream ${stream}; there are ${FEED_NAMES.join(', ')}.` }, 'path');
  }

  private mediaType(request: Request): LdesMediaType {
    const mediaType = request.accepts([...LDES_MEDIA_TYPES]) as LdesMediaType | false;
    if (!mediaType) {
      throw new ApiError('not-acceptable', { nl: `Beschikbaar als ${LDES_MEDIA_TYPES.join(', ')}.`, en: `Available as ${LDES_MEDIA_TYPES.join(', ')}.` }, 'header Accept');
    }
    return mediaType;
  }

  /** The serialisation is deterministic (fixed blank-node labels), so equal versions are equal bytes: a strong ETag. */
  private etag(document: LdesDocument, mediaType: LdesMediaType): string {
    return `"${createHash('sha1').update(`${document.version}|${mediaType}|${this.settings}`).digest('base64url')}"`;
  }

  private async serve(request: Request, response: Response, document: LdesDocument, cacheControl: string): Promise<void> {
    const mediaType = this.mediaType(request);
    const etag = this.etag(document, mediaType);
    if (this.notModified(request, etag)) {
      this.send(request, response, etag, cacheControl, mediaType, '');
      return;
    }
    this.send(request, response, etag, cacheControl, mediaType, await serialize(document.quads, mediaType));
  }

  private notModified(request: Request, etag: string): boolean {
    const ifNoneMatch = request.headers['if-none-match'];
    return !!ifNoneMatch && (ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag));
  }

  private send(request: Request, response: Response, etag: string, cacheControl: string, mediaType: LdesMediaType, body: string): void {
    response.vary('Accept');
    response.set('ETag', etag);
    response.set('Cache-Control', cacheControl);
    if (this.notModified(request, etag)) {
      response.status(304).end();
      return;
    }
    response.type(`${mediaType}; charset=utf-8`).send(body);
  }
}

import { createHash } from 'node:crypto';
import { Controller, Get, Header, Param, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '@platform/config';
import { PLATFORM_CONTEXT, toJsonLd, toNTriples, toTurtle } from '@platform/linked-data';
import { ApiError } from '../errors/api-error.js';
import { ResourceDescriptions, type Described } from './resource-descriptions.js';

const MEDIA_TYPES = ['application/ld+json', 'text/turtle', 'application/n-triples', 'application/json'] as const;
type MediaType = (typeof MEDIA_TYPES)[number];

/**
 * RFC 9110 13.2.2: If-None-Match decides when present (weak comparison), else If-Modified-Since.
 * Unlike express' req.fresh this ignores a request's Cache-Control: no-cache, which fetch() sends with
 * every conditional request and which only concerns caches, not the origin.
 */
function notModified(request: Request, etag: string, lastModified: Date): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  if (ifNoneMatch) return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
  const ifModifiedSince = Date.parse(request.headers['if-modified-since'] ?? '');
  // Last-Modified has second precision on the wire.
  return !Number.isNaN(ifModifiedSince) && Math.floor(lastModified.getTime() / 1000) * 1000 <= ifModifiedSince;
}

/** Dereferenceable platform IRIs (DESIGN.md): /id/activiteit, /id/locatie, /id/organisator, with content negotiation. */
@ApiTags('linked data')
@Controller()
export class ResourcesController {
  private readonly publicBaseUrl: string;

  constructor(
    private readonly descriptions: ResourceDescriptions,
    config: ConfigService<AppConfig, true>,
  ) {
    this.publicBaseUrl = config.get('PUBLIC_BASE_URL', { infer: true });
  }

  @Get('ns/context.jsonld')
  @Header('Content-Type', 'application/ld+json')
  @Header('Cache-Control', 'public, max-age=86400')
  @ApiOperation({ summary: 'The JSON-LD context of every document this platform serves (OSLO terms, canonical IRIs).' })
  context() {
    return PLATFORM_CONTEXT;
  }

  @Get('id/activiteit/:id')
  @ApiOperation({ summary: 'An activity (or one of its performances) as OSLO linked data, with live availability.' })
  @ApiProduces(...MEDIA_TYPES)
  async activity(@Param('id') id: string, @Req() request: Request, @Res() response: Response) {
    await this.serve(request, response, await this.descriptions.describeActivity(id));
  }

  @Get('id/locatie/:id')
  @ApiOperation({ summary: 'A place as OSLO linked data.' })
  @ApiProduces(...MEDIA_TYPES)
  async place(@Param('id') id: string, @Req() request: Request, @Res() response: Response) {
    await this.serve(request, response, await this.descriptions.describePlace(id));
  }

  @Get('id/organisator/:id')
  @ApiOperation({ summary: 'An organizer as OSLO linked data.' })
  @ApiProduces(...MEDIA_TYPES)
  async organizer(@Param('id') id: string, @Req() request: Request, @Res() response: Response) {
    await this.serve(request, response, await this.descriptions.describeOrganizer(id));
  }

  private async serve(request: Request, response: Response, described: Described | null): Promise<void> {
    if (!described) {
      throw new ApiError('resource-not-found', { nl: `Niets gevonden op ${request.path}.`, en: `Nothing found at ${request.path}.` }, 'path');
    }
    const mediaType = request.accepts([...MEDIA_TYPES]) as MediaType | false;
    if (!mediaType) {
      throw new ApiError(
        'not-acceptable',
        { nl: `Beschikbaar als ${MEDIA_TYPES.join(', ')}.`, en: `Available as ${MEDIA_TYPES.join(', ')}.` },
        'header Accept',
      );
    }
    const etag = `W/"${createHash('sha1').update(`${described.version}|${mediaType}|${this.publicBaseUrl}`).digest('base64url')}"`;
    response.vary('Accept');
    response.set('ETag', etag);
    response.set('Last-Modified', described.lastModified.toUTCString());
    response.set('Cache-Control', 'public, max-age=0, must-revalidate');
    if (notModified(request, etag, described.lastModified)) {
      response.status(304).end();
      return;
    }
    const quads = described.quads();
    if (mediaType === 'text/turtle') {
      response.type('text/turtle; charset=utf-8').send(toTurtle(quads));
    } else if (mediaType === 'application/n-triples') {
      response.type('application/n-triples; charset=utf-8').send(toNTriples(quads));
    } else {
      const document = await toJsonLd(quads, described.frameType, { contextUrl: `${this.publicBaseUrl}/ns/context.jsonld` });
      response.type(`${mediaType}; charset=utf-8`).send(JSON.stringify(document));
    }
  }
}

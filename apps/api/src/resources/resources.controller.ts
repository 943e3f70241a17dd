import { createHash } from 'node:crypto';
import { Controller, Get, Header, Param, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { AppConfig } from '@platform/config';
import { PLATFORM_CONTEXT, PLATFORM_PRICE_CATEGORIES, PREFIXES, priceCategorySchemeQuads, toJsonLd, toNTriples, toTurtle } from '@platform/linked-data';
import { ApiError } from '../errors/api-error.js';
import { renderActivityPage } from '../pages/activity-page.js';
import { ResourceDescriptions, type Described } from './resource-descriptions.js';

const MEDIA_TYPES = ['application/ld+json', 'text/turtle', 'application/n-triples', 'application/json', 'text/html'] as const;
type MediaType = (typeof MEDIA_TYPES)[number];

/** A suffix on the IRI picks the representation, so a page can link to each (content negotiation needs no suffix). */
const SUFFIXES: Record<string, MediaType> = { jsonld: 'application/ld+json', ttl: 'text/turtle', nt: 'application/n-triples', html: 'text/html' };
const SCHEMA_ORG_PROFILE = /^application\/ld\+json\s*;(.*;)?\s*profile\s*=\s*"?https?:\/\/schema\.org\/?"?/i;

/** `Accept: application/ld+json; profile="https://schema.org/"` asks for the schema.org description. */
function wantsSchemaOrg(request: Request): boolean {
  return (request.headers.accept ?? '').split(',').some((entry) => SCHEMA_ORG_PROFILE.test(entry.trim()));
}

function splitSuffix(id: string): { id: string; forced?: MediaType } {
  const match = /^([^.]+)\.([a-z]+)$/.exec(id);
  if (!match) return { id };
  const forced = SUFFIXES[match[2]];
  return forced ? { id: match[1], forced } : { id };
}

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

/** The price categories change with a release only: their description is built once. */
const PRICE_CATEGORY_SCHEME: Described = {
  quads: priceCategorySchemeQuads,
  lastModified: new Date('2026-12-02T00:00:00Z'),
  version: 'price-categories-1',
  frameType: `${PREFIXES.skos}ConceptScheme`,
};

/** Dereferenceable platform IRIs (DESIGN.md): /id/activiteit, /id/locatie, /id/organisator, /id/concept/PrijsCategorieType, with content negotiation. */
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
  @ApiOperation({ summary: 'An activity (or one of its performances) as OSLO linked data, with live availability; a page for people; schema.org for search engines.' })
  @ApiProduces(...MEDIA_TYPES)
  async activity(@Param('id') id: string, @Req() request: Request, @Res() response: Response) {
    const { id: uuid, forced } = splitSuffix(id);
    await this.serve(request, response, await this.descriptions.describeActivity(uuid), forced);
  }

  @Get('id/locatie/:id')
  @ApiOperation({ summary: 'A place as OSLO linked data.' })
  @ApiProduces(...MEDIA_TYPES)
  async place(@Param('id') id: string, @Req() request: Request, @Res() response: Response) {
    const { id: uuid, forced } = splitSuffix(id);
    await this.serve(request, response, await this.descriptions.describePlace(uuid), forced);
  }

  @Get('id/organisator/:id')
  @ApiOperation({ summary: 'An organizer as OSLO linked data.' })
  @ApiProduces(...MEDIA_TYPES)
  async organizer(@Param('id') id: string, @Req() request: Request, @Res() response: Response) {
    const { id: uuid, forced } = splitSuffix(id);
    await this.serve(request, response, await this.descriptions.describeOrganizer(uuid), forced);
  }

  @Get('id/concept/PrijsCategorieType')
  @ApiOperation({ summary: "The platform's price categories (kansentarief, UiTPAS, free) as a SKOS concept scheme, each skos:broader OSLO's tarief." })
  @ApiProduces('text/turtle', 'application/ld+json', 'application/n-triples')
  async priceCategories(@Req() request: Request, @Res() response: Response) {
    await this.serve(request, response, PRICE_CATEGORY_SCHEME);
  }

  @Get('id/concept/PrijsCategorieType/:code')
  @ApiOperation({ summary: 'One price category of the platform: its concept scheme (the concept with the others).' })
  @ApiProduces('text/turtle', 'application/ld+json', 'application/n-triples')
  async priceCategory(@Param('code') code: string, @Req() request: Request, @Res() response: Response) {
    const { id, forced } = splitSuffix(code);
    const known = PLATFORM_PRICE_CATEGORIES.some((concept) => concept.iri.endsWith(`/${id}`));
    await this.serve(request, response, known ? PRICE_CATEGORY_SCHEME : null, forced);
  }

  private async serve(request: Request, response: Response, described: Described | null, forced?: MediaType): Promise<void> {
    if (!described) {
      throw new ApiError('resource-not-found', { nl: `Niets gevonden op ${request.path}.`, en: `Nothing found at ${request.path}.` }, 'path');
    }
    // Pages exist for activities only; places and organizers are data.
    const offered = MEDIA_TYPES.filter((type) => type !== 'text/html' || described.published);
    // A profile parameter makes Accept matching fail for the plain type; the schema.org profile is answered first.
    const schemaOrgAsked = !forced && described.published !== undefined && wantsSchemaOrg(request);
    const mediaType = forced && offered.includes(forced) ? forced : schemaOrgAsked ? 'application/ld+json' : (request.accepts([...offered]) as MediaType | false);
    if (!mediaType) {
      throw new ApiError(
        'not-acceptable',
        { nl: `Beschikbaar als ${offered.join(', ')}.`, en: `Available as ${offered.join(', ')}.` },
        'header Accept',
      );
    }
    const schemaOrg = schemaOrgAsked;
    const variant = schemaOrg ? 'application/ld+json;profile=schema.org' : mediaType;
    const etag = `W/"${createHash('sha1').update(`${described.version}|${variant}|${this.publicBaseUrl}`).digest('base64url')}"`;
    response.vary('Accept');
    response.set('ETag', etag);
    response.set('Last-Modified', described.lastModified.toUTCString());
    response.set('Cache-Control', 'public, max-age=0, must-revalidate');
    if (notModified(request, etag, described.lastModified)) {
      response.status(304).end();
      return;
    }
    if ((mediaType === 'text/html' || schemaOrg) && described.published) {
      const page = renderActivityPage(await described.published());
      if (schemaOrg) {
        response.set('Content-Type', 'application/ld+json; profile="https://schema.org/"; charset=utf-8').send(JSON.stringify(page.schemaOrg));
      } else {
        response.set('Content-Security-Policy', "default-src 'none'; img-src * data:; style-src 'unsafe-inline'");
        response.type('text/html; charset=utf-8').send(page.html);
      }
      return;
    }
    const quads = described.quads();
    if (mediaType === 'text/turtle') {
      response.type('text/turtle; charset=utf-8').send(toTurtle(quads));
    } else if (mediaType === 'application/n-triples') {
      response.type('application/n-triples; charset=utf-8').send(toNTriples(quads));
    } else {
      const document = await toJsonLd(quads, described.frameType, { contextUrl: `${this.publicBaseUrl}/ns/context.jsonld` });
      response.type(`${mediaType === 'text/html' ? 'application/ld+json' : mediaType}; charset=utf-8`).send(JSON.stringify(document));
    }
  }
}

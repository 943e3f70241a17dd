import { createHash } from 'node:crypto';
import { Controller, Get, Header, Param, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Quad } from '@rdfjs/types';
import type { Request, Response } from 'express';
import type { AppConfig } from '@platform/config';
import { PLATFORM_CONTEXT, TERMS, activityToQuads, type ActivityRdfContext, organizerToQuads, placeToQuads, toJsonLd, toNTriples, toTurtle } from '@platform/linked-data';
import { ActivityQueryStore } from '@platform/storage';
import { ApiError } from '../errors/api-error.js';
import { PublishedActivities } from '../published/published-activities.js';
import { PublishedDescriptions, type PublishedDescription } from '../published/published-descriptions.js';
import { renderActivityPage } from '../pages/activity-page.js';
import { activityWithLiveAvailability } from './live-activity.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
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

interface Described {
  quads: () => Quad[];
  lastModified: Date;
  /** Changes whenever the description changes. */
  version: string;
  /** JSON-LD is framed on this type: the resource at the root, its dependent nodes embedded. */
  frameType: string;
  /** For activities: what the HTML page and the schema.org JSON-LD are made of. */
  published?: () => Promise<PublishedDescription>;
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

/** Dereferenceable platform IRIs (DESIGN.md): /id/activiteit, /id/locatie, /id/organisator, with content negotiation. */
@ApiTags('linked data')
@Controller()
export class ResourcesController {
  private readonly publicBaseUrl: string;

  constructor(
    private readonly store: ActivityQueryStore,
    private readonly published: PublishedActivities,
    private readonly descriptions: PublishedDescriptions,
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
    const { id: uuid, forced } = splitSuffix(id);
    await this.serve(request, response, await this.describeActivity(uuid), forced);
  }

  @Get('id/locatie/:id')
  @ApiOperation({ summary: 'A place as OSLO linked data.' })
  @ApiProduces(...MEDIA_TYPES)
  async place(@Param('id') id: string, @Req() request: Request, @Res() response: Response) {
    const { id: uuid, forced } = splitSuffix(id);
    const row = UUID.test(uuid) ? await this.store.findPlace(uuid) : null;
    await this.serve(request, response, row && this.describeDocument(row, placeToQuads, TERMS.Plaats), forced);
  }

  @Get('id/organisator/:id')
  @ApiOperation({ summary: 'An organizer as OSLO linked data.' })
  @ApiProduces(...MEDIA_TYPES)
  async organizer(@Param('id') id: string, @Req() request: Request, @Res() response: Response) {
    const { id: uuid, forced } = splitSuffix(id);
    const row = UUID.test(uuid) ? await this.store.findOrganizer(uuid) : null;
    await this.serve(request, response, row && this.describeDocument(row, organizerToQuads, TERMS.Organisator), forced);
  }

  /** Places and organizers: one stored document, described on its own. */
  private describeDocument<T>(
    row: { document: T; sourceId: string; modifiedAt: Date },
    toQuads: (document: T, context: ActivityRdfContext) => Quad[],
    frameType: string,
  ): Described {
    const processedAt = row.modifiedAt.toISOString();
    return {
      quads: () => toQuads(row.document, { sourceId: row.sourceId, publicBaseUrl: this.publicBaseUrl, processedAt }),
      lastModified: row.modifiedAt,
      version: processedAt,
      frameType,
    };
  }

  /**
   * A performance IRI answers with the whole activity it belongs to: that is where its description lives.
   * A source record that is part of a reconciled activity answers with the published (merged) activity.
   */
  private async describeActivity(id: string): Promise<Described | null> {
    if (!UUID.test(id)) return null;
    const view = (await this.published.find(id)) ?? (await this.publishedOfPerformance(id));
    if (!view) return null;
    const activity = view.row;
    const placeId = view.merged ? (view.members!.find((member) => member.activityId === view.merged!.placeFrom.activityId)?.placeId ?? activity.placeId) : activity.placeId;
    const organizerId = view.merged
      ? (view.members!.find((member) => member.activityId === view.merged!.organizerFrom?.activityId)?.organizerId ?? null)
      : activity.organizerId;
    const [performances, place, organizer] = await Promise.all([
      view.performances ?? this.store.performancesOf([activity.id]),
      this.store.findPlace(placeId),
      organizerId ? this.store.findOrganizer(organizerId) : Promise.resolve(null),
    ]);
    const base = view.merged?.activity ?? activity.document;
    // The place and organizer as they are now (another activity may have updated them since).
    const document = { ...base, place: place?.document ?? base.place, organizer: organizer?.document ?? base.organizer };
    const members = view.members ?? [];
    const lastModified = new Date(
      Math.max(
        activity.modifiedAt.getTime(),
        ...members.map((member) => member.modifiedAt.getTime()),
        place?.modifiedAt.getTime() ?? 0,
        organizer?.modifiedAt.getTime() ?? 0,
        ...performances.map((performance) => performance.availabilityChangedAt?.getTime() ?? 0),
      ),
    );
    return {
      quads: () =>
        activityToQuads(view.merged ? document : activityWithLiveAvailability(document, performances), {
          sourceId: activity.sourceId,
          publicBaseUrl: this.publicBaseUrl,
          processedAt: activity.modifiedAt.toISOString(),
          createdAt: activity.createdAt.toISOString(),
          modifiedAt: (view.merged ? new Date(Math.max(...members.map((member) => member.modifiedAt.getTime()))) : activity.modifiedAt).toISOString(),
          performanceSources: view.merged?.performances.map((performance) => performance.sourceId),
          performanceDerivedFrom: view.merged?.performances.map((performance) =>
            performance.sameAs.filter((id) => id !== performance.id).map((id) => `${this.publicBaseUrl}/id/activiteit/${id}`),
          ),
          placeSourceId: view.merged?.placeFrom.sourceId,
          organizerSourceId: view.merged?.organizerFrom?.sourceId,
          derivedFrom: members.filter((member) => member.activityId !== activity.id).map((member) => `${this.publicBaseUrl}/id/activiteit/${member.activityId}`),
        }),
      lastModified,
      frameType: 'Activiteit',
      published: async () => (await this.descriptions.describe([view]))[0],
      version: `${[activity.contentHash, ...members.map((member) => member.contentHash)].join('+')}:${place?.modifiedAt.toISOString()}:${organizer?.modifiedAt.toISOString()}:${performances.map((performance) => `${performance.id}=${performance.remaining}/${performance.capacity}/${performance.availabilityLevel}`).join(',')}`,
    };
  }

  private async publishedOfPerformance(id: string) {
    const performance = await this.store.findPerformance(id);
    return performance ? this.published.find(performance.activityId) : null;
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

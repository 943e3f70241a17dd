import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { DataSource } from 'typeorm';
import { DCAT_PREFIXES, dcatCatalogue, type Period } from '@platform/catalogue';
import type { AppConfig } from '@platform/config';
import { compactJsonLd, toTurtle } from '@platform/linked-data';
import { ParticipationQueryStore } from '@platform/storage';
import { ApiError } from '../errors/api-error.js';

const MEDIA_TYPES = { turtle: 'text/turtle', jsonld: 'application/ld+json' } as const;

/** The DCAT-AP 3.0.1 catalogue of what the platform publishes (open feeds, restricted participation statistics). */
@ApiTags('catalogue')
@Controller('datasets')
export class CatalogueController {
  constructor(
    private readonly config: ConfigService<AppConfig, true>,
    private readonly participation: ParticipationQueryStore,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @ApiOperation({ summary: 'DCAT-AP catalogue (dcat:Catalog) of the datasets, distributions and data services; Turtle or JSON-LD by Accept or ?format' })
  @ApiProduces(MEDIA_TYPES.turtle, MEDIA_TYPES.jsonld)
  @ApiQuery({ name: 'format', required: false, enum: Object.keys(MEDIA_TYPES) })
  async catalogue(@Query('format') format: string | undefined, @Req() request: Request, @Res() response: Response) {
    let chosen: keyof typeof MEDIA_TYPES;
    if (format !== undefined) {
      if (!(format in MEDIA_TYPES)) throw new ApiError('invalid-argument', { nl: 'format is turtle of jsonld.', en: 'format is turtle or jsonld.' }, 'query format');
      chosen = format as keyof typeof MEDIA_TYPES;
    } else {
      const accepted = request.accepts([MEDIA_TYPES.turtle, MEDIA_TYPES.jsonld, 'application/json']);
      if (!accepted) {
        throw new ApiError('not-acceptable', { nl: 'De catalogus bestaat als text/turtle en application/ld+json.', en: 'The catalogue is available as text/turtle and application/ld+json.' }, 'header Accept');
      }
      chosen = accepted === MEDIA_TYPES.turtle ? 'turtle' : 'jsonld';
    }
    const [activities]: Array<{ first: Date | null; last: Date | null }> = await this.dataSource.query('SELECT min(start_at) AS first, max(start_at) AS last FROM performance');
    const activityCoverage: Period | null = activities?.first && activities.last ? { start: new Date(activities.first), end: new Date(activities.last) } : null;
    const span = await this.participation.span({});
    const [firstSource]: Array<{ created_at: Date | null }> = await this.dataSource.query('SELECT min(created_at) AS created_at FROM source');
    const quads = dcatCatalogue({
      baseUrl: this.config.get('PUBLIC_BASE_URL', { infer: true }),
      license: this.config.get('FEED_LICENSE', { infer: true }),
      participationCoverage: span ? { start: span.first, end: span.last } : null,
      activityCoverage,
      modified: new Date(),
      ...(firstSource?.created_at ? { issued: new Date(firstSource.created_at) } : {}),
    });
    response.setHeader('vary', 'Accept');
    if (chosen === 'turtle') {
      response.status(200).type(`${MEDIA_TYPES.turtle}; charset=utf-8`).send(toTurtle(quads));
      return;
    }
    response.status(200).type(`${MEDIA_TYPES.jsonld}; charset=utf-8`).send(JSON.stringify(await compactJsonLd(quads, DCAT_PREFIXES)));
  }
}

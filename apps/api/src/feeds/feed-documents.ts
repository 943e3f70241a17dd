import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@platform/config';
import type { FeedKind, RpdeRenderer } from '@platform/feeds';
import { toJsonLd } from '@platform/linked-data';
import { ResourceDescriptions, type Described } from '../resources/resource-descriptions.js';

/** The `data` of RPDE items: the same JSON-LD document the resource's IRI answers with. */
@Injectable()
export class FeedDocuments {
  private readonly contextUrl: string;

  constructor(
    private readonly descriptions: ResourceDescriptions,
    config: ConfigService<AppConfig, true>,
  ) {
    this.contextUrl = `${config.get('PUBLIC_BASE_URL', { infer: true })}/ns/context.jsonld`;
  }

  /** The ids of a page are described together (a few set-based queries), then each is framed as its IRI answers it. */
  readonly render: RpdeRenderer = async (kind: FeedKind, ids: string[]) => {
    const described = await this.describe(kind, ids);
    const rendered = new Map<string, string>();
    for (const id of ids) {
      const description = described.get(id);
      if (description) rendered.set(id, JSON.stringify(await toJsonLd(description.quads(), description.frameType, { contextUrl: this.contextUrl })));
    }
    return rendered;
  };

  private describe(kind: FeedKind, ids: string[]): Promise<Map<string, Described>> {
    if (kind.name === 'places') return this.descriptions.describePlaces(ids);
    if (kind.name === 'organizers') return this.descriptions.describeOrganizers(ids);
    return this.descriptions.describeActivities(ids);
  }
}

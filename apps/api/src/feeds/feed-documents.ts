import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@platform/config';
import type { FeedKind, RpdeRenderer } from '@platform/feeds';
import { toJsonLd } from '@platform/linked-data';
import { ResourceDescriptions, type Described } from '../resources/resource-descriptions.js';

// Rendering waits on Postgres between JSON-LD framing steps: a few at once keeps both busy.
const RENDER_CONCURRENCY = 4;

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

  readonly render: RpdeRenderer = async (kind: FeedKind, ids: string[]) => {
    const rendered = new Map<string, string>();
    let next = 0;
    const worker = async () => {
      while (next < ids.length) {
        const id = ids[next++];
        const described = await this.describe(kind, id);
        if (described) rendered.set(id, JSON.stringify(await toJsonLd(described.quads(), described.frameType, { contextUrl: this.contextUrl })));
      }
    };
    await Promise.all(Array.from({ length: Math.min(RENDER_CONCURRENCY, ids.length) }, worker));
    return rendered;
  };

  private describe(kind: FeedKind, id: string): Promise<Described | null> {
    if (kind.name === 'places') return this.descriptions.describePlace(id);
    if (kind.name === 'organizers') return this.descriptions.describeOrganizer(id);
    return this.descriptions.describeActivity(id);
  }
}

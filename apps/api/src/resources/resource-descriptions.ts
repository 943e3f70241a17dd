import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Quad } from '@rdfjs/types';
import type { AppConfig } from '@platform/config';
import { TERMS, activityToQuads, type ActivityRdfContext, organizerToQuads, placeToQuads } from '@platform/linked-data';
import { ActivityQueryStore } from '@platform/storage';
import { PublishedActivities } from '../published/published-activities.js';
import { PublishedDescriptions, type PublishedDescription } from '../published/published-descriptions.js';
import { activityWithLiveAvailability } from './live-activity.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Described {
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
 * What the platform publishes about one resource (the linked-data resources and the change feeds
 * serve the same description): activities as published (reconciled ones merged, live seats), places
 * and organizers as stored.
 */
@Injectable()
export class ResourceDescriptions {
  private readonly publicBaseUrl: string;

  constructor(
    private readonly store: ActivityQueryStore,
    private readonly published: PublishedActivities,
    private readonly publishedDescriptions: PublishedDescriptions,
    config: ConfigService<AppConfig, true>,
  ) {
    this.publicBaseUrl = config.get('PUBLIC_BASE_URL', { infer: true });
  }

  async describePlace(id: string): Promise<Described | null> {
    const row = UUID.test(id) ? await this.store.findPlace(id) : null;
    return row && this.describeDocument(row, placeToQuads, TERMS.Plaats);
  }

  async describeOrganizer(id: string): Promise<Described | null> {
    const row = UUID.test(id) ? await this.store.findOrganizer(id) : null;
    return row && this.describeDocument(row, organizerToQuads, TERMS.Organisator);
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
  async describeActivity(id: string): Promise<Described | null> {
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
      placeId ? this.store.findPlace(placeId) : Promise.resolve(null),
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
      published: async () => (await this.publishedDescriptions.describe([view]))[0],
      version: `${[activity.contentHash, ...members.map((member) => member.contentHash)].join('+')}:${place?.modifiedAt.toISOString()}:${organizer?.modifiedAt.toISOString()}:${performances.map((performance) => `${performance.id}=${performance.remaining}/${performance.capacity}/${performance.availabilityLevel}`).join(',')}`,
    };
  }

  private async publishedOfPerformance(id: string) {
    const performance = await this.store.findPerformance(id);
    return performance ? this.published.find(performance.activityId) : null;
  }
}

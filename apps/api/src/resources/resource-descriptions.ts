import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Quad } from '@rdfjs/types';
import type { AppConfig } from '@platform/config';
import { TERMS, activityToQuads, type ActivityRdfContext, organizerToQuads, placeToQuads } from '@platform/linked-data';
import { ActivityQueryStore, type OrganizerEntity, type PerformanceEntity, type PlaceEntity } from '@platform/storage';
import { PublishedActivities, type PublishedView } from '../published/published-activities.js';
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

  /** Many places or organizers with one query; ids naming none are left out. */
  async describePlaces(ids: string[]): Promise<Map<string, Described>> {
    const rows = await this.store.findPlaces([...new Set(ids.filter((id) => UUID.test(id)))]);
    return new Map(rows.map((row) => [row.id, this.describeDocument(row, placeToQuads, TERMS.Plaats)]));
  }

  async describeOrganizers(ids: string[]): Promise<Map<string, Described>> {
    const rows = await this.store.findOrganizers([...new Set(ids.filter((id) => UUID.test(id)))]);
    return new Map(rows.map((row) => [row.id, this.describeDocument(row, organizerToQuads, TERMS.Organisator)]));
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
    return (await this.describeActivities([id])).get(id) ?? null;
  }

  /**
   * Many activities (or performances) at once, as `describeActivity` describes each, with a few set-based queries
   * for all of them (links, activities, clusters, performances, places, organizers); ids naming nothing are left out.
   */
  async describeActivities(ids: string[]): Promise<Map<string, Described>> {
    const valid = [...new Set(ids.filter((id) => UUID.test(id)))];
    const views = await this.published.findMany(valid);
    // A performance IRI names the activity it belongs to (rare: one lookup each).
    for (const id of valid) {
      if (views.has(id)) continue;
      const view = await this.publishedOfPerformance(id);
      if (view) views.set(id, view);
    }
    const members = (view: PublishedView, activityId: string | undefined) => view.members!.find((member) => member.activityId === activityId);
    const sources = new Map(
      [...views].map(([id, view]) => {
        const activity = view.row;
        const placeId = view.merged ? (members(view, view.merged.placeFrom.activityId)?.placeId ?? activity.placeId) : activity.placeId;
        const organizerId = view.merged ? (members(view, view.merged.organizerFrom?.activityId)?.organizerId ?? null) : activity.organizerId;
        return [id, { view, placeId, organizerId }];
      }),
    );
    const all = [...sources.values()];
    const [performances, places, organizers] = await Promise.all([
      this.store.performancesOf([...new Set(all.filter(({ view }) => !view.performances).map(({ view }) => view.row.id))]),
      this.store.findPlaces([...new Set(all.flatMap(({ placeId }) => (placeId ? [placeId] : [])))]),
      this.store.findOrganizers([...new Set(all.flatMap(({ organizerId }) => (organizerId ? [organizerId] : [])))]),
    ]);
    const performancesOf = new Map<string, PerformanceEntity[]>();
    for (const row of performances) {
      const list = performancesOf.get(row.activityId);
      if (list) list.push(row);
      else performancesOf.set(row.activityId, [row]);
    }
    const placeById = new Map(places.map((row) => [row.id, row]));
    const organizerById = new Map(organizers.map((row) => [row.id, row]));
    const described = new Map<string, Described>();
    for (const [id, { view, placeId, organizerId }] of sources) {
      described.set(
        id,
        this.describeView(
          view,
          view.performances ?? performancesOf.get(view.row.id) ?? [],
          (placeId && placeById.get(placeId)) || null,
          (organizerId && organizerById.get(organizerId)) || null,
        ),
      );
    }
    return described;
  }

  private describeView(view: PublishedView, performances: PerformanceEntity[], place: PlaceEntity | null, organizer: OrganizerEntity | null): Described {
    const activity = view.row;
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

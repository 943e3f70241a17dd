import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@platform/config';
import { entityId, type Activity } from '@platform/domain';
import type { SchemaOrgEventInput } from '@platform/linked-data';
import { ActivityQueryStore, type OrganizerEntity, type PerformanceEntity, type PlaceEntity } from '@platform/storage';
import { activityWithLiveAvailability } from '../resources/live-activity.js';
import type { PublishedView } from './published-activities.js';

/** A published activity as people and search engines see it: live seats, the place and organizer as they are now. */
export interface PublishedDescription extends SchemaOrgEventInput {
  id: string;
  modifiedAt: Date;
}

/** Builds the schema.org inputs of many published activities with three queries (places, organizers, performances). */
@Injectable()
export class PublishedDescriptions {
  private readonly publicBaseUrl: string;

  constructor(
    private readonly store: ActivityQueryStore,
    config: ConfigService<AppConfig, true>,
  ) {
    this.publicBaseUrl = config.get('PUBLIC_BASE_URL', { infer: true });
  }

  async describe(views: PublishedView[]): Promise<PublishedDescription[]> {
    const placeIds = new Set<string>();
    const organizerIds = new Set<string>();
    const sources = views.map((view) => {
      const member = (activityId: string | undefined) => view.members?.find((candidate) => candidate.activityId === activityId);
      const placeId = view.merged ? (member(view.merged.placeFrom.activityId)?.placeId ?? view.row.placeId) : view.row.placeId;
      const organizerId = view.merged ? (member(view.merged.organizerFrom?.activityId)?.organizerId ?? null) : view.row.organizerId;
      if (placeId) placeIds.add(placeId);
      if (organizerId) organizerIds.add(organizerId);
      return { view, placeId, organizerId };
    });
    const own = views.filter((view) => !view.merged).map((view) => view.row.id);
    const [places, organizers, performances] = await Promise.all([
      this.store.findPlaces([...placeIds]),
      organizerIds.size > 0 ? this.store.findOrganizers([...organizerIds]) : Promise.resolve([] as OrganizerEntity[]),
      this.store.performancesOf(own),
    ]);
    const placeById = new Map<string, PlaceEntity>(places.map((row) => [row.id, row]));
    const organizerById = new Map<string, OrganizerEntity>(organizers.map((row) => [row.id, row]));
    const performancesOf = new Map<string, PerformanceEntity[]>();
    for (const row of performances) performancesOf.set(row.activityId, [...(performancesOf.get(row.activityId) ?? []), row]);
    const iri = (id: string) => `${this.publicBaseUrl}/id/activiteit/${id}`;

    return sources.map(({ view, placeId, organizerId }) => {
      const base: Activity = view.merged?.activity ?? view.row.document;
      const place = placeId ? placeById.get(placeId) : undefined;
      const organizer = organizerId ? organizerById.get(organizerId) : undefined;
      const activity = view.merged ? base : activityWithLiveAvailability(base, performancesOf.get(view.row.id) ?? []);
      const performanceIris = view.merged
        ? view.merged.performances.map((performance) => iri(performance.id))
        : activity.performances.map((performance) => iri(entityId('uitvoering', view.row.sourceId, performance.externalId)));
      const modifiedAt = new Date(Math.max(view.row.modifiedAt.getTime(), ...(view.members ?? []).map((member) => member.modifiedAt.getTime())));
      return {
        id: view.row.id,
        iri: iri(view.row.id),
        activity,
        performanceIris,
        place: place?.document ?? base.place,
        placeIri: placeId ? `${this.publicBaseUrl}/id/locatie/${placeId}` : undefined,
        organizer: organizer?.document ?? base.organizer ?? null,
        organizerIri: organizerId ? `${this.publicBaseUrl}/id/organisator/${organizerId}` : null,
        createdAt: view.row.createdAt,
        modifiedAt,
      };
    });
  }
}

import DataLoader from 'dataloader';
import type { Request } from 'express';
import type { ActivityQueryStore, OrganizerEntity, PerformanceEntity, PlaceEntity } from '@platform/storage';

/** Per-request batching: a page of 100 activities costs three queries for its places, organizers and performances. */
export interface Loaders {
  performances: DataLoader<string, PerformanceEntity[]>;
  places: DataLoader<string, PlaceEntity | null>;
  organizers: DataLoader<string, OrganizerEntity | null>;
}

export function createLoaders(store: ActivityQueryStore): Loaders {
  return {
    performances: new DataLoader(async (activityIds) => {
      const rows = await store.performancesOf([...activityIds]);
      return activityIds.map((id) => rows.filter((row) => row.activityId === id));
    }),
    places: new DataLoader(async (ids) => {
      const rows = new Map((await store.findPlaces([...ids])).map((row) => [row.id, row]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
    organizers: new DataLoader(async (ids) => {
      const rows = new Map((await store.findOrganizers([...ids])).map((row) => [row.id, row]));
      return ids.map((id) => rows.get(id) ?? null);
    }),
  };
}

export interface GraphqlContext {
  loaders: Loaders;
  req?: Request;
}

import type { DataSource } from 'typeorm';
import { In } from 'typeorm';
import { ActivityEntity, OrganizerEntity, PerformanceEntity, PlaceEntity } from '../entities/index.js';

export class InvalidCursorError extends Error {}

/** Reads of the projection for GraphQL and the JSON-LD resources. */
export class ActivityQueryStore {
  constructor(private readonly dataSource: DataSource) {}

  findActivity(id: string): Promise<ActivityEntity | null> {
    return this.dataSource.getRepository(ActivityEntity).findOneBy({ id });
  }

  findActivities(ids: string[]): Promise<ActivityEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(ActivityEntity).findBy({ id: In(ids) });
  }

  findPerformance(id: string): Promise<PerformanceEntity | null> {
    return this.dataSource.getRepository(PerformanceEntity).findOneBy({ id });
  }

  findPlace(id: string): Promise<PlaceEntity | null> {
    return this.dataSource.getRepository(PlaceEntity).findOneBy({ id });
  }

  findOrganizer(id: string): Promise<OrganizerEntity | null> {
    return this.dataSource.getRepository(OrganizerEntity).findOneBy({ id });
  }

  findPlaces(ids: string[]): Promise<PlaceEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(PlaceEntity).findBy({ id: In(ids) });
  }

  findOrganizers(ids: string[]): Promise<OrganizerEntity[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(OrganizerEntity).findBy({ id: In(ids) });
  }

  /** Performances of many activities in one query, in their published order. */
  performancesOf(activityIds: string[]): Promise<PerformanceEntity[]> {
    if (activityIds.length === 0) return Promise.resolve([]);
    return this.dataSource
      .getRepository(PerformanceEntity)
      .find({ where: { activityId: In(activityIds) }, order: { activityId: 'ASC', position: 'ASC' } });
  }
}

import type { MappedItem } from './mapped-item.js';
import { mapUitdatabankPush } from './uitdatabank/push-mapper.js';

/** Reads one pushed JSON document (already parsed) of a source kind that has its own dialect. */
export type PushMapper = (document: unknown, context: MapperContext) => MappedItem[];

export interface MapperContext {
  sourceId: string;
  now: Date;
}

/**
 * Source kinds whose vendors push their own JSON instead of the platform's push format (a UiTdatabank
 * source pushes UiTdatabank event/place/organizer documents as UiTdatabank publishes them). Kinds not
 * listed push the platform's format.
 */
export const PUSH_MAPPERS: Partial<Record<string, PushMapper>> = {
  uitdatabank: mapUitdatabankPush,
};

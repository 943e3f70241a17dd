import type { ChangeEntityType, ChangeOperation } from '@platform/storage';
import { normalizeName, type ChangeEvent } from './change-events.js';

export const CHANGE_KINDS: readonly ChangeOperation[] = ['upsert', 'delete', 'availability'];
export const ENTITY_TYPES: readonly ChangeEntityType[] = ['activity', 'place', 'organizer'];

/**
 * What a subscription (or an SSE stream) wants. Every filter given must match (AND); within one,
 * any value (OR). Absent = everything.
 */
export interface ChangeFilters {
  /** Change kinds: `upsert` (created or changed), `delete`, `availability` (seats or level only). */
  kinds?: ChangeOperation[];
  entityTypes?: ChangeEntityType[];
  activityIds?: string[];
  placeIds?: string[];
  organizerIds?: string[];
  /** Municipality names in any language (case and accents do not matter). */
  municipalities?: string[];
  postalCodes?: string[];
}

export interface FilterProblem {
  where: string;
  message: { nl: string; en: string };
}

export class InvalidFiltersError extends Error {
  constructor(readonly problem: FilterProblem) {
    super(problem.message.en);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const POSTAL_CODE = /^[0-9]{4}$/;
const MAX_VALUES = 1000;

type FilterName = keyof ChangeFilters;

const CHECKS: Record<FilterName, { valid: (value: string) => boolean; expected: { nl: string; en: string } }> = {
  kinds: { valid: (value) => (CHANGE_KINDS as string[]).includes(value), expected: { nl: `een van ${CHANGE_KINDS.join(', ')}`, en: `one of ${CHANGE_KINDS.join(', ')}` } },
  entityTypes: { valid: (value) => (ENTITY_TYPES as string[]).includes(value), expected: { nl: `een van ${ENTITY_TYPES.join(', ')}`, en: `one of ${ENTITY_TYPES.join(', ')}` } },
  activityIds: { valid: (value) => UUID.test(value), expected: { nl: 'een platform-id (uuid)', en: 'a platform id (uuid)' } },
  placeIds: { valid: (value) => UUID.test(value), expected: { nl: 'een platform-id (uuid)', en: 'a platform id (uuid)' } },
  organizerIds: { valid: (value) => UUID.test(value), expected: { nl: 'een platform-id (uuid)', en: 'a platform id (uuid)' } },
  municipalities: { valid: (value) => value.trim().length > 0 && value.length <= 100, expected: { nl: 'een gemeentenaam', en: 'a municipality name' } },
  postalCodes: { valid: (value) => POSTAL_CODE.test(value), expected: { nl: 'een postcode van 4 cijfers', en: 'a 4-digit postal code' } },
};

export const FILTER_NAMES = Object.keys(CHECKS) as FilterName[];

/**
 * Reads filters from a JSON body (`{filters: {...}}`, arrays of strings) or from query parameters
 * (`name=a,b`), with `wherePrefix` naming the place in the request. Throws InvalidFiltersError.
 */
export function readFilters(input: unknown, wherePrefix: string): ChangeFilters {
  if (input === undefined || input === null) return {};
  if (typeof input !== 'object' || Array.isArray(input)) {
    throw new InvalidFiltersError({ where: wherePrefix, message: { nl: 'filters moet een object zijn.', en: 'filters must be an object.' } });
  }
  const filters: ChangeFilters = {};
  for (const [name, raw] of Object.entries(input as Record<string, unknown>)) {
    const where = `${wherePrefix}${wherePrefix === '' || wherePrefix.endsWith('/') || wherePrefix.endsWith(' ') ? '' : '/'}${name}`;
    // Own names only: `__proto__` or `toString` are "in" every object.
    if (!Object.hasOwn(CHECKS, name)) {
      throw new InvalidFiltersError({
        where,
        message: { nl: `Onbekende filter ${name}; mogelijk: ${FILTER_NAMES.join(', ')}.`, en: `Unknown filter ${name}; known: ${FILTER_NAMES.join(', ')}.` },
      });
    }
    if (raw === undefined) continue;
    const values = typeof raw === 'string' ? raw.split(',').map((value) => value.trim()).filter((value) => value !== '') : raw;
    if (!Array.isArray(values) || values.some((value) => typeof value !== 'string') || values.length > MAX_VALUES) {
      throw new InvalidFiltersError({
        where,
        message: { nl: `${name} moet een lijst van tekst zijn (hoogstens ${MAX_VALUES}).`, en: `${name} must be a list of strings (at most ${MAX_VALUES}).` },
      });
    }
    const check = CHECKS[name as FilterName];
    const wrong = (values as string[]).find((value) => !check.valid(value));
    if (wrong !== undefined) {
      throw new InvalidFiltersError({
        where,
        message: { nl: `${name}: "${wrong}" is geen ${check.expected.nl}.`, en: `${name}: "${wrong}" is not ${check.expected.en}.` },
      });
    }
    if ((values as string[]).length > 0) (filters as Record<string, string[]>)[name] = [...new Set(values as string[])];
  }
  return filters;
}

/** Whether an event passes the filters. A deletion without known facts passes place/organizer/region filters. */
export function matches(filters: ChangeFilters, event: ChangeEvent): boolean {
  if (filters.kinds && !filters.kinds.includes(event.operation)) return false;
  if (filters.entityTypes && !filters.entityTypes.includes(event.entityType)) return false;
  if (filters.activityIds && !(event.entityType === 'activity' && filters.activityIds.includes(event.entityId))) return false;
  if (!event.factsKnown) return true;
  if (filters.placeIds && !(event.placeId && filters.placeIds.includes(event.placeId))) return false;
  if (filters.organizerIds && !(event.organizerId && filters.organizerIds.includes(event.organizerId))) return false;
  if (filters.postalCodes && !(event.postalCode && filters.postalCodes.includes(event.postalCode))) return false;
  if (filters.municipalities) {
    const wanted = filters.municipalities.map(normalizeName);
    if (!event.municipalities.some((name) => wanted.includes(name))) return false;
  }
  return true;
}

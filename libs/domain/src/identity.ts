import { v5 as uuidv5 } from 'uuid';

/** Fixed namespace for the platform's name-based UUIDs: never change it, every published IRI depends on it. */
const PLATFORM_NAMESPACE = '6f1d8a52-3c0e-5b7a-9d4e-2a1b0c9e8f71';

export type EntityKind = 'activiteit' | 'uitvoering' | 'locatie' | 'organisator';

/**
 * The platform id of an entity, derived from (kind, source, external id) so that re-ingesting the
 * same item never mints a new identity (DESIGN.md, IRI policy).
 */
export function entityId(kind: EntityKind, sourceId: string, externalId: string): string {
  return uuidv5(`${kind}\u0000${sourceId}\u0000${externalId}`, PLATFORM_NAMESPACE);
}

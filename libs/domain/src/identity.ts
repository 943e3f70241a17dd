import { hash } from 'node:crypto';
import { parse as parseUuid, v5 as uuidv5 } from 'uuid';

/** Fixed namespace for the platform's name-based UUIDs: never change it, every published IRI depends on it. */
export const PLATFORM_NAMESPACE = '6f1d8a52-3c0e-5b7a-9d4e-2a1b0c9e8f71';
const NAMESPACE_BYTES = Buffer.from(parseUuid(PLATFORM_NAMESPACE));
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * RFC 9562 version 5 (SHA-1, name-based) under the platform namespace, with Node's native SHA-1: the
 * `uuid` package (v14) hashes in JavaScript, ~5 µs a name, which every stored ticket paid (a new name each).
 * Identical to `uuid`'s v5 (identity.spec.ts checks it on generated names). A name with a
 * lone surrogate keeps uuid's own handling (it refuses it) rather than hashing U+FFFD's bytes. Formatted from
 * the hex digest.
 */
function nameBasedUuid(name: string): string {
  if (LONE_SURROGATE.test(name)) return uuidv5(name, PLATFORM_NAMESPACE);
  // One-shot `hash` (Node >= 20.12): a `createHash` object per name cost ~3 µs more than the SHA-1 itself.
  const hex = hash('sha1', Buffer.concat([NAMESPACE_BYTES, Buffer.from(name, 'utf8')]), 'hex');
  // Version 5 in the 13th hex digit, the RFC variant (10xx) in the 17th.
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export type EntityKind = 'activiteit' | 'uitvoering' | 'locatie' | 'organisator';

/**
 * The platform id of an entity, derived from (kind, source, external id) so that re-ingesting the
 * same item never mints a new identity (DESIGN.md, IRI policy).
 */
export function entityId(kind: EntityKind, sourceId: string, externalId: string): string {
  // Looked up by the caller's own strings (kind, then source, then external id): V8 keeps a string's hash
  // on the string, so a hit hashes nothing new, where a joined key was a new string to build and hash on
  // every call (~7 % of a worker's CPU with the activities, performances, places and organizers of a batch).
  let byKind = recent.get(sourceId);
  if (byKind === undefined) recent.set(sourceId, (byKind = new Map()));
  let byExternalId = byKind.get(kind);
  if (byExternalId === undefined) byKind.set(kind, (byExternalId = new Map()));
  let id = byExternalId.get(externalId);
  if (id === undefined) {
    id = nameBasedUuid(`${kind}\u0000${sourceId}\u0000${externalId}`);
    // Bounded: a long-running worker sees unbounded ids; a batch asks for the same few many times.
    if (++remembered > RECENT_IDS) {
      recent.clear();
      remembered = 1;
      recent.set(sourceId, (byKind = new Map([[kind, (byExternalId = new Map())]])));
    }
    byExternalId.set(externalId, id);
  }
  return id;
}

// The ingest path derives the same ids several times per item (RDF, unchanged check, write, report):
// a SHA-1 each (measured: ~3 % of a worker's CPU in issue 10's profile).
const RECENT_IDS = 100_000;
const recent = new Map<string, Map<EntityKind, Map<string, string>>>();
let remembered = 0;

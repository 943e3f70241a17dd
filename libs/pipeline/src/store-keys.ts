import type { IngestItem } from './ingest-item.js';

export type StoreKeyKind = 'activity' | 'place' | 'organizer' | 'performance' | 'iri';

/**
 * Rows of one source, named as the pipeline names them: `activity`, `place`, `organizer` and
 * `performance` by the source's external id, `iri` by the IRI its RDF used. A connector run evaluates
 * its next page while the page before commits (ConnectorSyncService): what the evaluation read
 * (`IngestService.evaluate` records it) is compared with what that commit may change
 * (`keysWrittenBy`); an evaluation that shares a key is done again after the commit, so a run stores
 * exactly what reading its pages one after the other would.
 */
export class StoreKeys {
  private readonly keys = new Set<string>();

  add(kind: StoreKeyKind, ids: Iterable<string | null | undefined>): this {
    for (const id of ids) if (id !== null && id !== undefined) this.keys.add(`${kind} ${id}`);
    return this;
  }

  has(kind: StoreKeyKind, id: string): boolean {
    return this.keys.has(`${kind} ${id}`);
  }

  get size(): number {
    return this.keys.size;
  }

  /** The first key both name, or undefined (for the log line that says why a page was evaluated again). */
  sharedWith(other: StoreKeys): string | undefined {
    const [small, large] = this.keys.size <= other.keys.size ? [this.keys, other.keys] : [other.keys, this.keys];
    for (const key of small) if (large.has(key)) return key;
    return undefined;
  }
}

/**
 * What committing these items may change, on the generous side: every item's own id and IRI, an
 * activity's performances and the place and organizer it embeds (its upsert writes them), a deletion's
 * target, and the performances whose seat counts the same page sets. What a commit changes beyond its
 * items (performances an activity no longer has, those of a deleted activity) belongs to an activity
 * named here: an evaluation that read such a performance records its owner.
 */
export function keysWrittenBy(items: IngestItem[], seatPerformanceIds: Iterable<string> = []): StoreKeys {
  const keys = new StoreKeys().add('performance', seatPerformanceIds);
  for (const item of items) {
    switch (item.kind) {
      case 'activity': {
        keys.add('activity', [item.externalId]).add('iri', [item.subjectIri]);
        const activity = item.activity;
        if (!activity) break;
        keys.add('activity', [activity.externalId]).add('performance', activity.performances.map((performance) => performance.externalId));
        keys.add('place', [activity.place?.externalId]).add('organizer', [activity.organizer?.externalId]);
        break;
      }
      case 'place':
        keys.add('place', [item.externalId, item.place?.externalId]).add('iri', [item.subjectIri]);
        break;
      case 'organizer':
        keys.add('organizer', [item.externalId, item.organizer?.externalId]).add('iri', [item.subjectIri]);
        break;
      case 'deletion':
        keys.add(item.entity, [item.externalId]);
        break;
    }
  }
  return keys;
}

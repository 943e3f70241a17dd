import type { DataSource } from 'typeorm';
import { FEED_KINDS, type FeedKind, type FeedName } from './feed-kinds.js';

/** RPDE 1.0 item states. */
export type RpdeState = 'updated' | 'deleted';

/** An RPDE item; `data` is the JSON text of the published document (absent on `deleted`). */
export interface RpdeItem {
  state: RpdeState;
  kind: string;
  id: string;
  /** The change number: the change-log `seq` of the entity's latest change. */
  modified: number;
  data?: string;
}

export interface RpdePage {
  items: RpdeItem[];
  /** Absolute URL of the next page; on the last page (no items) the URL of this request. */
  next: string;
  license: string;
  /** No items: the consumer is caught up (RPDE last page). */
  isLastPage: boolean;
}

/** Renders the published JSON-LD of entities (JSON text per id); an id that is not published is left out. */
export type RpdeRenderer = (kind: FeedKind, ids: string[]) => Promise<Map<string, string>>;

export interface RpdeFeedOptions {
  publicBaseUrl: string;
  pageSize: number;
  tombstoneDays: number;
  license: string;
}

/** Whether an entity of the change log is published now: activities that stand alone or are a cluster's root. */
const PUBLISHED: Record<FeedName, string> = {
  activities: `EXISTS (SELECT 1 FROM activity LEFT JOIN activity_link link ON link.activity_id = activity.id
                        WHERE activity.id = change.entity_id AND (link.cluster_id IS NULL OR link.cluster_id = activity.id))`,
  places: 'EXISTS (SELECT 1 FROM place WHERE place.id = change.entity_id)',
  organizers: 'EXISTS (SELECT 1 FROM organizer WHERE organizer.id = change.entity_id)',
};

/**
 * RPDE 1.0 feeds cut from the change log with the "incrementing unique change number" ordering
 * strategy. An entity appears once, at its latest change (its earlier rows are passed over), so items
 * are ordered by `modified` and every change number belongs to one item. Reading rows in `seq` order is
 * safe because the change log makes sequence numbers visible in commit order: a page never shows a
 * change before a smaller one that is still to commit.
 */
export class RpdeFeed {
  constructor(
    private readonly dataSource: DataSource,
    private readonly options: RpdeFeedOptions,
  ) {}

  /**
   * One page after `afterChangeNumber` (a decimal string, "0" for the start). `requestUrl` is the
   * absolute URL the consumer asked for: the `next` of the last page.
   */
  async page(name: FeedName, afterChangeNumber: string, requestUrl: string, render: RpdeRenderer): Promise<RpdePage> {
    const kind = FEED_KINDS[name];
    const tombstonesFrom = new Date(Date.now() - this.options.tombstoneDays * 86_400_000);
    // One statement, so the latest-change test and the published state come from one snapshot.
    const rows: Array<{ seq: string; id: string; published: boolean }> = await this.dataSource.query(
      `SELECT latest.seq::text AS seq, latest.id, latest.published FROM (
         SELECT change.seq, change.entity_id AS id, change.occurred_at, ${PUBLISHED[name]} AS published
           FROM change_log change
          WHERE change.entity_type = $1 AND change.seq > $2
            AND NOT EXISTS (SELECT 1 FROM change_log later WHERE later.entity_id = change.entity_id AND later.seq > change.seq)
          ORDER BY change.seq
       ) latest
       -- tombstones older than the retention leave the feed: whoever replays from the start never had the entity
       WHERE latest.published OR latest.occurred_at >= $4
       ORDER BY latest.seq
       LIMIT $3`,
      [kind.entityType, afterChangeNumber, this.options.pageSize, tombstonesFrom],
    );
    const published = rows.filter((row) => row.published);
    const data = await this.dataOf(kind, published, render);
    const items: RpdeItem[] = rows.map((row) => {
      const document = row.published ? data.get(row.id) : undefined;
      // Deleted between the read and the rendering: a tombstone now, and again at the deletion's own change number.
      return document === undefined
        ? { state: 'deleted', kind: kind.rpdeKind, id: row.id, modified: Number(row.seq) }
        : { state: 'updated', kind: kind.rpdeKind, id: row.id, modified: Number(row.seq), data: document };
    });
    const last = items.at(-1);
    return {
      items,
      next: last ? `${this.options.publicBaseUrl}/feeds/${name}?afterChangeNumber=${last.modified}` : requestUrl,
      license: this.options.license,
      isLastPage: items.length === 0,
    };
  }

  /**
   * The rendered documents, from the item cache when rendered before at the same change number: an
   * item's document only changes with a new change of the entity (which gives it a new number).
   */
  private async dataOf(kind: FeedKind, rows: Array<{ seq: string; id: string }>, render: RpdeRenderer): Promise<Map<string, string>> {
    const data = new Map<string, string>();
    if (rows.length === 0) return data;
    const cached: Array<{ id: string; data: string }> = await this.dataSource.query(
      `SELECT item.id, item.data FROM rpde_item item
         JOIN unnest($2::uuid[], $3::bigint[]) AS wanted(id, modified) ON wanted.id = item.id AND wanted.modified = item.modified
        WHERE item.feed = $1`,
      [kind.name, rows.map((row) => row.id), rows.map((row) => row.seq)],
    );
    for (const row of cached) data.set(row.id, row.data);
    const missing = rows.filter((row) => !data.has(row.id));
    if (missing.length === 0) return data;
    const rendered = await render(kind, missing.map((row) => row.id));
    const stored = missing.filter((row) => rendered.has(row.id));
    for (const row of stored) data.set(row.id, rendered.get(row.id)!);
    if (stored.length > 0) {
      await this.dataSource.query(
        `INSERT INTO rpde_item (feed, id, modified, data)
         SELECT $1, * FROM unnest($2::uuid[], $3::bigint[], $4::text[])
         ON CONFLICT (feed, id) DO UPDATE SET modified = excluded.modified, data = excluded.data WHERE rpde_item.modified < excluded.modified`,
        [kind.name, stored.map((row) => row.id), stored.map((row) => row.seq), stored.map((row) => rendered.get(row.id)!)],
      );
    }
    return data;
  }
}

/** The page as RPDE JSON; the documents are spliced in as rendered. */
export function rpdePageJson(page: RpdePage): string {
  const items = page.items.map((item) => {
    const head = `{"state":"${item.state}","kind":${JSON.stringify(item.kind)},"id":${JSON.stringify(item.id)},"modified":${item.modified}`;
    return item.data === undefined ? `${head}}` : `${head},"data":${item.data}}`;
  });
  return `{"next":${JSON.stringify(page.next)},"items":[${items.join(',')}],"license":${JSON.stringify(page.license)}}`;
}

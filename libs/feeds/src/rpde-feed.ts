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

/**
 * Whether an entity of the change log is published now (activities that stand alone or are a cluster's root), as
 * joins and a test on them: a join by primary key per item of the page, where an EXISTS per row let the planner
 * hash the whole entity table for every page.
 */
const PUBLISHED: Record<FeedName, { joins: string; test: string }> = {
  activities: {
    joins: 'LEFT JOIN activity entity ON entity.id = change.entity_id LEFT JOIN activity_link link ON link.activity_id = entity.id',
    test: '(entity.id IS NOT NULL AND (link.cluster_id IS NULL OR link.cluster_id = entity.id))',
  },
  places: { joins: 'LEFT JOIN place entity ON entity.id = change.entity_id', test: '(entity.id IS NOT NULL)' },
  organizers: { joins: 'LEFT JOIN organizer entity ON entity.id = change.entity_id', test: '(entity.id IS NOT NULL)' },
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
    // One statement, so the latest-change test, the published state and the cached document come from one snapshot.
    // `later.seq > $2` is implied by `later.seq > change.seq`: it bounds the anti-join to the log after the position.
    const published = PUBLISHED[name];
    const rows: Array<{ seq: string; id: string; published: boolean; data: string | null }> = await this.dataSource.query(
      `SELECT change.seq::text AS seq, change.entity_id AS id, ${published.test} AS published, CASE WHEN ${published.test} THEN item.data END AS data
         FROM change_log change
         ${published.joins}
         LEFT JOIN rpde_item item ON item.feed = $5 AND item.id = change.entity_id AND item.modified = change.seq
        WHERE change.entity_type = $1 AND change.seq > $2
          AND NOT EXISTS (SELECT 1 FROM change_log later WHERE later.entity_id = change.entity_id AND later.seq > change.seq AND later.seq > $2)
          -- tombstones older than the retention leave the feed: whoever replays from the start never had the entity
          AND (${published.test} OR change.occurred_at >= $4)
        ORDER BY change.seq
        LIMIT $3`,
      [kind.entityType, afterChangeNumber, this.options.pageSize, tombstonesFrom, kind.name],
    );
    const data = await this.dataOf(kind, rows.filter((row) => row.published), render);
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
   * The rendered documents: from the item cache (read with the page) when rendered before at the same change number,
   * since an item's document only changes with a new change of the entity (which gives it a new number); else rendered now and kept.
   */
  private async dataOf(kind: FeedKind, rows: Array<{ seq: string; id: string; data: string | null }>, render: RpdeRenderer): Promise<Map<string, string>> {
    const data = new Map<string, string>();
    for (const row of rows) if (row.data !== null) data.set(row.id, row.data);
    const missing = rows.filter((row) => row.data === null);
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

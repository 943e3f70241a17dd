/** An RPDE page (OpenActive Realtime Paged Data Exchange 1.0): `next` is where the following page starts. */
export interface RpdePage {
  next: string;
  items: RpdeItem[];
  license?: string;
}

/** One item: `updated` carries the record in `data`; a `deleted` tombstone has no `data`. */
export interface RpdeItem {
  state: 'updated' | 'deleted' | string;
  kind?: string;
  id: string | number;
  modified: number | string;
  data?: unknown;
}

/** Where the next page starts: the `next` URL of the last page read (or the configured feed URL). */
export interface RpdeCursor {
  next: string;
}

/**
 * The OSLO JSON-LD items of a page as RDF, made in fetchPage because JSON-LD to RDF is asynchronous
 * (jsonld.js) and mapPage is synchronous. Archived beside the page; keyed by RPDE item id.
 */
export const RPDE_OSLO_QUADS_CONTENT_TYPE = 'application/vnd.cultuurdata.rpde-oslo-quads+json';

export interface RpdeOsloQuads {
  page: string;
  items: Record<string, { nquads: string } | { error: string }>;
}

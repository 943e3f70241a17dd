import type { Quad, Quad_Object, Quad_Subject } from '@rdfjs/types';
import type { DataSource } from 'typeorm';
import { FEED_KINDS, type FeedKind, type FeedName } from './feed-kinds.js';
import { blankNode, literal, namedNode, quad, RDF_TYPE, term } from './ldes-rdf.js';

export interface LdesStreamOptions {
  publicBaseUrl: string;
  /**
   * Sequence numbers per page of the view. A page is a fixed range of change-log sequence numbers
   * (`/pages/{first}-{last}`, the members of the stream's entity type in it), so once the committed head
   * has passed its end no member can ever join it: it is immutable. Another span starts new page URLs;
   * the old ones keep answering what they did.
   */
  pageSpan: number;
  /** Days the stream promises to keep its full log (ldes:fullLogDuration). */
  retentionDays: number;
  license: string;
}

/** A TREE node as served: its quads and what makes its representation change. */
export interface LdesDocument {
  quads: Quad[];
  /** Full pages: re-fetching never yields new members. */
  immutable: boolean;
  /** Changes whenever the content changes (the ETag is derived from it). */
  version: string;
}

/** A page: the sequence numbers first..last (inclusive). */
export interface PageRange {
  first: number;
  last: number;
}

interface PageSummary {
  page: number;
  members: number;
  first: Date;
  last: Date;
}

interface ChangeRow {
  seq: string;
  entity_id: string;
  source_id: string;
  operation: 'upsert' | 'delete' | 'availability';
  detail: { performanceId?: string; capacity?: number | null; remaining?: number | null; level?: string | null; member?: string } | null;
  occurred_at: Date;
}

/**
 * Linked Data Event Streams of the change log: one ldes:EventStream per entity type, one tree:view
 * whose relations point at every page with both bounds on the timestamp path, and pages of version
 * objects (one per change-log row).
 */
export class LdesStream {
  /** Summaries of full pages: they can never change, so they are read once per process. */
  private readonly fullPages = new Map<FeedName, PageSummary[]>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly options: LdesStreamOptions,
  ) {}

  streamIri(name: FeedName): string {
    return `${this.options.publicBaseUrl}/ldes/${name}`;
  }

  viewIri(name: FeedName): string {
    return `${this.streamIri(name)}/view`;
  }

  pageIri(name: FeedName, page: number): string {
    const span = this.options.pageSpan;
    return `${this.streamIri(name)}/pages/${page * span + 1}-${(page + 1) * span}`;
  }

  versionIri(name: FeedName, seq: string): string {
    return `${this.streamIri(name)}/versions/${seq}`;
  }

  /** The stream: what its members are (shape, paths), its DCAT description, and its one view. */
  description(name: FeedName): LdesDocument {
    const kind = FEED_KINDS[name];
    const stream = namedNode(this.streamIri(name));
    const view = namedNode(this.viewIri(name));
    const shape = namedNode(`${this.streamIri(name)}#shape`);
    const service = namedNode(`${this.viewIri(name)}#description`);
    const quads: Quad[] = [
      quad(stream, RDF_TYPE, term('ldes', 'EventStream')),
      quad(stream, RDF_TYPE, term('dcat', 'Dataset')),
      quad(stream, term('dcterms', 'title'), literal(`${kind.title.nl}: wijzigingen (Cultuurdata platform)`, 'nl')),
      quad(stream, term('dcterms', 'title'), literal(`${kind.title.en}: changes (Cultuurdata platform)`, 'en')),
      quad(
        stream,
        term('dcterms', 'description'),
        literal(`Elke wijziging van ${kind.title.nl.toLowerCase()} als versie-object, in de volgorde van het wijzigingslogboek.`, 'nl'),
      ),
      quad(stream, term('dcterms', 'description'), literal(`Every change of ${kind.title.en.toLowerCase()} as a version object, in change-log order.`, 'en')),
      quad(stream, term('dcterms', 'license'), namedNode(this.options.license)),
      quad(stream, term('dcat', 'landingPage'), namedNode(`${this.options.publicBaseUrl}/feeds/${name}`)),
      quad(stream, term('ldes', 'timestampPath'), term('prov', 'generatedAtTime')),
      quad(stream, term('ldes', 'versionOfPath'), term('dcterms', 'isVersionOf')),
      quad(stream, term('ldes', 'sequencePath'), term('cdp', 'changeNumber')),
      quad(stream, term('ldes', 'versionDeletePath'), RDF_TYPE),
      quad(stream, term('ldes', 'versionDeleteObject'), term('as', 'Delete')),
      quad(stream, term('tree', 'shape'), shape),
      quad(stream, term('tree', 'view'), view),
      quad(shape, RDF_TYPE, term('sh', 'NodeShape')),
      quad(shape, term('sh', 'nodeKind'), term('sh', 'IRI')),
      ...this.shapeProperty(shape, 'dcterms', 'isVersionOf', { nodeKind: 'IRI' }),
      ...this.shapeProperty(shape, 'prov', 'generatedAtTime', { datatype: 'dateTime' }),
      ...this.shapeProperty(shape, 'cdp', 'changeNumber', { datatype: 'integer' }),
      ...this.viewDescription(name, view, service),
    ];
    return { quads, immutable: false, version: 'description' };
  }

  /** The view: relations to every page that has members, each bounded on both sides on the timestamp path. */
  async view(name: FeedName): Promise<LdesDocument> {
    const kind = FEED_KINDS[name];
    const { head, pages } = await this.summaries(kind);
    const stream = namedNode(this.streamIri(name));
    const view = namedNode(this.viewIri(name));
    const quads: Quad[] = [quad(stream, term('tree', 'view'), view), quad(view, RDF_TYPE, term('tree', 'Node')), ...this.viewDescription(name, view, namedNode(`${this.viewIri(name)}#description`))];
    const openPage = Math.floor(head / this.options.pageSpan);
    for (const summary of pages) {
      if (summary.page === openPage) continue;
      const node = namedNode(this.pageIri(name, summary.page));
      // Timestamps have millisecond precision on the wire: the upper bound is just past the page's last member.
      quads.push(...this.relation(view, node, `p${summary.page}from`, 'GreaterThanOrEqualToRelation', summary.first));
      quads.push(...this.relation(view, node, `p${summary.page}until`, 'LessThanRelation', new Date(summary.last.getTime() + 1)));
      quads.push(quad(node, term('tree', 'remainingItems'), literal(String(summary.members), term('xsd', 'integer'))));
    }
    // The open page takes the members still to come: no bound is known yet.
    const relation = blankNode('open');
    quads.push(quad(view, term('tree', 'relation'), relation), quad(relation, RDF_TYPE, term('tree', 'Relation')), quad(relation, term('tree', 'node'), namedNode(this.pageIri(name, openPage))));
    return { quads, immutable: false, version: `view:${head}` };
  }

  /** A page of version objects (any range of sequence numbers); null when it starts beyond the next change. */
  async page(name: FeedName, range: PageRange): Promise<LdesDocument | null> {
    const kind = FEED_KINDS[name];
    // One statement: the head and the rows come from one snapshot.
    const rows: Array<ChangeRow & { head: string }> = await this.dataSource.query(
      `WITH head AS (SELECT coalesce(max(seq), 0) AS head FROM change_log)
       SELECT head.head::text AS head, change.seq::text AS seq, change.entity_id, change.source_id, change.operation, change.detail, change.occurred_at
         FROM head LEFT JOIN change_log change ON change.entity_type = $1 AND change.seq BETWEEN $2 AND $3
        ORDER BY change.seq`,
      [kind.entityType, range.first, range.last],
    );
    const head = Number(rows[0].head);
    if (range.first > head + 1) return null;
    const members = rows.filter((row) => row.seq !== null);
    // Sequence numbers become visible in commit order: below the head, none can still appear.
    const immutable = head >= range.last;
    const node = namedNode(`${this.streamIri(name)}/pages/${range.first}-${range.last}`);
    const stream = namedNode(this.streamIri(name));
    const quads: Quad[] = [quad(node, RDF_TYPE, term('tree', 'Node'))];
    if (immutable) quads.push(quad(node, term('ldes', 'immutable'), literal('true', term('xsd', 'boolean'))));
    for (const row of members) quads.push(...this.member(kind, stream, row));
    return { quads, immutable, version: immutable ? `page:${range.first}-${range.last}:full` : `page:${range.first}-${range.last}:${members.length}:${members.at(-1)?.seq ?? 0}` };
  }

  private member(kind: FeedKind, stream: Quad_Subject, row: ChangeRow): Quad[] {
    const version = namedNode(this.versionIri(kind.name, row.seq));
    const entityIri = (id: string) => namedNode(`${this.options.publicBaseUrl}/id/${kind.iriSegment}/${id}`);
    const quads: Quad[] = [
      quad(stream, term('tree', 'member'), version),
      quad(version, RDF_TYPE, term('as', row.operation === 'delete' ? 'Delete' : 'Update')),
      quad(version, term('dcterms', 'isVersionOf'), entityIri(row.entity_id)),
      quad(version, term('prov', 'generatedAtTime'), literal(row.occurred_at.toISOString(), term('xsd', 'dateTime'))),
      quad(version, term('cdp', 'changeNumber'), literal(row.seq, term('xsd', 'integer'))),
      quad(version, term('cdp', 'changeKind'), literal(row.operation)),
      quad(version, term('dcterms', 'creator'), namedNode(`${this.options.publicBaseUrl}/id/bron/${encodeURIComponent(row.source_id)}`)),
    ];
    // A reconciled activity changes with one of its records: which one.
    if (row.detail?.member) quads.push(quad(version, term('prov', 'wasDerivedFrom'), entityIri(row.detail.member)));
    if (row.operation === 'availability' && row.detail?.performanceId) {
      // Labels fixed by the change number: a full page is the same bytes on every request.
      const seats = blankNode(`seats${row.seq}`);
      quads.push(quad(version, term('cdp', 'availability'), seats), quad(seats, term('cdp', 'performance'), namedNode(`${this.options.publicBaseUrl}/id/activiteit/${row.detail.performanceId}`)));
      if (row.detail.capacity !== null && row.detail.capacity !== undefined) {
        quads.push(quad(seats, term('schema', 'maximumAttendeeCapacity'), literal(String(row.detail.capacity), term('xsd', 'integer'))));
      }
      if (row.detail.remaining !== null && row.detail.remaining !== undefined) {
        quads.push(quad(seats, term('schema', 'remainingAttendeeCapacity'), literal(String(row.detail.remaining), term('xsd', 'integer'))));
      }
      if (row.detail.level) quads.push(quad(seats, term('platform', 'ticketBeschikbaarheid'), term('schema', row.detail.level)));
    }
    return quads;
  }

  private viewDescription(name: FeedName, view: Quad_Subject, service: Quad_Subject & Quad_Object): Quad[] {
    const retention = namedNode(`${this.viewIri(name)}#retention`);
    return [
      quad(view, term('tree', 'viewDescription'), service),
      quad(service, RDF_TYPE, term('tree', 'ViewDescription')),
      quad(service, RDF_TYPE, term('dcat', 'DataService')),
      quad(service, term('dcterms', 'title'), literal(`LDES ${FEED_KINDS[name].title.en.toLowerCase()}, pages of ${this.options.pageSpan} change numbers`, 'en')),
      quad(service, term('dcat', 'endpointURL'), view as Quad_Object),
      quad(service, term('dcat', 'servesDataset'), namedNode(this.streamIri(name))),
      quad(service, term('dcterms', 'license'), namedNode(this.options.license)),
      quad(service, term('ldes', 'retentionPolicy'), retention),
      quad(retention, RDF_TYPE, term('ldes', 'RetentionPolicy')),
      quad(retention, term('ldes', 'fullLogDuration'), literal(`P${this.options.retentionDays}D`, term('xsd', 'duration'))),
    ];
  }

  private relation(view: Quad_Subject, node: Quad_Object, label: string, type: string, value: Date): Quad[] {
    const relation = blankNode(label);
    return [
      quad(view, term('tree', 'relation'), relation),
      quad(relation, RDF_TYPE, term('tree', type)),
      quad(relation, term('tree', 'node'), node),
      quad(relation, term('tree', 'path'), term('prov', 'generatedAtTime')),
      quad(relation, term('tree', 'value'), literal(value.toISOString(), term('xsd', 'dateTime'))),
    ];
  }

  private shapeProperty(shape: Quad_Subject, prefix: 'dcterms' | 'prov' | 'cdp', localName: string, constraint: { nodeKind?: string; datatype?: string }): Quad[] {
    const property = blankNode(localName);
    return [
      quad(shape, term('sh', 'property'), property),
      quad(property, term('sh', 'path'), term(prefix, localName)),
      quad(property, term('sh', 'minCount'), literal('1', term('xsd', 'integer'))),
      quad(property, term('sh', 'maxCount'), literal('1', term('xsd', 'integer'))),
      constraint.nodeKind ? quad(property, term('sh', 'nodeKind'), term('sh', constraint.nodeKind)) : quad(property, term('sh', 'datatype'), term('xsd', constraint.datatype!)),
    ];
  }

  /** Head of the change log and the pages with members of this kind; full pages from memory once read. */
  private async summaries(kind: FeedKind): Promise<{ head: number; pages: PageSummary[] }> {
    const known = this.fullPages.get(kind.name) ?? [];
    const span = this.options.pageSpan;
    const knownThrough = known.length > 0 ? (known.at(-1)!.page + 1) * span : 0;
    const rows: Array<{ head: string; page: string | null; members: string; first: Date; last: Date }> = await this.dataSource.query(
      `WITH head AS (SELECT coalesce(max(seq), 0) AS head FROM change_log),
            pages AS (SELECT (seq - 1) / ${span} AS page, count(*) AS members, min(occurred_at) AS first, max(occurred_at) AS last
                        FROM change_log WHERE entity_type = $1 AND seq > $2 GROUP BY 1)
       SELECT head.head::text AS head, pages.page::text AS page, pages.members::text AS members, pages.first, pages.last
         FROM head LEFT JOIN pages ON true ORDER BY pages.page`,
      [kind.entityType, knownThrough],
    );
    const head = Number(rows[0].head);
    const fresh = rows.filter((row) => row.page !== null).map((row) => ({ page: Number(row.page), members: Number(row.members), first: row.first, last: row.last }));
    const nowFull = fresh.filter((summary) => (summary.page + 1) * span <= head);
    if (nowFull.length > 0) this.fullPages.set(kind.name, [...known, ...nowFull]);
    return { head, pages: [...known, ...fresh] };
  }
}

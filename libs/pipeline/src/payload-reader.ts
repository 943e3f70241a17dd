import type { AvailabilityThresholds } from '@platform/domain';
import { parseJsonLd, parseTurtle, quadsToItems, type MappingError } from '@platform/linked-data';
import { contentHash } from './content-hash.js';
import { MalformedPayloadError } from './problems.js';
import { PUSH_MAPPERS } from '@platform/connectors';
import { ingestItemsOf, type IngestItem } from './ingest-item.js';
import { readPushItem } from './push-format/push-format.js';

export type PayloadFormat = 'json' | 'jsonld' | 'turtle' | 'ntriples' | 'nquads' | 'trig';

export const SUPPORTED_CONTENT_TYPES: Record<string, PayloadFormat> = {
  'application/json': 'json',
  'application/ld+json': 'jsonld',
  'text/turtle': 'turtle',
  'application/n-triples': 'ntriples',
  // Graphs are ignored: a triple says the same in every graph (provenance stays in the raw archive).
  'application/n-quads': 'nquads',
  'application/trig': 'trig',
};

/** The payload format of a Content-Type header, or null when the platform does not read it. */
export function formatOf(contentType: string | undefined): PayloadFormat | null {
  const mediaType = (contentType ?? 'application/json').split(';')[0].trim().toLowerCase();
  return SUPPORTED_CONTENT_TYPES[mediaType] ?? null;
}

export interface ReadOptions {
  sourceId: string;
  /** The source's kind: a kind with its own JSON dialect (PUSH_MAPPERS) is read by its mapper. */
  sourceKind?: string;
  /** URLs that mean the platform's own JSON-LD context (`{PUBLIC_BASE_URL}/ns/context.jsonld`): resolved offline. */
  platformContextUrls: string[];
  thresholds: AvailabilityThresholds;
  now: Date;
  maxItems: number;
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    const detail = (error as Error).message;
    const position = /position (\d+)/.exec(detail)?.[1];
    const where = position ? `${lineAndColumn(body, Number(position))}` : 'body';
    throw new MalformedPayloadError(where, {
      nl: `Geen geldige JSON (${where}): ${detail}`,
      en: `Not valid JSON (${where}): ${detail}`,
    });
  }
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

function itemsOf(document: unknown, maxItems: number): unknown[] {
  const items = Array.isArray(document)
    ? document
    : document && typeof document === 'object' && Array.isArray((document as { items?: unknown }).items)
      ? (document as { items: unknown[] }).items
      : null;
  if (!items) {
    throw new MalformedPayloadError('body', {
      nl: 'Verwacht een JSON-array van activiteiten of een object {"items": [...]}.',
      en: 'Expected a JSON array of activities or an object {"items": [...]}.',
    });
  }
  assertBatchSize(items.length, maxItems);
  return items;
}

function assertBatchSize(count: number, maxItems: number): void {
  if (count === 0) {
    throw new MalformedPayloadError('body', { nl: 'De batch bevat geen items.', en: 'The batch holds no items.' });
  }
  if (count > maxItems) {
    throw new MalformedPayloadError('body', {
      nl: `De batch bevat ${count} items; het maximum is ${maxItems}. Splits hem op.`,
      en: `The batch holds ${count} items; the maximum is ${maxItems}. Split it up.`,
    });
  }
}

const FORMAT_NAMES: Record<PayloadFormat, string> = { json: 'JSON', jsonld: 'JSON-LD', turtle: 'Turtle', ntriples: 'N-Triples', nquads: 'N-Quads', trig: 'TriG' };

async function parseRdf(format: PayloadFormat, body: string, platformContextUrls: string[]) {
  const document = format === 'jsonld' ? parseJson(body) : undefined;
  try {
    return format === 'jsonld' ? await parseJsonLd(document as Parameters<typeof parseJsonLd>[0], { platformContextUrls }) : parseTurtle(body);
  } catch (error) {
    const detail = (error as Error).message;
    throw new MalformedPayloadError('body', {
      nl: `Geen geldige ${FORMAT_NAMES[format]}: ${detail}`,
      en: `Not valid ${FORMAT_NAMES[format]}: ${detail}`,
    });
  }
}

/** One hostile item (say, nested 5,000 levels deep) is rejected on its own instead of failing the batch. */
function readItemSafely(item: unknown, options: ReadOptions): IngestItem {
  try {
    // The item comes from this payload's own JSON.parse and nothing else holds it.
    return { kind: 'activity', ...readPushItem(item, options.thresholds, options.now, { owned: true }) };
  } catch (error) {
    const detail = error instanceof RangeError ? 'nested too deeply' : (error as Error).message;
    return {
      kind: 'activity',
      externalId: null,
      problems: [
        {
          focusNode: '/',
          path: '/',
          severity: 'Violation',
          message: { nl: `Dit item kan niet gelezen worden: ${detail}`, en: `This item cannot be read: ${detail}` },
          constraint: 'json-schema:readable',
        },
      ],
    };
  }
}

/**
 * What the api checks before it answers 202: the payload can be read as a whole (syntax, batch size).
 * For JSON that is cheap; per-item checks are the worker's. RDF is read in full (its items only exist
 * after mapping).
 */
export async function checkPayload(format: PayloadFormat, body: string, options: ReadOptions): Promise<void> {
  if (format === 'json' && !dialectOf(options)) itemsOf(parseJson(body), options.maxItems);
  else await readPayload(format, body, options);
}

function dialectOf(options: ReadOptions) {
  return options.sourceKind ? PUSH_MAPPERS[options.sourceKind] : undefined;
}

/** JSON in a source kind's own dialect (UiTdatabank documents for a uitdatabank source), through its mapper. */
function readDialect(body: string, options: ReadOptions): IngestItem[] {
  const mapper = dialectOf(options)!;
  const document = parseJson(body);
  let items: IngestItem[];
  try {
    items = ingestItemsOf(mapper(document, { sourceId: options.sourceId, now: options.now }));
  } catch (error) {
    throw new MalformedPayloadError('body', {
      nl: `De ${options.sourceKind}-documenten kunnen niet gelezen worden: ${(error as Error).message}`,
      en: `The ${options.sourceKind} documents cannot be read: ${(error as Error).message}`,
    });
  }
  assertBatchSize(items.length, options.maxItems);
  return items;
}

/**
 * Reads a pushed payload into items, each mapped to the canonical model or carrying its problems.
 * Throws MalformedPayloadError when the payload as a whole cannot be read (the caller answers 400).
 */
export async function readPayload(format: PayloadFormat, body: string, options: ReadOptions): Promise<IngestItem[]> {
  if (format === 'json' && dialectOf(options)) return readDialect(body, options);
  if (format === 'json') {
    return itemsOf(parseJson(body), options.maxItems).map((item) => readItemSafely(item, options));
  }
  const quads = await parseRdf(format, body, options.platformContextUrls);
  const found = quadsToItems(quads);
  if (found.length === 0) {
    throw new MalformedPayloadError('body', {
      nl: 'Het document beschrijft geen activiteit (crm:E7_Activity), locatie (dcterms:Location) of organisator (cp:Organisator).',
      en: 'The document describes no activity (crm:E7_Activity), place (dcterms:Location) or organizer (cp:Organisator).',
    });
  }
  assertBatchSize(found.length, options.maxItems);
  return found.map((item): IngestItem => {
    const problems = item.errors.map((error: MappingError) => ({
      focusNode: item.subject,
      path: error.path,
      severity: 'Violation' as const,
      message: error.message,
      constraint: 'mapping',
    }));
    const subjectIri = item.subject.startsWith('_:') ? undefined : item.subject;
    switch (item.kind) {
      case 'place':
        return { kind: 'place', externalId: item.place?.externalId ?? item.subject, place: item.place, problems, subjectIri };
      case 'organizer':
        return { kind: 'organizer', externalId: item.organizer?.externalId ?? item.subject, organizer: item.organizer, problems, subjectIri };
      case 'activity': {
        const activity = item.errors.length === 0 ? item.activity : undefined;
        const referenced = Boolean(item.placeRef || item.organizerRef);
        return {
          kind: 'activity',
          externalId: item.activity?.externalId ?? item.subject,
          activity,
          // With a reference the hash is taken once it is resolved, over what will be stored.
          contentHash: activity && !referenced ? contentHash(activity) : undefined,
          problems,
          subjectIri,
          ...(item.placeRef ? { placeRef: item.placeRef.externalId, placeIri: item.placeRef.iri } : {}),
          ...(item.organizerRef ? { organizerRef: item.organizerRef.externalId, organizerIri: item.organizerRef.iri } : {}),
        };
      }
    }
  });
}

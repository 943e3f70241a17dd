import type { MappedItem } from '../mapped-item.js';
import { mappingProblem } from '../mapped-item.js';
import type { MapperContext } from '../push-mappers.js';
import { mapUitdatabankDocument } from './map-document.js';

/**
 * A body pushed by a UiTdatabank source: one event/place/organizer document, an array of them, or
 * `{items: [...]}` (the shape of a Search API v3 result page with `member` also works). Each document is
 * mapped on its own, so one bad record never blocks the others.
 */
export function mapUitdatabankPush(body: unknown, context: MapperContext): MappedItem[] {
  const documents = documentsOf(body);
  if (documents === undefined) {
    return [
      {
        type: 'invalid',
        externalId: null,
        problems: [
          mappingProblem(
            '',
            'Verwacht: één UiTdatabank-document (event, locatie of organisator), een lijst ervan, of {"items": [...]}.',
            'Expected: one UiTdatabank document (event, place or organizer), a list of them, or {"items": [...]}.',
          ),
        ],
      },
    ];
  }
  // Problems point into the pushed body, so they name the document's position in it.
  const prefix = Array.isArray(body) ? '' : isItemsEnvelope(body) ? `/${envelopeKey(body)}` : undefined;
  return documents.flatMap((document, index) =>
    mapUitdatabankDocument(document, context).map((item) =>
      item.type === 'invalid' && prefix !== undefined
        ? { ...item, problems: item.problems.map((problem) => ({ ...problem, path: `${prefix}/${index}${problem.path}` })) }
        : item,
    ),
  );
}

function documentsOf(body: unknown): unknown[] | undefined {
  if (Array.isArray(body)) return body;
  if (isItemsEnvelope(body)) return body[envelopeKey(body)] as unknown[];
  if (typeof body === 'object' && body !== null) return [body];
  return undefined;
}

function isItemsEnvelope(body: unknown): body is Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const record = body as Record<string, unknown>;
  // A document has an @id; an envelope has a list of documents and no @id of its own.
  return record['@id'] === undefined && (Array.isArray(record.items) || Array.isArray(record.member));
}

function envelopeKey(body: Record<string, unknown>): 'items' | 'member' {
  return Array.isArray(body.items) ? 'items' : 'member';
}

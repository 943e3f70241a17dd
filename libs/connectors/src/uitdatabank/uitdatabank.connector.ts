import type { Connector, ConnectorContext, ConnectorCredentials, ConnectorPage, ConnectorSettings } from '../connector.js';
import { mappingProblem, type MappedItem } from '../mapped-item.js';
import { mapUitdatabankDocument } from './map-document.js';
import {
  ISO_DATE_TIME,
  SEARCH_ENTITY_TYPES,
  SEARCH_MAX_LIMIT,
  SEARCH_RESULT_WINDOW,
  fetchSearchPage,
  memberId,
  memberModified,
  takeSearchResponse,
  type SearchEntityType,
} from './search-api.js';

/** Where one entity type stands: a window of the Search API starting at the high-water mark. */
export interface UitdatabankEntityCursor {
  /** The greatest `modified` delivered so far, in the API's own form; the window's `modifiedFrom`. Null: from the start. */
  modified: string | null;
  /** Ids delivered at exactly `modified`: modifiedFrom is inclusive, so the window returns them again and they are skipped. */
  idsAtModified: string[];
  /** Offset in the window; only grows while pages hold nothing newer than `modified` (many documents on one instant). */
  start: number;
}

/** Small JSON, persisted after every page; never holds credentials. */
export interface UitdatabankCursor {
  /** The entity type being pulled; when the last one is caught up the run ends and the next starts at the first again. */
  entity: SearchEntityType;
  entities: Partial<Record<SearchEntityType, UitdatabankEntityCursor>>;
  /** Ids in the page just fetched that an earlier page delivered already: `mapPage` leaves them out. */
  skippedIds: string[];
}

/** `settings.options` of a `uitdatabank` source, with defaults filled in. */
export interface UitdatabankOptions {
  entities: SearchEntityType[];
  pageSize: number;
  q?: string;
  modifiedFrom?: string;
  windowSize: number;
}

export const DEFAULT_PAGE_SIZE = 100;

type Problem = { path: string; nl: string; en: string };

/** More documents share one `modified` instant than a window can page through: only a narrower query helps. */
export class UitdatabankWindowError extends Error {
  readonly code = 'uitdatabank_window_exhausted';
  constructor(entity: SearchEntityType, modified: string | null, windowSize: number) {
    super(
      `UiTdatabank ${entity}: more than ${windowSize} documents have modified=${modified ?? '(none)'}; the Search API cannot page past ` +
        `its result window at one instant. Narrow the source with options.q.`,
    );
    this.name = 'UitdatabankWindowError';
  }
}

export function readUitdatabankOptions(options: Record<string, unknown>): { options: UitdatabankOptions; problems: Problem[] } {
  const problems: Problem[] = [];
  let entities: SearchEntityType[] = [...SEARCH_ENTITY_TYPES];
  if (options.entities !== undefined) {
    const given = options.entities;
    if (!Array.isArray(given) || given.length === 0 || given.some((entity) => !SEARCH_ENTITY_TYPES.includes(entity as SearchEntityType))) {
      problems.push({
        path: 'options.entities',
        nl: `Een niet-lege lijst met een of meer van ${SEARCH_ENTITY_TYPES.join(', ')}.`,
        en: `A non-empty list of one or more of ${SEARCH_ENTITY_TYPES.join(', ')}.`,
      });
    } else {
      // Places and organizers first, whatever order was given: events refer to them.
      entities = SEARCH_ENTITY_TYPES.filter((entity) => given.includes(entity));
    }
  }
  const pageSize = readInteger(options, 'pageSize', DEFAULT_PAGE_SIZE, SEARCH_MAX_LIMIT, problems);
  const windowSize = readInteger(options, 'windowSize', SEARCH_RESULT_WINDOW, SEARCH_RESULT_WINDOW, problems);
  let q: string | undefined;
  if (options.q !== undefined) {
    if (typeof options.q !== 'string') problems.push({ path: 'options.q', nl: 'Een Lucene-zoekvraag (tekst).', en: 'A Lucene query (a string).' });
    else if (options.q.trim()) q = options.q.trim();
  }
  let modifiedFrom: string | undefined;
  if (options.modifiedFrom !== undefined) {
    if (typeof options.modifiedFrom !== 'string' || !ISO_DATE_TIME.test(options.modifiedFrom) || !Number.isFinite(Date.parse(options.modifiedFrom))) {
      problems.push({
        path: 'options.modifiedFrom',
        nl: 'Een ISO-8601-tijdstip met tijdzone, bv. 2024-01-01T00:00:00+01:00.',
        en: 'An ISO-8601 date-time with an offset, e.g. 2024-01-01T00:00:00+01:00.',
      });
    } else modifiedFrom = options.modifiedFrom;
  }
  return { options: { entities, pageSize, windowSize, ...(q ? { q } : {}), ...(modifiedFrom ? { modifiedFrom } : {}) }, problems };
}

function readInteger(options: Record<string, unknown>, name: string, fallback: number, maximum: number, problems: Problem[]): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > maximum) {
    problems.push({ path: `options.${name}`, nl: `Een geheel getal van 1 tot ${maximum}.`, en: `A whole number from 1 to ${maximum}.` });
    return fallback;
  }
  return value;
}

function checkSettings(settings: ConnectorSettings, credentials: ConnectorCredentials): Problem[] {
  const problems: Problem[] = [];
  let url: URL | null = null;
  try {
    url = new URL(settings.baseUrl);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
    problems.push({
      path: 'baseUrl',
      nl: 'De http(s)-basis-URL van de Search API zonder query, bv. https://search.uitdatabank.be.',
      en: 'The http(s) root URL of the Search API without a query, e.g. https://search.uitdatabank.be.',
    });
  }
  problems.push(...readUitdatabankOptions(settings.options ?? {}).problems);
  if (!credentials.clientId && !credentials.apiKey) {
    problems.push({
      path: 'credentials',
      nl: 'Een clientId (x-client-id) of, voor oudere integraties, een apiKey (x-api-key) van publiq.',
      en: 'A publiq clientId (x-client-id) or, for older integrations, an apiKey (x-api-key).',
    });
  }
  return problems;
}

function initialEntityCursor(options: UitdatabankOptions): UitdatabankEntityCursor {
  return { modified: options.modifiedFrom ?? null, idsAtModified: [], start: 0 };
}

function initialCursor(settings: ConnectorSettings): UitdatabankCursor {
  const { options } = readUitdatabankOptions(settings.options ?? {});
  return { entity: options.entities[0], entities: {}, skippedIds: [] };
}

async function fetchPage(context: ConnectorContext, cursor: UitdatabankCursor): Promise<ConnectorPage<UitdatabankCursor>> {
  const { options, problems } = readUitdatabankOptions(context.settings.options ?? {});
  if (problems.length > 0) throw new Error(`UiTdatabank source ${context.sourceId}: ${problems.map((problem) => `${problem.path}: ${problem.en}`).join('; ')}`);
  const entity = options.entities.includes(cursor.entity) ? cursor.entity : options.entities[0];
  const state = cursor.entities?.[entity] ?? initialEntityCursor(options);
  if (state.modified !== null && !(ISO_DATE_TIME.test(state.modified) && Number.isFinite(Date.parse(state.modified)))) {
    throw new Error(`UiTdatabank source ${context.sourceId}: the cursor of ${entity} has no valid modified date-time`);
  }
  const limit = Math.min(options.pageSize, options.windowSize - state.start);
  if (limit < 1) throw new UitdatabankWindowError(entity, state.modified, options.windowSize);

  const { response, page } = await fetchSearchPage(context.http, context.settings.baseUrl, context.credentials, {
    entity,
    start: state.start,
    limit,
    modifiedFrom: state.modified,
    ...(options.q ? { q: options.q } : {}),
  });

  const windowTime = state.modified === null ? null : Date.parse(state.modified);
  const alreadyDelivered = new Set(state.idsAtModified);
  const skippedIds: string[] = [];
  let highWater = state.modified === null || windowTime === null ? null : { value: state.modified, time: windowTime };
  let idsAtHighWater = [...state.idsAtModified];
  for (const member of page.member) {
    const id = memberId(member);
    const modified = memberModified(member);
    if (id !== null && modified !== null && modified.time === windowTime && alreadyDelivered.has(id)) {
      skippedIds.push(id);
      continue;
    }
    if (modified === null || id === null) continue;
    if (highWater === null || modified.time > highWater.time) {
      highWater = modified;
      idsAtHighWater = [id];
    } else if (modified.time === highWater.time && !idsAtHighWater.includes(id)) {
      idsAtHighWater.push(id);
    }
  }

  const caughtUp = page.member.length === 0 || state.start + page.member.length >= page.totalItems;
  // A new window at every newer high-water mark rather than deep offsets: a document modified during the
  // run moves to the end of the sort and would shift the next offset page past a document never seen.
  const next: UitdatabankEntityCursor =
    highWater !== null && (windowTime === null || highWater.time > windowTime)
      ? { modified: highWater.value, idsAtModified: idsAtHighWater, start: 0 }
      : { modified: state.modified, idsAtModified: idsAtHighWater, start: caughtUp ? 0 : state.start + page.member.length };

  const position = options.entities.indexOf(entity);
  const done = caughtUp && position === options.entities.length - 1;
  const nextEntity = !caughtUp ? entity : done ? options.entities[0] : options.entities[position + 1];
  return {
    responses: [response],
    cursor: { entity: nextEntity, entities: { ...cursor.entities, [entity]: next }, skippedIds },
    done,
  };
}

function mapPage(page: ConnectorPage<UitdatabankCursor>, context: Pick<ConnectorContext, 'sourceId' | 'settings' | 'now'>): MappedItem[] {
  const skipped = new Set(page.cursor.skippedIds ?? []);
  const items: MappedItem[] = [];
  for (const response of page.responses) {
    const result = takeSearchResponse(response.body);
    if (typeof result === 'string') {
      items.push({ type: 'invalid', externalId: null, problems: [mappingProblem('', `Geen Search API-resultaat: ${result}.`, `Not a Search API result: ${result}.`)] });
      continue;
    }
    for (const member of result.member) {
      const id = memberId(member);
      if (id !== null && skipped.has(id)) continue;
      items.push(...mapMember(member, id, context));
    }
  }
  return items;
}

/** The mapper answers MappedInvalid for a bad record; a throw (a bug) must not stop the other records either. */
function mapMember(member: unknown, id: string | null, context: Pick<ConnectorContext, 'sourceId' | 'now'>): MappedItem[] {
  try {
    return mapUitdatabankDocument(member, { sourceId: context.sourceId, now: context.now });
  } catch (error) {
    const reason = (error as Error).message;
    return [{ type: 'invalid', externalId: id, problems: [mappingProblem('', `Document niet te lezen: ${reason}`, `Document cannot be read: ${reason}`)] }];
  }
}

/** Pulls events, places and organizers from the UiTdatabank Search API v3 (source kind `uitdatabank`). */
export const uitdatabankConnector: Connector<UitdatabankCursor> = {
  kind: 'uitdatabank',
  checkSettings,
  initialCursor,
  fetchPage,
  mapPage,
};

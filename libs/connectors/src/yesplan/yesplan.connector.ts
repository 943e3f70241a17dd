import type { Connector, ConnectorContext, ConnectorPage, ConnectorSettings, FetchedResponse } from '../connector.js';
import { RemoteError } from '../http-client.js';
import type { MappedItem } from '../mapped-item.js';
import { YesplanClient, yesplanDate } from './yesplan-client.js';
import { firstLocationId, isPublished, mapEvent, readPageDocuments } from './yesplan-mapper.js';
import { checkYesplanSettings, readYesplanOptions, type YesplanOptions } from './yesplan-options.js';
import type { YesplanEvent } from './raw-types.js';

/**
 * Where a source's sync stands. A run is one pass over the date window: the event pages, then a check
 * of every event the previous pass saw and this one did not (deleted in Yesplan, or only moved out of
 * the window). Everything a pass needs to resume after a failure is here; the api_key never is.
 */
export interface YesplanCursor {
  version: 1;
  phase: 'events' | 'reconcile';
  /** The pass's date window (dd-mm-yyyy), fixed when the pass starts so a resumed pass asks the same. */
  window?: { from: string; to: string };
  /** URL of the next events page (pagination.next, without api_key); absent = the first page. */
  next?: string;
  /** When the result set behind `next` expires; a pass resumed later starts over. */
  expires?: string;
  /** Ids of the previous complete pass not seen yet in this one. */
  previous: string[];
  /** Ids seen in this pass. */
  seen: string[];
  /** Reconcile phase: ids still to look up one by one. */
  missing: string[];
  /** Ids found deleted in Yesplan by this step (404 on /api/event/{id}): mapped as deletions. */
  deleted: string[];
  /** Complete passes so far. */
  passes: number;
  /** When the last pass completed. */
  completedAt?: string;
}

function options(settings: ConnectorSettings): YesplanOptions {
  const { options: read, problems } = readYesplanOptions(settings);
  if (problems.length > 0) throw new Error(`Yesplan source settings are wrong: ${problems.map((problem) => `${problem.path}: ${problem.en}`).join(' ')}`);
  return read;
}

function clientFor(context: ConnectorContext): YesplanClient {
  const apiKey = context.credentials.apiKey;
  if (!apiKey) throw new Error('Yesplan source has no credentials.apiKey');
  return new YesplanClient(context.http, context.settings.baseUrl, apiKey);
}

function passWindow(now: Date, read: YesplanOptions): { from: string; to: string } {
  const day = 24 * 60 * 60 * 1000;
  return { from: yesplanDate(new Date(now.getTime() - read.daysBack * day)), to: yesplanDate(new Date(now.getTime() + read.daysAhead * day)) };
}

function eventsQuery(window: { from: string; to: string }, read: YesplanOptions): string {
  const dates = read.dateQuery.replace('{from}', window.from).replace('{to}', window.to);
  // A space between two queries is their intersection in the Yesplan query language.
  return read.extraQuery ? `${dates} ${read.extraQuery}` : dates;
}

/** Location and custom data of the events that will be published: the mapper needs them, the archive keeps them. */
async function details(client: YesplanClient, events: YesplanEvent[], read: YesplanOptions): Promise<FetchedResponse[]> {
  const responses: FetchedResponse[] = [];
  const published = events.filter((event) => typeof event.id === 'string' && isPublished(event, read));
  const locationIds = [...new Set(published.map(firstLocationId).filter((id): id is string => id !== undefined))];
  for (const locationId of locationIds) responses.push((await client.location(locationId)).response);
  const keywords = [...read.capacityKeywords, ...read.remainingKeywords, ...(read.linkKeyword ? [read.linkKeyword] : [])];
  if (keywords.length > 0) {
    for (const event of published) responses.push((await client.customData(event.id as string, keywords)).response);
  }
  return responses;
}

function nextPass(cursor: YesplanCursor, now: Date, deleted: string[]): YesplanCursor {
  return { version: 1, phase: 'events', previous: cursor.seen, seen: [], missing: [], deleted, passes: cursor.passes + 1, completedAt: now.toISOString() };
}

async function fetchEventsPage(context: ConnectorContext, cursor: YesplanCursor, read: YesplanOptions): Promise<ConnectorPage<YesplanCursor>> {
  const client = clientFor(context);
  let current = cursor;
  if (current.next && current.expires && Date.parse(current.expires) <= context.now.getTime()) {
    // The server has dropped that result set: ask again from the first page, forgetting nothing.
    current = { ...current, next: undefined, expires: undefined, previous: [...new Set([...current.previous, ...current.seen])], seen: [] };
  }
  const window = current.window ?? passWindow(context.now, read);
  const url = current.next ?? client.eventsUrl(eventsQuery(window, read), read.pageSize);
  const { response, document } = await client.events(url);
  if (!Array.isArray(document.data)) throw new RemoteError(`GET ${response.url}: answer has no "data" list of events`);
  const events = document.data;
  const detailResponses = await details(client, events, read);

  const listed = events.map((event) => event?.id).filter((id): id is string => typeof id === 'string' && id !== '');
  const listedSet = new Set(listed);
  const seen = [...new Set([...current.seen, ...listed])];
  const previous = current.previous.filter((id) => !listedSet.has(id));
  const next = document.pagination?.next ? client.checkNextUrl(document.pagination.next) : undefined;
  const responses = [response, ...detailResponses];

  if (next) {
    const expires = document.pagination?.expires ?? undefined;
    return { responses, done: false, cursor: { ...current, phase: 'events', window, next, expires, previous, seen, missing: [], deleted: [] } };
  }
  const ended: YesplanCursor = { ...current, window, next: undefined, expires: undefined, previous: [], seen, missing: [], deleted: [] };
  if (previous.length === 0) return { responses, done: true, cursor: nextPass(ended, context.now, []) };
  return { responses, done: false, cursor: { ...ended, phase: 'reconcile', missing: previous } };
}

/** Looks up, one by one, events the previous pass saw and this one did not: gone (deleted) or still there (moved). */
async function fetchReconcilePage(context: ConnectorContext, cursor: YesplanCursor, read: YesplanOptions): Promise<ConnectorPage<YesplanCursor>> {
  const client = clientFor(context);
  const batch = cursor.missing.slice(0, read.pageSize);
  const responses: FetchedResponse[] = [];
  const found: YesplanEvent[] = [];
  const deleted: string[] = [];
  for (const eventId of batch) {
    const result = await client.event(eventId);
    if (result === 'gone') deleted.push(eventId);
    else {
      responses.push(result.response);
      found.push(result.document);
    }
  }
  responses.push(...(await details(client, found, read)));
  const missing = cursor.missing.slice(batch.length);
  if (missing.length === 0) return { responses, done: true, cursor: nextPass(cursor, context.now, deleted) };
  return { responses, done: false, cursor: { ...cursor, missing, deleted } };
}

/**
 * Planning connector for Yesplan (kind `yesplan`): events of a date window, paged, with their first
 * location as the place and seat counts from the installation's custom data.
 */
export const yesplanConnector: Connector<YesplanCursor> = {
  kind: 'yesplan',

  checkSettings: checkYesplanSettings,

  initialCursor: () => ({ version: 1, phase: 'events', previous: [], seen: [], missing: [], deleted: [], passes: 0 }),

  async fetchPage(context, cursor) {
    const read = options(context.settings);
    return cursor.phase === 'reconcile' ? fetchReconcilePage(context, cursor, read) : fetchEventsPage(context, cursor, read);
  },

  mapPage(page, context) {
    const read = options(context.settings);
    const documents = readPageDocuments(page.responses);
    const items: MappedItem[] = [...documents.unreadable];
    for (const event of documents.events) items.push(...mapEvent(event, documents, read));
    for (const externalId of page.cursor.deleted) items.push({ type: 'deletion', externalId, entity: 'activity' });
    return items;
  },
};

import type { ConnectorCredentials, FetchedResponse } from '../connector.js';
import { RemoteError, type HttpClient } from '../http-client.js';

/**
 * UiTdatabank Search API v3 (reference/uitdatabank/openapi/search.json and publiq's Search API guides):
 * GET /places, /organizers, /events answer a hydra PagedCollection of JSON-LD documents.
 */

/** The entity types the connector pulls, in the order a run pulls them (events reference places and organizers). */
export const SEARCH_ENTITY_TYPES = ['places', 'organizers', 'events'] as const;
export type SearchEntityType = (typeof SEARCH_ENTITY_TYPES)[number];

/** The Search API refuses `limit` above 2000 (pagination guide). */
export const SEARCH_MAX_LIMIT = 2000;
/** Elasticsearch's result window: `start + limit` beyond 10,000 is refused (pagination guide). */
export const SEARCH_RESULT_WINDOW = 10_000;

/**
 * Workflow statuses a sync asks for. DELETED and REJECTED are requested explicitly so they arrive as
 * deletions; DRAFT is left out because a draft was never published.
 */
export const SYNC_WORKFLOW_STATUS: Record<SearchEntityType, string> = {
  places: 'READY_FOR_VALIDATION,APPROVED,REJECTED,DELETED',
  events: 'READY_FOR_VALIDATION,APPROVED,REJECTED,DELETED',
  organizers: 'ACTIVE,DELETED',
};

/** One page of a search, as the 200 response schema of every search endpoint describes it. */
export interface SearchResponse {
  '@context'?: string;
  '@type'?: string;
  itemsPerPage: number;
  totalItems: number;
  /** JSON-LD documents (with embed=true); untrusted until the mapper has read them. */
  member: unknown[];
  facet?: Record<string, unknown>;
}

export interface SearchRequest {
  entity: SearchEntityType;
  start: number;
  limit: number;
  /** Only documents modified at or after this instant (inclusive, as the API documents it). */
  modifiedFrom: string | null;
  /** An extra advanced query (Lucene) from the source's settings, ANDed with the sync's own filters. */
  q?: string;
}

/**
 * The request URL. Credentials never go in it (the URL is archived with the response): they travel in
 * headers, see `searchHeaders`.
 */
export function searchUrl(baseUrl: string, request: SearchRequest): string {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}/${request.entity}`);
  const params = url.searchParams;
  params.set('embed', 'true');
  params.set('sort[modified]', 'asc');
  params.set('start', String(request.start));
  params.set('limit', String(request.limit));
  params.set('workflowStatus', SYNC_WORKFLOW_STATUS[request.entity]);
  const clauses = request.q?.trim() ? [`(${request.q.trim()})`] : [];
  if (request.entity === 'organizers') {
    // /organizers has no modifiedFrom parameter in the spec; its advanced-query field `modified` does the same.
    if (request.modifiedFrom) clauses.push(`modified:[${request.modifiedFrom.replace(/:/g, '\\:')} TO *]`);
  } else {
    // Offers are filtered by availability, country and audience by default; a sync needs every document.
    params.set('disableDefaultFilters', 'true');
    if (request.modifiedFrom) params.set('modifiedFrom', request.modifiedFrom);
  }
  if (clauses.length > 0) params.set('q', clauses.join(' AND '));
  return url.toString();
}

/**
 * The spec's client identification: `x-client-id` (preferred), else the deprecated `x-api-key`.
 * Headers rather than the `clientId`/`apiKey` query parameters keep the secret out of archived URLs.
 */
export function searchHeaders(credentials: ConnectorCredentials): Record<string, string> {
  if (credentials.clientId) return { 'x-client-id': credentials.clientId };
  if (credentials.apiKey) return { 'x-api-key': credentials.apiKey };
  return {};
}

/** GET one page; a remote failure or a body that is not a search page is a RemoteError (the run retries). */
export async function fetchSearchPage(
  http: HttpClient,
  baseUrl: string,
  credentials: ConnectorCredentials,
  request: SearchRequest,
): Promise<{ response: FetchedResponse; page: SearchResponse }> {
  const url = searchUrl(baseUrl, request);
  const response = await http.request(url, { headers: { accept: 'application/json', ...searchHeaders(credentials) } });
  const page = parseSearchResponse(response.body);
  if (typeof page === 'string') throw new RemoteError(http.redact(`GET ${url}: ${page}`));
  parsedBodies.set(response.body, page);
  return { response, page };
}

// A page's body is read for its cursor when fetched and again when mapped: the second read takes the first
// one's result (once; mapping from the archive reads other bytes and parses them). A page of 200 events is
// ~1.5 MB of JSON: parsing it twice was ~3 % of a connector worker's CPU.
const parsedBodies = new WeakMap<Buffer, SearchResponse>();

/** The search page this exact body was parsed into when fetched (handed out once), else the body parsed now. */
export function takeSearchResponse(body: Buffer): SearchResponse | string {
  const parsed = parsedBodies.get(body);
  if (parsed === undefined) return parseSearchResponse(body);
  parsedBodies.delete(body);
  return parsed;
}

/** Reads a search page; answers the reason (a string) when the body is not one. */
export function parseSearchResponse(body: Buffer): SearchResponse | string {
  let document: unknown;
  try {
    document = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  if (!isObject(document) || !Array.isArray(document.member)) return 'not a search result page (no member array)';
  if (typeof document.totalItems !== 'number' || !Number.isFinite(document.totalItems)) return 'not a search result page (no totalItems)';
  return {
    ...document,
    itemsPerPage: typeof document.itemsPerPage === 'number' ? document.itemsPerPage : document.member.length,
    totalItems: document.totalItems,
    member: document.member,
  };
}

/**
 * A member's id: the last path segment of its `@id` (e.g. https://io.uitdatabank.be/events/{id}), the id the
 * spec's `id` parameter takes. Null when the member has no usable `@id`.
 */
export function memberId(member: unknown): string | null {
  if (!isObject(member) || typeof member['@id'] !== 'string') return null;
  const segments = member['@id'].replace(/\/+$/, '').split('/');
  const id = segments[segments.length - 1];
  return id ? id : null;
}

/** An ISO-8601 date-time with seconds and an offset, the form the API writes and reads (`2021-05-17T22:00:00+00:00`). */
export const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/**
 * What the API sorts and filters on: `modified`, or `created` for a document never modified (spec of
 * modifiedFrom). The value is sent back as `modifiedFrom` (and inside a Lucene range), so anything not in the
 * API's own form is rewritten to it, rounded down to the second so the inclusive filter still includes it.
 */
export function memberModified(member: unknown): { value: string; time: number } | null {
  if (!isObject(member)) return null;
  for (const field of ['modified', 'created']) {
    const value = member[field];
    if (typeof value !== 'string') continue;
    const time = Date.parse(value);
    if (!Number.isFinite(time)) continue;
    if (ISO_DATE_TIME.test(value)) return { value, time };
    const floored = Math.floor(time / 1000) * 1000;
    return { value: new Date(floored).toISOString().replace('.000Z', '+00:00'), time: floored };
  }
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

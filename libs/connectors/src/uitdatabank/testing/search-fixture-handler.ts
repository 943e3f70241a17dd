import { readFileSync } from 'node:fs';
import type { FixtureHandler, FixtureReply } from '../../../../../test/support/fixture-server.js';

/**
 * A stand-in for the UiTdatabank Search API v3 over a fixture set, for connector tests through
 * test/support/fixture-server.ts. It behaves as reference/uitdatabank/openapi/search.json and publiq's
 * Search API guides describe: GET /places, /organizers, /events; start/limit (limit <= 2000, refused
 * past the result window); sort[modified]; modifiedFrom/modifiedTo on events and places only (the spec
 * has none on /organizers, whose advanced query `modified:[X TO *]` is honoured instead; any other part
 * of `q` is not interpreted); workflowStatus (comma list, `*`) with the default filters (offers:
 * READY_FOR_VALIDATION,APPROVED and currently available; organizers: ACTIVE) unless
 * disableDefaultFilters=true; embed; x-client-id / x-api-key.
 *
 * The fixtures search-{places,organizers,events}.json are whole result pages as the API answers
 * `?embed=true&workflowStatus=*&disableDefaultFilters=true&sort[modified]=asc&limit=2000`; their members
 * are the udb3-json-schemas read examples with their own ids, dates and workflow statuses.
 */

export type SearchFixtureEntity = 'places' | 'organizers' | 'events';
export type SearchFixtureDocument = Record<string, unknown>;
export type SearchFixtureSet = Record<SearchFixtureEntity, SearchFixtureDocument[]>;

export interface SearchFixtureOptions {
  /** Accepted credentials (any one of them). */
  clientId?: string;
  apiKey?: string;
  /** `start + limit` may not pass this (Elasticsearch's max_result_window); 10,000 as the real API. */
  resultWindow?: number;
  /** The API may answer fewer results than asked (pagination guide): at most this many per page. */
  maxItemsPerPage?: number;
  /** "Now" of the default availability filter. */
  now?: Date;
}

const ENTITIES: SearchFixtureEntity[] = ['places', 'organizers', 'events'];
const MAX_LIMIT = 2000;

export function loadSearchFixtures(): SearchFixtureSet {
  const read = (entity: SearchFixtureEntity) =>
    (JSON.parse(readFileSync(new URL(`./search-${entity}.json`, import.meta.url), 'utf8')) as { member: SearchFixtureDocument[] }).member;
  return { places: read('places'), organizers: read('organizers'), events: read('events') };
}

/** The id at the end of a document's `@id`. */
export function fixtureId(document: SearchFixtureDocument): string {
  return String(document['@id']).split('/').pop() as string;
}

/** A copy of a fixture document with other values (a changed record, another id for a bigger set). */
export function fixtureVariant(document: SearchFixtureDocument, changes: { id?: string } & SearchFixtureDocument): SearchFixtureDocument {
  const { id, ...fields } = changes;
  const copy = structuredClone(document);
  if (id) copy['@id'] = String(document['@id']).replace(/[^/]+$/, id);
  return { ...copy, ...fields };
}

/** The handler; `set` is read on every request so a test can change the remote between runs. */
export function searchFixtureHandler(set: SearchFixtureSet | (() => SearchFixtureSet), options: SearchFixtureOptions = {}): FixtureHandler {
  const window = options.resultWindow ?? 10_000;
  return (request, url) => {
    const entity = url.pathname.replace(/\/+$/, '').slice(1) as SearchFixtureEntity;
    if (!ENTITIES.includes(entity)) return problem(404, 'https://api.publiq.be/probs/url/not-found', 'Not Found', `No route ${url.pathname}`);
    const clientId = request.headers['x-client-id'] ?? url.searchParams.get('clientId');
    const apiKey = request.headers['x-api-key'] ?? url.searchParams.get('apiKey');
    const authorised = (options.clientId !== undefined && clientId === options.clientId) || (options.apiKey !== undefined && apiKey === options.apiKey);
    if (!authorised) return problem(401, 'https://api.publiq.be/probs/auth/unauthorized', 'Unauthorized');

    const params = url.searchParams;
    const start = integer(params.get('start'), 0);
    const limit = integer(params.get('limit'), 30);
    if (start === null || start < 0 || start > window) return notFound(`The "start" parameter should be between 0 and ${window}`);
    if (limit === null || limit < 0 || limit > MAX_LIMIT) return notFound(`The "limit" parameter should be between 0 and ${MAX_LIMIT}`);
    if (start + limit > window) return notFound(`Result window is too large, start + limit must be less than or equal to: [${window}]`);

    const disableDefaults = params.get('disableDefaultFilters') === 'true';
    const now = (options.now ?? new Date()).getTime();
    let documents = (typeof set === 'function' ? set() : set)[entity].slice();

    const workflowStatus = params.get('workflowStatus') ?? (disableDefaults ? '*' : entity === 'organizers' ? 'ACTIVE' : 'READY_FOR_VALIDATION,APPROVED');
    if (workflowStatus !== '*') {
      const allowed = new Set(workflowStatus.split(',').map((status) => status.trim().toUpperCase()));
      documents = documents.filter((document) => allowed.has(String(document.workflowStatus).toUpperCase()));
    }
    if (entity !== 'organizers' && !disableDefaults) {
      if (params.get('availableFrom') !== '*') documents = documents.filter((document) => !(time(document.availableFrom) > now));
      if (params.get('availableTo') !== '*') documents = documents.filter((document) => !(time(document.availableTo) < now));
    }
    const ranges: Array<{ from?: number; to?: number }> = [];
    if (entity !== 'organizers') ranges.push({ from: time(params.get('modifiedFrom')), to: time(params.get('modifiedTo')) });
    for (const match of (params.get('q') ?? '').matchAll(/modified:\[(\S+) TO (\S+)\]/g)) {
      ranges.push({ from: time(unescape(match[1])), to: time(unescape(match[2])) });
    }
    for (const { from, to } of ranges) {
      if (!Number.isNaN(from)) documents = documents.filter((document) => modifiedOf(document) >= (from as number));
      if (!Number.isNaN(to)) documents = documents.filter((document) => modifiedOf(document) <= (to as number));
    }
    const order = params.get('sort[modified]');
    // Array.prototype.sort is stable: documents on one instant keep the fixture order, as an unchanged index does.
    if (order === 'asc') documents.sort((left, right) => modifiedOf(left) - modifiedOf(right));
    if (order === 'desc') documents.sort((left, right) => modifiedOf(right) - modifiedOf(left));

    const itemsPerPage = Math.min(limit, options.maxItemsPerPage ?? limit);
    const embed = params.get('embed') === 'true';
    const member = documents
      .slice(start, start + itemsPerPage)
      .map((document) => (embed ? document : { '@id': document['@id'], '@type': document['@type'] }));
    const body = { '@context': 'http://www.w3.org/ns/hydra/context.jsonld', '@type': 'PagedCollection', itemsPerPage, totalItems: documents.length, member };
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
  };
}

function integer(value: string | null, fallback: number): number | null {
  if (value === null) return fallback;
  return /^\d+$/.test(value) ? Number(value) : null;
}

/** NaN for absent, `*` or unreadable values. */
function time(value: unknown): number {
  return typeof value === 'string' && value !== '*' ? Date.parse(value) : Number.NaN;
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

function modifiedOf(document: SearchFixtureDocument): number {
  const modified = time(document.modified);
  return Number.isNaN(modified) ? time(document.created) : modified;
}

function notFound(detail: string): FixtureReply {
  return problem(404, 'https://api.publiq.be/probs/url/not-found', 'Not Found', detail);
}

function problem(status: number, type: string, title: string, detail?: string): FixtureReply {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: JSON.stringify({ type, title, status, ...(detail ? { detail } : {}) }),
  };
}

import { replicateLDES, type Client } from 'ldes-client';
import { DataFactory, Writer } from 'n3';
import type { Connector, ConnectorContext, ConnectorCredentials, ConnectorPage, ConnectorSettings, FetchedResponse } from '../connector.js';
import { RemoteError } from '../http-client.js';
import type { MappedItem } from '../mapped-item.js';
import { openStateDirectory, readStateDirectory, type LdesClientState } from './ldes-client-state.js';
import { mapLdesPage } from './ldes-mapper.js';
import { LDES_MEMBERS_CONTENT_TYPE, type LdesMemberRecord, type LdesMembersRecord } from './ldes-members.js';

/** The ldes-client's saved state (see ldes-client-state.ts); `{}` = never ran. */
export interface LdesCursor {
  state: LdesClientState;
}

export interface LdesOptions {
  /** The configured URL is a tree:Node (view) itself, not an ldes:EventStream with a tree:view. */
  urlIsView: boolean;
  /** Follow relations and members even when a page's IRI differs from its URL (the client's `loose`). */
  loose: boolean;
  /** Fragments fetched per step: each step is archived and its cursor persisted before the next. */
  fragmentsPerPage: number;
}

/** What the client emits (ldes-client does not export its Member type). */
type Member = Parameters<Parameters<Client['init']>[0]>[0];

const LDES_NS = 'https://w3id.org/ldes#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

function readOptions(settings: ConnectorSettings): LdesOptions {
  const { urlIsView, loose, fragmentsPerPage } = settings.options;
  return {
    urlIsView: urlIsView === true,
    loose: loose === true,
    fragmentsPerPage: typeof fragmentsPerPage === 'number' ? fragmentsPerPage : 1,
  };
}

function checkSettings(settings: ConnectorSettings, credentials: ConnectorCredentials): Array<{ path: string; nl: string; en: string }> {
  const problems: Array<{ path: string; nl: string; en: string }> = [];
  if (!/^https?:\/\//.test(settings.baseUrl ?? '')) {
    problems.push({ path: 'baseUrl', nl: 'baseUrl moet de http(s)-URL van de LDES zijn.', en: 'baseUrl must be the http(s) URL of the LDES.' });
  }
  for (const name of ['urlIsView', 'loose'] as const) {
    const value = settings.options[name];
    if (value !== undefined && typeof value !== 'boolean') {
      problems.push({ path: `options.${name}`, nl: `options.${name} moet true of false zijn.`, en: `options.${name} must be true or false.` });
    }
  }
  const fragments = settings.options.fragmentsPerPage;
  if (fragments !== undefined && !(Number.isInteger(fragments) && (fragments as number) >= 1 && (fragments as number) <= 100)) {
    problems.push({
      path: 'options.fragmentsPerPage',
      nl: 'options.fragmentsPerPage moet een geheel getal van 1 tot 100 zijn.',
      en: 'options.fragmentsPerPage must be a whole number from 1 to 100.',
    });
  }
  if ((credentials.username === undefined) !== (credentials.password === undefined)) {
    problems.push({
      path: 'credentials',
      nl: 'Geef zowel username als password (HTTP Basic), of geen van beide.',
      en: 'Give both username and password (HTTP Basic), or neither.',
    });
  }
  return problems;
}

function authorizationOf(credentials: ConnectorCredentials): Record<string, string> {
  if (credentials.token) return { authorization: `Bearer ${credentials.token}` };
  if (credentials.username !== undefined && credentials.password !== undefined) {
    return { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` };
  }
  return {};
}

function requestUrl(input: string | URL | Request): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

function memberRecord(member: Member, writer: Writer): LdesMemberRecord {
  const record: LdesMemberRecord = { id: member.id.value, nquads: writer.quadsToString(member.quads) };
  if (member.isVersionOf !== undefined) record.isVersionOf = member.isVersionOf;
  if (member.timestamp !== undefined) {
    record.timestamp = member.timestamp instanceof Date ? member.timestamp.toISOString() : String(member.timestamp);
  }
  return record;
}

/**
 * One step of the ldes-client over the platform's HttpClient: the client walks the TREE relations and
 * extracts members itself; every request goes through `context.http` (time-out, retries, redaction)
 * and is recorded. After `fragmentsPerPage` fragments the next fragment request is held, the client is
 * closed, and its saved state (the held fragment still "in flight") becomes the cursor.
 */
async function fetchPage(context: ConnectorContext, cursor: LdesCursor): Promise<ConnectorPage<LdesCursor>> {
  const options = readOptions(context.settings);
  const responses: FetchedResponse[] = [];
  const writer = new Writer({ format: 'N-Quads' });
  const record: LdesMembersRecord = { stream: context.settings.baseUrl, fragments: [], members: [] };
  const directory = await openStateDirectory(cursor.state);
  try {
    let counting = false;
    let fragmentsFetched = 0;
    let failure: RemoteError | undefined;
    let stepFull: () => void = () => undefined;
    const authorization = authorizationOf(context.credentials);

    const fetchThroughPlatform: typeof fetch = async (input, init) => {
      const url = requestUrl(input);
      if (counting) {
        if (fragmentsFetched >= options.fragmentsPerPage) {
          stepFull();
          // Never settles: the client keeps this fragment "in flight" in its state, so the next step fetches it.
          return new Promise<Response>(() => undefined);
        }
        fragmentsFetched++;
        record.fragments.push(url);
      }
      // credentials go only to the stream's own origin, wherever a relation points
      const sameOrigin = new URL(url).origin === new URL(context.settings.baseUrl).origin;
      const headers: Record<string, string> = { ...Object.fromEntries(new Headers(init?.headers).entries()), ...(sameOrigin ? authorization : {}) };
      let fetched: FetchedResponse;
      try {
        fetched = await context.http.request(url, { method: init?.method ?? 'GET', headers });
      } catch (error) {
        failure = error instanceof RemoteError ? error : new RemoteError(context.http.redact(`GET ${url}: ${(error as Error).message}`));
        throw failure;
      }
      responses.push(fetched);
      const reply = new Response(new Uint8Array(fetched.body), { status: 200, headers: { 'content-type': fetched.contentType } });
      // A constructed Response has no URL; the client resolves relations against it.
      Object.defineProperty(reply, 'url', { value: url });
      return reply;
    };

    const client = replicateLDES({
      url: context.settings.baseUrl,
      statePath: directory.path,
      fetch: fetchThroughPlatform,
      // One fragment at a time: the step boundary and the archive order follow the client's queue.
      concurrentFetches: 1,
      polling: false,
      materialize: true,
      urlIsView: options.urlIsView,
      loose: options.loose,
    });
    const remoteFailure = (error: unknown) =>
      failure ?? new RemoteError(context.http.redact(`LDES ${context.settings.baseUrl}: ${error instanceof Error ? error.message : String(error)}`));

    let done: boolean;
    try {
      done = await new Promise<boolean>((resolve, reject) => {
        stepFull = () => resolve(false);
        client.on('error', (error) => reject(remoteFailure(error)));
        client.on('description', (info) => {
          if (info.timestampPath) record.timestampPath = info.timestampPath.value;
          if (info.versionOfPath) record.versionOfPath = info.versionOfPath.value;
          // Requests before the description are the client's bootstrap (the stream, its view): not fragments.
          counting = true;
        });
        client.on('fragment', (fragment) => {
          // ldes-client does not interpret deletions: read the stream's ldes:versionDelete* (LDES 2.0) ourselves.
          for (const [property, key] of [
            ['versionDeletePath', 'versionDeletePath'],
            ['versionDeleteObject', 'versionDeleteObject'],
          ] as const) {
            const found = fragment.data.getQuads(null, DataFactory.namedNode(`${LDES_NS}${property}`), null, null)[0];
            if (found && record[key] === undefined) record[key] = found.object.value;
          }
        });
        client
          .init(
            (member) => {
              record.members.push(memberRecord(member, writer));
              return true;
            },
            () => resolve(true),
          )
          .catch((error: unknown) => reject(remoteFailure(error)));
      });
    } finally {
      await client.close();
    }
    if (record.versionDeleteObject !== undefined) record.versionDeletePath ??= RDF_TYPE;
    if (record.members.length > 0 || record.fragments.length > 0) {
      responses.push({
        url: `${context.settings.baseUrl}#ldes-client-members`,
        contentType: LDES_MEMBERS_CONTENT_TYPE,
        body: Buffer.from(JSON.stringify(record)),
      });
    }
    return { responses, cursor: { state: await readStateDirectory(directory.path) }, done };
  } finally {
    await directory.dispose();
  }
}

/** LDES consumer (kind `ldes`) on the ldes-client library (TREEcg / rdf-connect). */
export const ldesConnector: Connector<LdesCursor> = {
  kind: 'ldes',
  checkSettings,
  initialCursor: () => ({ state: {} }),
  fetchPage,
  mapPage: (page): MappedItem[] => mapLdesPage(page.responses),
};

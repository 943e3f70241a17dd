import { parseJsonLd, toNTriples } from '@platform/linked-data';
import type { Connector, ConnectorContext, ConnectorCredentials, ConnectorPage, ConnectorSettings, FetchedResponse } from '../connector.js';
import { RemoteError } from '../http-client.js';
import { isOsloJsonLd, mapRpdePage } from './rpde-mapper.js';
import { RPDE_OSLO_QUADS_CONTENT_TYPE, type RpdeCursor, type RpdeOsloQuads, type RpdePage } from './rpde-types.js';

function checkSettings(settings: ConnectorSettings, credentials: ConnectorCredentials): Array<{ path: string; nl: string; en: string }> {
  const problems: Array<{ path: string; nl: string; en: string }> = [];
  if (!/^https?:\/\//.test(settings.baseUrl ?? '')) {
    problems.push({
      path: 'baseUrl',
      nl: 'baseUrl moet de http(s)-URL van de eerste RPDE-pagina zijn (de feed).',
      en: 'baseUrl must be the http(s) URL of the first RPDE page (the feed).',
    });
  }
  const language = settings.options.language;
  if (language !== undefined && (typeof language !== 'string' || !/^[a-z]{2}$/.test(language))) {
    problems.push({ path: 'options.language', nl: 'options.language moet een taalcode zijn, bv. "nl".', en: 'options.language must be a language code, e.g. "nl".' });
  }
  if ((credentials.username === undefined) !== (credentials.password === undefined)) {
    problems.push({ path: 'credentials', nl: 'Geef zowel username als password (HTTP Basic), of geen van beide.', en: 'Give both username and password (HTTP Basic), or neither.' });
  }
  return problems;
}

function headersOf(credentials: ConnectorCredentials): Record<string, string> {
  if (credentials.apiKey) return { 'x-api-key': credentials.apiKey };
  if (credentials.token) return { authorization: `Bearer ${credentials.token}` };
  if (credentials.username !== undefined && credentials.password !== undefined) {
    return { authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` };
  }
  return {};
}

function readPage(url: string, document: unknown, redact: (text: string) => string): RpdePage {
  const page = document as Partial<RpdePage> | null;
  if (!page || typeof page !== 'object' || typeof page.next !== 'string' || !Array.isArray(page.items)) {
    throw new RemoteError(redact(`GET ${url}: not an RPDE page (expected {"next": "...", "items": [...]})`));
  }
  return page as RpdePage;
}

/** OSLO JSON-LD items to N-Triples, now (asynchronous); a record that cannot be read keeps its error for mapPage. */
async function osloQuads(url: string, page: RpdePage): Promise<FetchedResponse | undefined> {
  const record: RpdeOsloQuads = { page: url, items: {} };
  for (const item of page.items) {
    if (item.state !== 'updated' || !isOsloJsonLd(item.data)) continue;
    try {
      record.items[String(item.id)] = { nquads: toNTriples(await parseJsonLd(item.data as Parameters<typeof parseJsonLd>[0])) };
    } catch (error) {
      record.items[String(item.id)] = { error: (error as Error).message };
    }
  }
  if (Object.keys(record.items).length === 0) return undefined;
  return { url: `${url}#oslo-quads`, contentType: RPDE_OSLO_QUADS_CONTENT_TYPE, body: Buffer.from(JSON.stringify(record)) };
}

/**
 * One RPDE page: GET the cursor's URL; the cursor becomes the page's `next`. The last page has no
 * items and `next` equal to its own URL: then the run is done and the cursor stays, so the next run
 * polls that URL for what changed since.
 */
async function fetchPage(context: ConnectorContext, cursor: RpdeCursor): Promise<ConnectorPage<RpdeCursor>> {
  // credentials go only to the feed's own origin, wherever a `next` link points
  const sameOrigin = new URL(cursor.next).origin === new URL(context.settings.baseUrl).origin;
  const { response, document } = await context.http.json(cursor.next, sameOrigin ? headersOf(context.credentials) : {});
  const page = readPage(cursor.next, document, (text) => context.http.redact(text));
  const next = new URL(page.next, cursor.next).href;
  const done = page.items.length === 0;
  if (!done && next === new URL(cursor.next).href) {
    // a page with items pointing at itself would be read forever
    throw new RemoteError(context.http.redact(`GET ${cursor.next}: RPDE page has items but "next" is its own URL`));
  }
  const responses = [response];
  const derived = await osloQuads(cursor.next, page);
  if (derived) responses.push(derived);
  return { responses, cursor: { next: done ? cursor.next : next }, done };
}

/** Generic RPDE consumer (kind `rpde`): OpenActive / schema.org events, or OSLO JSON-LD, in RPDE items. */
export const rpdeConnector: Connector<RpdeCursor> = {
  kind: 'rpde',
  checkSettings,
  initialCursor: (settings) => ({ next: settings.baseUrl }),
  fetchPage,
  mapPage: (page, context) => mapRpdePage(page.responses, context),
};

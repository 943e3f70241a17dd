import type { Connector, ConnectorContext, ConnectorPage } from '../../connector.js';
import { HttpClient } from '../../http-client.js';

/** A connector context against a fixture server: quick retries so failure tests stay fast. */
export function fixtureContext(baseUrl: string, options: Record<string, unknown> = {}, credentials: Record<string, string> = {}): ConnectorContext {
  return {
    sourceId: 'feed-test',
    settings: { baseUrl, options },
    credentials,
    http: new HttpClient({ secrets: Object.values(credentials), attempts: 2, minDelayMs: 1, maxDelayMs: 5, timeoutMs: 5_000 }),
    now: new Date('2026-03-10T12:00:00Z'),
  };
}

/** Runs pages as the sync service does (cursor persisted after each page) until done or a page throws. */
export async function runPages<C>(
  connector: Connector<C>,
  context: ConnectorContext,
  cursor: C,
  maxPages = 20,
): Promise<{ pages: Array<ConnectorPage<C>>; cursor: C; error?: unknown }> {
  const pages: Array<ConnectorPage<C>> = [];
  let current = cursor;
  for (let step = 0; step < maxPages; step++) {
    let page: ConnectorPage<C>;
    try {
      page = await connector.fetchPage(context, current);
    } catch (error) {
      return { pages, cursor: current, error };
    }
    pages.push(page);
    // the cursor is only persisted together with the page's items: a JSON round trip, as in the database
    current = JSON.parse(JSON.stringify(page.cursor)) as C;
    if (page.done) return { pages, cursor: current };
  }
  throw new Error(`no end after ${maxPages} pages`);
}

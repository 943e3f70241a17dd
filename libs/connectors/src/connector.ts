import type { MappedItem } from './mapped-item.js';
import type { HttpClient } from './http-client.js';

/** A source's connector settings (stored on the source; credentials apart and never shown). */
export interface ConnectorSettings {
  /** Root of the remote API, e.g. https://search.uitdatabank.be */
  baseUrl: string;
  /** How often the worker syncs: every N minutes (absent = only runs started by hand). */
  everyMinutes?: number;
  /** Per-kind options (documented by each connector's `describeOptions`). */
  options: Record<string, unknown>;
}

/** Secrets of a connector (API keys, client secrets): injected into requests, never logged or returned. */
export type ConnectorCredentials = Record<string, string>;

/** One remote response, kept byte for byte in the archive before anything is mapped. */
export interface FetchedResponse {
  url: string;
  contentType: string;
  body: Buffer;
}

/** One step of a run: what was fetched, and where the next step starts. */
export interface ConnectorPage<C> {
  responses: FetchedResponse[];
  /** The cursor after this page: persisted in the same transaction as the page's items. */
  cursor: C;
  /** True when the remote feed has nothing more right now (the run ends after this page). */
  done: boolean;
}

export interface ConnectorContext {
  sourceId: string;
  settings: ConnectorSettings;
  credentials: ConnectorCredentials;
  /** fetch with time-out, retries with back-off on network errors, 429 and 5xx; secrets redacted from errors. */
  http: HttpClient;
  now: Date;
  /**
   * The operator's PSEUDONYM_KEY, for connectors that pull participation (Ticketmatic orders): they strip
   * personal data in `fetchPage`, before a response is archived. Absent: such a lane fails with the reason.
   */
  pseudonymKey?: string;
}

/**
 * A connector pages through one kind of remote feed. It knows the remote API and its cursor; the
 * pipeline knows everything else. `fetchPage` does I/O only; `mapPage` is pure (the responses it maps
 * are the archived ones), so a page can be mapped again from the archive.
 */
export interface Connector<C = unknown> {
  kind: string;
  /** Problems with the settings, in Dutch and English, or none. Checked when a source is configured. */
  checkSettings(settings: ConnectorSettings, credentials: ConnectorCredentials): Array<{ path: string; nl: string; en: string }>;
  /** The cursor of a source that never ran. */
  initialCursor(settings: ConnectorSettings, now: Date): C;
  fetchPage(context: ConnectorContext, cursor: C): Promise<ConnectorPage<C>>;
  mapPage(page: ConnectorPage<C>, context: Pick<ConnectorContext, 'sourceId' | 'settings' | 'now'>): MappedItem[];
}

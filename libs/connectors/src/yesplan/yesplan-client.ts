import type { FetchedResponse } from '../connector.js';
import { RemoteError, type HttpClient } from '../http-client.js';
import { installationRoot } from './yesplan-options.js';
import type { YesplanCustomData, YesplanEvent, YesplanEventList, YesplanLocation } from './raw-types.js';

export interface Fetched<T> {
  /** As received, but with the api_key taken out of its URL: this is what the archive keeps. */
  response: FetchedResponse;
  document: T;
}

const API_KEY_PARAMETER = 'api_key';

/** The URL without its api_key (cursors, archive, messages never hold the key). */
export function withoutApiKey(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.searchParams.has(API_KEY_PARAMETER)) return url;
    parsed.searchParams.delete(API_KEY_PARAMETER);
    return parsed.toString();
  } catch {
    return url.replace(/([?&])api_key=[^&#\s]*&?/g, '$1');
  }
}

/** Removes any `api_key=...` from a message, whatever the HttpClient was told to redact. */
function scrubApiKey(text: string): string {
  return text.replace(/api_key=[^&#\s"']*/g, 'api_key=***');
}

/** "dd-mm-yyyy" of a moment in Belgian time: the date format the Yesplan API asks for. */
export function yesplanDate(moment: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Brussels', day: '2-digit', month: '2-digit', year: 'numeric' }).formatToParts(moment);
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '';
  return `${part('day')}-${part('month')}-${part('year')}`;
}

/**
 * The Yesplan REST API of one installation: `GET /api/events/{query}` paged through `pagination.next`,
 * `GET /api/event/{id}`, `/api/event/{id}/customdata?keywords=...` and `/api/location/{id}`, each with
 * the `api_key` query parameter. Every request goes through the connectors' HttpClient.
 */
export class YesplanClient {
  private readonly root: string;
  private readonly origin: string;

  constructor(
    private readonly http: HttpClient,
    baseUrl: string,
    private readonly apiKey: string,
  ) {
    this.root = installationRoot(baseUrl);
    this.origin = new URL(this.root).origin;
  }

  /** First page of the events matching a query; `limit` sets the page size. */
  eventsUrl(query: string, pageSize: number): string {
    return `${this.root}/api/events/${encodeURIComponent(query)}?limit=${pageSize}`;
  }

  async events(url: string): Promise<Fetched<YesplanEventList>> {
    return this.get<YesplanEventList>(url);
  }

  async location(locationId: string): Promise<Fetched<YesplanLocation>> {
    return this.get<YesplanLocation>(`${this.root}/api/location/${encodeURIComponent(locationId)}`);
  }

  async customData(eventId: string, keywords: string[]): Promise<Fetched<YesplanCustomData>> {
    return this.get<YesplanCustomData>(`${this.root}/api/event/${encodeURIComponent(eventId)}/customdata?keywords=${encodeURIComponent(keywords.join(','))}`);
  }

  /** One event, or `gone` when Yesplan no longer has it (404/410: deleted in Yesplan). */
  async event(eventId: string): Promise<Fetched<YesplanEvent> | 'gone'> {
    try {
      return await this.get<YesplanEvent>(`${this.root}/api/event/${encodeURIComponent(eventId)}`);
    } catch (error) {
      if (error instanceof RemoteError && (error.status === 404 || error.status === 410)) return 'gone';
      throw error;
    }
  }

  /** `pagination.next` must stay on the installation: the API key is sent with it. */
  checkNextUrl(next: string): string {
    let parsed: URL;
    try {
      parsed = new URL(next, this.root);
    } catch {
      throw new RemoteError(`Yesplan pagination.next is not a URL: ${scrubApiKey(next).slice(0, 200)}`);
    }
    if (parsed.origin !== this.origin) {
      throw new RemoteError(`Yesplan pagination.next points to ${parsed.origin}, not to the installation ${this.origin}; not followed`);
    }
    return withoutApiKey(parsed.toString());
  }

  private async get<T>(url: string): Promise<Fetched<T>> {
    const keyed = new URL(url);
    // The key goes to this installation only (a cursor may still hold another installation's URLs).
    if (keyed.origin !== this.origin) throw new RemoteError(`Yesplan: ${withoutApiKey(url)} is not on the installation ${this.origin}; not requested`);
    keyed.searchParams.set(API_KEY_PARAMETER, this.apiKey);
    let response: FetchedResponse;
    try {
      response = await this.http.request(keyed.toString(), { headers: { accept: 'application/json' } });
    } catch (error) {
      if (error instanceof RemoteError) throw new RemoteError(scrubApiKey(this.http.redact(error.message)), error.status);
      throw new RemoteError(scrubApiKey(this.http.redact(`GET ${withoutApiKey(url)}: ${(error as Error).message}`)));
    }
    const archived: FetchedResponse = { ...response, url: withoutApiKey(url) };
    try {
      return { response: archived, document: JSON.parse(response.body.toString('utf8')) as T };
    } catch (error) {
      throw new RemoteError(`GET ${archived.url}: not JSON (${(error as Error).message})`);
    }
  }
}

import { createHmac } from 'node:crypto';
import type { FetchedResponse } from '../connector.js';
import { RemoteError, type HttpClient } from '../http-client.js';
import type { TicketmaticEventList, TicketmaticOrderList } from './raw-types.js';

/**
 * Request signing (https://www.ticketmatic.com/docs/api/coreconcepts/authentication): the signature is
 * HMAC-SHA256, keyed with the secret key, of accesskey + accountname + timestamp, in hexadecimal.
 */
export function ticketmaticSignature(accessKey: string, secretKey: string, accountName: string, timestamp: string): string {
  return createHmac('sha256', secretKey).update(`${accessKey}${accountName}${timestamp}`).digest('hex');
}

/** `Authorization: TM-HMAC-SHA256 key=... ts=... sign=...`; ts is UTC ISO 8601 without zone, to the second. */
export function ticketmaticAuthorization(accessKey: string, secretKey: string, accountName: string, now: Date): string {
  const timestamp = now.toISOString().slice(0, 19);
  return `TM-HMAC-SHA256 key=${accessKey} ts=${timestamp} sign=${ticketmaticSignature(accessKey, secretKey, accountName, timestamp)}`;
}

export interface EventListQuery {
  /** `lastupdatesince` ("YYYY-MM-DD hh:mm:ss"); absent = every event. */
  lastUpdateSince?: string;
  limit: number;
  offset: number;
  /** `simplefilter.status`: by default the API leaves out drafts. */
  statuses: number[];
  /** output=withlookup: the page carries the locations and price types its events use. */
  withLookup: boolean;
  /** `context.saleschannelid`: prices of one sales channel only. */
  salesChannelId?: number;
}

/** The Ticketmatic API v1 of one account: https://apps.ticketmatic.com/api/1/{accountname}/... */
export class TicketmaticClient {
  private readonly root: string;

  constructor(
    private readonly http: HttpClient,
    baseUrl: string,
    private readonly accountName: string,
    private readonly credentials: { accessKey: string; secretKey: string },
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.root = `${baseUrl.replace(/\/+$/, '')}/api/1/${encodeURIComponent(accountName)}`;
  }

  eventListUrl(query: EventListQuery): string {
    const parameters = new URLSearchParams();
    if (query.lastUpdateSince) parameters.set('lastupdatesince', query.lastUpdateSince);
    parameters.set('limit', String(query.limit));
    parameters.set('offset', String(query.offset));
    // Object parameters travel JSON-encoded in the query string, as the official libraries send them.
    parameters.set('simplefilter', JSON.stringify({ status: query.statuses }));
    if (query.salesChannelId !== undefined) parameters.set('context', JSON.stringify({ saleschannelid: query.salesChannelId }));
    if (query.withLookup) parameters.set('output', 'withlookup');
    return `${this.root}/events?${parameters.toString()}`;
  }

  /** GET /events: one page of the list, the response as received plus its parsed envelope. */
  async listEvents(query: EventListQuery): Promise<{ response: FetchedResponse; list: TicketmaticEventList }> {
    const url = this.eventListUrl(query);
    const { response, document } = await this.http.json<unknown>(url, { authorization: this.authorization() });
    const list = document as Partial<TicketmaticEventList> | null;
    if (typeof list !== 'object' || list === null || !(list.data === null || Array.isArray(list.data)) || typeof list.nbrofresults !== 'number') {
      // Not the documented {data, nbrofresults} envelope: a remote fault, retried by the run, not mapped.
      throw new RemoteError(this.http.redact(`GET ${url}: not a Ticketmatic event list ({data, nbrofresults})`));
    }
    return { response, list: list as TicketmaticEventList };
  }

  ordersUrl(query: { lastUpdateSince?: string; limit: number; offset: number }): string {
    const parameters = new URLSearchParams();
    if (query.lastUpdateSince) parameters.set('lastupdatesince', query.lastUpdateSince);
    parameters.set('limit', String(query.limit));
    parameters.set('offset', String(query.offset));
    parameters.set('output', 'withlookup');
    return `${this.root}/orders?${parameters.toString()}`;
  }

  /**
   * GET /orders: one page of orders with their tickets and (lookup) contacts. The answer holds personal
   * data: the caller strips it before anything is kept, so only the parsed list is returned.
   */
  async listOrders(query: { lastUpdateSince?: string; limit: number; offset: number }): Promise<{ url: string; list: TicketmaticOrderList }> {
    const url = this.ordersUrl(query);
    const { document } = await this.http.json<unknown>(url, { authorization: this.authorization() });
    const list = document as Partial<TicketmaticOrderList> | null;
    if (typeof list !== 'object' || list === null || !(list.data === null || Array.isArray(list.data)) || typeof list.nbrofresults !== 'number') {
      throw new RemoteError(this.http.redact(`GET ${url}: not a Ticketmatic order list ({data, nbrofresults})`));
    }
    return { url, list: list as TicketmaticOrderList };
  }

  private authorization(): string {
    return ticketmaticAuthorization(this.credentials.accessKey, this.credentials.secretKey, this.accountName, this.clock());
  }
}

/**
 * The Ticketmatic API v1 payloads this connector reads, as the public documentation describes them
 * (https://www.ticketmatic.com/docs/api/types/Event and the pages it links). Only the fields we map are
 * typed; everything else stays in the archived response.
 */

/** Ticketmatic timestamp: "2014-09-26 15:24:36" or "2015-05-29 09:21:10.38252" (UTC). */
export type TicketmaticTimestamp = string;

/** Event.currentstatus values (https://www.ticketmatic.com/docs/api/types/Event). */
export const EVENT_STATUS = { draft: 19001, active: 19002, closed: 19003 } as const;

/** PriceType.typeid categories (https://www.ticketmatic.com/docs/api/settings/pricing/pricetypes). */
export const PRICE_TYPE_CATEGORY = { normal: 2301, reduction: 2302, special: 2303, free: 2304, subscription: 2305 } as const;

/** A contingent of an event (EventContingent). */
export interface TicketmaticContingent {
  id: number;
  name?: string;
  amount?: number;
  eventid?: number;
}

/** Seats of one contingent (EventContingentAvailability); `tickettypeid` is the contingent id. */
export interface TicketmaticContingentAvailability {
  tickettypeid: number;
  total: number;
  free: number;
  complimentary?: number;
  locked_hard?: number;
  locked_soft?: number;
  reserved?: number;
  sold_paid?: number;
  sold_unpaid?: number;
  lastupdatets?: TicketmaticTimestamp;
}

/** EventPricesSaleschannel: the price of a price type in one sales channel. */
export interface TicketmaticChannelPrice {
  saleschannelid: number;
  price: number;
  servicecharge?: number;
  tickettypepriceid?: number;
}

/** EventPricesPricetype / EventPricesContingent / EventPrices. */
export interface TicketmaticEventPrices {
  contingents?: Array<{
    contingentid: number;
    pricetypes?: Array<{ pricetypeid: number; tickettypepriceid?: number; saleschannels?: TicketmaticChannelPrice[] }>;
  }>;
}

/** A single Event (https://www.ticketmatic.com/docs/api/types/Event). */
export interface TicketmaticEvent {
  id: number;
  name?: string;
  subtitle?: string;
  subtitle2?: string;
  description?: string;
  shortdescription?: string;
  startts?: TicketmaticTimestamp;
  endts?: TicketmaticTimestamp;
  salestartts?: TicketmaticTimestamp;
  saleendts?: TicketmaticTimestamp;
  locationid?: number;
  locationname?: string;
  productionid?: number;
  currentstatus?: number;
  externalcode?: string;
  image?: string;
  tags?: string[] | null;
  contingents?: TicketmaticContingent[] | null;
  seatingplancontingents?: TicketmaticContingent[] | null;
  availability?: TicketmaticContingentAvailability[] | null;
  prices?: TicketmaticEventPrices | null;
  /** Translations of mlstring fields: field name + language code ("nameen", "descriptionfr"). */
  translations?: Record<string, string> | null;
  createdts?: TicketmaticTimestamp;
  lastupdatets?: TicketmaticTimestamp;
}

/** A single event location (https://www.ticketmatic.com/docs/api/types/EventLocation). */
export interface TicketmaticEventLocation {
  id: number;
  name?: string;
  street1?: string;
  /** "Nr. + Box" */
  street2?: string;
  zip?: string;
  city?: string;
  state?: string;
  countrycode?: string;
  lat?: number;
  long?: number;
  isarchived?: boolean;
}

/** A price type (https://www.ticketmatic.com/docs/api/types/PriceType). */
export interface TicketmaticPriceType {
  id: number;
  typeid: number;
  name?: string;
  remark?: string;
  isarchived?: boolean;
  lastupdatets?: TicketmaticTimestamp;
}

/** GET /{accountname}/events: the list envelope; `lookup` only with output=withlookup. */
export interface TicketmaticEventList {
  data: TicketmaticEvent[] | null;
  nbrofresults: number;
  lookup?: {
    locations?: Record<string, TicketmaticEventLocation>;
    pricetypes?: Record<string, TicketmaticPriceType>;
  };
}

/** Order status (https://www.ticketmatic.com/docs/api/types/Order): unconfirmed orders sold nothing yet. */
export const ORDER_STATUS = { unconfirmed: 21001, confirmed: 21002, archived: 21003 } as const;

/** A ticket of an order (https://www.ticketmatic.com/docs/api/types/OrderTicket), the fields read. */
export interface TicketmaticOrderTicket {
  id: number;
  orderid?: number;
  eventid: number;
  pricetypeid?: number;
  price?: number;
  servicecharge?: number;
  /** The contact holding this ticket, when not the customer. */
  ticketholderid?: number;
  /** Name on the ticket: personal, never kept. */
  ticketname?: string;
  /** 0 not scanned, 1 entered, 2 left (present when the account exports access control). */
  accesscontrolstatus?: number;
  [field: string]: unknown;
}

/** A contact (https://www.ticketmatic.com/docs/api/types/Contact): almost all of it is personal data. */
export interface TicketmaticContact {
  id: number;
  email?: string;
  firstname?: string;
  lastname?: string;
  birthdate?: string;
  addresses?: Array<{ zip?: string; countrycode?: string; street1?: string; street2?: string; city?: string; [field: string]: unknown }>;
  phonenumbers?: Array<{ number?: string; [field: string]: unknown }>;
  [field: string]: unknown;
}

/** An order (https://www.ticketmatic.com/docs/api/types/Order), the fields read. */
export interface TicketmaticOrder {
  orderid: number;
  code?: string;
  customerid?: number;
  saleschannelid?: number;
  status?: number;
  createdts?: TicketmaticTimestamp;
  lastupdatets?: TicketmaticTimestamp;
  tickets?: TicketmaticOrderTicket[];
  /** The customer, when the account's export embeds it. */
  customer?: TicketmaticContact;
  [field: string]: unknown;
}

/** GET /orders: a page of orders; with output=withlookup the contacts they name, by id. */
export interface TicketmaticOrderList {
  data: TicketmaticOrder[] | null;
  nbrofresults: number;
  lookup?: { contacts?: Record<string, TicketmaticContact> };
}

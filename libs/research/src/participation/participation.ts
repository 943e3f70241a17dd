/**
 * Price categories of a ticket. OSLO's PrijsCategorieType has `basis` and `tarief` only; the social
 * tariffs are concepts of our own scheme, narrower than `tarief` (libs/linked-data/src/concepts.ts, served at /id/concept/PrijsCategorieType).
 */
export const TICKET_PRICE_CATEGORIES = ['basis', 'tarief', 'kansentarief', 'uitpas', 'gratis'] as const;
export type TicketPriceCategory = (typeof TICKET_PRICE_CATEGORIES)[number];

export const SALES_CHANNELS = ['online', 'box-office', 'phone', 'reseller', 'other'] as const;
export type SalesChannel = (typeof SALES_CHANNELS)[number];

export const TICKET_STATUSES = ['sold', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * What is kept of a participant: never a name, address, contact or customer number. The pseudonym is a
 * keyed hash (HMAC) of the vendor's customer id or e-mail; without the operator's key it identifies nobody.
 */
export interface StrippedParticipant {
  pseudonym?: string;
  /** A number in [0,1) derived from the pseudonym: the participant's record key for cell-key perturbation. */
  cellKey?: number;
  birthYear?: number;
  /** Home municipality (REFNIS 2019) from the postcode or the statistical sector. */
  municipality?: string;
  /** Statistical sector if given (stored, never published below municipality). */
  statisticalSector?: string;
  /** Lives outside Belgium (ISO country), when the vendor says so. */
  country?: string;
}

/** One ticket (cp:Ticket of a cp:Transactie, giving the right to a cp:Deelname) after stripping. */
export interface StrippedTicket {
  /** The vendor's ticket id: with the source, the identity of the ticket (re-sent = updated, not doubled). */
  ticketId: string;
  transactionId?: string;
  /** The vendor's id of the performance (as pushed with the activity). */
  performance: string;
  soldAt: string;
  priceCategory: TicketPriceCategory;
  /** Price paid in cents (EUR). */
  priceCents: number;
  channel: SalesChannel;
  status: TicketStatus;
  /** Attendance (cp:Deelname took place): true scanned, false no-show, absent unknown. */
  attended?: boolean;
  /** The ticket's record key for cell-key perturbation, in [0,1). */
  cellKey: number;
  participant: StrippedParticipant;
}

/** A field that was not kept, and why (names only: the value is never repeated). */
export interface DroppedField {
  path: string;
  reason: 'personal-data' | 'reduced' | 'unknown-field';
}

/** An item's problem, in the shape of the ingest report's results. */
export interface ParticipationProblem {
  focusNode: string;
  path: string;
  severity: 'Violation';
  message: { nl: string; en: string };
  constraint: string;
}

/** What the api archives and the worker reads: the stripped form only. */
export interface StrippedItem {
  position: number;
  /** The ticket id as sent (for the report), if any. */
  externalId: string | null;
  ticket?: StrippedTicket;
  dropped: DroppedField[];
  problems: ParticipationProblem[];
}

export const STRIPPED_PAYLOAD_FORMAT = 'cdp-participation-stripped/1';

export interface StrippedPayload {
  format: typeof STRIPPED_PAYLOAD_FORMAT;
  /** How the vendor sent it: json, jsonld, turtle, ntriples, ticketmatic. */
  receivedFormat: string;
  items: StrippedItem[];
}


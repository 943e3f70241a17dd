import type { ConnectorCredentials, ConnectorSettings } from '../connector.js';
import { ORDER_OPTION_PROBLEMS, readOrderOptions, type TicketmaticOrderOptions } from './ticketmatic-orders.js';

/** A venue's address when Ticketmatic has none (or an incomplete one) for an event location. */
export interface LocationAddressOption {
  street?: string;
  houseNumber?: string;
  box?: string;
  postalCode: string;
  municipality: string;
  country?: string;
}

/** `settings.options` of a `ticketmatic` source, with defaults applied. */
export interface TicketmaticOptions {
  /** The account's short name, the {accountname} of every API path. */
  accountName: string;
  /** Events per request (`limit`). */
  pageSize: number;
  /** Base language of the account: untranslated fields are in this language. */
  language: string;
  /** Contingents whose seats count (contingent id or name); absent = all of them. */
  contingents?: Array<number | string>;
  /** Prices of this sales channel (sent as `context`); absent = the lowest price over all channels. */
  salesChannelId?: number;
  /** Price type ids that are social tariffs (UiTPAS, Paspartoe, ...): category `social`. */
  socialPriceTypes: number[];
  /** Event tags that mark the performance cancelled / postponed (Ticketmatic has no such status). */
  cancelledTags: string[];
  postponedTags: string[];
  /** Address per Ticketmatic location id, used when the location in the lookup has none. */
  locations: Record<string, LocationAddressOption>;
  /** Seconds each cycle re-reads before its start: covers clock skew and paging while records change. */
  overlapSeconds: number;
  /**
   * What an event's `externalcode` is the id of, when a house keeps, say, the UiTdatabank event id there:
   * a declared link for reconciliation ({sourceKind: "uitdatabank"} or {source: "<platform source id>"}).
   */
  externalCodeLinksTo?: { sourceKind?: string; source?: string };
  /** Also pull the orders' tickets into participation (research), with these mappings; absent = no orders lane. */
  orders?: TicketmaticOrderOptions;
}

export const TICKETMATIC_DEFAULTS = {
  pageSize: 100,
  language: 'nl',
  cancelledTags: ['geannuleerd', 'afgelast', 'cancelled'],
  postponedTags: ['uitgesteld', 'postponed'],
  overlapSeconds: 120,
} as const;

type Problem = { path: string; nl: string; en: string };

const ACCOUNT_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const LANGUAGE = /^[a-z]{2}$/;

/** Checks the options and credentials of a source; every problem in Dutch and English. */
export function checkTicketmaticSettings(settings: ConnectorSettings, credentials: ConnectorCredentials): Problem[] {
  const problems: Problem[] = [];
  const options = settings.options ?? {};
  const problem = (path: string, nl: string, en: string) => problems.push({ path, nl, en });

  try {
    const url = new URL(settings.baseUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('protocol');
  } catch {
    problem('/baseUrl', 'baseUrl moet een http(s)-URL zijn, bv. https://apps.ticketmatic.com.', 'baseUrl must be an http(s) URL, e.g. https://apps.ticketmatic.com.');
  }
  if (typeof options.accountName !== 'string' || !ACCOUNT_NAME.test(options.accountName)) {
    problem('/options/accountName', 'accountName (de korte accountnaam uit Ticketmatic, Instellingen > Accountparameters) ontbreekt of bevat ongeldige tekens.', 'accountName (the account short name from Ticketmatic, Settings > Account parameters) is missing or has invalid characters.');
  }
  if (options.pageSize !== undefined && !(Number.isInteger(options.pageSize) && (options.pageSize as number) >= 1 && (options.pageSize as number) <= 1000)) {
    problem('/options/pageSize', 'pageSize moet een geheel getal van 1 tot 1000 zijn.', 'pageSize must be an integer from 1 to 1000.');
  }
  if (options.language !== undefined && (typeof options.language !== 'string' || !LANGUAGE.test(options.language))) {
    problem('/options/language', 'language moet een taalcode van twee letters zijn (nl, fr, en, de).', 'language must be a two-letter language code (nl, fr, en, de).');
  }
  if (options.contingents !== undefined && !(Array.isArray(options.contingents) && options.contingents.every((entry) => Number.isInteger(entry) || (typeof entry === 'string' && entry.trim() !== '')))) {
    problem('/options/contingents', 'contingents moet een lijst van contingent-id’s of -namen zijn.', 'contingents must be a list of contingent ids or names.');
  }
  if (options.salesChannelId !== undefined && !Number.isInteger(options.salesChannelId)) {
    problem('/options/salesChannelId', 'salesChannelId moet het id van een verkoopkanaal zijn (geheel getal).', 'salesChannelId must be the id of a sales channel (an integer).');
  }
  if (options.socialPriceTypes !== undefined && !(Array.isArray(options.socialPriceTypes) && options.socialPriceTypes.every(Number.isInteger))) {
    problem('/options/socialPriceTypes', 'socialPriceTypes moet een lijst van prijstype-id’s zijn.', 'socialPriceTypes must be a list of price type ids.');
  }
  for (const key of ['cancelledTags', 'postponedTags'] as const) {
    const value = options[key];
    if (value !== undefined && !(Array.isArray(value) && value.every((tag) => typeof tag === 'string'))) {
      problem(`/options/${key}`, `${key} moet een lijst van tags (tekst) zijn.`, `${key} must be a list of tags (strings).`);
    }
  }
  if (options.overlapSeconds !== undefined && !(Number.isInteger(options.overlapSeconds) && (options.overlapSeconds as number) >= 0 && (options.overlapSeconds as number) <= 86_400)) {
    problem('/options/overlapSeconds', 'overlapSeconds moet een geheel getal van 0 tot 86400 zijn.', 'overlapSeconds must be an integer from 0 to 86400.');
  }
  if (options.externalCodeLinksTo !== undefined) {
    const target = options.externalCodeLinksTo as { sourceKind?: unknown; source?: unknown } | null;
    const valid =
      typeof target === 'object' && target !== null && !Array.isArray(target) &&
      (typeof target.sourceKind === 'string' || typeof target.source === 'string') &&
      Object.keys(target).every((key) => key === 'sourceKind' || key === 'source');
    if (!valid) {
      problem(
        '/options/externalCodeLinksTo',
        'externalCodeLinksTo moet {"sourceKind": "uitdatabank"} of {"source": "<bron-id>"} zijn: waar de externalcode van een event het id van is.',
        'externalCodeLinksTo must be {"sourceKind": "uitdatabank"} or {"source": "<source id>"}: what an event\'s externalcode is the id of.',
      );
    }
  }
  if (options.locations !== undefined) {
    if (typeof options.locations !== 'object' || options.locations === null || Array.isArray(options.locations)) {
      problem('/options/locations', 'locations moet een object zijn: Ticketmatic-locatie-id -> adres.', 'locations must be an object: Ticketmatic location id -> address.');
    } else {
      for (const [id, address] of Object.entries(options.locations as Record<string, unknown>)) {
        const candidate = address as Partial<LocationAddressOption> | null;
        if (typeof candidate !== 'object' || candidate === null || typeof candidate.postalCode !== 'string' || typeof candidate.municipality !== 'string') {
          problem(`/options/locations/${id}`, `Het adres van locatie ${id} heeft minstens postalCode en municipality nodig.`, `The address of location ${id} needs at least postalCode and municipality.`);
        }
      }
    }
  }
  problems.push(...ORDER_OPTION_PROBLEMS(options.orders));
  for (const key of ['accessKey', 'secretKey']) {
    if (typeof credentials[key] !== 'string' || credentials[key].trim() === '') {
      problem(`/credentials/${key}`, `De API-sleutel ${key} ontbreekt (aan te vragen bij Ticketmatic support).`, `The API key ${key} is missing (request it from Ticketmatic support).`);
    }
  }
  return problems;
}

/** The options with defaults; call after checkTicketmaticSettings found nothing. */
export function readTicketmaticOptions(settings: ConnectorSettings): TicketmaticOptions {
  const options = settings.options ?? {};
  return {
    accountName: String(options.accountName ?? ''),
    pageSize: typeof options.pageSize === 'number' ? options.pageSize : TICKETMATIC_DEFAULTS.pageSize,
    language: typeof options.language === 'string' ? options.language : TICKETMATIC_DEFAULTS.language,
    contingents: Array.isArray(options.contingents) ? (options.contingents as Array<number | string>) : undefined,
    salesChannelId: typeof options.salesChannelId === 'number' ? options.salesChannelId : undefined,
    socialPriceTypes: Array.isArray(options.socialPriceTypes) ? (options.socialPriceTypes as number[]) : [],
    cancelledTags: Array.isArray(options.cancelledTags) ? (options.cancelledTags as string[]) : [...TICKETMATIC_DEFAULTS.cancelledTags],
    postponedTags: Array.isArray(options.postponedTags) ? (options.postponedTags as string[]) : [...TICKETMATIC_DEFAULTS.postponedTags],
    locations: typeof options.locations === 'object' && options.locations !== null ? (options.locations as Record<string, LocationAddressOption>) : {},
    overlapSeconds: typeof options.overlapSeconds === 'number' ? options.overlapSeconds : TICKETMATIC_DEFAULTS.overlapSeconds,
    externalCodeLinksTo:
      typeof options.externalCodeLinksTo === 'object' && options.externalCodeLinksTo !== null ? (options.externalCodeLinksTo as { sourceKind?: string; source?: string }) : undefined,
    orders: readOrderOptions(options.orders),
  };
}

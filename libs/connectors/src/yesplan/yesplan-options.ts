import { SUPPORTED_LANGUAGES, type Address, type LangString } from '@platform/domain';
import type { ConnectorCredentials, ConnectorSettings } from '../connector.js';

/** Where a Yesplan location is, for the public: Yesplan keeps rooms, not postal addresses. */
export interface YesplanLocationSetting {
  /** Public name of the place (e.g. "Vooruit - Theaterzaal"); default: the location's name in Yesplan. */
  name?: LangString;
  address: Address;
}

/** `settings.options` of a `yesplan` source, with their defaults filled in. */
export interface YesplanOptions {
  /** The pass covers events from this many days before today ... */
  daysBack: number;
  /** ... up to this many days after today (Europe/Brussels dates). */
  daysAhead: number;
  /** Events per page (the API's `limit`). */
  pageSize: number;
  /** The date query; `{from}` and `{to}` become dd-mm-yyyy. */
  dateQuery: string;
  /** Appended to the date query (intersection), e.g. `event:profile:Voorstelling`. */
  extraQuery?: string;
  /** Custom-data keywords holding the capacity, in order of preference (first with a value wins). */
  capacityKeywords: string[];
  /** Custom-data keywords holding the seats still for sale, in order of preference. */
  remainingKeywords: string[];
  /** Event status names (or ids) that mean the performance is cancelled. Case-insensitive. */
  cancelledStatuses: string[];
  /** Event status names (or ids) that mean the performance is postponed. */
  postponedStatuses: string[];
  /** When set, only events with one of these statuses are published (cancelled ones always are). */
  includeStatuses?: string[];
  /** When set, only events with one of these profiles are published (e.g. no rehearsals). */
  includeProfiles?: string[];
  /** Location id -> public name and address. */
  locations: Record<string, YesplanLocationSetting>;
  /** Address for a location missing from `locations` (a house with one building). */
  defaultAddress?: Address;
  /** Language of the event and location names (Yesplan names are not translated). */
  titleLanguage: string;
  /** Use the event's default schedule (public times) when present instead of the planning times. */
  useDefaultSchedule: boolean;
  /**
   * A custom-data keyword holding the id of the same event in another source (e.g. its UiTdatabank id),
   * and what it is the id of: a declared link for reconciliation.
   */
  linkKeyword?: string;
  linkTo?: { sourceKind?: string; source?: string };
}

export const DEFAULT_YESPLAN_OPTIONS = {
  daysBack: 7,
  daysAhead: 365,
  pageSize: 50,
  dateQuery: 'event:date:{from} TO {to}',
  cancelledStatuses: ['geannuleerd', 'cancelled', 'canceled', 'annulé', 'afgelast'],
  postponedStatuses: ['uitgesteld', 'postponed', 'reporté'],
  titleLanguage: 'nl',
  useDefaultSchedule: true,
} as const;

export interface SettingsProblem {
  path: string;
  nl: string;
  en: string;
}

export interface ReadOptions {
  options: YesplanOptions;
  problems: SettingsProblem[];
}

function problem(path: string, nl: string, en: string): SettingsProblem {
  return { path, nl, en };
}

function readInteger(raw: unknown, path: string, fallback: number, min: number, max: number, problems: SettingsProblem[]): number {
  if (raw === undefined) return fallback;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < min || raw > max) {
    problems.push(problem(path, `${path} moet een geheel getal van ${min} tot ${max} zijn.`, `${path} must be a whole number from ${min} to ${max}.`));
    return fallback;
  }
  return raw;
}

function readStrings(raw: unknown, path: string, fallback: readonly string[] | undefined, problems: SettingsProblem[]): string[] | undefined {
  if (raw === undefined) return fallback ? [...fallback] : undefined;
  // One keyword is as good as a list of one.
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list) || list.some((entry) => typeof entry !== 'string' || entry.trim() === '')) {
    problems.push(problem(path, `${path} moet een lijst van niet-lege teksten zijn.`, `${path} must be a list of non-empty strings.`));
    return fallback ? [...fallback] : undefined;
  }
  return list.map((entry: string) => entry.trim());
}

function readAddress(raw: unknown, path: string, problems: SettingsProblem[]): Address | undefined {
  const address = raw as Partial<Address> | undefined;
  const municipality = address?.municipality;
  const hasMunicipality =
    municipality !== undefined && typeof municipality === 'object' && Object.values(municipality).some((name) => typeof name === 'string' && name.trim() !== '');
  if (!address || typeof address !== 'object' || typeof address.postalCode !== 'string' || address.postalCode.trim() === '' || !hasMunicipality) {
    problems.push(
      problem(
        path,
        `${path} moet een adres zijn met minstens postalCode en municipality (per taal), bv. {"street":"Sint-Pietersnieuwstraat","houseNumber":"23","postalCode":"9000","municipality":{"nl":"Gent"}}.`,
        `${path} must be an address with at least postalCode and municipality (per language), e.g. {"street":"Sint-Pietersnieuwstraat","houseNumber":"23","postalCode":"9000","municipality":{"nl":"Gent"}}.`,
      ),
    );
    return undefined;
  }
  const result: Address = { postalCode: address.postalCode.trim(), municipality: municipality as LangString };
  for (const field of ['street', 'houseNumber', 'box', 'country'] as const) {
    const value = address[field];
    if (typeof value === 'string' && value.trim() !== '') result[field] = value.trim();
  }
  return result;
}

/** Reads and checks `settings.options`; unknown or wrong values are problems, the defaults stand in for them. */
export function readYesplanOptions(settings: Pick<ConnectorSettings, 'options'>): ReadOptions {
  const raw = (settings.options ?? {}) as Record<string, unknown>;
  const problems: SettingsProblem[] = [];
  const daysBack = readInteger(raw.daysBack, 'options.daysBack', DEFAULT_YESPLAN_OPTIONS.daysBack, 0, 3660, problems);
  const daysAhead = readInteger(raw.daysAhead, 'options.daysAhead', DEFAULT_YESPLAN_OPTIONS.daysAhead, 1, 3660, problems);
  const pageSize = readInteger(raw.pageSize, 'options.pageSize', DEFAULT_YESPLAN_OPTIONS.pageSize, 1, 100, problems);

  let dateQuery: string = DEFAULT_YESPLAN_OPTIONS.dateQuery;
  if (raw.dateQuery !== undefined) {
    if (typeof raw.dateQuery !== 'string' || !raw.dateQuery.includes('{from}') || !raw.dateQuery.includes('{to}')) {
      problems.push(problem('options.dateQuery', 'options.dateQuery moet {from} en {to} bevatten.', 'options.dateQuery must contain {from} and {to}.'));
    } else dateQuery = raw.dateQuery;
  }
  let extraQuery: string | undefined;
  if (raw.extraQuery !== undefined) {
    if (typeof raw.extraQuery !== 'string') problems.push(problem('options.extraQuery', 'options.extraQuery moet een tekst zijn.', 'options.extraQuery must be a string.'));
    else if (raw.extraQuery.trim() !== '') extraQuery = raw.extraQuery.trim();
  }

  const locations: Record<string, YesplanLocationSetting> = {};
  if (raw.locations !== undefined) {
    if (!raw.locations || typeof raw.locations !== 'object' || Array.isArray(raw.locations)) {
      problems.push(problem('options.locations', 'options.locations moet een object zijn: Yesplan-locatie-id -> {name?, address}.', 'options.locations must be an object: Yesplan location id -> {name?, address}.'));
    } else {
      for (const [locationId, entry] of Object.entries(raw.locations as Record<string, unknown>)) {
        const path = `options.locations.${locationId}`;
        const setting = entry as { name?: unknown; address?: unknown } | null;
        const address = readAddress(setting?.address, `${path}.address`, problems);
        if (!address) continue;
        const name = setting?.name;
        if (name !== undefined && (typeof name !== 'object' || name === null || !Object.values(name).some((text) => typeof text === 'string' && text !== ''))) {
          problems.push(problem(`${path}.name`, `${path}.name moet tekst per taal zijn, bv. {"nl":"Theaterzaal"}.`, `${path}.name must be text per language, e.g. {"nl":"Theaterzaal"}.`));
        }
        locations[locationId] = { address, ...(name && typeof name === 'object' ? { name: name as LangString } : {}) };
      }
    }
  }
  const defaultAddress = raw.defaultAddress === undefined ? undefined : readAddress(raw.defaultAddress, 'options.defaultAddress', problems);

  let titleLanguage: string = DEFAULT_YESPLAN_OPTIONS.titleLanguage;
  if (raw.titleLanguage !== undefined) {
    if (typeof raw.titleLanguage !== 'string' || !(SUPPORTED_LANGUAGES as readonly string[]).includes(raw.titleLanguage)) {
      problems.push(problem('options.titleLanguage', `options.titleLanguage moet een van ${SUPPORTED_LANGUAGES.join(', ')} zijn.`, `options.titleLanguage must be one of ${SUPPORTED_LANGUAGES.join(', ')}.`));
    } else titleLanguage = raw.titleLanguage;
  }
  let useDefaultSchedule: boolean = DEFAULT_YESPLAN_OPTIONS.useDefaultSchedule;
  if (raw.useDefaultSchedule !== undefined) {
    if (typeof raw.useDefaultSchedule !== 'boolean') problems.push(problem('options.useDefaultSchedule', 'options.useDefaultSchedule moet true of false zijn.', 'options.useDefaultSchedule must be true or false.'));
    else useDefaultSchedule = raw.useDefaultSchedule;
  }

  let linkKeyword: string | undefined;
  let linkTo: { sourceKind?: string; source?: string } | undefined;
  if (raw.linkKeyword !== undefined || raw.linkTo !== undefined) {
    const target = raw.linkTo as { sourceKind?: unknown; source?: unknown } | null | undefined;
    const validTarget =
      typeof target === 'object' && target !== null && !Array.isArray(target) &&
      (typeof target.sourceKind === 'string' || typeof target.source === 'string') &&
      Object.keys(target).every((key) => key === 'sourceKind' || key === 'source');
    if (typeof raw.linkKeyword !== 'string' || raw.linkKeyword.trim() === '' || !validTarget) {
      problems.push(
        problem(
          'options.linkKeyword',
          'options.linkKeyword (het custom-data-sleutelwoord met het id) en options.linkTo ({"sourceKind": "uitdatabank"} of {"source": "<bron-id>"}) horen samen.',
          'options.linkKeyword (the custom-data keyword holding the id) and options.linkTo ({"sourceKind": "uitdatabank"} or {"source": "<source id>"}) go together.',
        ),
      );
    } else {
      linkKeyword = raw.linkKeyword.trim();
      linkTo = target as { sourceKind?: string; source?: string };
    }
  }

  const options: YesplanOptions = {
    linkKeyword,
    linkTo,
    daysBack,
    daysAhead,
    pageSize,
    dateQuery,
    extraQuery,
    capacityKeywords: readStrings(raw.capacityKeywords, 'options.capacityKeywords', [], problems) ?? [],
    remainingKeywords: readStrings(raw.remainingKeywords, 'options.remainingKeywords', [], problems) ?? [],
    cancelledStatuses: readStrings(raw.cancelledStatuses, 'options.cancelledStatuses', DEFAULT_YESPLAN_OPTIONS.cancelledStatuses, problems) ?? [],
    postponedStatuses: readStrings(raw.postponedStatuses, 'options.postponedStatuses', DEFAULT_YESPLAN_OPTIONS.postponedStatuses, problems) ?? [],
    includeStatuses: readStrings(raw.includeStatuses, 'options.includeStatuses', undefined, problems),
    includeProfiles: readStrings(raw.includeProfiles, 'options.includeProfiles', undefined, problems),
    locations,
    defaultAddress,
    titleLanguage,
    useDefaultSchedule,
  };
  if (options.remainingKeywords.length > 0 && options.capacityKeywords.length === 0) {
    problems.push(
      problem(
        'options.remainingKeywords',
        'options.remainingKeywords zonder options.capacityKeywords: resterende plaatsen hebben een capaciteit nodig.',
        'options.remainingKeywords without options.capacityKeywords: remaining seats need a capacity.',
      ),
    );
  }
  return { options, problems };
}

/** The installation's root (`https://theater.yesplan.be`), from `baseUrl` with or without `/api`. */
export function installationRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/api$/, '');
}

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** All problems of a source's settings and credentials (shown when the source is configured). */
export function checkYesplanSettings(settings: ConnectorSettings, credentials: ConnectorCredentials): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  let url: URL | undefined;
  try {
    url = new URL(settings.baseUrl);
  } catch {
    problems.push(problem('baseUrl', 'baseUrl is geen URL; verwacht bv. https://theater.yesplan.be.', 'baseUrl is not a URL; expected e.g. https://theater.yesplan.be.'));
  }
  // The API key travels in the query string: never over plain HTTP to another machine.
  if (url && url.protocol !== 'https:' && !(url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))) {
    problems.push(problem('baseUrl', 'baseUrl moet https gebruiken (de API-sleutel staat in de URL).', 'baseUrl must use https (the API key is part of the URL).'));
  }
  if (typeof credentials.apiKey !== 'string' || credentials.apiKey.trim() === '') {
    problems.push(problem('credentials.apiKey', 'credentials.apiKey ontbreekt: maak een API-sleutel aan in Yesplan.', 'credentials.apiKey is missing: create an API key in Yesplan.'));
  }
  return [...problems, ...readYesplanOptions(settings).problems];
}

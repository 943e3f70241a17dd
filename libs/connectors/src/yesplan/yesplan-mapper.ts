import type { Activity, ItemProblem, LangString, Performance, PerformanceStatus, Place } from '@platform/domain';
import type { FetchedResponse } from '../connector.js';
import { mappingProblem, type MappedItem } from '../mapped-item.js';
import type { YesplanOptions } from './yesplan-options.js';
import type { YesplanCustomData, YesplanCustomDataNode, YesplanEvent, YesplanEventList, YesplanLocation, YesplanRef } from './raw-types.js';

/** The documents of one page, sorted by what they are (recognised by their URL path). */
export interface YesplanPageDocuments {
  /** Events in the order they came (list pages first, then single events), each id once (the last wins). */
  events: YesplanEvent[];
  locations: Map<string, YesplanLocation>;
  customData: Map<string, YesplanCustomData>;
  /** Responses that could not be read (not JSON): reported, never thrown. */
  unreadable: MappedItem[];
}

const LIST_PATH = /\/api\/events(\/|$)/;
const CUSTOM_DATA_PATH = /\/api\/event\/([^/]+)\/customdata$/;
const EVENT_PATH = /\/api\/event\/([^/]+)$/;
const LOCATION_PATH = /\/api\/location\/([^/]+)$/;

export function readPageDocuments(responses: FetchedResponse[]): YesplanPageDocuments {
  const events = new Map<string, YesplanEvent>();
  const withoutId: YesplanEvent[] = [];
  const locations = new Map<string, YesplanLocation>();
  const customData = new Map<string, YesplanCustomData>();
  const unreadable: MappedItem[] = [];
  const addEvent = (event: YesplanEvent) => {
    if (typeof event?.id === 'string' && event.id !== '') {
      events.delete(event.id);
      events.set(event.id, event);
    } else withoutId.push(event);
  };
  for (const response of responses) {
    let document: unknown;
    try {
      document = JSON.parse(response.body.toString('utf8'));
    } catch (error) {
      unreadable.push({
        type: 'invalid',
        externalId: null,
        problems: [
          mappingProblem(
            '/',
            `Het Yesplan-antwoord van ${response.url} is geen JSON (${(error as Error).message}).`,
            `The Yesplan response of ${response.url} is not JSON (${(error as Error).message}).`,
          ),
        ],
      });
      continue;
    }
    const path = pathOf(response.url);
    let match: RegExpExecArray | null;
    if ((match = CUSTOM_DATA_PATH.exec(path))) customData.set(decodeURIComponent(match[1]), document as YesplanCustomData);
    else if ((match = LOCATION_PATH.exec(path))) locations.set(decodeURIComponent(match[1]), document as YesplanLocation);
    else if (EVENT_PATH.test(path)) addEvent(document as YesplanEvent);
    else if (LIST_PATH.test(path)) {
      const data = (document as YesplanEventList).data;
      if (Array.isArray(data)) data.forEach(addEvent);
    }
  }
  return { events: [...withoutId, ...events.values()], locations, customData, unreadable };
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname.replace(/\/+$/, '');
  } catch {
    return url;
  }
}

function matches(ref: YesplanRef | null | undefined, names: readonly string[]): boolean {
  if (!ref) return false;
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  return [ref.name, ref.id].some((value) => typeof value === 'string' && wanted.has(value.toLowerCase()));
}

/**
 * Whether an event is meant for the public: its status (when `includeStatuses` is set; cancelled events
 * always pass so that a published performance can be shown as cancelled) and its profile (when
 * `includeProfiles` is set, e.g. only "Voorstelling", no rehearsals or build-up).
 */
export function isPublished(event: YesplanEvent, options: YesplanOptions): boolean {
  if (options.includeStatuses && !matches(event.status, options.includeStatuses) && !matches(event.status, options.cancelledStatuses)) return false;
  if (options.includeProfiles && !matches(event.profile, options.includeProfiles)) return false;
  return true;
}

export function performanceStatus(event: YesplanEvent, options: YesplanOptions): PerformanceStatus {
  if (matches(event.status, options.cancelledStatuses)) return 'cancelled';
  if (matches(event.status, options.postponedStatuses)) return 'postponed';
  return 'scheduled';
}

/** The location an event's place comes from: the first of its locations. */
export function firstLocationId(event: YesplanEvent): string | undefined {
  const first = Array.isArray(event.locations) ? event.locations[0] : undefined;
  return typeof first?.id === 'string' && first.id !== '' ? first.id : undefined;
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

function isDateTime(value: unknown): value is string {
  return typeof value === 'string' && ISO_WITH_OFFSET.test(value) && !Number.isNaN(Date.parse(value));
}

/** Every field with this keyword anywhere in the custom-data tree (groups nest sub-groups). */
function customDataValue(nodes: YesplanCustomDataNode[] | undefined, keyword: string): { found: boolean; value: unknown } {
  for (const node of nodes ?? []) {
    if (node?.keyword === keyword && !Array.isArray(node.children)) return { found: true, value: node.value };
    const inner = customDataValue(node?.children, keyword);
    if (inner.found) return inner;
  }
  return { found: false, value: undefined };
}

type SeatCount = { kind: 'absent' } | { kind: 'count'; value: number; keyword: string } | { kind: 'wrong'; value: unknown; keyword: string };

/** The first configured keyword with a value; a value that is not a whole number of seats is wrong. */
function seatCount(customData: YesplanCustomData | undefined, keywords: string[]): SeatCount {
  for (const keyword of keywords) {
    const { found, value } = customDataValue(customData?.groups, keyword);
    if (!found || value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) continue;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return { kind: 'count', value, keyword };
    // Custom data fields of type text hold numbers as text ("450", "1 200").
    if (typeof value === 'string' && /^\d+$/.test(value.replace(/[\s.]/g, ''))) return { kind: 'count', value: Number(value.replace(/[\s.]/g, '')), keyword };
    return { kind: 'wrong', value, keyword };
  }
  return { kind: 'absent' };
}

function describe(event: YesplanEvent): { nl: string; en: string } {
  const name = typeof event.name === 'string' && event.name !== '' ? ` "${event.name}"` : '';
  const id = typeof event.id === 'string' && event.id !== '' ? ` ${event.id}` : ' zonder id';
  return { nl: `Yesplan-evenement${id}${name}`, en: `Yesplan event${id === ' zonder id' ? ' without id' : id}${name}` };
}

/** One Yesplan event as platform items: an activity with one performance (+ its seat counts), a withdrawal, or an invalid item. */
export function mapEvent(event: YesplanEvent, documents: Pick<YesplanPageDocuments, 'locations' | 'customData'>, options: YesplanOptions): MappedItem[] {
  const what = describe(event);
  const problems: ItemProblem[] = [];
  const externalId = typeof event.id === 'string' && event.id !== '' ? event.id : null;
  if (!externalId) problems.push(mappingProblem('/id', `${what.nl} heeft geen id.`, `${what.en} has no id.`));
  if (externalId && !isPublished(event, options)) return [{ type: 'deletion', externalId, entity: 'activity' }];

  const language = options.titleLanguage;
  const name = typeof event.name === 'string' ? event.name.trim() : '';
  if (name === '') problems.push(mappingProblem('/name', `${what.nl} heeft geen naam (titel).`, `${what.en} has no name (title).`));

  // The default schedule holds the public times; starttime/endtime often include build-up and breakdown.
  const fromSchedule = options.useDefaultSchedule && isDateTime(event.defaultschedulestart);
  const start = fromSchedule ? event.defaultschedulestart : event.starttime;
  const end = fromSchedule ? event.defaultscheduleend : event.endtime;
  const startPath = fromSchedule ? '/defaultschedulestart' : '/starttime';
  const endPath = fromSchedule ? '/defaultscheduleend' : '/endtime';
  if (!isDateTime(start)) {
    problems.push(
      mappingProblem(
        startPath,
        `${what.nl}: begintijd ${JSON.stringify(start ?? null)} is geen ISO 8601-tijdstip met tijdzone.`,
        `${what.en}: start time ${JSON.stringify(start ?? null)} is not an ISO 8601 date-time with offset.`,
      ),
    );
  }
  const hasEnd = end !== undefined && end !== null && end !== '';
  if (hasEnd && !isDateTime(end)) {
    problems.push(mappingProblem(endPath, `${what.nl}: eindtijd ${JSON.stringify(end)} is geen ISO 8601-tijdstip met tijdzone.`, `${what.en}: end time ${JSON.stringify(end)} is not an ISO 8601 date-time with offset.`));
  } else if (hasEnd && isDateTime(start) && Date.parse(end as string) < Date.parse(start)) {
    problems.push(mappingProblem(endPath, `${what.nl}: eindtijd ${end} ligt voor begintijd ${start}.`, `${what.en}: end time ${end} is before start time ${start}.`));
  }

  const place = placeOf(event, documents.locations, options, what, problems);

  let availability: MappedItem | undefined;
  if (externalId && options.capacityKeywords.length > 0) {
    const customData = documents.customData.get(externalId);
    const capacity = seatCount(customData, options.capacityKeywords);
    const remaining = seatCount(customData, options.remainingKeywords);
    for (const count of [capacity, remaining]) {
      if (count.kind === 'wrong') {
        problems.push(
          mappingProblem(
            `/customdata/${count.keyword}`,
            `${what.nl}: custom data ${count.keyword} = ${JSON.stringify(count.value)} is geen aantal plaatsen (geheel getal >= 0).`,
            `${what.en}: custom data ${count.keyword} = ${JSON.stringify(count.value)} is not a number of seats (whole number >= 0).`,
          ),
        );
      }
    }
    if (capacity.kind === 'count' && remaining.kind === 'count' && remaining.value > capacity.value) {
      problems.push(
        mappingProblem(
          `/customdata/${remaining.keyword}`,
          `${what.nl}: ${remaining.value} resterende plaatsen (${remaining.keyword}) is meer dan de capaciteit ${capacity.value} (${capacity.keyword}).`,
          `${what.en}: ${remaining.value} remaining seats (${remaining.keyword}) is more than the capacity ${capacity.value} (${capacity.keyword}).`,
        ),
      );
    }
    if (capacity.kind === 'count' || remaining.kind === 'count') {
      availability = {
        type: 'availability',
        performanceId: externalId,
        ...(capacity.kind === 'count' ? { capacity: capacity.value } : {}),
        ...(remaining.kind === 'count' ? { remaining: remaining.value } : {}),
      };
    }
  }

  if (problems.length > 0 || !externalId || !place) return [{ type: 'invalid', externalId, problems }];
  // The performance carries the Yesplan event id too: ticketing systems linked to Yesplan know that id.
  const performance: Performance = { externalId, start: start as string, status: performanceStatus(event, options) };
  if (hasEnd) performance.end = end as string;
  const title: LangString = { [language]: name };
  const activity: Activity = { externalId, title, place, performances: [performance], prices: [] };
  // The planner's own note of the same event elsewhere (e.g. its UiTdatabank id): reconciliation links by it.
  if (options.linkKeyword && options.linkTo) {
    const { found, value } = customDataValue(documents.customData.get(externalId)?.groups, options.linkKeyword);
    if (found && typeof value === 'string' && value.trim() !== '') activity.links = [{ ...options.linkTo, externalId: value.trim() }];
  }
  const items: MappedItem[] = [{ type: 'activity', externalId, activity }];
  if (availability) items.push(availability);
  return items;
}

function placeOf(
  event: YesplanEvent,
  locations: Map<string, YesplanLocation>,
  options: YesplanOptions,
  what: { nl: string; en: string },
  problems: ItemProblem[],
): Place | undefined {
  const locationId = firstLocationId(event);
  if (!locationId) {
    problems.push(mappingProblem('/locations', `${what.nl} heeft geen locatie: een activiteit heeft een plaats nodig.`, `${what.en} has no location: an activity needs a place.`));
    return undefined;
  }
  const reference = (event.locations ?? [])[0];
  const document = locations.get(locationId);
  const yesplanName = [document?.name, reference?.name].find((candidate): candidate is string => typeof candidate === 'string' && candidate.trim() !== '');
  const setting = options.locations[locationId];
  const address = setting?.address ?? options.defaultAddress;
  const shown = yesplanName ? `${locationId} ("${yesplanName}")` : locationId;
  if (!address) {
    problems.push(
      mappingProblem(
        '/locations/0',
        `${what.nl}: locatie ${shown} heeft geen adres. Yesplan houdt geen adressen bij: geef het op in options.locations.${locationId}.address of options.defaultAddress van de bron.`,
        `${what.en}: location ${shown} has no address. Yesplan keeps no addresses: set it in the source's options.locations.${locationId}.address or options.defaultAddress.`,
      ),
    );
    return undefined;
  }
  const name: LangString | undefined = setting?.name ?? (yesplanName ? { [options.titleLanguage]: yesplanName.trim() } : undefined);
  if (!name) {
    problems.push(
      mappingProblem(
        '/locations/0/name',
        `${what.nl}: locatie ${locationId} heeft geen naam; geef er een op in options.locations.${locationId}.name.`,
        `${what.en}: location ${locationId} has no name; set one in options.locations.${locationId}.name.`,
      ),
    );
    return undefined;
  }
  return { externalId: locationId, name, address };
}

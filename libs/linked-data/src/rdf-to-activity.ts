import type {
  Activity,
  Address,
  ContactPoint,
  DayOfWeek,
  MediaObject,
  OpeningHours,
  Video,
  Availability,
  CalendarType,
  AvailabilityLevel,
  BookingInfo,
  ConceptRef,
  GeoPoint,
  LangString,
  Organizer,
  Performance,
  PerformanceStatus,
  Place,
  Price,
} from '@platform/domain';
import { availabilityLevelFor } from '@platform/domain';
import type { Quad, Term } from '@rdfjs/types';
import { normalizeQuads } from './prefixes.js';
import {
  ATTENDANCE_MODE_IRIS,
  AUDIENCE_TYPE_IRIS,
  AVAILABILITY_LEVEL_IRIS,
  DAY_OF_WEEK_IRIS,
  LABEL_TYPE_IRIS,
  PERFORMANCE_STATUS_IRIS,
  PRICE_CATEGORY_IRIS,
  reverseLookup,
  TERMS,
} from './vocabulary.js';

export interface MappingError {
  /** Path in the domain model, e.g. `performances[0].start`. */
  path: string;
  message: { nl: string; en: string };
}

export interface MappedActivity {
  /** IRI (or `_:label`) of the top-level activity node. */
  subject: string;
  /** Present when the node maps onto the domain model without errors. */
  activity?: Activity;
  errors: MappingError[];
}

/**
 * A place or organizer the document names but does not describe (UiTdatabank names an event's place by
 * IRI only): the pipeline takes it from the same batch or from what the source stored before.
 */
export interface RdfReference {
  /** The IRI the document names it by (absent for a blank node that carries an identifier). */
  iri?: string;
  /** The source's own id, when the reference node carries an adms:identifier. */
  externalId?: string;
}

/** An activity as read from RDF: its place may still be a reference. */
export type RdfActivity = Omit<Activity, 'place'> & { place?: Place };

/** One item of an RDF document: a top-level activity, or a place or organizer described on its own. */
export type RdfItem =
  | { kind: 'activity'; subject: string; activity?: RdfActivity; placeRef?: RdfReference; organizerRef?: RdfReference; errors: MappingError[] }
  | { kind: 'place'; subject: string; place?: Place; errors: MappingError[] }
  | { kind: 'organizer'; subject: string; organizer?: Organizer; errors: MappingError[] };

/** Untagged literals for language-tagged OSLO properties are read as Dutch (the profile's main language). */
const DEFAULT_LANGUAGE = 'nl';

function termKey(term: Term): string {
  return term.termType === 'BlankNode' ? `_:${term.value}` : term.value;
}

/** Subject -> predicate -> objects, built once per document. */
class GraphIndex {
  private readonly bySubject = new Map<string, Map<string, Term[]>>();
  private readonly bySubjectOfObject = new Map<string, Array<{ subject: Term; predicate: string }>>();

  constructor(quads: Quad[]) {
    for (const quad of quads) {
      const subjectKey = termKey(quad.subject);
      let predicates = this.bySubject.get(subjectKey);
      if (!predicates) {
        predicates = new Map();
        this.bySubject.set(subjectKey, predicates);
      }
      const objects = predicates.get(quad.predicate.value);
      // The same triple in two named graphs (N-Quads) is one statement.
      if (objects) {
        if (!objects.some((known) => known.equals(quad.object))) objects.push(quad.object);
      } else predicates.set(quad.predicate.value, [quad.object]);
      if (quad.object.termType !== 'Literal') {
        const incoming = this.bySubjectOfObject.get(termKey(quad.object)) ?? [];
        incoming.push({ subject: quad.subject, predicate: quad.predicate.value });
        this.bySubjectOfObject.set(termKey(quad.object), incoming);
      }
    }
  }

  subjects(): string[] {
    return [...this.bySubject.keys()];
  }

  /** Whether the document says anything about the node (a reference only is the object of triples). */
  describes(subject: string): boolean {
    return this.bySubject.has(subject);
  }

  objects(subject: string, predicate: string): Term[] {
    return this.bySubject.get(subject)?.get(predicate) ?? [];
  }

  first(subject: string, predicate: string): Term | undefined {
    return this.objects(subject, predicate)[0];
  }

  node(subject: string, predicate: string): string | undefined {
    const object = this.objects(subject, predicate).find((term) => term.termType !== 'Literal');
    return object ? termKey(object) : undefined;
  }

  nodes(subject: string, predicate: string): string[] {
    return this.objects(subject, predicate)
      .filter((term) => term.termType !== 'Literal')
      .map(termKey);
  }

  literal(subject: string, predicate: string): string | undefined {
    return this.objects(subject, predicate).find((term) => term.termType === 'Literal')?.value;
  }

  hasType(subject: string, type: string): boolean {
    return this.objects(subject, TERMS.type).some((term) => term.value === type);
  }

  incoming(object: string, predicate: string): string[] {
    return (this.bySubjectOfObject.get(object) ?? []).filter((edge) => edge.predicate === predicate).map((edge) => termKey(edge.subject));
  }

  langString(subject: string, predicate: string): LangString | undefined {
    const result: LangString = {};
    let found = false;
    for (const term of this.objects(subject, predicate)) {
      if (term.termType !== 'Literal') continue;
      const language = term.language ? term.language.toLowerCase() : DEFAULT_LANGUAGE;
      if (result[language] === undefined) {
        result[language] = term.value;
        found = true;
      }
    }
    return found ? result : undefined;
  }
}

function error(path: string, nl: string, en: string): MappingError {
  return { path, message: { nl, en } };
}

function isTopLevelActivity(index: GraphIndex, subject: string): boolean {
  return (
    index.hasType(subject, TERMS.Activiteit) &&
    index.objects(subject, TERMS.superactiviteit).length === 0 &&
    index.incoming(subject, TERMS.subactiviteit).length === 0
  );
}

/**
 * Reads OSLO Cultuurparticipatie RDF (any known IRI variant, any modelling the profile allows) into
 * items: one per top-level crm:E7_Activity (one that is nobody's sub-activity), and one per
 * dcterms:Location or cp:Organisator described on its own (not the place or organizer of an activity of
 * the document, which travels with it). Graphs of N-Quads / TriG are ignored: a triple means the same in
 * every graph.
 */
// No source is needed to read: identities are derived from (source, externalId) when stored.
export function quadsToItems(quads: Quad[]): RdfItem[] {
  const index = new GraphIndex(normalizeQuads(quads));
  const subjects = index.subjects();
  const activities = new Map<string, RdfItem>();
  const usedNodes = new Set<string>();
  for (const subject of subjects) {
    if (!isTopLevelActivity(index, subject)) continue;
    const read = readActivity(index, subject);
    activities.set(subject, read.item);
    for (const node of read.usedNodes) usedNodes.add(node);
  }
  const items: RdfItem[] = [];
  for (const subject of subjects) {
    const activity = activities.get(subject);
    if (activity) items.push(activity);
    else if (usedNodes.has(subject)) continue;
    else if (index.hasType(subject, TERMS.Plaats) && describesPlace(index, subject)) {
      const errors: MappingError[] = [];
      const place = readPlace(index, subject, errors);
      items.push(errors.length === 0 && place ? { kind: 'place', subject, place, errors } : { kind: 'place', subject, errors });
    } else if (index.hasType(subject, TERMS.Organisator) && describesOrganizer(index, subject)) {
      const errors: MappingError[] = [];
      const organizer = readOrganizer(index, subject, errors);
      items.push(errors.length === 0 && organizer ? { kind: 'organizer', subject, organizer, errors } : { kind: 'organizer', subject, errors });
    }
  }
  return items;
}

/** The top-level activities of a document, each with its place described in it (see quadsToItems for the rest). */
export function quadsToActivities(quads: Quad[]): MappedActivity[] {
  return quadsToItems(quads).flatMap((item): MappedActivity[] => {
    if (item.kind !== 'activity') return [];
    if (item.errors.length > 0 || !item.activity) return [{ subject: item.subject, errors: item.errors }];
    if (!item.activity.place) {
      return [{ subject: item.subject, errors: [error('place', 'de locatie wordt enkel bij naam genoemd', 'the place is named but not described')] }];
    }
    return [{ subject: item.subject, activity: item.activity as Activity, errors: [] }];
  });
}

function describesPlace(index: GraphIndex, node: string): boolean {
  return index.objects(node, TERMS.locatorName).length > 0 || index.objects(node, TERMS.naam).length > 0 || index.node(node, TERMS.address) !== undefined;
}

function describesOrganizer(index: GraphIndex, node: string): boolean {
  return index.objects(node, TERMS.realisatorNaam).length > 0;
}

/** A node named without a description: by IRI, and by the identifier it carries if any. */
function referenceTo(index: GraphIndex, node: string): RdfReference | undefined {
  const identifier = index.node(node, TERMS.identificator) !== undefined ? externalIdOf(index, node) : undefined;
  const iri = node.startsWith('_:') ? undefined : node;
  if (iri === undefined && identifier === undefined) return undefined;
  return { ...(iri !== undefined ? { iri } : {}), ...(identifier !== undefined && identifier !== iri ? { externalId: identifier } : {}) };
}

/** The source's own id: generiek:lokaleIdentificator, else skos:notation, else the node's IRI. */
function externalIdOf(index: GraphIndex, subject: string): string | undefined {
  const identifier = index.node(subject, TERMS.identificator);
  if (identifier) {
    const structured = index.node(identifier, TERMS.gestructureerdeIdentificator);
    const local = structured ? index.literal(structured, TERMS.lokaleIdentificator) : undefined;
    if (local) return local;
    const notation = index.first(identifier, TERMS.notation);
    if (notation) return notation.value;
  }
  return subject.startsWith('_:') ? undefined : subject;
}

interface ActivityRead {
  item: RdfItem;
  /** Place and organizer nodes the activity uses (they are not items of their own). */
  usedNodes: string[];
}

function readActivity(index: GraphIndex, subject: string): ActivityRead {
  const errors: MappingError[] = [];
  const externalId = externalIdOf(index, subject);
  if (externalId === undefined) {
    errors.push(error('externalId', 'activiteit zonder identificator en zonder IRI', 'activity has neither an identifier nor an IRI'));
  }
  const title = index.langString(subject, TERMS.naam);
  if (!title) errors.push(error('title', 'dcterms:title ontbreekt', 'dcterms:title is missing'));

  const calendar = readCalendar(index, subject, externalId ?? subject, errors);
  const usedNodes: string[] = [];

  // Where: prov:atLocation, or the spatial projection of its space-time volumes (Ruimtetijd), or both.
  let place: Place | undefined;
  let placeRef: RdfReference | undefined;
  const placeNodes = [...new Set([...index.nodes(subject, TERMS.locatie), ...calendar.placeNodes])];
  if (placeNodes.length > 1) {
    errors.push(
      error(
        'place',
        `de activiteit vindt plaats op ${placeNodes.length} locaties (${placeNodes.join(', ')}); het platform bewaart één locatie per activiteit: stuur één activiteit per locatie`,
        `the activity takes place at ${placeNodes.length} places (${placeNodes.join(', ')}); the platform keeps one place per activity: send one activity per place`,
      ),
    );
  } else if (placeNodes.length === 1) {
    const placeNode = placeNodes[0];
    usedNodes.push(placeNode);
    if (describesPlace(index, placeNode)) place = readPlace(index, placeNode, errors);
    else {
      placeRef = referenceTo(index, placeNode);
      if (!placeRef) {
        errors.push(error('place', 'de locatie is een lege knoop zonder beschrijving of identificator', 'the place is a blank node without a description or identifier'));
      }
    }
  } else if (index.node(subject, TERMS.locatieType) !== ATTENDANCE_MODE_IRIS.online) {
    // Only an online activity may do without a place (it is followed at its platform:virtueleLocatie).
    errors.push(
      error(
        'place',
        'geen locatie: noch prov:atLocation, noch crm:P161_has_spatial_projection van een cp:Activiteit.ruimtetijd; enkel een online activiteit (cp:Activiteit.locatieType …/Aanwezigheidsmodus/online) mag zonder',
        'no place: neither prov:atLocation nor crm:P161_has_spatial_projection of a cp:Activiteit.ruimtetijd; only an online activity (cp:Activiteit.locatieType …/Aanwezigheidsmodus/online) may have none',
      ),
    );
  }

  // Who: crm:P14_carried_out_by a cp:Organisator (or a node named by IRI only: a reference).
  let organizer: Organizer | undefined;
  let organizerRef: RdfReference | undefined;
  const carriers = index.nodes(subject, TERMS.gerealiseerdDoor).sort(byNumericName);
  const organizerNode =
    carriers.find((node) => index.hasType(node, TERMS.Organisator)) ?? carriers.find((node) => index.objects(node, TERMS.type).length === 0);
  if (organizerNode !== undefined) {
    usedNodes.push(organizerNode);
    if (describesOrganizer(index, organizerNode)) organizer = readOrganizer(index, organizerNode, errors);
    else organizerRef = referenceTo(index, organizerNode);
  }

  const prices = index
    .nodes(subject, TERMS.prijs)
    .sort((left, right) => left.localeCompare(right, 'en', { numeric: true }))
    .map((node, position) => readPrice(index, node, position, errors))
    .filter((price): price is Price => price !== undefined);
  const bookingNode = index.node(subject, TERMS.boeking);
  const booking = bookingNode ? readBooking(index, bookingNode) : undefined;

  const activity: RdfActivity = {
    externalId: externalId ?? '',
    title: title ?? {},
    performances: calendar.performances,
    prices,
  };
  if (place) activity.place = place;
  if (calendar.calendarType) activity.calendarType = calendar.calendarType;
  if (calendar.period) activity.period = calendar.period;
  const description = index.langString(subject, TERMS.beschrijving);
  if (description) activity.description = description;
  const type = readConcept(index, subject, TERMS.activiteitType);
  if (type) activity.type = type;
  const theme = readConcept(index, subject, TERMS.thema);
  if (theme) activity.theme = theme;
  if (organizer) activity.organizer = organizer;
  if (booking) activity.booking = booking;
  const url = index.first(subject, TERMS.url);
  if (url) activity.url = url.value;
  const media = readMedia(index, subject);
  // Plain image URLs are literals; described images are schema:ImageObject nodes (their URL counts too).
  const images = [
    ...index.objects(subject, TERMS.image).filter((term) => term.termType === 'Literal').map((term) => term.value),
    ...media.map((object) => object.url),
  ];
  if (images.length > 0) activity.images = images;
  if (media.length > 0) activity.media = media;
  readDetails(index, subject, activity, errors);

  // References travel with a rejected item too, so that its report can say all that is wrong.
  const references = { ...(placeRef ? { placeRef } : {}), ...(organizerRef ? { organizerRef } : {}) };
  const item: RdfItem = errors.length === 0 ? { kind: 'activity', subject, activity, ...references, errors } : { kind: 'activity', subject, ...references, errors };
  return { item, usedNodes };
}

interface CalendarRead {
  performances: Performance[];
  period?: { start: string; end?: string };
  calendarType?: CalendarType;
  /** Places named by the space-time volumes (crm:P161_has_spatial_projection) or the performances. */
  placeNodes: string[];
}

/** Start and end of a space-time volume: its m8g:PeriodOfTime (crm:P160), or times on the volume itself. */
function volumeTime(index: GraphIndex, volume: string): { start?: string; end?: string; periodNode?: string } {
  const periodNode = index.node(volume, TERMS.temporalProjection);
  if (periodNode !== undefined) return { start: index.literal(periodNode, TERMS.begin), end: index.literal(periodNode, TERMS.einde), periodNode };
  return { start: index.literal(volume, TERMS.begin), end: index.literal(volume, TERMS.einde) };
}

function hasOpeningHours(index: GraphIndex, subject: string): boolean {
  const availabilityNode = index.node(subject, TERMS.beschikbaarheid);
  return availabilityNode !== undefined && index.nodes(availabilityNode, TERMS.hoursAvailable).length > 0;
}

/**
 * When an activity happens, in every way the profile allows:
 * - sub-activities (cp:Activiteit.subactiviteit / superactiviteit), each with crm:P4_has_time-span or a
 *   cp:Activiteit.ruimtetijd of its own: one performance each;
 * - no sub-activities but space-time volumes (UiTdatabank): one performance per volume (external id
 *   `{activity}:{n}` in start order, as UiTdatabank numbers its subEvents), or, with weekly opening hours
 *   (cp:Activiteit.beschikbaarheid) or a volume over the activity's own time span, the period of a
 *   periodic calendar;
 * - only its own crm:P4_has_time-span: a single performance (the activity itself), or with opening hours
 *   the period of a periodic calendar;
 * - no time at all: a permanent calendar (opening hours optional).
 */
function readCalendar(index: GraphIndex, subject: string, activityExternalId: string, errors: MappingError[]): CalendarRead {
  const volumes = index.nodes(subject, TERMS.ruimtetijd).sort(byNumericName);
  const placeNodes = volumes.flatMap((volume) => index.nodes(volume, TERMS.spatialProjection));
  const subNodes = [...new Set([...index.nodes(subject, TERMS.subactiviteit), ...index.incoming(subject, TERMS.superactiviteit)])];
  const openingHours = hasOpeningHours(index, subject);
  const ownSpan = index.node(subject, TERMS.tijd);

  if (subNodes.length > 0) {
    const performances: Performance[] = [];
    subNodes.forEach((node, position) => {
      const externalId = externalIdOf(index, node);
      const path = `performances[${position}]`;
      if (externalId === undefined) {
        errors.push(error(`${path}.externalId`, 'uitvoering zonder identificator en zonder IRI', 'performance has neither an identifier nor an IRI'));
        return;
      }
      placeNodes.push(...index.nodes(node, TERMS.locatie));
      const ownVolumes = index.nodes(node, TERMS.ruimtetijd);
      for (const volume of ownVolumes) placeNodes.push(...index.nodes(volume, TERMS.spatialProjection));
      const time = index.node(node, TERMS.tijd) !== undefined ? readPeriod(index, node, TERMS.tijd) : ownVolumes.length > 0 ? volumeTime(index, ownVolumes[0]) : {};
      const performance = readPerformance(index, node, externalId, time, path, errors);
      if (performance) performances.push(performance);
    });
    // RDF has no order: performances come back by start time (then id)
    performances.sort(byStart);
    // Volumes beside sub-activities are the UiTdatabank view of the same performances (our own output).
    const calendarType = volumes.length > 0 ? (performances.length === 1 ? 'single' : 'multiple') : undefined;
    return { performances, placeNodes, ...(calendarType ? { calendarType } : {}) };
  }

  if (volumes.length > 0) {
    const times = volumes.map((volume) => volumeTime(index, volume));
    const overOwnSpan = ownSpan !== undefined && times.length === 1 && times[0].periodNode === ownSpan;
    if (times.length === 1 && (openingHours || overOwnSpan)) {
      return { performances: [], placeNodes, calendarType: 'periodic', ...periodOf(times[0], 'period', errors) };
    }
    const performances: Performance[] = [];
    const ordered = volumes
      .map((volume, position) => ({ volume, time: times[position] }))
      .sort((left, right) => Date.parse(left.time.start ?? '') - Date.parse(right.time.start ?? '') || byNumericName(left.volume, right.volume));
    ordered.forEach(({ volume, time }, position) => {
      const performance = readPerformance(index, volume, `${activityExternalId}:${position}`, time, `performances[${position}]`, errors);
      if (performance) performances.push(performance);
    });
    return { performances, placeNodes, calendarType: performances.length === 1 ? 'single' : 'multiple' };
  }

  if (ownSpan !== undefined) {
    const time = readPeriod(index, subject, TERMS.tijd);
    if (openingHours) return { performances: [], placeNodes, calendarType: 'periodic', ...periodOf(time, 'period', errors) };
    // An activity without sub-activities is its own single performance.
    const performance = readPerformance(index, subject, activityExternalId, time, 'performances[0]', errors);
    return { performances: performance ? [performance] : [], placeNodes };
  }
  return { performances: [], placeNodes, calendarType: 'permanent' };
}

function periodOf(time: { start?: string; end?: string }, path: string, errors: MappingError[]): { period?: { start: string; end?: string } } {
  if (time.start === undefined) {
    errors.push(error(`${path}.start`, 'de periode heeft geen m8g:startTime', 'the period has no m8g:startTime'));
    return {};
  }
  return { period: time.end !== undefined ? { start: time.start, end: time.end } : { start: time.start } };
}

function byStart(left: Performance, right: Performance): number {
  return Date.parse(left.start) - Date.parse(right.start) || left.externalId.localeCompare(right.externalId);
}

/** The fields beyond the push format (UiTdatabank's richer records); see activity-to-rdf writeDetails. */
function readDetails(index: GraphIndex, subject: string, activity: RdfActivity, errors: MappingError[]): void {
  const statusIri = index.node(subject, TERMS.status);
  if (statusIri !== undefined) {
    const status = reverseLookup(PERFORMANCE_STATUS_IRIS, statusIri);
    if (status) activity.status = status;
    else errors.push(error('status', `onbekende status ${statusIri}`, `unknown status ${statusIri}`));
  }
  const openingHours = readOpeningHours(index, subject);
  if (openingHours.length > 0) activity.openingHours = openingHours;
  const modeIri = index.node(subject, TERMS.locatieType);
  const attendanceMode = modeIri !== undefined ? reverseLookup(ATTENDANCE_MODE_IRIS, modeIri) : undefined;
  if (attendanceMode) activity.attendanceMode = attendanceMode;
  const virtualNode = index.node(subject, TERMS.virtueleLocatie);
  const onlineUrl = virtualNode !== undefined ? index.literal(virtualNode, TERMS.url) ?? index.node(virtualNode, TERMS.url) : undefined;
  if (onlineUrl !== undefined) activity.onlineUrl = onlineUrl;
  const audienceIri = index.node(subject, TERMS.audienceType);
  const audience = audienceIri !== undefined ? reverseLookup(AUDIENCE_TYPE_IRIS, audienceIri) : undefined;
  if (audience) activity.audience = audience;
  const labels: string[] = [];
  const hiddenLabels: string[] = [];
  for (const term of index.objects(subject, TERMS.keyword)) {
    if (term.termType !== 'Literal') continue;
    if (term.datatype.value === LABEL_TYPE_IRIS.hidden) hiddenLabels.push(term.value);
    else labels.push(term.value);
  }
  if (labels.length > 0) activity.labels = labels;
  if (hiddenLabels.length > 0) activity.hiddenLabels = hiddenLabels;
  const age = /^(\d*)-(\d*)$/.exec(index.literal(subject, TERMS.typicalAgeRange) ?? '');
  if (age && (age[1] !== '' || age[2] !== '')) {
    activity.typicalAgeRange = {
      ...(age[1] !== '' ? { min: Number(age[1]) } : {}),
      ...(age[2] !== '' ? { max: Number(age[2]) } : {}),
    };
  }
  const facilities = index
    .objects(subject, TERMS.facility)
    .filter((term) => term.termType === 'NamedNode')
    .map((term) => {
      const label = index.langString(term.value, TERMS.prefLabel);
      return label ? { iri: term.value, label } : { iri: term.value };
    });
  if (facilities.length > 0) activity.facilities = facilities;
  const links = index
    .nodes(subject, TERMS.declaredLink)
    .sort(byNumericName)
    .flatMap((node) => {
      const externalId = index.literal(node, TERMS.linkedExternalId);
      if (externalId === undefined) return [];
      const source = index.literal(node, TERMS.linkedSource);
      const sourceKind = index.literal(node, TERMS.linkedSourceKind);
      return [{ ...(source !== undefined ? { source } : {}), ...(sourceKind !== undefined ? { sourceKind } : {}), externalId }];
    });
  if (links.length > 0) activity.links = links;
  const sameAs = index.objects(subject, TERMS.sameAs).map((term) => term.value);
  if (sameAs.length > 0) activity.sameAs = sameAs;
  const contact = readContactPoints(index, subject);
  if (contact) activity.contactPoint = contact;
  const videos = readVideos(index, subject);
  if (videos.length > 0) activity.videos = videos;
}

function byNumericName(left: string, right: string): number {
  return left.localeCompare(right, 'en', { numeric: true });
}

function readOpeningHours(index: GraphIndex, subject: string): OpeningHours[] {
  const availabilityNode = index.node(subject, TERMS.beschikbaarheid);
  if (availabilityNode === undefined) return [];
  const result: OpeningHours[] = [];
  for (const node of index.nodes(availabilityNode, TERMS.hoursAvailable).sort(byNumericName)) {
    const opens = index.literal(node, TERMS.opens);
    const closes = index.literal(node, TERMS.closes);
    const daysOfWeek = index
      .nodes(node, TERMS.dayOfWeek)
      .map((day) => reverseLookup(DAY_OF_WEEK_IRIS, day))
      .filter((day): day is DayOfWeek => day !== undefined);
    if (opens !== undefined && closes !== undefined && daysOfWeek.length > 0) result.push({ opens, closes, daysOfWeek });
  }
  return result;
}

/** The activity's own contact points (not a booking's or an organizer's), one value each or several. */
function readContactPoints(index: GraphIndex, subject: string): ContactPoint | undefined {
  const urls: string[] = [];
  const emails: string[] = [];
  const phones: string[] = [];
  for (const node of index.nodes(subject, TERMS.contactPoint).sort(byNumericName)) {
    for (const term of index.objects(node, TERMS.url)) urls.push(term.value);
    for (const term of index.objects(node, TERMS.email)) emails.push(term.value);
    for (const term of index.objects(node, TERMS.telephone)) phones.push(term.value);
  }
  const contact: ContactPoint = {
    ...(urls.length > 0 ? { urls } : {}),
    ...(emails.length > 0 ? { emails } : {}),
    ...(phones.length > 0 ? { phones } : {}),
  };
  return Object.keys(contact).length > 0 ? contact : undefined;
}

function readMedia(index: GraphIndex, subject: string): MediaObject[] {
  const result: MediaObject[] = [];
  for (const node of index.nodes(subject, TERMS.image).sort(byNumericName)) {
    const url = index.literal(node, TERMS.url);
    if (url === undefined) continue;
    const object: MediaObject = { url };
    const identifier = index.literal(node, TERMS.identifier);
    if (identifier !== undefined) object.identifier = identifier;
    const thumbnailUrl = index.literal(node, TERMS.thumbnailUrl);
    if (thumbnailUrl !== undefined) object.thumbnailUrl = thumbnailUrl;
    const description = index.literal(node, TERMS.schemaDescription);
    if (description !== undefined) object.description = description;
    const copyrightHolder = index.literal(node, TERMS.copyrightHolder);
    if (copyrightHolder !== undefined) object.copyrightHolder = copyrightHolder;
    const language = index.literal(node, TERMS.inLanguage);
    if (language !== undefined) object.language = language;
    result.push(object);
  }
  return result;
}

function readVideos(index: GraphIndex, subject: string): Video[] {
  const result: Video[] = [];
  for (const node of index.nodes(subject, TERMS.video).sort(byNumericName)) {
    const url = index.literal(node, TERMS.url);
    if (url === undefined) continue;
    const video: Video = { url };
    const identifier = index.literal(node, TERMS.identifier);
    if (identifier !== undefined) video.identifier = identifier;
    const embedUrl = index.literal(node, TERMS.embedUrl);
    if (embedUrl !== undefined) video.embedUrl = embedUrl;
    const copyrightHolder = index.literal(node, TERMS.copyrightHolder);
    if (copyrightHolder !== undefined) video.copyrightHolder = copyrightHolder;
    const language = index.literal(node, TERMS.inLanguage);
    if (language !== undefined) video.language = language;
    result.push(video);
  }
  return result;
}

function readConcept(index: GraphIndex, subject: string, predicate: string): ConceptRef | undefined {
  const conceptIri = index.objects(subject, predicate).find((term) => term.termType === 'NamedNode')?.value;
  if (!conceptIri) return undefined;
  const label = index.langString(conceptIri, TERMS.prefLabel);
  return label ? { iri: conceptIri, label } : { iri: conceptIri };
}

function readPlace(index: GraphIndex, node: string, errors: MappingError[]): Place | undefined {
  const externalId = externalIdOf(index, node);
  if (externalId === undefined) {
    errors.push(error('place.externalId', 'locatie zonder identificator en zonder IRI', 'location has neither an identifier nor an IRI'));
  }
  // UWP writes locn:locatorName; older UWP output used dcterms:title
  const name = index.langString(node, TERMS.locatorName) ?? index.langString(node, TERMS.naam);
  if (!name) errors.push(error('place.name', 'locn:locatorName ontbreekt', 'locn:locatorName is missing'));
  const addressNode = index.node(node, TERMS.address);
  let address: Address = { postalCode: '', municipality: {} };
  if (!addressNode) {
    errors.push(error('place.address', 'locn:address ontbreekt', 'locn:address is missing'));
  } else {
    const postalCode = index.literal(addressNode, TERMS.postCode);
    if (postalCode === undefined) errors.push(error('place.address.postalCode', 'locn:postCode ontbreekt', 'locn:postCode is missing'));
    const municipality = index.langString(addressNode, TERMS.postName);
    if (!municipality) errors.push(error('place.address.municipality', 'locn:postName ontbreekt', 'locn:postName is missing'));
    address = { postalCode: postalCode ?? '', municipality: municipality ?? {} };
    const street = index.literal(addressNode, TERMS.thoroughfare);
    if (street !== undefined) address.street = street;
    const houseNumber = index.literal(addressNode, TERMS.locatorDesignator);
    if (houseNumber !== undefined) address.houseNumber = houseNumber;
    const box = index.literal(addressNode, TERMS.busnummer);
    if (box !== undefined) address.box = box;
    const country = index.literal(addressNode, TERMS.adminUnitL1);
    if (country !== undefined) address.country = country;
  }
  const place: Place = { externalId: externalId ?? '', name: name ?? {}, address };
  const type = readConcept(index, node, TERMS.activiteitType);
  if (type) place.type = type;
  const geometryNode = index.node(node, TERMS.geometry);
  const geo = geometryNode ? readGeometry(index, geometryNode) : undefined;
  if (geo) place.geo = geo;
  return place;
}

function readGeometry(index: GraphIndex, node: string): GeoPoint | undefined {
  const latitude = index.literal(node, TERMS.lat);
  const longitude = index.literal(node, TERMS.lon);
  if (latitude !== undefined && longitude !== undefined) return { latitude: Number(latitude), longitude: Number(longitude) };
  const wkt = index.literal(node, TERMS.asWKT);
  // WKT points are "lon lat" (CRS84), optionally preceded by a CRS IRI
  const match = wkt?.match(/POINT\s*\(\s*(-?[\d.]+)\s+(-?[\d.]+)\s*\)/i);
  if (match) return { latitude: Number(match[2]), longitude: Number(match[1]) };
  // GML points as udb3-backend writes them: <gml:coordinates>lon, lat</gml:coordinates> in CRS84 (or <gml:pos>)
  const gml = index.literal(node, TERMS.asGML);
  const coordinates = gml?.match(/<(?:gml:)?(?:coordinates|pos)[^>]*>\s*(-?[\d.]+)\s*[, ]\s*(-?[\d.]+)\s*</i);
  if (!coordinates) return undefined;
  // CRS84 (and no srsName) is longitude first; EPSG:4326 is latitude first.
  const latitudeFirst = /EPSG(?::|\/0\/)4326/i.test(gml ?? '') && !/CRS84/i.test(gml ?? '');
  const [first, second] = [Number(coordinates[1]), Number(coordinates[2])];
  return latitudeFirst ? { latitude: first, longitude: second } : { latitude: second, longitude: first };
}

function readOrganizer(index: GraphIndex, node: string, errors: MappingError[]): Organizer | undefined {
  const externalId = externalIdOf(index, node);
  const name = index.langString(node, TERMS.realisatorNaam);
  if (externalId === undefined || !name) {
    errors.push(error('organizer', 'organisator zonder identificator of cp:Realisator.naam', 'organizer lacks an identifier or cp:Realisator.naam'));
    return undefined;
  }
  const organizer: Organizer = { externalId, name };
  const homepage = index.literal(node, TERMS.homepage) ?? index.node(node, TERMS.homepage);
  if (homepage !== undefined) organizer.url = homepage;
  const contact = index.node(node, TERMS.contactPoint);
  if (contact) {
    const email = index.literal(contact, TERMS.email);
    if (email !== undefined) organizer.email = email;
    const phone = index.literal(contact, TERMS.telephone);
    if (phone !== undefined) organizer.phone = phone;
  }
  return organizer;
}

function readPeriod(index: GraphIndex, owner: string, predicate: string): { start?: string; end?: string } {
  const period = index.node(owner, predicate);
  if (!period) return {};
  return { start: index.literal(period, TERMS.begin), end: index.literal(period, TERMS.einde) };
}

function readPerformance(
  index: GraphIndex,
  node: string,
  externalId: string,
  { start, end }: { start?: string; end?: string },
  path: string,
  errors: MappingError[],
): Performance | undefined {
  if (start === undefined) {
    const span = index.node(node, TERMS.tijd);
    errors.push(
      span !== undefined && !index.describes(span)
        ? error(
            `${path}.start`,
            `crm:P4_has_time-span verwijst naar <${span}>, dat in het document niet beschreven is (geen m8g:startTime)`,
            `crm:P4_has_time-span points at <${span}>, which the document does not describe (no m8g:startTime)`,
          )
        : error(
            `${path}.start`,
            'geen begintijd: noch crm:P4_has_time-span/m8g:startTime, noch cp:Activiteit.ruimtetijd/crm:P160_has_temporal_projection/m8g:startTime',
            'no start time: neither crm:P4_has_time-span/m8g:startTime nor cp:Activiteit.ruimtetijd/crm:P160_has_temporal_projection/m8g:startTime',
          ),
    );
    return undefined;
  }
  let status: PerformanceStatus = 'scheduled';
  const statusIri = index.node(node, TERMS.status);
  if (statusIri !== undefined) {
    const known = reverseLookup(PERFORMANCE_STATUS_IRIS, statusIri);
    if (known) status = known;
    else errors.push(error(`${path}.status`, `onbekende status ${statusIri}`, `unknown status ${statusIri}`));
  }
  const performance: Performance = { externalId, start, status };
  if (end !== undefined) performance.end = end;
  const availability = readAvailability(index, node, path, errors);
  if (availability) performance.availability = availability;
  return performance;
}

function readAvailability(index: GraphIndex, node: string, path: string, errors: MappingError[]): Availability | undefined {
  // UWP writes the level on a cp:Beschikbaarheid node; we write it on the performance itself. Accept both.
  const availabilityNode = index.node(node, TERMS.beschikbaarheid);
  const levelIri = index.node(node, TERMS.ticketBeschikbaarheid) ?? (availabilityNode ? index.node(availabilityNode, TERMS.ticketBeschikbaarheid) : undefined);
  const capacityText = index.literal(node, TERMS.maximumAttendeeCapacity);
  const remainingText = index.literal(node, TERMS.remainingAttendeeCapacity);
  if (levelIri === undefined && capacityText === undefined && remainingText === undefined) return undefined;
  const capacity = capacityText === undefined ? undefined : Number(capacityText);
  const remaining = remainingText === undefined ? undefined : Number(remainingText);
  let level: AvailabilityLevel | undefined = levelIri === undefined ? undefined : reverseLookup(AVAILABILITY_LEVEL_IRIS, levelIri);
  if (levelIri !== undefined && level === undefined) {
    errors.push(error(`${path}.availability.level`, `onbekend beschikbaarheidsniveau ${levelIri}`, `unknown availability level ${levelIri}`));
    return undefined;
  }
  if (level === undefined) {
    if (remaining === undefined) {
      errors.push(error(`${path}.availability.level`, 'platform:ticketBeschikbaarheid ontbreekt', 'platform:ticketBeschikbaarheid is missing'));
      return undefined;
    }
    level = availabilityLevelFor(capacity ?? remaining, remaining);
  }
  // The change time falls back to when the source last modified or the platform processed the performance.
  const changedAt =
    index.literal(node, TERMS.availabilityChangedAt) ?? index.literal(node, TERMS.modified) ?? index.literal(node, TERMS.verwerktOp);
  if (changedAt === undefined) {
    errors.push(error(`${path}.availability.changedAt`, 'cdp:availabilityChangedAt ontbreekt', 'cdp:availabilityChangedAt is missing'));
    return undefined;
  }
  const availability: Availability = { level, changedAt };
  if (capacity !== undefined) availability.capacity = capacity;
  if (remaining !== undefined) availability.remaining = remaining;
  return availability;
}

const CATEGORY_BY_LOCAL_NAME: Record<string, Price['category']> = { basis: 'base', tarief: 'tariff', gratis: 'free', sociaaltarief: 'social' };

function readPrice(index: GraphIndex, node: string, position: number, errors: MappingError[]): Price | undefined {
  const path = `prices[${position}]`;
  const categoryIri = index.node(node, TERMS.prijscategorie);
  let category: Price['category'] = 'base';
  if (categoryIri !== undefined) {
    // Any other tariff concept (e.g. a UWP "uitpas" category) is a reduced tariff in our model.
    category =
      reverseLookup(PRICE_CATEGORY_IRIS, categoryIri) ??
      CATEGORY_BY_LOCAL_NAME[categoryIri.replace(/^.*[/#]/, '').toLowerCase()] ??
      'tariff';
  }
  const name = index.langString(node, TERMS.prefLabel);
  if (!name) errors.push(error(`${path}.name`, 'skos:prefLabel ontbreekt', 'skos:prefLabel is missing'));
  // schema:price is a Geldbedrag node in OSLO; plain schema.org data has the number inline
  const priceTerm = index.first(node, TERMS.price);
  let amountText: string | undefined;
  let currency: string | undefined;
  if (priceTerm?.termType === 'Literal') {
    amountText = priceTerm.value;
  } else if (priceTerm) {
    const amountNode = termKey(priceTerm);
    amountText = index.literal(amountNode, TERMS.value);
    currency = index.literal(amountNode, TERMS.currency);
  }
  currency ??= index.literal(node, TERMS.priceCurrency);
  if (amountText === undefined || Number.isNaN(Number(amountText))) {
    errors.push(error(`${path}.amount`, 'schema:price/schema:value ontbreekt', 'schema:price/schema:value is missing'));
    return undefined;
  }
  if (!name) return undefined;
  return { category, name, amount: Number(amountText), currency: currency ?? 'EUR' };
}

function readBooking(index: GraphIndex, node: string): BookingInfo | undefined {
  const booking: BookingInfo = {};
  const contact = index.node(node, TERMS.contactPoint);
  if (contact) {
    const url = index.literal(contact, TERMS.url) ?? index.node(contact, TERMS.url);
    if (url !== undefined) booking.url = url;
    const email = index.literal(contact, TERMS.email);
    if (email !== undefined) booking.email = email;
    const phone = index.literal(contact, TERMS.telephone);
    if (phone !== undefined) booking.phone = phone;
  }
  const { start, end } = readPeriod(index, node, TERMS.boekingBeschikbaar);
  if (start !== undefined) booking.availableFrom = start;
  if (end !== undefined) booking.availableUntil = end;
  return Object.keys(booking).length > 0 ? booking : undefined;
}

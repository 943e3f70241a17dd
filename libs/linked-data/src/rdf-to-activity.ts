import type {
  Activity,
  Address,
  ContactPoint,
  DayOfWeek,
  MediaObject,
  OpeningHours,
  Video,
  Availability,
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
      if (objects) objects.push(quad.object);
      else predicates.set(quad.predicate.value, [quad.object]);
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

/**
 * Reads OSLO Cultuurparticipatie RDF (any known IRI variant) into domain activities: one entry per
 * top-level crm:E7_Activity (one that is nobody's sub-activity).
 */
// No source is needed to read: identities are derived from (source, externalId) when stored.
export function quadsToActivities(quads: Quad[]): MappedActivity[] {
  const index = new GraphIndex(normalizeQuads(quads));
  const results: MappedActivity[] = [];
  for (const subject of index.subjects()) {
    if (!index.hasType(subject, TERMS.Activiteit)) continue;
    if (index.objects(subject, TERMS.superactiviteit).length > 0) continue;
    if (index.incoming(subject, TERMS.subactiviteit).length > 0) continue;
    results.push(readActivity(index, subject));
  }
  return results;
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

function readActivity(index: GraphIndex, subject: string): MappedActivity {
  const errors: MappingError[] = [];
  const externalId = externalIdOf(index, subject);
  if (externalId === undefined) {
    errors.push(error('externalId', 'activiteit zonder identificator en zonder IRI', 'activity has neither an identifier nor an IRI'));
  }
  const title = index.langString(subject, TERMS.naam);
  if (!title) errors.push(error('title', 'dcterms:title ontbreekt', 'dcterms:title is missing'));

  const placeNode = index.node(subject, TERMS.locatie);
  const place = placeNode ? readPlace(index, placeNode, errors) : undefined;
  if (!placeNode) errors.push(error('place', 'prov:atLocation ontbreekt', 'prov:atLocation is missing'));

  const organizerNodes = index.nodes(subject, TERMS.gerealiseerdDoor);
  const organizerNode = organizerNodes.find((node) => index.hasType(node, TERMS.Organisator));
  const organizer = organizerNode ? readOrganizer(index, organizerNode, errors) : undefined;

  const performances = describesPeriodOnly(index, subject) ? [] : readPerformances(index, subject, externalId ?? subject, errors);
  const prices = index
    .nodes(subject, TERMS.prijs)
    .sort((left, right) => left.localeCompare(right, 'en', { numeric: true }))
    .map((node, position) => readPrice(index, node, position, errors))
    .filter((price): price is Price => price !== undefined);
  const bookingNode = index.node(subject, TERMS.boeking);
  const booking = bookingNode ? readBooking(index, bookingNode) : undefined;

  const activity: Activity = {
    externalId: externalId ?? '',
    title: title ?? {},
    place: place ?? { externalId: '', name: {}, address: { postalCode: '', municipality: {} } },
    performances,
    prices,
  };
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

  return errors.length === 0 ? { subject, activity, errors } : { subject, errors };
}

/**
 * A periodic or permanent activity (UiTdatabank style): no sub-activities, and weekly opening hours or a
 * cp:Activiteit.ruimtetijd over its own time span. Its time is a period, not a single performance.
 */
function describesPeriodOnly(index: GraphIndex, subject: string): boolean {
  if (index.nodes(subject, TERMS.subactiviteit).length > 0 || index.incoming(subject, TERMS.superactiviteit).length > 0) return false;
  const availabilityNode = index.node(subject, TERMS.beschikbaarheid);
  if (availabilityNode !== undefined && index.nodes(availabilityNode, TERMS.hoursAvailable).length > 0) return true;
  const ownSpan = index.node(subject, TERMS.tijd);
  return index.nodes(subject, TERMS.ruimtetijd).some((node) => ownSpan !== undefined && index.node(node, TERMS.temporalProjection) === ownSpan);
}

/** The fields beyond the push format (UiTdatabank's richer records); see activity-to-rdf writeDetails. */
function readDetails(index: GraphIndex, subject: string, activity: Activity, errors: MappingError[]): void {
  // Without performances the activity's own time span is its period (periodic calendar).
  if (activity.performances.length === 0) {
    const { start, end } = readPeriod(index, subject, TERMS.tijd);
    if (start !== undefined) activity.period = end !== undefined ? { start, end } : { start };
  }
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
  return match ? { latitude: Number(match[2]), longitude: Number(match[1]) } : undefined;
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

function readPerformances(index: GraphIndex, activity: string, activityExternalId: string, errors: MappingError[]): Performance[] {
  const nodes = new Set([...index.nodes(activity, TERMS.subactiviteit), ...index.incoming(activity, TERMS.superactiviteit)]);
  if (nodes.size === 0) {
    // An activity without sub-activities is its own single performance.
    const performance = readPerformance(index, activity, activityExternalId, 'performances[0]', errors);
    return performance ? [performance] : [];
  }
  const performances: Performance[] = [];
  [...nodes].forEach((node, position) => {
    const externalId = externalIdOf(index, node);
    const path = `performances[${position}]`;
    if (externalId === undefined) {
      errors.push(error(`${path}.externalId`, 'uitvoering zonder identificator en zonder IRI', 'performance has neither an identifier nor an IRI'));
      return;
    }
    const performance = readPerformance(index, node, externalId, path, errors);
    if (performance) performances.push(performance);
  });
  // RDF has no order: performances come back by start time (then id)
  return performances.sort(
    (left, right) => Date.parse(left.start) - Date.parse(right.start) || left.externalId.localeCompare(right.externalId),
  );
}

function readPerformance(index: GraphIndex, node: string, externalId: string, path: string, errors: MappingError[]): Performance | undefined {
  const { start, end } = readPeriod(index, node, TERMS.tijd);
  if (start === undefined) {
    errors.push(error(`${path}.start`, 'crm:P4_has_time-span/m8g:startTime ontbreekt', 'crm:P4_has_time-span/m8g:startTime is missing'));
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

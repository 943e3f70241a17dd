import type { Activity, Address, BookingInfo, ConceptRef, LangString, Organizer, Performance, Place, Price } from '@platform/domain';
import { entityId } from '@platform/domain';
import type { EntityKind } from '@platform/domain';
import type { Literal, NamedNode, Quad } from '@rdfjs/types';
import { DataFactory } from 'n3';
import {
  ATTENDANCE_MODE_IRIS,
  AUDIENCE_TYPE_IRIS,
  AVAILABILITY_LEVEL_IRIS,
  DAY_OF_WEEK_IRIS,
  LABEL_TYPE_IRIS,
  PERFORMANCE_STATUS_IRIS,
  PRICE_CATEGORY_IRIS,
  TERMS,
} from './vocabulary.js';

const { namedNode, literal, quad } = DataFactory;

export interface ActivityRdfContext {
  sourceId: string;
  /** e.g. https://data.example.be (no trailing slash needed). */
  publicBaseUrl: string;
  /** When the platform processed the item (UWP platform:verwerktOp, required). */
  processedAt: string;
  /** Creation / modification time in the source system (dcterms:created / dcterms:modified). */
  createdAt?: string;
  modifiedAt?: string;
  /**
   * The agent that issued the source's identifiers (UWP wants an OVO-code IRI in dcterms:creator).
   * Defaults to the source IRI when the source has no OVO code.
   */
  issuer?: string;
  /**
   * A reconciled activity's performances come from several sources: the source of each (by position),
   * so every performance keeps its own IRI. Absent: all are the activity's source.
   */
  performanceSources?: string[];
  /** Platform IRIs of the other source records this activity was merged from (prov:wasDerivedFrom). */
  derivedFrom?: string[];
  /** Per performance (by position), the IRIs of the other sources' records of it (prov:wasDerivedFrom). */
  performanceDerivedFrom?: string[][];
  /** A reconciled activity's place / organizer may come from another source record: that record's source. */
  placeSourceId?: string;
  organizerSourceId?: string;
  /**
   * Link the place and organizer by IRI only, without their descriptions: the ingest pipeline builds
   * and validates a place or organizer shared by many activities of a batch once (placeToQuads,
   * organizerToQuads with the same context give exactly the quads left out).
   */
  linkPlaceAndOrganizerOnly?: boolean;
}

function trimBase(publicBaseUrl: string): string {
  return publicBaseUrl.replace(/\/+$/, '');
}

/** Which IRI path each entity kind lives under (DESIGN.md: /id/activiteit, /id/locatie, /id/organisator). */
const PATH_FOR_KIND: Record<EntityKind, string> = {
  activiteit: 'activiteit',
  // a performance is an OSLO sub-activity, so it is an activiteit too
  uitvoering: 'activiteit',
  locatie: 'locatie',
  organisator: 'organisator',
};

export function entityIri(publicBaseUrl: string, kind: EntityKind, sourceId: string, externalId: string): string {
  return `${trimBase(publicBaseUrl)}/id/${PATH_FOR_KIND[kind]}/${entityId(kind, sourceId, externalId)}`;
}

/** The IRI of a source (platform:bron of every identifier it issued). */
export function sourceIri(publicBaseUrl: string, sourceId: string): string {
  return `${trimBase(publicBaseUrl)}/id/bron/${encodeURIComponent(sourceId)}`;
}

/** IRI of a node that only exists as part of its owner: a fragment of the owner (one '#' at most). */
function dependentIri(owner: string, name: string): string {
  return owner.includes('#') ? `${owner}-${name}` : `${owner}#${name}`;
}

/** xsd:decimal lexical form (never exponent notation). */
function decimalLexical(value: number): string {
  if (Number.isInteger(value)) return value.toString();
  const plain = value.toString();
  if (!/e/i.test(plain)) return plain;
  return value.toFixed(12).replace(/0+$/, '').replace(/\.$/, '');
}

/** Appends the quads of one activity graph; dependent nodes get hash IRIs under their owner (deterministic). */
class GraphBuilder {
  readonly quads: Quad[] = [];
  /**
   * One NamedNode per IRI of the graph (RDF/JS terms are immutable): a subject or predicate named in many
   * triples is one object. The quads of a whole batch live until it is written; fewer objects, less to promote.
   */
  private readonly nodes = new Map<string, NamedNode>();

  private node(iri: string): NamedNode {
    let node = this.nodes.get(iri);
    if (node === undefined) this.nodes.set(iri, (node = namedNode(iri)));
    return node;
  }

  add(subject: string, predicate: string, object: NamedNode | Literal): void {
    this.quads.push(quad(this.node(subject), this.node(predicate), object) as Quad);
  }

  link(subject: string, predicate: string, object: string): void {
    this.add(subject, predicate, this.node(object));
  }

  typed(subject: string, predicate: string, value: string, datatype: string): void {
    this.add(subject, predicate, literal(value, this.node(datatype)));
  }

  text(subject: string, predicate: string, value: string): void {
    this.add(subject, predicate, literal(value));
  }

  langString(subject: string, predicate: string, value: LangString | undefined): void {
    if (!value) return;
    for (const [language, text] of Object.entries(value)) {
      if (text !== undefined) this.add(subject, predicate, literal(text, language));
    }
  }
}

/** adms:identifier of a platform entity: its IRI, who issued it, and the source's own id (UWP IdentificatorShape). */
function identifierWriter(graph: GraphBuilder, context: Pick<ActivityRdfContext, 'sourceId' | 'publicBaseUrl' | 'issuer'>): IdentifierWriter {
  const source = sourceIri(context.publicBaseUrl, context.sourceId);
  const issuer = context.issuer ?? source;
  return (owner: string, kind: EntityKind, externalId: string): void => {
    const identifierIri = dependentIri(owner, 'identificator');
    const structuredIri = dependentIri(owner, 'gestructureerdeIdentificator');
    graph.link(owner, TERMS.identificator, identifierIri);
    graph.link(identifierIri, TERMS.type, TERMS.Identificator);
    graph.typed(identifierIri, TERMS.notation, owner, TERMS.anyURI);
    graph.link(identifierIri, TERMS.creator, issuer);
    graph.link(identifierIri, TERMS.bron, source);
    graph.link(identifierIri, TERMS.gestructureerdeIdentificator, structuredIri);
    graph.link(structuredIri, TERMS.type, TERMS.GestructureerdeIdentificator);
    graph.text(structuredIri, TERMS.naamruimte, `${source}/${kind}/`);
    graph.text(structuredIri, TERMS.lokaleIdentificator, externalId);
  };
}

/** The description of a place on its own (what /id/locatie/{uuid} serves). */
export function placeToQuads(place: Place, context: ActivityRdfContext): Quad[] {
  const graph = new GraphBuilder();
  writePlace(graph, place, context, identifierWriter(graph, context));
  return graph.quads;
}

/** The description of an organizer on its own (what /id/organisator/{uuid} serves). */
export function organizerToQuads(organizer: Organizer, context: ActivityRdfContext): Quad[] {
  const graph = new GraphBuilder();
  writeOrganizer(graph, organizer, context, identifierWriter(graph, context));
  return graph.quads;
}

export function activityToQuads(activity: Activity, context: ActivityRdfContext): Quad[] {
  const graph = new GraphBuilder();
  const { sourceId, publicBaseUrl, processedAt } = context;
  const activityIri = entityIri(publicBaseUrl, 'activiteit', sourceId, activity.externalId);
  const identifier = identifierWriter(graph, context);

  const period = (owner: string, predicate: string, start: string | undefined, end: string | undefined): void => {
    const periodIri = dependentIri(owner, 'periode');
    graph.link(owner, predicate, periodIri);
    graph.link(periodIri, TERMS.type, TERMS.Periode);
    if (start !== undefined) graph.typed(periodIri, TERMS.begin, start, TERMS.dateTime);
    if (end !== undefined) graph.typed(periodIri, TERMS.einde, end, TERMS.dateTime);
  };

  const concept = (owner: string, predicate: string, ref: ConceptRef | undefined): void => {
    if (!ref) return;
    graph.link(owner, predicate, ref.iri);
    if (ref.label) {
      graph.link(ref.iri, TERMS.type, TERMS.Concept);
      graph.langString(ref.iri, TERMS.prefLabel, ref.label);
    }
  };

  // Activiteit: crm:E7_Activity (https://data.vlaanderen.be/doc/applicatieprofiel/cultuurparticipatie/#Activiteit)
  graph.link(activityIri, TERMS.type, TERMS.Activiteit);
  graph.langString(activityIri, TERMS.naam, activity.title);
  graph.langString(activityIri, TERMS.beschrijving, activity.description);
  concept(activityIri, TERMS.activiteitType, activity.type);
  concept(activityIri, TERMS.thema, activity.theme);
  if (activity.url !== undefined) graph.typed(activityIri, TERMS.url, activity.url, TERMS.string);
  // Images with credits become schema:ImageObject nodes (as udb3-backend writes them); plain URLs stay literals.
  const described = new Set((activity.media ?? []).map((object) => object.url));
  for (const image of activity.images ?? []) {
    if (!described.has(image)) graph.typed(activityIri, TERMS.image, image, TERMS.string);
  }
  identifier(activityIri, 'activiteit', activity.externalId);
  if (context.createdAt !== undefined) graph.typed(activityIri, TERMS.created, context.createdAt, TERMS.dateTime);
  if (context.modifiedAt !== undefined) graph.typed(activityIri, TERMS.modified, context.modifiedAt, TERMS.dateTime);
  graph.typed(activityIri, TERMS.verwerktOp, processedAt, TERMS.dateTime);

  // The activity's own time span: its period (periodic calendar), else one covering its performances.
  const span = activity.period ?? overallSpan(activity.performances);
  if (span) period(activityIri, TERMS.tijd, span.start, span.end);

  // The place and organizer keep the IRIs of the source they come from (a reconciled activity mixes sources).
  const placeContext = context.placeSourceId ? { ...context, sourceId: context.placeSourceId } : context;
  // An online activity may have no place: its virtual location (written with the details) is where it is followed.
  const placeIri = !activity.place
    ? undefined
    : context.linkPlaceAndOrganizerOnly
      ? entityIri(placeContext.publicBaseUrl, 'locatie', placeContext.sourceId, activity.place.externalId)
      : writePlace(graph, activity.place, placeContext, placeContext === context ? identifier : identifierWriter(graph, placeContext));
  if (placeIri) graph.link(activityIri, TERMS.locatie, placeIri);
  const performanceIri = (performance: Performance) =>
    entityIri(publicBaseUrl, 'uitvoering', context.performanceSources?.[activity.performances.indexOf(performance)] ?? sourceId, performance.externalId);
  writeCalendarDetails(graph, activityIri, placeIri, activity, performanceIri);
  for (const derived of context.derivedFrom ?? []) graph.link(activityIri, TERMS.wasDerivedFrom, derived);
  writeDetails(graph, activityIri, activity, concept);

  if (activity.organizer) {
    const organizerContext = context.organizerSourceId ? { ...context, sourceId: context.organizerSourceId } : context;
    const organizerIri = context.linkPlaceAndOrganizerOnly
      ? entityIri(organizerContext.publicBaseUrl, 'organisator', organizerContext.sourceId, activity.organizer.externalId)
      : writeOrganizer(graph, activity.organizer, organizerContext, organizerContext === context ? identifier : identifierWriter(graph, organizerContext));
    graph.link(activityIri, TERMS.gerealiseerdDoor, organizerIri);
  }

  activity.prices.forEach((price, index) => writePrice(graph, activityIri, price, index));
  if (activity.booking) writeBooking(graph, activityIri, activity.booking, period);

  activity.performances.forEach((performance, index) => {
    const iri = performanceIri(performance);
    const performanceSource = context.performanceSources?.[index];
    graph.link(activityIri, TERMS.subactiviteit, iri);
    for (const derived of context.performanceDerivedFrom?.[index] ?? []) graph.link(iri, TERMS.wasDerivedFrom, derived);
    writePerformance(graph, activityIri, iri, performance, activity.title, processedAt);
    // Its identifier names the source that issued it.
    (performanceSource && performanceSource !== sourceId ? identifierWriter(graph, { ...context, sourceId: performanceSource }) : identifier)(iri, 'uitvoering', performance.externalId);
    period(iri, TERMS.tijd, performance.start, performance.end);
  });

  return graph.quads;
}

/**
 * A UiTdatabank-style calendar: one cp:Activiteit.ruimtetijd (crm:E92_Spacetime_Volume: where + when) per
 * performance or for the period, and weekly opening hours on cp:Activiteit.beschikbaarheid, as
 * udb3-backend's OSLO output has them. Only for activities that say how their calendar is given, so
 * activities pushed in the platform format keep their graph.
 */
function writeCalendarDetails(
  graph: GraphBuilder,
  activityIri: string,
  placeIri: string | undefined,
  activity: Activity,
  performanceIriOf: (performance: Performance) => string,
): void {
  const spaceTime = (name: string, periodIri: string): void => {
    const spaceTimeIri = dependentIri(activityIri, name);
    graph.link(activityIri, TERMS.ruimtetijd, spaceTimeIri);
    graph.link(spaceTimeIri, TERMS.type, TERMS.Ruimtetijd);
    if (placeIri) graph.link(spaceTimeIri, TERMS.spatialProjection, placeIri);
    graph.link(spaceTimeIri, TERMS.temporalProjection, periodIri);
  };
  if (activity.calendarType === 'single' || activity.calendarType === 'multiple') {
    // The performance's own m8g:PeriodOfTime is the temporal projection (written with the performance).
    activity.performances.forEach((performance, index) => {
      spaceTime(`ruimtetijd-${index + 1}`, dependentIri(performanceIriOf(performance), 'periode'));
    });
  } else if (activity.calendarType === 'periodic' && activity.period) {
    spaceTime('ruimtetijd', dependentIri(activityIri, 'periode'));
  }
  if (activity.status !== undefined) graph.link(activityIri, TERMS.status, PERFORMANCE_STATUS_IRIS[activity.status]);
  if (activity.openingHours && activity.openingHours.length > 0) {
    const availabilityIri = dependentIri(activityIri, 'beschikbaarheid');
    graph.link(activityIri, TERMS.beschikbaarheid, availabilityIri);
    graph.link(availabilityIri, TERMS.type, TERMS.Beschikbaarheid);
    activity.openingHours.forEach((hours, index) => {
      const hoursIri = dependentIri(activityIri, `openingsuren-${index + 1}`);
      graph.link(availabilityIri, TERMS.hoursAvailable, hoursIri);
      graph.link(hoursIri, TERMS.type, TERMS.OpeningHoursSpecification);
      // schema:opens/closes as the plain "HH:MM" strings udb3-backend writes
      graph.text(hoursIri, TERMS.opens, hours.opens);
      graph.text(hoursIri, TERMS.closes, hours.closes);
      for (const day of hours.daysOfWeek) graph.link(hoursIri, TERMS.dayOfWeek, DAY_OF_WEEK_IRIS[day]);
    });
  }
}

/** Attendance, audience, labels, age range, facilities, contact, media: the richer UiTdatabank fields. */
function writeDetails(
  graph: GraphBuilder,
  activityIri: string,
  activity: Activity,
  concept: (owner: string, predicate: string, ref: ConceptRef | undefined) => void,
): void {
  if (activity.attendanceMode !== undefined) graph.link(activityIri, TERMS.locatieType, ATTENDANCE_MODE_IRIS[activity.attendanceMode]);
  if ((activity.attendanceMode !== undefined && activity.attendanceMode !== 'offline') || activity.onlineUrl !== undefined) {
    const virtualIri = dependentIri(activityIri, 'virtueleLocatie');
    graph.link(activityIri, TERMS.virtueleLocatie, virtualIri);
    graph.link(virtualIri, TERMS.type, TERMS.VirtualLocation);
    if (activity.onlineUrl !== undefined) graph.typed(virtualIri, TERMS.url, activity.onlineUrl, TERMS.URL);
  }
  if (activity.audience !== undefined) graph.link(activityIri, TERMS.audienceType, AUDIENCE_TYPE_IRIS[activity.audience]);
  for (const label of activity.labels ?? []) graph.typed(activityIri, TERMS.keyword, label, LABEL_TYPE_IRIS.visible);
  for (const label of activity.hiddenLabels ?? []) graph.typed(activityIri, TERMS.keyword, label, LABEL_TYPE_IRIS.hidden);
  const age = activity.typicalAgeRange;
  if (age && (age.min !== undefined || age.max !== undefined)) {
    // schema.org's "min-max" text form (OSLO Participant.leeftijdsgroep uses schema:typicalAgeRange too)
    graph.typed(activityIri, TERMS.typicalAgeRange, `${age.min ?? ''}-${age.max ?? ''}`, TERMS.string);
  }
  for (const facility of activity.facilities ?? []) concept(activityIri, TERMS.facility, facility);
  for (const same of activity.sameAs ?? []) graph.typed(activityIri, TERMS.sameAs, same, TERMS.anyURI);
  (activity.links ?? []).forEach((link, index) => {
    // What the source declared about the same activity elsewhere, so a pushed-back document keeps it.
    const linkIri = dependentIri(activityIri, `koppeling-${index + 1}`);
    graph.link(activityIri, TERMS.declaredLink, linkIri);
    if (link.source !== undefined) graph.text(linkIri, TERMS.linkedSource, link.source);
    if (link.sourceKind !== undefined) graph.text(linkIri, TERMS.linkedSourceKind, link.sourceKind);
    graph.text(linkIri, TERMS.linkedExternalId, link.externalId);
  });

  // One schema:ContactPoint per value: the ContactInfoShape allows one url, email and telephone each.
  let contactNumber = 0;
  const contact = (predicate: string, value: string): void => {
    contactNumber += 1;
    const contactIri = dependentIri(activityIri, `contactpunt-${contactNumber}`);
    graph.link(activityIri, TERMS.contactPoint, contactIri);
    graph.link(contactIri, TERMS.type, TERMS.ContactPoint);
    graph.typed(contactIri, predicate, value, TERMS.string);
  };
  for (const url of activity.contactPoint?.urls ?? []) contact(TERMS.url, url);
  for (const email of activity.contactPoint?.emails ?? []) contact(TERMS.email, email);
  for (const phone of activity.contactPoint?.phones ?? []) contact(TERMS.telephone, phone);

  (activity.media ?? []).forEach((object, index) => {
    const imageIri = dependentIri(activityIri, `afbeelding-${index + 1}`);
    graph.link(activityIri, TERMS.image, imageIri);
    graph.link(imageIri, TERMS.type, TERMS.ImageObject);
    graph.typed(imageIri, TERMS.url, object.url, TERMS.URL);
    if (object.identifier !== undefined) graph.typed(imageIri, TERMS.identifier, object.identifier, TERMS.string);
    if (object.thumbnailUrl !== undefined) graph.typed(imageIri, TERMS.thumbnailUrl, object.thumbnailUrl, TERMS.URL);
    if (object.description !== undefined) graph.typed(imageIri, TERMS.schemaDescription, object.description, TERMS.string);
    if (object.copyrightHolder !== undefined) graph.typed(imageIri, TERMS.copyrightHolder, object.copyrightHolder, TERMS.string);
    if (object.language !== undefined) graph.typed(imageIri, TERMS.inLanguage, object.language, TERMS.string);
  });
  (activity.videos ?? []).forEach((video, index) => {
    const videoIri = dependentIri(activityIri, `video-${index + 1}`);
    graph.link(activityIri, TERMS.video, videoIri);
    graph.link(videoIri, TERMS.type, TERMS.VideoObject);
    graph.typed(videoIri, TERMS.url, video.url, TERMS.URL);
    if (video.identifier !== undefined) graph.typed(videoIri, TERMS.identifier, video.identifier, TERMS.string);
    if (video.embedUrl !== undefined) graph.typed(videoIri, TERMS.embedUrl, video.embedUrl, TERMS.URL);
    if (video.copyrightHolder !== undefined) graph.typed(videoIri, TERMS.copyrightHolder, video.copyrightHolder, TERMS.string);
    if (video.language !== undefined) graph.typed(videoIri, TERMS.inLanguage, video.language, TERMS.string);
  });
}

function overallSpan(performances: Performance[]): { start: string; end?: string } | undefined {
  if (performances.length === 0) return undefined;
  let first = performances[0];
  let last = performances[0];
  const endOf = (performance: Performance): number => Date.parse(performance.end ?? performance.start);
  for (const performance of performances) {
    if (Date.parse(performance.start) < Date.parse(first.start)) first = performance;
    if (endOf(performance) > endOf(last)) last = performance;
  }
  return { start: first.start, end: last.end ?? (last === first ? undefined : last.start) };
}

type IdentifierWriter = (owner: string, kind: EntityKind, externalId: string) => void;

function writePerformance(
  graph: GraphBuilder,
  activityIri: string,
  performanceIri: string,
  performance: Performance,
  title: LangString,
  processedAt: string,
): void {
  // A performance is an OSLO sub-activity; the ActiviteitShape applies, so it carries a title and verwerktOp too.
  graph.link(performanceIri, TERMS.type, TERMS.Activiteit);
  graph.link(performanceIri, TERMS.superactiviteit, activityIri);
  graph.langString(performanceIri, TERMS.naam, title);
  graph.link(performanceIri, TERMS.status, PERFORMANCE_STATUS_IRIS[performance.status]);
  graph.typed(performanceIri, TERMS.verwerktOp, processedAt, TERMS.dateTime);
  const availability = performance.availability;
  if (availability) {
    // Our extension (shapes/platform-availability.ttl): schema.org capacities + UWP's level + change time
    if (availability.capacity !== undefined) {
      graph.typed(performanceIri, TERMS.maximumAttendeeCapacity, String(availability.capacity), TERMS.integer);
    }
    if (availability.remaining !== undefined) {
      graph.typed(performanceIri, TERMS.remainingAttendeeCapacity, String(availability.remaining), TERMS.integer);
    }
    graph.link(performanceIri, TERMS.ticketBeschikbaarheid, AVAILABILITY_LEVEL_IRIS[availability.level]);
    graph.typed(performanceIri, TERMS.availabilityChangedAt, availability.changedAt, TERMS.dateTime);
  }
}

function writePlace(graph: GraphBuilder, place: Place, context: ActivityRdfContext, identifier: IdentifierWriter): string {
  const placeIri = entityIri(context.publicBaseUrl, 'locatie', context.sourceId, place.externalId);
  // Plaats: dcterms:Location as UWP's LocatieShape targets it
  graph.link(placeIri, TERMS.type, TERMS.Plaats);
  graph.langString(placeIri, TERMS.locatorName, place.name);
  if (place.type) {
    graph.link(placeIri, TERMS.activiteitType, place.type.iri);
    if (place.type.label) {
      graph.link(place.type.iri, TERMS.type, TERMS.Concept);
      graph.langString(place.type.iri, TERMS.prefLabel, place.type.label);
    }
  }
  identifier(placeIri, 'locatie', place.externalId);
  graph.typed(placeIri, TERMS.verwerktOp, context.processedAt, TERMS.dateTime);
  writeAddress(graph, placeIri, place.address);
  if (place.geo) {
    // UWP GeometryShape: geo:lat / geo:lon as xsd:decimal; WKT (lon lat, CRS84) for GeoSPARQL clients
    const geometryIri = dependentIri(placeIri, 'geometrie');
    graph.link(placeIri, TERMS.geometry, geometryIri);
    graph.link(geometryIri, TERMS.type, TERMS.Geometry);
    graph.typed(geometryIri, TERMS.lat, decimalLexical(place.geo.latitude), TERMS.decimal);
    graph.typed(geometryIri, TERMS.lon, decimalLexical(place.geo.longitude), TERMS.decimal);
    graph.typed(
      geometryIri,
      TERMS.asWKT,
      `POINT (${decimalLexical(place.geo.longitude)} ${decimalLexical(place.geo.latitude)})`,
      TERMS.wktLiteral,
    );
  }
  return placeIri;
}

/** Language of the street name: the municipality's first language (a street has one official name). */
function streetLanguage(address: Address): string {
  const languages = Object.keys(address.municipality).filter((language) => address.municipality[language] !== undefined);
  return languages.includes('nl') ? 'nl' : (languages[0] ?? 'nl');
}

function writeAddress(graph: GraphBuilder, owner: string, address: Address): void {
  // Adresvoorstelling: locn:Address (UWP AddressShape)
  const addressIri = dependentIri(owner, 'adres');
  graph.link(owner, TERMS.address, addressIri);
  graph.link(addressIri, TERMS.type, TERMS.Address);
  if (address.street !== undefined) graph.add(addressIri, TERMS.thoroughfare, literal(address.street, streetLanguage(address)));
  if (address.houseNumber !== undefined) graph.typed(addressIri, TERMS.locatorDesignator, address.houseNumber, TERMS.string);
  if (address.box !== undefined) graph.typed(addressIri, TERMS.busnummer, address.box, TERMS.string);
  graph.typed(addressIri, TERMS.postCode, address.postalCode, TERMS.string);
  graph.langString(addressIri, TERMS.postName, address.municipality);
  graph.typed(addressIri, TERMS.adminUnitL1, address.country ?? 'BE', TERMS.string);
}

function writeOrganizer(graph: GraphBuilder, organizer: Organizer, context: ActivityRdfContext, identifier: IdentifierWriter): string {
  const organizerIri = entityIri(context.publicBaseUrl, 'organisator', context.sourceId, organizer.externalId);
  // Organisator (cp:Organisator, a Realisator: name is cp:Realisator.naam)
  graph.link(organizerIri, TERMS.type, TERMS.Organisator);
  graph.langString(organizerIri, TERMS.realisatorNaam, organizer.name);
  identifier(organizerIri, 'organisator', organizer.externalId);
  graph.typed(organizerIri, TERMS.verwerktOp, context.processedAt, TERMS.dateTime);
  if (organizer.url !== undefined) graph.typed(organizerIri, TERMS.homepage, organizer.url, TERMS.string);
  if (organizer.email !== undefined || organizer.phone !== undefined) {
    const contactIri = dependentIri(organizerIri, 'contactinfo');
    graph.link(organizerIri, TERMS.contactPoint, contactIri);
    graph.link(contactIri, TERMS.type, TERMS.ContactPoint);
    if (organizer.email !== undefined) graph.typed(contactIri, TERMS.email, organizer.email, TERMS.string);
    if (organizer.phone !== undefined) graph.typed(contactIri, TERMS.telephone, organizer.phone, TERMS.string);
  }
  return organizerIri;
}

function writePrice(graph: GraphBuilder, activityIri: string, price: Price, index: number): void {
  // Prijsinfo (schema:PriceSpecification) -> Prijsinfo.prijs -> Geldbedrag (schema:MonetaryAmount), as UWP maps it
  const priceIri = dependentIri(activityIri, `prijsinfo-${index + 1}`);
  const amountIri = dependentIri(priceIri, 'bedrag');
  graph.link(activityIri, TERMS.prijs, priceIri);
  graph.link(priceIri, TERMS.type, TERMS.Prijsinfo);
  graph.link(priceIri, TERMS.prijscategorie, PRICE_CATEGORY_IRIS[price.category]);
  graph.langString(priceIri, TERMS.prefLabel, price.name);
  graph.link(priceIri, TERMS.price, amountIri);
  graph.link(amountIri, TERMS.type, TERMS.Geldbedrag);
  graph.typed(amountIri, TERMS.value, decimalLexical(price.amount), TERMS.decimal);
  graph.typed(amountIri, TERMS.currency, price.currency || 'EUR', TERMS.string);
}

function writeBooking(
  graph: GraphBuilder,
  activityIri: string,
  booking: BookingInfo,
  period: (owner: string, predicate: string, start: string | undefined, end: string | undefined) => void,
): void {
  // Boekingsinfo: contact point (url, email, phone) and the period in which booking is open
  const bookingIri = dependentIri(activityIri, 'boekingsinfo');
  graph.link(activityIri, TERMS.boeking, bookingIri);
  graph.link(bookingIri, TERMS.type, TERMS.Boekingsinfo);
  if (booking.url !== undefined || booking.email !== undefined || booking.phone !== undefined) {
    const contactIri = dependentIri(bookingIri, 'contactinfo');
    graph.link(bookingIri, TERMS.contactPoint, contactIri);
    graph.link(contactIri, TERMS.type, TERMS.ContactPoint);
    if (booking.url !== undefined) graph.typed(contactIri, TERMS.url, booking.url, TERMS.string);
    if (booking.email !== undefined) graph.typed(contactIri, TERMS.email, booking.email, TERMS.string);
    if (booking.phone !== undefined) graph.typed(contactIri, TERMS.telephone, booking.phone, TERMS.string);
  }
  if (booking.availableFrom !== undefined || booking.availableUntil !== undefined) {
    period(bookingIri, TERMS.boekingBeschikbaar, booking.availableFrom, booking.availableUntil);
  }
}

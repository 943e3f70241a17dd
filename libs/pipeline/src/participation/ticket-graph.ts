import { PREFIXES, PRICE_CATEGORY_IRIS, sourceIri, TERMS, UITPAS_TARIFF_IRI } from '@platform/linked-data';
import type { ParticipationRow } from '@platform/storage';
import type { NamedNode, Quad, Quad_Object } from '@rdfjs/types';
import { DataFactory } from 'n3';

const { namedNode, literal, quad } = DataFactory;
const { cp, cdp, platform, m8g, xsd } = PREFIXES;

/** The platform's concepts of what a ticket keeps beyond OSLO (shapes/cultuurparticipatie-deelname.ttl). */
const CDP_CONCEPT = 'https://w3id.org/cultuurdata-platform/id/concept/';

/**
 * Price category of a stored ticket to its concept: OSLO's PrijsCategorieType basis / tarief, and the
 * platform's concepts for the social tariffs (decision 5: sociaalTarief for the kansentarief; uitpas) and
 * free entry. Reading RDF takes a concept's last segment as the code, so these read back as the same
 * category (`sociaalTarief` is an alias of `kansentarief`).
 */
export const TICKET_PRICE_CATEGORY_IRIS: Record<string, string> = {
  basis: PRICE_CATEGORY_IRIS.base,
  tarief: PRICE_CATEGORY_IRIS.tariff,
  kansentarief: PRICE_CATEGORY_IRIS.social,
  uitpas: UITPAS_TARIFF_IRI,
  gratis: PRICE_CATEGORY_IRIS.free,
};

export interface TicketGraphContext {
  publicBaseUrl: string;
  /** When the platform processed the batch (platform:verwerktOp of the participant). */
  processedAt: string;
}

// Terms shared by every ticket, made once.
const N = (iri: string): NamedNode => namedNode(iri);
const TYPE = N(TERMS.type);
const TICKET = N(`${cp}Ticket`);
const TRANSACTIE = N(`${cp}Transactie`);
const DEELNAME = N(`${cp}Deelname`);
const PARTICIPANT = N(`${cp}Participant`);
const PERIODE = N(TERMS.Periode);
const GELDBEDRAG = N(TERMS.Geldbedrag);
const IDENTIFICATOR = N(TERMS.Identificator);
const GESTRUCTUREERD = N(TERMS.GestructureerdeIdentificator);
const P = {
  transactie: N(`${cp}Ticket.transactie`),
  prijscategorie: N(`${cdp}prijscategorie`),
  ticketstatus: N(`${cdp}ticketstatus`),
  identifier: N(TERMS.identificator),
  tijdstip: N(`${cp}Transactie.tijdstip`),
  price: N(`${PREFIXES.schema}price`),
  value: N(TERMS.value),
  currency: N(TERMS.currency),
  verkoopkanaal: N(`${cdp}verkoopkanaal`),
  bestelling: N(`${cdp}bestelling`),
  geefrechtop: N(`${cp}geefrechtop`),
  activiteit: N(`${cp}Deelname.activiteit`),
  participant: N(`${cp}Deelname.participant`),
  deelnameTijdstip: N(`${cp}Deelname.tijdstip`),
  aanwezig: N(`${cdp}aanwezig`),
  startTime: N(`${m8g}startTime`),
  verwerktOp: N(`${platform}verwerktOp`),
  geboortejaar: N(`${platform}geboortejaar`),
  sector: N(`${platform}statistischeSectorId`),
  woonplaats: N(`${cdp}woonplaatsNis`),
  woonland: N(`${cdp}woonland`),
  notation: N(TERMS.notation),
  creator: N(TERMS.creator),
  bron: N(TERMS.bron),
  gestructureerd: N(TERMS.gestructureerdeIdentificator),
  naamruimte: N(TERMS.naamruimte),
  lokaleIdentificator: N(TERMS.lokaleIdentificator),
};
const DATE_TIME = N(`${xsd}dateTime`);
const DECIMAL = N(`${xsd}decimal`);
const BOOLEAN = N(`${xsd}boolean`);
const G_YEAR = N(`${xsd}gYear`);
const ANY_URI = N(`${xsd}anyURI`);
const EUR = literal('EUR');
const TRUE = literal('true', BOOLEAN);
const FALSE = literal('false', BOOLEAN);
const conceptCache = new Map<string, NamedNode>();
function concept(iri: string): NamedNode {
  let node = conceptCache.get(iri);
  if (!node) {
    if (conceptCache.size > 1000) conceptCache.clear();
    node = namedNode(iri);
    conceptCache.set(iri, node);
  }
  return node;
}

/**
 * A price in cents as an xsd:decimal lexical form ("12.5", "0", "7.05"): an integer over 100 prints as
 * its shortest decimal, never in exponent form below 10^21. Anything else (NaN) stays what it is, and the
 * shapes say so.
 */
function euros(cents: number): string {
  return String(cents / 100);
}

/**
 * Per source and batch: the terms every ticket of a source shares (its source IRI, the identifiers'
 * namespaces, the processing time), so one ticket's graph only makes its own nodes and values.
 */
export class TicketGraphBuilder {
  private readonly base: string;
  private readonly source: NamedNode;
  private readonly ticketNamespace: Quad_Object;
  private readonly participantNamespace: Quad_Object;
  private readonly processedAt: Quad_Object;
  private readonly performances = new Map<string, { iri: NamedNode; period: NamedNode; start: Quad_Object; startText: string }>();

  constructor(sourceId: string, context: TicketGraphContext) {
    this.base = context.publicBaseUrl.replace(/\/+$/, '');
    const source = sourceIri(context.publicBaseUrl, sourceId);
    this.source = namedNode(source);
    this.ticketNamespace = literal(`${source}/ticket/`);
    this.participantNamespace = literal(`${source}/participant/`);
    this.processedAt = literal(context.processedAt, DATE_TIME);
  }

  /** The IRI of a stored ticket (its row id; not dereferenceable: tickets are never published). */
  ticketIri(id: string): string {
    return `${this.base}/id/ticket/${id}`;
  }

  /**
   * What is stored of one ticket (the row, after stripping) as OSLO Cultuurparticipatie: a cp:Ticket of
   * a cp:Transactie (time, price, channel, order) that gives the right to a cp:Deelname of the
   * performance by a pseudonymous cp:Participant (birth year, home municipality or sector, country).
   * Dependent nodes are fragments of the ticket's IRI. Nothing else is in it: no personal data exists
   * in a row to begin with.
   */
  quads(row: ParticipationRow): Quad[] {
    const iri = this.ticketIri(row.id);
    const ticket = namedNode(iri);
    const transaction = namedNode(`${iri}#transactie`);
    const amount = namedNode(`${iri}#prijs`);
    const participation = namedNode(`${iri}#deelname`);
    const participant = namedNode(`${iri}#participant`);
    const performance = this.performance(row.performanceId, row.performanceStart);
    const ticketIdentifier = namedNode(`${iri}#identificator`);
    const participantIdentifier = namedNode(`${iri}#participant-identificator`);
    // Each node's triples one after the other (the batch index interns a run's subject once).
    const out: Quad[] = [
      quad(ticket, TYPE, TICKET),
      quad(ticket, P.transactie, transaction),
      quad(ticket, P.prijscategorie, concept(TICKET_PRICE_CATEGORY_IRIS[row.priceCategory] ?? `${CDP_CONCEPT}PrijsCategorieType/${encodeURIComponent(row.priceCategory)}`)),
      quad(ticket, P.ticketstatus, concept(`${CDP_CONCEPT}TicketStatus/${encodeURIComponent(row.status)}`)),
      quad(ticket, P.identifier, ticketIdentifier),
      quad(transaction, TYPE, TRANSACTIE),
      quad(transaction, P.tijdstip, literal(row.soldAt.toISOString(), DATE_TIME)),
      quad(transaction, P.price, amount),
      quad(transaction, P.verkoopkanaal, concept(`${CDP_CONCEPT}Verkoopkanaal/${encodeURIComponent(row.channel)}`)),
      quad(transaction, P.geefrechtop, participation),
    ] as Quad[];
    if (row.transactionExternalId !== null) out.push(quad(transaction, P.bestelling, literal(row.transactionExternalId)) as Quad);
    out.push(
      quad(amount, TYPE, GELDBEDRAG) as Quad,
      quad(amount, P.value, literal(euros(row.priceCents), DECIMAL)) as Quad,
      quad(amount, P.currency, EUR) as Quad,
      quad(participation, TYPE, DEELNAME) as Quad,
      quad(participation, P.activiteit, performance.iri) as Quad,
      quad(participation, P.participant, participant) as Quad,
      // the participation's time is the performance's: one period node per performance, shared by its tickets
      quad(participation, P.deelnameTijdstip, performance.period) as Quad,
    );
    if (row.attended !== null) out.push(quad(participation, P.aanwezig, row.attended ? TRUE : FALSE) as Quad);
    out.push(quad(performance.period, TYPE, PERIODE) as Quad, quad(performance.period, P.startTime, performance.start) as Quad);
    out.push(quad(participant, TYPE, PARTICIPANT) as Quad, quad(participant, P.verwerktOp, this.processedAt) as Quad, quad(participant, P.identifier, participantIdentifier) as Quad);
    if (row.birthYear !== null) out.push(quad(participant, P.geboortejaar, literal(String(row.birthYear), G_YEAR)) as Quad);
    if (row.homeSector !== null) out.push(quad(participant, P.sector, literal(row.homeSector)) as Quad);
    if (row.homeNis5 !== null) out.push(quad(participant, P.woonplaats, literal(row.homeNis5)) as Quad);
    if (row.homeCountry !== null) out.push(quad(participant, P.woonland, literal(row.homeCountry)) as Quad);
    this.identifier(out, ticketIdentifier, iri, this.ticketNamespace, row.ticketExternalId);
    this.identifier(out, participantIdentifier, `${iri}#participant`, this.participantNamespace, row.personKey);
    return out;
  }

  /** adms:identifier as UWP's IdentificatorShape wants it: the node's IRI, issuer, source and the local id. */
  private identifier(out: Quad[], identifier: NamedNode, ownerIri: string, namespace: Quad_Object, localId: string): void {
    const structured = namedNode(`${ownerIri}${ownerIri.includes('#') ? '-' : '#'}gestructureerdeIdentificator`);
    out.push(
      quad(identifier, TYPE, IDENTIFICATOR) as Quad,
      quad(identifier, P.notation, literal(ownerIri, ANY_URI)) as Quad,
      quad(identifier, P.creator, this.source) as Quad,
      quad(identifier, P.bron, this.source) as Quad,
      quad(identifier, P.gestructureerd, structured) as Quad,
      quad(structured, TYPE, GESTRUCTUREERD) as Quad,
      quad(structured, P.naamruimte, namespace) as Quad,
      quad(structured, P.lokaleIdentificator, literal(localId)) as Quad,
    );
  }

  /** A performance's IRI (an OSLO sub-activity: /id/activiteit/{uuid}) and start, once per batch. */
  private performance(performanceId: string, start: Date): { iri: NamedNode; period: NamedNode; start: Quad_Object } {
    const startText = start.toISOString();
    let known = this.performances.get(performanceId);
    if (!known || known.startText !== startText) {
      const iri = `${this.base}/id/activiteit/${performanceId}`;
      known = { iri: namedNode(iri), period: namedNode(`${iri}#deelnametijdstip`), start: literal(startText, DATE_TIME), startText };
      this.performances.set(performanceId, known);
    }
    return known;
  }
}

import type { Quad, Term } from '@rdfjs/types';
import type { DroppedField } from './participation.js';

const CP = 'https://data.vlaanderen.be/ns/cultuurparticipatie#';
const PLATFORM = ['https://data.uitwisselingsplatform.be/ns/platform#', 'https://data.uitwisselingsplatform.be/platform#'];
/** Our own terms where OSLO has none (price category, sales channel, attendance). */
export const CDP_PARTICIPATION = 'https://w3id.org/cultuurdata-platform/ns#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';
const SCHEMA = ['https://schema.org/', 'http://schema.org/'];
const ADMS_IDENTIFIER = 'http://www.w3.org/ns/adms#identifier';
const SKOS_NOTATION = 'http://www.w3.org/2004/02/skos/core#notation';
const LOCAL_ID = 'https://data.vlaanderen.be/ns/generiek#lokaleIdentificator';
const GESTRUCTUREERD = 'https://data.vlaanderen.be/ns/generiek#gestructureerdeIdentificator';
const LOCN_ADDRESS = 'http://www.w3.org/ns/locn#address';
const POSTCODES = ['http://www.w3.org/ns/locn#postCode', 'http://www.w3.org/ns/locn#postcode'];

/** Predicates that carry a person's identity or contact: reported as refused personal data. */
const PERSONAL_PREDICATE = /(name|naam|email|mbox|phone|telephone|telefoon|street|straat|thoroughfare|fullAddress|adminUnit|locatorDesignator|huisnummer|houseNumber|birthDate|geboortedatum|gender|geslacht)$/i;

export interface RdfParticipationItem {
  /** The ticket in the documented JSON push format (stripped next, like any pushed ticket). */
  ticket: Record<string, unknown>;
  dropped: DroppedField[];
}

/**
 * OSLO Cultuurparticipatie participation (cp:Ticket of a cp:Transactie giving the right to a
 * cp:Deelname of a cp:Participant) to pushed tickets. Only the terms below are read; every other
 * statement about the participant is reported as dropped, and nothing unread is kept anywhere.
 */
export function participationItemsFromQuads(quads: readonly Quad[]): RdfParticipationItem[] {
  const bySubject = new Map<string, Quad[]>();
  for (const quad of quads) bySubject.set(key(quad.subject), [...(bySubject.get(key(quad.subject)) ?? []), quad]);
  const objects = (subject: Term | undefined, predicates: string[]) => (subject ? (bySubject.get(key(subject)) ?? []).filter((quad) => predicates.includes(quad.predicate.value)).map((quad) => quad.object) : []);
  const first = (subject: Term | undefined, ...predicates: string[]) => objects(subject, predicates)[0];
  const subjectsOf = (predicate: string, object: Term) => quads.filter((quad) => quad.predicate.value === predicate && key(quad.object) === key(object)).map((quad) => quad.subject);
  const identifier = (node: Term): string => {
    const id = first(node, ADMS_IDENTIFIER);
    const notation = first(id, SKOS_NOTATION)?.value ?? first(first(id, GESTRUCTUREERD), LOCAL_ID)?.value;
    if (notation) return notation.replace(/^.*[/#]/, '');
    return node.termType === 'NamedNode' ? node.value.replace(/^.*[/#]/, '') : node.value;
  };
  const conceptCode = (term: Term | undefined) => term?.value.replace(/^.*[/#]/, '');

  const tickets = quads.filter((quad) => quad.predicate.value === RDF_TYPE && quad.object.value === `${CP}Ticket`).map((quad) => quad.subject);
  return tickets.map((ticket) => {
    const dropped: DroppedField[] = [];
    const transaction = first(ticket, `${CP}Ticket.transactie`) ?? subjectsOf(`${CP}Transactie.ticket`, ticket)[0];
    const participation = first(ticket, `${CP}geefrechtop`, `${CP}Ticket.geeftRechtOp`);
    const performance = first(participation, `${CP}Deelname.activiteit`);
    const participant = first(participation, `${CP}Deelname.participant`) ?? first(transaction, `${CP}Transactie.aangekochtDoor`);
    const priceTerm = first(transaction, ...SCHEMA.map((schema) => `${schema}price`)) ?? first(ticket, ...SCHEMA.map((schema) => `${schema}price`));
    const price = priceTerm?.termType === 'Literal' ? Number(priceTerm.value) : priceTerm ? Number(first(priceTerm, ...SCHEMA.map((schema) => `${schema}value`))?.value) : undefined;
    const result: Record<string, unknown> = {
      id: identifier(ticket),
      ...(transaction ? { transaction: identifier(transaction) } : {}),
      ...(performance ? { performance: identifier(performance) } : {}),
      ...(first(transaction, `${CP}Transactie.tijdstip`) ? { soldAt: first(transaction, `${CP}Transactie.tijdstip`)!.value } : {}),
      ...(price !== undefined && Number.isFinite(price) ? { price } : {}),
    };
    const category = conceptCode(first(ticket, `${CDP_PARTICIPATION}prijscategorie`) ?? first(transaction, `${CDP_PARTICIPATION}prijscategorie`));
    if (category) result.priceCategory = category;
    const channel = conceptCode(first(transaction, `${CDP_PARTICIPATION}verkoopkanaal`) ?? first(ticket, `${CDP_PARTICIPATION}verkoopkanaal`));
    if (channel) result.channel = channel;
    const attended = first(participation, `${CDP_PARTICIPATION}aanwezig`);
    if (attended) result.attended = attended.value === 'true';
    if (participant) {
      const person: Record<string, unknown> = {};
      if (first(participant, ADMS_IDENTIFIER) || participant.termType === 'NamedNode') person.id = identifier(participant);
      const birthYear = first(participant, ...PLATFORM.map((platform) => `${platform}geboortejaar`));
      if (birthYear) person.birthYear = Number(birthYear.value.slice(0, 4));
      const sector = first(participant, ...PLATFORM.flatMap((platform) => [`${platform}statistischeSector`, `${platform}statistischeSectorId`]));
      if (sector) person.statisticalSector = sector.value.split('-')[0];
      const address = first(participant, LOCN_ADDRESS);
      const postcode = first(address, ...POSTCODES);
      if (postcode) person.postcode = postcode.value;
      const known = new Set([RDF_TYPE, ADMS_IDENTIFIER, LOCN_ADDRESS, ...PLATFORM.flatMap((platform) => [`${platform}geboortejaar`, `${platform}statistischeSector`, `${platform}statistischeSectorId`, `${platform}statistischeSectorNaam`])]);
      for (const node of [participant, address].filter((term) => term !== undefined) as Term[]) {
        for (const quad of bySubject.get(key(node)) ?? []) {
          if (known.has(quad.predicate.value) || POSTCODES.includes(quad.predicate.value)) continue;
          dropped.push({ path: `/participant/<${quad.predicate.value}>`, reason: PERSONAL_PREDICATE.test(quad.predicate.value) ? 'personal-data' : 'unknown-field' });
        }
      }
      result.participant = person;
    }
    return { ticket: result, dropped };
  });
}

function key(term: Term): string {
  return `${term.termType}:${term.value}`;
}

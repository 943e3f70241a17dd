import type { Quad, Term } from '@rdfjs/types';
import { DataFactory } from 'n3';

/**
 * The one namespace table of the platform. Every IRI we write is built from these; Turtle and JSON-LD
 * output use the same prefixes. Canonical choices follow publiq's UWP SHACL (DESIGN.md).
 */
export const PREFIXES = {
  cp: 'https://data.vlaanderen.be/ns/cultuurparticipatie#',
  crm: 'http://www.cidoc-crm.org/cidoc-crm/',
  m8g: 'http://data.europa.eu/m8g/',
  dcterms: 'http://purl.org/dc/terms/',
  prov: 'http://www.w3.org/ns/prov#',
  locn: 'http://www.w3.org/ns/locn#',
  adres: 'https://data.vlaanderen.be/ns/adres#',
  schema: 'https://schema.org/',
  adms: 'http://www.w3.org/ns/adms#',
  generiek: 'https://data.vlaanderen.be/ns/generiek#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  foaf: 'http://xmlns.com/foaf/0.1/',
  geo: 'http://www.w3.org/2003/01/geo/wgs84_pos#',
  geosparql: 'http://www.opengis.net/ont/geosparql#',
  platform: 'https://data.uitwisselingsplatform.be/ns/platform#',
  // publiq's UiTdatabank vocabulary (udb3-backend's OSLO output: audienceType, workflowStatus)
  udb: 'https://data.publiq.be/ns/uitdatabank#',
  dcat: 'http://www.w3.org/ns/dcat#',
  cdp: 'https://w3id.org/cultuurdata-platform/ns#',
  sh: 'http://www.w3.org/ns/shacl#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
} as const;

export type PrefixName = keyof typeof PREFIXES;

/** Full IRI of a prefixed name, e.g. `iri('cp', 'Activiteit.boeking')`. */
export function iri(prefix: PrefixName, localName: string): string {
  return PREFIXES[prefix] + localName;
}

/** Shortest `prefix:local` form of an IRI, or the IRI itself when no prefix fits (for messages). */
export function compactIri(value: string): string {
  let best: string | undefined;
  for (const [prefix, namespace] of Object.entries(PREFIXES)) {
    if (value.startsWith(namespace) && value.length > namespace.length) {
      const local = value.slice(namespace.length);
      if (/^[A-Za-z0-9_][A-Za-z0-9_.\-]*$/.test(local) && !local.endsWith('.')) {
        const candidate = `${prefix}:${local}`;
        if (best === undefined || candidate.length < best.length) best = candidate;
      }
    }
  }
  return best ?? value;
}

/**
 * Namespace variants seen in the official OSLO context, the official SHACL and UWP output, rewritten to
 * the canonical namespace (longest match first, see normalizeIri).
 */
export const NAMESPACE_VARIANTS: ReadonlyArray<{ variant: string; canonical: string; seenIn: string }> = [
  // schema.org publishes https IRIs; the OSLO context mixes in http (Contactinfo, contactPoint).
  { variant: 'http://schema.org/', canonical: PREFIXES.schema, seenIn: 'OSLO context (Boekingsinfo.contactinfo, Contactinfo)' },
  { variant: 'http://www.schema.org/', canonical: PREFIXES.schema, seenIn: 'hand-written vendor data' },
  // PROV-O and ADMS are http namespaces; the OSLO context uses https for atLocation / identifier.
  { variant: 'https://www.w3.org/ns/prov#', canonical: PREFIXES.prov, seenIn: 'OSLO context (Activiteit.locatie), old UWP output' },
  { variant: 'https://www.w3.org/ns/adms#', canonical: PREFIXES.adms, seenIn: 'OSLO context (Activiteit.identificator)' },
  { variant: 'https://www.w3.org/2000/01/rdf-schema#', canonical: PREFIXES.rdfs, seenIn: 'OSLO context (Activiteit.label)' },
  // CIDOC CRM's namespace has "www."; the OSLO context drops it for P4, P14 and E92.
  { variant: 'http://cidoc-crm.org/cidoc-crm/', canonical: PREFIXES.crm, seenIn: 'OSLO context (Activiteit.tijd, gerealiseerdDoor, Ruimtetijd)' },
  { variant: 'https://cidoc-crm.org/cidoc-crm/', canonical: PREFIXES.crm, seenIn: 'OSLO documentation links' },
  { variant: 'https://www.cidoc-crm.org/cidoc-crm/', canonical: PREFIXES.crm, seenIn: 'OSLO documentation links' },
  // UWP's first mapping generation (uwp-yarrrml 2024) had no "/ns/" segment.
  { variant: 'https://data.uitwisselingsplatform.be/platform#', canonical: PREFIXES.platform, seenIn: 'old UWP output (verwerktOp)' },
];

/** Single terms whose variant is not a namespace difference (typos, renamed terms). */
export const TERM_VARIANTS: ReadonlyArray<{ variant: string; canonical: string; seenIn: string }> = [
  { variant: `${PREFIXES.cp}Acitviteit.boeking`, canonical: `${PREFIXES.cp}Activiteit.boeking`, seenIn: 'OSLO context typo' },
  // UWP's choice is the default (DESIGN.md): the OSLO context and the UWP SHACL both publish the
  // properties as Boekinginfo.* (the class is Boekingsinfo); the spelling that matches the class is read too.
  { variant: `${PREFIXES.cp}Boekingsinfo.beschikbaar`, canonical: `${PREFIXES.cp}Boekinginfo.beschikbaar`, seenIn: 'class-name spelling' },
  { variant: `${PREFIXES.cp}Boekingsinfo.kanaal`, canonical: `${PREFIXES.cp}Boekinginfo.kanaal`, seenIn: 'class-name spelling' },
  // LOCN defines postCode; UWP's AddressShape and old UWP output say postcode.
  { variant: `${PREFIXES.locn}postcode`, canonical: `${PREFIXES.locn}postCode`, seenIn: 'UWP SHACL AddressShape, old UWP output' },
  // The OSLO context points Ruimtetijd.tijd/locatie at an HTML page of CIDOC CRM 7.1.2.
  { variant: 'https://cidoc-crm.org/html/cidoc_crm_v7.1.2.html#P160', canonical: `${PREFIXES.crm}P160_has_temporal_projection`, seenIn: 'OSLO context' },
  { variant: 'https://cidoc-crm.org/html/cidoc_crm_v7.1.2.html#P161', canonical: `${PREFIXES.crm}P161_has_spatial_projection`, seenIn: 'OSLO context' },
  { variant: `${PREFIXES.cp}ruimtetijd`, canonical: `${PREFIXES.cp}Activiteit.ruimtetijd`, seenIn: 'OSLO context (UWP SHACL uses Activiteit.ruimtetijd)' },
  { variant: `${PREFIXES.cp}Prijs.prijscategorie`, canonical: `${PREFIXES.cp}Prijsinfo.prijscategorie`, seenIn: 'UWP YARRRML price mapping' },
  // udb3-backend types its booking node with its cpa: prefix (cp:Activiteit.) by mistake.
  { variant: `${PREFIXES.cp}Activiteit.Boekingsinfo`, canonical: `${PREFIXES.cp}Boekingsinfo`, seenIn: 'UiTdatabank OSLO Turtle (a cpa:Boekingsinfo)' },
  // udb3-backend writes amounts as "10.5"^^schema:Number; the GeldbedragShape wants xsd:decimal.
  { variant: `${PREFIXES.schema}Number`, canonical: `${PREFIXES.xsd}decimal`, seenIn: 'UiTdatabank OSLO Turtle (schema:value datatype)' },
  { variant: `${PREFIXES.cp}Realisator.realiseert`, canonical: `${PREFIXES.cp}Realisator.voertUit`, seenIn: 'OSLO context (UWP SHACL uses voertUit)' },
  { variant: `${PREFIXES.cp}AlgemeenParticipantkenmerk`, canonical: `${PREFIXES.cp}AlgemeenParticipantKenmerk`, seenIn: 'OSLO context (UWP SHACL EDIT)' },
  // Old UWP output wrote WGS84 coordinates with m8g terms; the UWP GeometryShape wants geo:lat / geo:lon.
  { variant: `${PREFIXES.m8g}latitude`, canonical: `${PREFIXES.geo}lat`, seenIn: 'old UWP output' },
  { variant: `${PREFIXES.m8g}longitude`, canonical: `${PREFIXES.geo}lon`, seenIn: 'old UWP output' },
];

const termVariantMap = new Map(TERM_VARIANTS.map((entry) => [entry.variant, entry.canonical]));
const namespaceVariantsLongestFirst = [...NAMESPACE_VARIANTS].sort((left, right) => right.variant.length - left.variant.length);

/** The canonical IRI for any known variant; unknown IRIs come back unchanged. */
export function normalizeIri(value: string): string {
  const direct = termVariantMap.get(value);
  if (direct !== undefined) return direct;
  for (const { variant, canonical } of namespaceVariantsLongestFirst) {
    if (value.startsWith(variant)) {
      const rewritten = canonical + value.slice(variant.length);
      // a namespace fix can reveal a term variant (e.g. http://schema.org/... is fine, but keep it general)
      return termVariantMap.get(rewritten) ?? rewritten;
    }
  }
  return value;
}

function normalizeTerm<T extends Term>(term: T): T {
  if (term.termType === 'NamedNode') {
    const canonical = normalizeIri(term.value);
    return (canonical === term.value ? term : DataFactory.namedNode(canonical)) as T;
  }
  if (term.termType === 'Literal') {
    const datatype = term.datatype.value;
    const canonical = normalizeIri(datatype);
    if (canonical !== datatype) return DataFactory.literal(term.value, DataFactory.namedNode(canonical)) as unknown as T;
  }
  return term;
}

/** Rewrites every known IRI variant in subjects, predicates, objects, graphs and literal datatypes. */
export function normalizeQuads(quads: Iterable<Quad>): Quad[] {
  const result: Quad[] = [];
  for (const quad of quads) {
    const subject = normalizeTerm(quad.subject);
    const predicate = normalizeTerm(quad.predicate);
    const object = normalizeTerm(quad.object);
    const graph = normalizeTerm(quad.graph);
    if (subject === quad.subject && predicate === quad.predicate && object === quad.object && graph === quad.graph) {
      result.push(quad);
    } else {
      result.push(DataFactory.quad(subject, predicate, object, graph) as Quad);
    }
  }
  return result;
}

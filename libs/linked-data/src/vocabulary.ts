import type { AttendanceMode, AudienceType, AvailabilityLevel, DayOfWeek, PerformanceStatus, PriceCategory } from '@platform/domain';
import { PREFIXES } from './prefixes.js';

const { cp, crm, m8g, dcterms, prov, locn, adres, schema, adms, generiek, skos, foaf, geo, geosparql, platform, cdp, rdf, xsd, udb, dcat } =
  PREFIXES;

/** The terms the mapping reads and writes, by their OSLO name where OSLO has one (canonical IRIs only). */
export const TERMS = {
  type: `${rdf}type`,
  // Activiteit (crm:E7_Activity)
  Activiteit: `${crm}E7_Activity`,
  naam: `${dcterms}title`, // Activiteit.naam
  beschrijving: `${dcterms}description`, // Activiteit.beschrijving
  activiteitType: `${dcterms}type`, // Activiteit.type
  thema: `${cp}thema`, // Activiteit.thema
  tijd: `${crm}P4_has_time-span`, // Activiteit.tijd
  locatie: `${prov}atLocation`, // Activiteit.locatie
  wasDerivedFrom: `${prov}wasDerivedFrom`, // a reconciled activity and the source records it merges
  gerealiseerdDoor: `${crm}P14_carried_out_by`, // Activiteit.gerealiseerdDoor (UWP links the organiser this way)
  subactiviteit: `${cp}Activiteit.subactiviteit`,
  superactiviteit: `${cp}Activiteit.superactiviteit`,
  status: `${cp}Activiteit.status`,
  prijs: `${cp}Activiteit.prijs`,
  boeking: `${cp}Activiteit.boeking`,
  beschikbaarheid: `${cp}Activiteit.beschikbaarheid`, // UWP puts ticketBeschikbaarheid on this node; read only
  identificator: `${adms}identifier`,
  created: `${dcterms}created`,
  modified: `${dcterms}modified`,
  verwerktOp: `${platform}verwerktOp`,
  url: `${schema}url`,
  image: `${schema}image`,
  // Periode (m8g:PeriodOfTime)
  Periode: `${m8g}PeriodOfTime`,
  begin: `${m8g}startTime`,
  einde: `${m8g}endTime`,
  // Plaats (dcterms:Location, UWP LocatieShape)
  Plaats: `${dcterms}Location`,
  locatorName: `${locn}locatorName`,
  address: `${locn}address`,
  geometry: `${locn}geometry`,
  Address: `${locn}Address`,
  thoroughfare: `${locn}thoroughfare`,
  locatorDesignator: `${locn}locatorDesignator`,
  busnummer: `${adres}Adresvoorstelling.busnummer`, // OSLO Adresvoorstelling.busnummer
  postCode: `${locn}postCode`,
  postName: `${locn}postName`,
  adminUnitL1: `${locn}adminUnitL1`,
  Geometry: `${locn}Geometry`,
  lat: `${geo}lat`,
  lon: `${geo}lon`,
  asWKT: `${geosparql}asWKT`,
  wktLiteral: `${geosparql}wktLiteral`,
  // Organisator
  Organisator: `${cp}Organisator`,
  realisatorNaam: `${cp}Realisator.naam`,
  homepage: `${foaf}homepage`,
  contactPoint: `${schema}contactPoint`,
  ContactPoint: `${schema}ContactPoint`,
  email: `${schema}email`,
  telephone: `${schema}telephone`,
  // Prijsinfo (schema:PriceSpecification) and Geldbedrag (schema:MonetaryAmount)
  Prijsinfo: `${schema}PriceSpecification`,
  prijscategorie: `${cp}Prijsinfo.prijscategorie`,
  prefLabel: `${skos}prefLabel`,
  price: `${schema}price`, // Prijsinfo.prijs
  Geldbedrag: `${schema}MonetaryAmount`,
  value: `${schema}value`,
  currency: `${schema}currency`,
  priceCurrency: `${schema}priceCurrency`,
  // Boekingsinfo
  Boekingsinfo: `${cp}Boekingsinfo`,
  boekingBeschikbaar: `${cp}Boekinginfo.beschikbaar`,
  // Identificator (adms:Identifier) as UWP's IdentificatorShape wants it
  Identificator: `${adms}Identifier`,
  notation: `${skos}notation`,
  creator: `${dcterms}creator`,
  bron: `${platform}bron`,
  gestructureerdeIdentificator: `${generiek}gestructureerdeIdentificator`,
  GestructureerdeIdentificator: `${generiek}GestructureerdeIdentificator`,
  naamruimte: `${generiek}naamruimte`,
  lokaleIdentificator: `${generiek}lokaleIdentificator`,
  Concept: `${skos}Concept`,
  // availability extension (schema.org + UWP level + our change time)
  maximumAttendeeCapacity: `${schema}maximumAttendeeCapacity`,
  remainingAttendeeCapacity: `${schema}remainingAttendeeCapacity`,
  ticketBeschikbaarheid: `${platform}ticketBeschikbaarheid`,
  availabilityChangedAt: `${cdp}availabilityChangedAt`,
  // calendar, as udb3-backend's OSLO output writes it (Activiteit.ruimtetijd, Activiteit.beschikbaarheid)
  ruimtetijd: `${cp}Activiteit.ruimtetijd`,
  Ruimtetijd: `${crm}E92_Spacetime_Volume`,
  temporalProjection: `${crm}P160_has_temporal_projection`,
  spatialProjection: `${crm}P161_has_spatial_projection`,
  Beschikbaarheid: `${cp}Beschikbaarheid`,
  hoursAvailable: `${schema}hoursAvailable`,
  OpeningHoursSpecification: `${schema}OpeningHoursSpecification`,
  opens: `${schema}opens`,
  closes: `${schema}closes`,
  dayOfWeek: `${schema}dayOfWeek`,
  // attendance: Activiteit.locatieType (Aanwezigheidsmodus) and the online location (UWP platform:virtueleLocatie)
  locatieType: `${cp}Activiteit.locatieType`,
  virtueleLocatie: `${platform}virtueleLocatie`,
  VirtualLocation: `${schema}VirtualLocation`,
  URL: `${schema}URL`,
  // audience, labels, age, media (udb3-backend's terms where it publishes them)
  audienceType: `${udb}audienceType`,
  keyword: `${dcat}keyword`,
  typicalAgeRange: `${schema}typicalAgeRange`,
  sameAs: `${schema}sameAs`,
  facility: `${cdp}facility`,
  // declared links to the same activity in another source (reconciliation), our namespace: OSLO has none
  declaredLink: `${cdp}declaredLink`,
  linkedSource: `${cdp}linkedSource`,
  linkedSourceKind: `${cdp}linkedSourceKind`,
  linkedExternalId: `${cdp}linkedExternalId`,
  asGML: `${geosparql}asGML`,
  Uitvoerder: `${cp}Uitvoerder`,
  video: `${schema}video`,
  ImageObject: `${schema}ImageObject`,
  VideoObject: `${schema}VideoObject`,
  identifier: `${schema}identifier`,
  embedUrl: `${schema}embedUrl`,
  thumbnailUrl: `${schema}thumbnailUrl`,
  copyrightHolder: `${schema}copyrightHolder`,
  schemaDescription: `${schema}description`,
  inLanguage: `${schema}inLanguage`,
  // datatypes
  dateTime: `${xsd}dateTime`,
  decimal: `${xsd}decimal`,
  integer: `${xsd}integer`,
  string: `${xsd}string`,
  anyURI: `${xsd}anyURI`,
} as const;

/** schema.org ItemAvailability, the values UWP uses for platform:ticketBeschikbaarheid. */
export const AVAILABILITY_LEVEL_IRIS: Record<AvailabilityLevel, string> = {
  InStock: `${schema}InStock`,
  LimitedAvailability: `${schema}LimitedAvailability`,
  OutOfStock: `${schema}OutOfStock`,
};

/**
 * Performance status on cp:Activiteit.status. The profile's ActiviteitStatus is a skos:Concept without a
 * published code list, so we use schema.org EventStatusType individuals (also what calendars understand).
 */
export const PERFORMANCE_STATUS_IRIS: Record<PerformanceStatus, string> = {
  scheduled: `${schema}EventScheduled`,
  cancelled: `${schema}EventCancelled`,
  postponed: `${schema}EventPostponed`,
};

/**
 * Price categories. "basis" and "tarief" are the UWP PrijsCategorieType concepts (demo data product);
 * UWP publishes no concept for social tariff or free entry, so those live in our own concept space.
 */
export const PRICE_CATEGORY_IRIS: Record<PriceCategory, string> = {
  base: 'https://data.cultuurparticipatie.be/id/concept/PrijsCategorieType/basis',
  tariff: 'https://data.cultuurparticipatie.be/id/concept/PrijsCategorieType/tarief',
  social: 'https://w3id.org/cultuurdata-platform/id/concept/PrijsCategorieType/sociaalTarief',
  free: 'https://w3id.org/cultuurdata-platform/id/concept/PrijsCategorieType/gratis',
};

/** Activiteit.locatieType: the Aanwezigheidsmodus concepts udb3-backend publishes. */
export const ATTENDANCE_MODE_IRIS: Record<AttendanceMode, string> = {
  offline: 'https://data.cultuurparticipatie.be/id/concept/Aanwezigheidsmodus/fysiek',
  online: 'https://data.cultuurparticipatie.be/id/concept/Aanwezigheidsmodus/online',
  mixed: 'https://data.cultuurparticipatie.be/id/concept/Aanwezigheidsmodus/hybride',
};

/** udb:audienceType concepts as udb3-backend publishes them (OSLO has no code list for it). */
export const AUDIENCE_TYPE_IRIS: Record<AudienceType, string> = {
  everyone: 'https://data.publiq.be/concepts/audienceType/everyone',
  members: 'https://data.publiq.be/concepts/audienceType/members',
  education: 'https://data.publiq.be/concepts/audienceType/education',
};

/** Label visibility as the datatype of dcat:keyword (udb3-backend's LabelType concepts). */
export const LABEL_TYPE_IRIS = {
  visible: 'https://data.cultuurparticipatie.be/id/concept/LabelType/publiek',
  hidden: 'https://data.cultuurparticipatie.be/id/concept/LabelType/verborgen',
} as const;

/** schema:dayOfWeek individuals (schema:Monday, ...). */
export const DAY_OF_WEEK_IRIS: Record<DayOfWeek, string> = {
  monday: `${schema}Monday`,
  tuesday: `${schema}Tuesday`,
  wednesday: `${schema}Wednesday`,
  thursday: `${schema}Thursday`,
  friday: `${schema}Friday`,
  saturday: `${schema}Saturday`,
  sunday: `${schema}Sunday`,
};

export function reverseLookup<K extends string>(table: Record<K, string>, value: string): K | undefined {
  for (const [key, iriValue] of Object.entries(table) as Array<[K, string]>) {
    if (iriValue === value) return key;
  }
  return undefined;
}

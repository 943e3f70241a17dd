import type { Quad, Quad_Object, Quad_Subject } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { FEED_KINDS, FEED_NAMES, type FeedName } from '@platform/feeds';

const { namedNode, literal, quad } = DataFactory;

export const DCAT_PREFIXES = {
  dcat: 'http://www.w3.org/ns/dcat#',
  dcatap: 'http://data.europa.eu/r5r/',
  dct: 'http://purl.org/dc/terms/',
  foaf: 'http://xmlns.com/foaf/0.1/',
  vcard: 'http://www.w3.org/2006/vcard/ns#',
  skos: 'http://www.w3.org/2004/02/skos/core#',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  rdfs: 'http://www.w3.org/2000/01/rdf-schema#',
} as const;

const iri = (prefix: keyof typeof DCAT_PREFIXES, local: string) => namedNode(`${DCAT_PREFIXES[prefix]}${local}`);
const A = iri('rdf', 'type');

/** EU controlled vocabularies (publications.europa.eu authority tables) DCAT-AP asks for. */
const EU = 'http://publications.europa.eu/resource/authority/';
export const ACCESS_RIGHTS = { public: `${EU}access-right/PUBLIC`, restricted: `${EU}access-right/RESTRICTED` } as const;
const FILE_TYPE = { csv: `${EU}file-type/CSV`, json: `${EU}file-type/JSON`, jsonld: `${EU}file-type/JSON_LD`, turtle: `${EU}file-type/RDF_TURTLE` } as const;
const MEDIA_TYPE = { csv: 'text/csv', json: 'application/json', jsonld: 'application/ld+json', turtle: 'text/turtle' } as const;
type Format = keyof typeof MEDIA_TYPE;
const THEME_EDUCATION_CULTURE_SPORT = `${EU}data-theme/EDUC`;
const DATA_THEMES = `${EU}data-theme`;
const LANGUAGES = { nl: `${EU}language/NLD`, en: `${EU}language/ENG` } as const;
const BELGIUM = `${EU}country/BEL`;
const WKT = 'http://www.opengis.net/ont/geosparql#wktLiteral';
const FREQUENCY_CONTINUOUS = `${EU}frequency/UPDATE_CONT`;

const AVAILABLE = `${EU}planned-availability/AVAILABLE`;
const ADMS_PUBLISHER_TYPE = 'http://purl.org/adms/publishertype/';
/** ADMS licence types of the licences a deployment is likely to name (others stay untyped). */
const LICENCE_TYPES: Record<string, string> = {
  'https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0': 'http://purl.org/adms/licencetype/Attribution',
  'https://creativecommons.org/licenses/by/4.0/': 'http://purl.org/adms/licencetype/Attribution',
  'https://creativecommons.org/publicdomain/zero/1.0/': 'http://purl.org/adms/licencetype/PublicDomain',
};

const STANDARDS = {
  dataCube: 'http://www.w3.org/TR/vocab-data-cube/',
  rpde: 'https://openactive.io/realtime-paged-data-exchange/',
  ldes: 'https://w3id.org/ldes/specification',
  oslo: 'https://data.vlaanderen.be/doc/applicatieprofiel/cultuurparticipatie/',
  graphql: 'https://spec.graphql.org/',
  openapi: 'https://spec.openapis.org/oas/v3.0.3',
} as const;

export interface Period {
  start: Date;
  end: Date;
}

export interface CatalogueOptions {
  /** {PUBLIC_BASE_URL}: every IRI and URL of the catalogue lives under it. */
  baseUrl: string;
  /** Licence of the open data (the feeds' FEED_LICENSE). */
  license: string;
  /** `type`: an ADMS publisher type (default RegionalAuthority). */
  publisher?: { name: string; homepage?: string; email?: string; type?: 'RegionalAuthority' | 'NationalAuthority' | 'LocalAuthority' | 'NonProfitOrganisation' | 'Company' };
  /** First and last performance start of the stored tickets (null: none yet). */
  participationCoverage?: Period | null;
  /** First and last performance start of the published activities (null: none yet). */
  activityCoverage?: Period | null;
  /** When the catalogue was produced (its dct:modified). */
  modified: Date;
  /** When publication began (its dct:issued): the platform's first source. */
  issued?: Date;
}

interface Text {
  nl: string;
  en: string;
}

interface DistributionSpec {
  slug: string;
  title: Text;
  accessPath: string;
  format: Format;
  conformsTo?: string;
  service?: 'research' | 'feeds' | 'graphql';
}

interface DatasetSpec {
  iri: string;
  title: Text;
  description: Text;
  keywords: Text[];
  access: keyof typeof ACCESS_RIGHTS;
  coverage: Period | null | undefined;
  conformsTo?: string[];
  distributions: DistributionSpec[];
}

const RESEARCH_ACCESS: Text = {
  nl: 'Alleen met een onderzoekerssleutel (een beheerder reikt ze uit); beschermde aggregaten: cellen onder k personen en door één organisatie gedomineerde omzet zijn onderdrukt, gepubliceerde waarden zijn verstoord met de cell-key-methode.',
  en: 'Only with a researcher key (an admin issues them); protected aggregates: cells below k persons and revenue dominated by one organisation are suppressed, published values are perturbed with the cell key method.',
};

/**
 * The platform's DCAT-AP 3.0.1 catalogue: the participation datasets (statistics as CSV and RDF Data
 * Cube, comparators, trends; access restricted), the open feeds of activities, places and organizers
 * (RPDE, LDES, search) and the APIs as dcat:DataService. Every referenced resource is typed (agent,
 * licence, rights statement, media type, location, period, standard, concept), as DCAT-AP's range
 * shapes require.
 */
export function dcatCatalogue(options: CatalogueOptions): Quad[] {
  const base = options.baseUrl;
  const quads: Quad[] = [];
  const add = (subject: Quad_Subject, predicate: ReturnType<typeof iri>, object: Quad_Object) => quads.push(quad(subject, predicate, object));
  const texts = (subject: Quad_Subject, predicate: ReturnType<typeof iri>, text: Text) => {
    add(subject, predicate, literal(text.nl, 'nl'));
    add(subject, predicate, literal(text.en, 'en'));
  };
  const typed = new Set<string>();
  const typedNode = (value: string, type: ReturnType<typeof iri>, label?: Text) => {
    const node = namedNode(value);
    if (!typed.has(`${value} ${type.value}`)) {
      typed.add(`${value} ${type.value}`);
      add(node, A, type);
      if (label) texts(node, type.value === `${DCAT_PREFIXES.skos}Concept` ? iri('skos', 'prefLabel') : iri('rdfs', 'label'), label);
    }
    return node;
  };
  const dateTime = (date: Date) => literal(date.toISOString(), iri('xsd', 'dateTime'));

  const catalog = namedNode(`${base}/datasets`);
  const publisher = namedNode(`${base}/id/organisation/platform`);
  const contact = namedNode(`${base}/id/organisation/platform#contact`);
  const license = typedNode(options.license, iri('dct', 'LicenseDocument'));
  const licenceType = LICENCE_TYPES[options.license];
  if (licenceType) add(license, iri('dct', 'type'), typedNode(licenceType, iri('skos', 'Concept'), { nl: licenceType.replace(/.*\//, ''), en: licenceType.replace(/.*\//, '') }));
  const available = typedNode(AVAILABLE, iri('skos', 'Concept'), { nl: 'Beschikbaar', en: 'Available' });
  const belgium = typedNode(BELGIUM, iri('dct', 'Location'), { nl: 'België', en: 'Belgium' });
  // Belgium's bounding box and centre (WGS84 longitude latitude, GeoSPARQL WKT).
  add(belgium, iri('dcat', 'bbox'), literal('POLYGON((2.54 49.49, 6.41 49.49, 6.41 51.51, 2.54 51.51, 2.54 49.49))', namedNode(WKT)));
  add(belgium, iri('dcat', 'centroid'), literal('POINT(4.47 50.50)', namedNode(WKT)));
  const languages = Object.values(LANGUAGES).map((language) => typedNode(language, iri('dct', 'LinguisticSystem')));
  const themes = typedNode(DATA_THEMES, iri('skos', 'ConceptScheme'));
  texts(themes, iri('dct', 'title'), { nl: 'Datathema’s (EU)', en: 'Data themes (EU)' });
  const theme = typedNode(THEME_EDUCATION_CULTURE_SPORT, iri('skos', 'Concept'), { nl: 'Onderwijs, cultuur en sport', en: 'Education, culture and sport' });
  add(theme, iri('skos', 'inScheme'), themes);
  const rights = (access: keyof typeof ACCESS_RIGHTS) =>
    typedNode(ACCESS_RIGHTS[access], iri('dct', 'RightsStatement'), access === 'public' ? { nl: 'Publiek', en: 'Public' } : { nl: 'Beperkt', en: 'Restricted' });
  const standard = (value: string) => typedNode(value, iri('dct', 'Standard'));

  // Publisher and contact point.
  const name = options.publisher?.name ?? 'Cultuurdata-platform';
  add(publisher, A, iri('foaf', 'Agent'));
  add(publisher, A, iri('foaf', 'Organization'));
  add(publisher, iri('foaf', 'name'), literal(name));
  const publisherType = options.publisher?.type ?? 'RegionalAuthority';
  add(publisher, iri('dct', 'type'), typedNode(`${ADMS_PUBLISHER_TYPE}${publisherType}`, iri('skos', 'Concept'), { nl: publisherType, en: publisherType }));
  if (options.publisher?.homepage) add(publisher, iri('foaf', 'homepage'), typedNode(options.publisher.homepage, iri('foaf', 'Document')));
  add(contact, A, iri('vcard', 'Kind'));
  add(contact, A, iri('vcard', 'Organization'));
  add(contact, iri('vcard', 'fn'), literal(name));
  add(contact, iri('vcard', 'hasURL'), namedNode(`${base}/`));
  if (options.publisher?.email) add(contact, iri('vcard', 'hasEmail'), namedNode(`mailto:${options.publisher.email}`));

  // The catalogue.
  add(catalog, A, iri('dcat', 'Catalog'));
  texts(catalog, iri('dct', 'title'), { nl: 'Cultuurdata-platform: datasets', en: 'Culture data platform: datasets' });
  texts(catalog, iri('dct', 'description'), {
    nl: 'Open activiteitsgegevens van het Vlaamse cultuurveld (feeds, zoek-API, GraphQL) en privacyveilige deelnamestatistieken voor onderzoekers.',
    en: 'Open activity data of the Flemish culture sector (feeds, search API, GraphQL) and privacy-safe participation statistics for researchers.',
  });
  add(catalog, iri('dct', 'publisher'), publisher);
  add(catalog, iri('foaf', 'homepage'), typedNode(`${base}/`, iri('foaf', 'Document')));
  add(catalog, iri('dct', 'license'), license);
  add(catalog, iri('dct', 'spatial'), belgium);
  for (const language of languages) add(catalog, iri('dct', 'language'), language);
  add(catalog, iri('dcat', 'themeTaxonomy'), themes);
  add(catalog, iri('dct', 'modified'), dateTime(options.modified));
  if (options.issued) add(catalog, iri('dct', 'issued'), dateTime(options.issued));

  // Services.
  const services: Record<NonNullable<DistributionSpec['service']>, Quad_Subject & Quad_Object> = {
    graphql: namedNode(`${base}/id/service/graphql`),
    research: namedNode(`${base}/id/service/research`),
    feeds: namedNode(`${base}/id/service/feeds`),
  };
  const serviceSpecs: Array<{ key: keyof typeof services; title: Text; description: Text; keywords: Text[]; endpoint: string; endpointDescription: string; conformsTo: string; access: keyof typeof ACCESS_RIGHTS }> = [
    {
      key: 'graphql',
      title: { nl: 'GraphQL-API', en: 'GraphQL API' },
      description: {
        nl: 'Eén GraphQL-endpoint voor activiteiten, locaties en organisatoren (open) en voor deelnamestatistieken, vergelijkingen en trends (participation, participationComparison, participationTrend: alleen met een onderzoekerssleutel).',
        en: 'One GraphQL endpoint for activities, places and organizers (open) and for participation statistics, comparators and trends (participation, participationComparison, participationTrend: researcher key only).',
      },
      keywords: [{ nl: 'GraphQL', en: 'GraphQL' }, { nl: 'activiteiten', en: 'activities' }, { nl: 'cultuurparticipatie', en: 'cultural participation' }],
      endpoint: `${base}/graphql`,
      endpointDescription: `${base}/graphql`,
      conformsTo: STANDARDS.graphql,
      access: 'public',
    },
    {
      key: 'research',
      title: { nl: 'Onderzoeks-API (deelname)', en: 'Research API (participation)' },
      description: RESEARCH_ACCESS,
      keywords: [{ nl: 'cultuurparticipatie', en: 'cultural participation' }, { nl: 'statistiek', en: 'statistics' }],
      endpoint: `${base}/v1/research`,
      endpointDescription: `${base}/docs/openapi.json`,
      conformsTo: STANDARDS.openapi,
      access: 'restricted',
    },
    {
      key: 'feeds',
      title: { nl: 'Wijzigingsfeeds en zoek-API', en: 'Change feeds and search API' },
      description: { nl: 'RPDE-feeds (/feeds/…), Linked Data Event Streams (/ldes/…) en zoeken (/v1/activities).', en: 'RPDE feeds (/feeds/…), Linked Data Event Streams (/ldes/…) and search (/v1/activities).' },
      keywords: [{ nl: 'wijzigingsfeed', en: 'change feed' }, { nl: 'RPDE', en: 'RPDE' }, { nl: 'LDES', en: 'LDES' }],
      endpoint: `${base}/feeds`,
      endpointDescription: `${base}/docs/openapi.json`,
      conformsTo: STANDARDS.openapi,
      access: 'public',
    },
  ];
  for (const spec of serviceSpecs) {
    const service = services[spec.key];
    add(catalog, iri('dcat', 'service'), service);
    add(service, A, iri('dcat', 'DataService'));
    texts(service, iri('dct', 'title'), spec.title);
    texts(service, iri('dct', 'description'), spec.description);
    for (const keyword of spec.keywords) texts(service, iri('dcat', 'keyword'), keyword);
    // DCAT-AP's range shapes want these typed (rdfs:Resource): the data graph is not inferred.
    add(service, iri('dcat', 'endpointURL'), typedNode(spec.endpoint, iri('rdfs', 'Resource')));
    add(service, iri('dcat', 'endpointDescription'), typedNode(spec.endpointDescription, iri('rdfs', 'Resource')));
    add(service, iri('dct', 'conformsTo'), standard(spec.conformsTo));
    add(service, iri('dct', 'publisher'), publisher);
    add(service, iri('dcat', 'contactPoint'), contact);
    add(service, iri('dct', 'accessRights'), rights(spec.access));
    add(service, iri('dct', 'license'), license);
    add(service, iri('dcat', 'theme'), theme);
  }

  // Datasets.
  const feedDataset = (feed: FeedName): DatasetSpec => {
    const kind = FEED_KINDS[feed];
    return {
      iri: `${base}/ldes/${feed}`,
      title: { nl: `${kind.title.nl} van het Vlaamse cultuurveld`, en: `${kind.title.en} of the Flemish culture sector` },
      description: {
        nl: `${kind.title.nl} (OSLO ${kind.rpdeKind}) zoals bronnen ze aanleveren, gevalideerd en ontdubbeld; volledig en met elke wijziging te volgen.`,
        en: `${kind.title.en} (OSLO ${kind.rpdeKind}) as sources supply them, validated and deduplicated; complete, every change can be followed.`,
      },
      keywords: [kind.title, { nl: 'cultuur', en: 'culture' }, { nl: 'open data', en: 'open data' }],
      access: 'public',
      coverage: feed === 'activities' ? options.activityCoverage : undefined,
      conformsTo: [STANDARDS.oslo],
      distributions: [
        { slug: 'rpde', title: { nl: `RPDE-feed ${kind.title.nl.toLowerCase()}`, en: `RPDE feed of ${kind.title.en.toLowerCase()}` }, accessPath: `/feeds/${feed}`, format: 'json', conformsTo: STANDARDS.rpde, service: 'feeds' },
        { slug: 'ldes-turtle', title: { nl: `LDES ${kind.title.nl.toLowerCase()} (Turtle)`, en: `LDES of ${kind.title.en.toLowerCase()} (Turtle)` }, accessPath: `/ldes/${feed}`, format: 'turtle', conformsTo: STANDARDS.ldes, service: 'feeds' },
        { slug: 'ldes-jsonld', title: { nl: `LDES ${kind.title.nl.toLowerCase()} (JSON-LD)`, en: `LDES of ${kind.title.en.toLowerCase()} (JSON-LD)` }, accessPath: `/ldes/${feed}`, format: 'jsonld', conformsTo: STANDARDS.ldes, service: 'feeds' },
        ...(feed === 'activities'
          ? [{ slug: 'search', title: { nl: 'Zoeken in activiteiten', en: 'Search activities' }, accessPath: '/v1/activities', format: 'json' as const, service: 'feeds' as const }]
          : []),
        { slug: 'graphql', title: { nl: `${kind.title.nl} via GraphQL`, en: `${kind.title.en} over GraphQL` }, accessPath: '/graphql', format: 'json', conformsTo: STANDARDS.graphql, service: 'graphql' },
      ],
    };
  };
  const datasets: DatasetSpec[] = [
    {
      iri: `${base}/id/dataset/participation`,
      title: { nl: 'Cultuurparticipatie: beschermde statistieken', en: 'Cultural participation: protected statistics' },
      description: {
        nl: 'Tickets, deelnemers (pseudoniem), bezoeken per deelnemer, omzet, penetratie en index per activiteit, organisator, locatie, woonplaats, leeftijdsklasse, prijscategorie (met kansentarief en UiTPAS), kanaal, type en periode. ' + RESEARCH_ACCESS.nl,
        en: 'Tickets, participants (pseudonymous), visits per participant, revenue, penetration and index by activity, organizer, venue, home area, age band, price category (incl. social tariffs), channel, type and period. ' + RESEARCH_ACCESS.en,
      },
      keywords: [{ nl: 'cultuurparticipatie', en: 'cultural participation' }, { nl: 'publieksonderzoek', en: 'audience research' }, { nl: 'statistiek', en: 'statistics' }],
      access: 'restricted',
      coverage: options.participationCoverage,
      conformsTo: [STANDARDS.dataCube],
      distributions: [
        { slug: 'csv', title: { nl: 'Statistieken als CSV', en: 'Statistics as CSV' }, accessPath: '/v1/research/participation?format=csv', format: 'csv', service: 'research' },
        { slug: 'cube-turtle', title: { nl: 'RDF Data Cube (Turtle)', en: 'RDF Data Cube (Turtle)' }, accessPath: '/v1/research/participation?format=turtle', format: 'turtle', conformsTo: STANDARDS.dataCube, service: 'research' },
        { slug: 'cube-jsonld', title: { nl: 'RDF Data Cube (JSON-LD)', en: 'RDF Data Cube (JSON-LD)' }, accessPath: '/v1/research/participation?format=jsonld', format: 'jsonld', conformsTo: STANDARDS.dataCube, service: 'research' },
        { slug: 'json', title: { nl: 'Statistieken als JSON', en: 'Statistics as JSON' }, accessPath: '/v1/research/participation', format: 'json', service: 'research' },
      ],
    },
    {
      iri: `${base}/id/dataset/participation-comparators`,
      title: { nl: 'Cultuurparticipatie: vergelijking met gelijkaardige organisaties', en: 'Cultural participation: comparison with peer organisations' },
      description: {
        nl: 'Een organisatie tegenover het geheel van de andere organisaties van dezelfde provincie, hetzelfde gewest of hetzelfde activiteitstype, alleen bij minstens 5 andere. ' + RESEARCH_ACCESS.nl,
        en: 'An organisation against the aggregate of the other organisations of the same province, region or activity type, only with at least 5 of them. ' + RESEARCH_ACCESS.en,
      },
      keywords: [{ nl: 'benchmark', en: 'benchmark' }, { nl: 'cultuurparticipatie', en: 'cultural participation' }],
      access: 'restricted',
      coverage: options.participationCoverage,
      distributions: [
        { slug: 'json', title: { nl: 'Vergelijking als JSON', en: 'Comparison as JSON' }, accessPath: '/v1/research/comparators', format: 'json', service: 'research' },
        { slug: 'csv', title: { nl: 'Vergelijking als CSV', en: 'Comparison as CSV' }, accessPath: '/v1/research/comparators?format=csv', format: 'csv', service: 'research' },
      ],
    },
    {
      iri: `${base}/id/dataset/participation-trends`,
      title: { nl: 'Cultuurparticipatie: trends per maand, seizoen en jaar', en: 'Cultural participation: trends by month, season and year' },
      description: {
        nl: 'Dezelfde maten per periode, met de verandering tegenover de vorige periode en dezelfde periode een jaar eerder; overal dezelfde definities (k, bevolking Statbel 2021). ' + RESEARCH_ACCESS.nl,
        en: 'The same measures per period, with the change against the previous period and the same period a year earlier; the same definitions throughout (k, Statbel 2021 population). ' + RESEARCH_ACCESS.en,
      },
      keywords: [{ nl: 'trend', en: 'trend' }, { nl: 'cultuurparticipatie', en: 'cultural participation' }],
      access: 'restricted',
      coverage: options.participationCoverage,
      distributions: [
        { slug: 'json', title: { nl: 'Trends als JSON', en: 'Trends as JSON' }, accessPath: '/v1/research/trends', format: 'json', service: 'research' },
        { slug: 'csv', title: { nl: 'Trends als CSV', en: 'Trends as CSV' }, accessPath: '/v1/research/trends?format=csv', format: 'csv', service: 'research' },
      ],
    },
    ...FEED_NAMES.map(feedDataset),
  ];

  for (const spec of datasets) {
    const dataset = namedNode(spec.iri);
    add(catalog, iri('dcat', 'dataset'), dataset);
    add(dataset, A, iri('dcat', 'Dataset'));
    texts(dataset, iri('dct', 'title'), spec.title);
    texts(dataset, iri('dct', 'description'), spec.description);
    for (const keyword of spec.keywords) texts(dataset, iri('dcat', 'keyword'), keyword);
    add(dataset, iri('dct', 'publisher'), publisher);
    add(dataset, iri('dcat', 'contactPoint'), contact);
    add(dataset, iri('dcat', 'theme'), theme);
    add(dataset, iri('dct', 'spatial'), belgium);
    add(dataset, iri('dct', 'accessRights'), rights(spec.access));
    add(dataset, iri('dct', 'accrualPeriodicity'), typedNode(FREQUENCY_CONTINUOUS, iri('dct', 'Frequency')));
    for (const language of languages) add(dataset, iri('dct', 'language'), language);
    for (const conformsTo of spec.conformsTo ?? []) add(dataset, iri('dct', 'conformsTo'), standard(conformsTo));
    if (spec.coverage) {
      const period = namedNode(`${spec.iri}#temporal`);
      add(dataset, iri('dct', 'temporal'), period);
      add(period, A, iri('dct', 'PeriodOfTime'));
      add(period, iri('dcat', 'startDate'), dateTime(spec.coverage.start));
      add(period, iri('dcat', 'endDate'), dateTime(spec.coverage.end));
    }
    for (const distributionSpec of spec.distributions) {
      const distribution = namedNode(`${spec.iri}#distribution-${distributionSpec.slug}`);
      add(dataset, iri('dcat', 'distribution'), distribution);
      add(distribution, A, iri('dcat', 'Distribution'));
      texts(distribution, iri('dct', 'title'), distributionSpec.title);
      texts(distribution, iri('dct', 'description'), {
        nl: `${distributionSpec.title.nl}, ${MEDIA_TYPE[distributionSpec.format]}, op ${base}${distributionSpec.accessPath}. ${spec.access === 'restricted' ? 'Alleen met een onderzoekerssleutel.' : 'Open.'}`,
        en: `${distributionSpec.title.en}, ${MEDIA_TYPE[distributionSpec.format]}, at ${base}${distributionSpec.accessPath}. ${spec.access === 'restricted' ? 'Researcher key only.' : 'Open.'}`,
      });
      add(distribution, iri('dcatap', 'availability'), available);
      add(distribution, iri('dcat', 'accessURL'), namedNode(`${base}${distributionSpec.accessPath}`));
      add(distribution, iri('dcat', 'mediaType'), typedNode(`https://www.iana.org/assignments/media-types/${MEDIA_TYPE[distributionSpec.format]}`, iri('dct', 'MediaType')));
      add(distribution, iri('dct', 'format'), typedNode(FILE_TYPE[distributionSpec.format], iri('dct', 'MediaTypeOrExtent')));
      add(distribution, iri('dct', 'license'), license);
      if (distributionSpec.conformsTo) add(distribution, iri('dct', 'conformsTo'), standard(distributionSpec.conformsTo));
      if (distributionSpec.service) {
        const service = services[distributionSpec.service];
        add(distribution, iri('dcat', 'accessService'), service);
        if (!quads.some((entry) => entry.subject.equals(service) && entry.predicate.value === `${DCAT_PREFIXES.dcat}servesDataset` && entry.object.equals(dataset))) {
          add(service, iri('dcat', 'servesDataset'), dataset);
        }
      }
    }
  }
  return quads;
}

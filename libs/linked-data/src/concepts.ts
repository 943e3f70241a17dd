import type { Quad } from '@rdfjs/types';
import { DataFactory } from 'n3';
import { PREFIXES } from './prefixes.js';
import { PRICE_CATEGORY_IRIS } from './vocabulary.js';

const { namedNode, literal, quad } = DataFactory;

/** The platform's own price categories: the scheme they are in (dereferenceable at /id/concept/PrijsCategorieType). */
export const PRICE_CATEGORY_SCHEME = 'https://w3id.org/cultuurdata-platform/id/concept/PrijsCategorieType';
const OSLO_TARIFF = PRICE_CATEGORY_IRIS.tariff;
/** A ticket bought with an UiTPAS (no price category of an activity's price list). */
export const UITPAS_TARIFF_IRI = `${PRICE_CATEGORY_SCHEME}/uitpas`;

interface Concept {
  code: string;
  iri: string;
  label: { nl: string; en: string; fr: string };
  definition: { nl: string; en: string };
  /** Codes a ticket or price may also use for it. */
  altCodes?: string[];
}

/**
 * OSLO's PrijsCategorieType has `basis` and `tarief` only. Social tariffs (kansentarief, UiTPAS) and free
 * entry are narrower than `tarief` (skos:broader), in our own scheme, until official concepts exist (decision 5).
 */
export const PLATFORM_PRICE_CATEGORIES: Concept[] = [
  {
    code: 'sociaalTarief',
    iri: PRICE_CATEGORY_IRIS.social,
    label: { nl: 'Kansentarief', en: 'Social tariff', fr: 'Tarif social' },
    definition: {
      nl: 'Verlaagd tarief voor mensen in armoede of met een laag inkomen (kansentarief, sociaal tarief).',
      en: 'Reduced price for people in poverty or on a low income (kansentarief, social tariff).',
    },
    altCodes: ['kansentarief'],
  },
  {
    code: 'uitpas',
    iri: UITPAS_TARIFF_IRI,
    label: { nl: 'UiTPAS-tarief', en: 'UiTPAS tariff', fr: 'Tarif UiTPAS' },
    definition: {
      nl: 'Tarief met een UiTPAS, ook het kansentarief dat een UiTPAS met kansenstatuut geeft.',
      en: 'Price with an UiTPAS card, including the social tariff of an UiTPAS with opportunity status.',
    },
  },
  {
    code: 'gratis',
    iri: PRICE_CATEGORY_IRIS.free,
    label: { nl: 'Gratis', en: 'Free entry', fr: 'Entrée gratuite' },
    definition: { nl: 'Toegang zonder te betalen.', en: 'Entry without paying.' },
  },
];

/** The scheme and its concepts as RDF (SKOS), each concept `skos:broader` OSLO's `tarief`. */
export function priceCategorySchemeQuads(): Quad[] {
  const skos = (name: string) => namedNode(`${PREFIXES.skos}${name}`);
  const scheme = namedNode(PRICE_CATEGORY_SCHEME);
  const quads: Quad[] = [
    quad(scheme, namedNode(`${PREFIXES.rdf}type`), skos('ConceptScheme')),
    quad(scheme, skos('prefLabel'), literal('Prijscategorieën van het cultuurdataplatform', 'nl')),
    quad(scheme, skos('prefLabel'), literal('Price categories of the culture data platform', 'en')),
    quad(scheme, skos('definition'), literal('Prijscategorieën die OSLO PrijsCategorieType (basis, tarief) niet heeft; elk is enger dan tarief.', 'nl')),
    quad(scheme, skos('definition'), literal('Price categories that OSLO PrijsCategorieType (basis, tarief) lacks; each is narrower than tarief.', 'en')),
  ];
  for (const concept of PLATFORM_PRICE_CATEGORIES) {
    const node = namedNode(concept.iri);
    quads.push(
      quad(scheme, skos('hasTopConcept'), node),
      quad(node, namedNode(`${PREFIXES.rdf}type`), skos('Concept')),
      quad(node, skos('inScheme'), scheme),
      quad(node, skos('topConceptOf'), scheme),
      quad(node, skos('broader'), namedNode(OSLO_TARIFF)),
      quad(node, skos('notation'), literal(concept.code)),
      ...(concept.altCodes ?? []).map((code) => quad(node, skos('notation'), literal(code))),
      ...Object.entries(concept.label).map(([language, text]) => quad(node, skos('prefLabel'), literal(text, language))),
      ...Object.entries(concept.definition).map(([language, text]) => quad(node, skos('definition'), literal(text, language))),
    );
  }
  return quads;
}

import { describe, expect, it } from '@jest/globals';
import { DataFactory } from 'n3';
import { compactIri, NAMESPACE_VARIANTS, normalizeIri, normalizeQuads, PREFIXES, TERM_VARIANTS } from './prefixes.js';

const { namedNode, literal, quad } = DataFactory;
const cp = PREFIXES.cp;

describe('normalizeIri', () => {
  it.each([
    [`${cp}Acitviteit.boeking`, `${cp}Activiteit.boeking`],
    [`${cp}Boekingsinfo.beschikbaar`, `${cp}Boekinginfo.beschikbaar`],
    [`${cp}Boekingsinfo.kanaal`, `${cp}Boekinginfo.kanaal`],
    ['http://schema.org/contactPoint', 'https://schema.org/contactPoint'],
    ['http://www.schema.org/PriceSpecification', 'https://schema.org/PriceSpecification'],
    ['https://www.w3.org/ns/prov#atLocation', 'http://www.w3.org/ns/prov#atLocation'],
    ['https://www.w3.org/ns/adms#identifier', 'http://www.w3.org/ns/adms#identifier'],
    ['https://www.w3.org/2000/01/rdf-schema#label', 'http://www.w3.org/2000/01/rdf-schema#label'],
    ['http://cidoc-crm.org/cidoc-crm/P4_has_time-span', 'http://www.cidoc-crm.org/cidoc-crm/P4_has_time-span'],
    ['https://cidoc-crm.org/cidoc-crm/P14_carried_out_by', 'http://www.cidoc-crm.org/cidoc-crm/P14_carried_out_by'],
    ['https://www.cidoc-crm.org/cidoc-crm/E7_Activity', 'http://www.cidoc-crm.org/cidoc-crm/E7_Activity'],
    ['https://cidoc-crm.org/html/cidoc_crm_v7.1.2.html#P160', 'http://www.cidoc-crm.org/cidoc-crm/P160_has_temporal_projection'],
    ['https://cidoc-crm.org/html/cidoc_crm_v7.1.2.html#P161', 'http://www.cidoc-crm.org/cidoc-crm/P161_has_spatial_projection'],
    ['http://www.w3.org/ns/locn#postcode', 'http://www.w3.org/ns/locn#postCode'],
    [`${cp}ruimtetijd`, `${cp}Activiteit.ruimtetijd`],
    [`${cp}Prijs.prijscategorie`, `${cp}Prijsinfo.prijscategorie`],
    [`${cp}Realisator.realiseert`, `${cp}Realisator.voertUit`],
    [`${cp}AlgemeenParticipantkenmerk`, `${cp}AlgemeenParticipantKenmerk`],
    ['https://data.uitwisselingsplatform.be/platform#verwerktOp', 'https://data.uitwisselingsplatform.be/ns/platform#verwerktOp'],
    ['http://data.europa.eu/m8g/latitude', 'http://www.w3.org/2003/01/geo/wgs84_pos#lat'],
    ['http://data.europa.eu/m8g/longitude', 'http://www.w3.org/2003/01/geo/wgs84_pos#lon'],
  ])('%s -> %s', (variant, canonical) => {
    expect(normalizeIri(variant)).toBe(canonical);
  });

  it('covers every entry of the decision tables and is idempotent', () => {
    for (const { variant, canonical } of [...TERM_VARIANTS, ...NAMESPACE_VARIANTS]) {
      expect(normalizeIri(variant)).toBe(canonical);
      expect(normalizeIri(canonical)).toBe(canonical);
    }
  });

  it('leaves canonical and unknown IRIs alone', () => {
    expect(normalizeIri(`${cp}Activiteit.boeking`)).toBe(`${cp}Activiteit.boeking`);
    expect(normalizeIri('https://example.org/x')).toBe('https://example.org/x');
  });
});

describe('normalizeQuads', () => {
  it('rewrites subjects, predicates, objects and literal datatypes, keeping other quads as they are', () => {
    const untouched = quad(namedNode('https://e.org/a'), namedNode(`${PREFIXES.dcterms}title`), literal('x', 'nl'));
    const [first, second] = normalizeQuads([
      quad(namedNode('https://e.org/a'), namedNode(`${cp}Acitviteit.boeking`), namedNode('http://schema.org/Thing')),
      untouched,
    ]);
    expect(first.predicate.value).toBe(`${cp}Activiteit.boeking`);
    expect(first.object.value).toBe('https://schema.org/Thing');
    expect(second).toBe(untouched);
    const [typed] = normalizeQuads([quad(namedNode('https://e.org/a'), namedNode('https://e.org/p'), literal('1', namedNode('http://schema.org/Number')))]);
    // udb3-backend's amount datatype, normalised to the xsd:decimal the GeldbedragShape wants
    expect(typed.object.termType === 'Literal' && typed.object.datatype.value).toBe(`${PREFIXES.xsd}decimal`);
  });
});

describe('compactIri', () => {
  it('uses the prefix table', () => {
    expect(compactIri(`${PREFIXES.dcterms}title`)).toBe('dcterms:title');
    expect(compactIri(`${cp}Activiteit.boeking`)).toBe('cp:Activiteit.boeking');
    expect(compactIri('https://example.org/x')).toBe('https://example.org/x');
  });
});

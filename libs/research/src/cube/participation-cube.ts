import { createHash } from 'node:crypto';
import { DataFactory, type Quad, type Quad_Object } from 'n3';
import { compactJsonLd } from '@platform/linked-data';
import type { PublishedCell } from '../statistics/protect-participation.js';

const { namedNode, literal, quad } = DataFactory;

const QB = 'http://purl.org/linked-data/cube#';
const RDF = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#';
const RDFS = 'http://www.w3.org/2000/01/rdf-schema#';
const SKOS = 'http://www.w3.org/2004/02/skos/core#';
const XSD = 'http://www.w3.org/2001/XMLSchema#';
const DCT = 'http://purl.org/dc/terms/';
const SDMX_ATTRIBUTE = 'http://purl.org/linked-data/sdmx/2009/attribute#';
const SDMX_CODE = 'http://purl.org/linked-data/sdmx/2009/code#';

export const CUBE_CONTEXT = {
  qb: QB,
  rdfs: RDFS,
  skos: SKOS,
  xsd: XSD,
  dct: DCT,
  'sdmx-attribute': SDMX_ATTRIBUTE,
  'sdmx-code': SDMX_CODE,
};

/** A protected table as the cube needs it (the api's ParticipationTable has this shape). */
export interface CubeTable {
  groupBy: readonly string[];
  measures: readonly string[];
  cells: ReadonlyArray<PublishedCell & { labels: readonly string[] }>;
}

export interface CubeOptions {
  /** {PUBLIC_BASE_URL}: every IRI of the cube lives under it. */
  baseUrl: string;
  /** The query the cube answers (for its identity and description). */
  query: string;
  title: string;
  issued: Date;
}

const INTEGER_MEASURES = new Set(['tickets', 'participants']);

/**
 * A protected participation table as an RDF Data Cube (W3C qb): one qb:DataSet with its
 * qb:DataStructureDefinition, the measure-dimension pattern (one observation per cell and measure),
 * a code list (skos:ConceptScheme) per dimension, and sdmx-attribute:obsStatus on every observation.
 * A suppressed value is "NaN"^^xsd:double with obsStatus C (SDMX's convention for a withheld value),
 * never zero and never the value.
 */
export function participationCube(table: CubeTable, options: CubeOptions): Quad[] {
  const base = `${options.baseUrl}/id/dataset/participation`;
  const id = createHash('sha256').update(options.query).digest('hex').slice(0, 16);
  const dataset = namedNode(`${base}/${id}`);
  const structure = namedNode(`${base}/${id}/structure`);
  const dimensionProperty = (dimension: string) => namedNode(`${options.baseUrl}/ns/participation/dimension/${dimension}`);
  const measureProperty = (measure: string) => namedNode(`${options.baseUrl}/ns/participation/measure/${measure}`);
  const codeList = (dimension: string) => namedNode(`${options.baseUrl}/id/conceptscheme/participation/${dimension}`);
  const code = (dimension: string, value: string) => namedNode(`${options.baseUrl}/id/concept/participation/${dimension}/${encodeURIComponent(value)}`);
  const out: Quad[] = [];
  const add = (subject: ReturnType<typeof namedNode>, predicate: string, object: Quad_Object) => out.push(quad(subject, namedNode(predicate), object));
  const type = (subject: ReturnType<typeof namedNode>, klass: string) => add(subject, `${RDF}type`, namedNode(klass));

  type(dataset, `${QB}DataSet`);
  add(dataset, `${QB}structure`, structure);
  add(dataset, `${DCT}title`, literal(options.title, 'en'));
  add(dataset, `${DCT}issued`, literal(options.issued.toISOString(), namedNode(`${XSD}dateTime`)));
  add(dataset, `${RDFS}comment`, literal(`Protected participation statistics (suppression below k, cell-key perturbation). Query: ${options.query}`, 'en'));
  type(structure, `${QB}DataStructureDefinition`);

  let order = 1;
  const component = (property: ReturnType<typeof namedNode>, kind: 'dimension' | 'measure' | 'attribute', required?: boolean) => {
    const spec = namedNode(`${structure.value}/component/${order}`);
    add(structure, `${QB}component`, spec);
    type(spec, `${QB}ComponentSpecification`);
    add(spec, `${QB}${kind}`, property);
    add(spec, `${QB}componentProperty`, property);
    add(spec, `${QB}order`, literal(String(order), namedNode(`${XSD}integer`)));
    if (required !== undefined) add(spec, `${QB}componentRequired`, literal(String(required), namedNode(`${XSD}boolean`)));
    order += 1;
  };

  table.groupBy.forEach((dimension, index) => {
    const property = dimensionProperty(dimension);
    type(property, `${QB}DimensionProperty`);
    type(property, `${RDF}Property`);
    add(property, `${RDFS}label`, literal(dimension, 'en'));
    add(property, `${RDFS}range`, namedNode(`${SKOS}Concept`));
    add(property, `${QB}codeList`, codeList(dimension));
    type(codeList(dimension), `${SKOS}ConceptScheme`);
    add(codeList(dimension), `${SKOS}prefLabel`, literal(`Codes of ${dimension}`, 'en'));
    const seen = new Set<string>();
    for (const cell of table.cells) {
      const value = cell.coordinates[index];
      if (seen.has(value)) continue;
      seen.add(value);
      const concept = code(dimension, value);
      type(concept, `${SKOS}Concept`);
      add(concept, `${SKOS}inScheme`, codeList(dimension));
      add(concept, `${SKOS}notation`, literal(value));
      add(concept, `${SKOS}prefLabel`, literal(cell.labels[index], 'nl'));
    }
    component(property, 'dimension');
  });
  const measureType = namedNode(`${QB}measureType`);
  type(measureType, `${QB}DimensionProperty`);
  add(measureType, `${RDFS}range`, namedNode(`${QB}MeasureProperty`));
  component(measureType, 'dimension');
  for (const measure of table.measures) {
    const property = measureProperty(measure);
    type(property, `${QB}MeasureProperty`);
    type(property, `${RDF}Property`);
    add(property, `${RDFS}label`, literal(measure, 'en'));
    add(property, `${RDFS}range`, namedNode(`${XSD}${INTEGER_MEASURES.has(measure) ? 'integer' : 'decimal'}`));
    component(property, 'measure');
  }
  const obsStatus = namedNode(`${SDMX_ATTRIBUTE}obsStatus`);
  type(obsStatus, `${QB}AttributeProperty`);
  component(obsStatus, 'attribute', true);

  table.cells.forEach((cell, cellIndex) => {
    for (const measure of table.measures) {
      const observation = namedNode(`${dataset.value}/observation/${cellIndex}/${measure}`);
      type(observation, `${QB}Observation`);
      add(observation, `${QB}dataSet`, dataset);
      table.groupBy.forEach((dimension, index) => add(observation, dimensionProperty(dimension).value, code(dimension, cell.coordinates[index])));
      add(observation, `${QB}measureType`, measureProperty(measure));
      const status = measure === 'revenue' ? cell.revenueStatus : cell.obsStatus;
      const value = cell[measure as keyof PublishedCell] as number | null | undefined;
      const withheld = status === 'C' || value === null || value === undefined;
      add(
        observation,
        measureProperty(measure).value,
        withheld ? literal('NaN', namedNode(`${XSD}double`)) : literal(String(value), namedNode(`${XSD}${INTEGER_MEASURES.has(measure) ? 'integer' : 'decimal'}`)),
      );
      // Withheld for confidentiality (C), or not available (M) where a measure has no value (no population to divide by).
      add(observation, obsStatus.value, namedNode(`${SDMX_CODE}obsStatus-${status === 'C' ? 'C' : withheld ? 'M' : 'A'}`));
    }
  });
  return out;
}

/** The cube as compact JSON-LD (the qb / skos / sdmx prefixes as context). */
export async function cubeToJsonLd(quads: Quad[]): Promise<object> {
  return compactJsonLd(quads, CUBE_CONTEXT);
}

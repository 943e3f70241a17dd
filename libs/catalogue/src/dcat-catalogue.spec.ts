import { describe, expect, it } from '@jest/globals';
import { isomorphic } from 'rdf-isomorphic';
import { compactJsonLd, parseJsonLd, parseTurtle, toTurtle } from '@platform/linked-data';
import { ShaclValidator } from '@platform/validation';
import { DCAT_SHAPE_FILES, dcatViolations } from './testing/dcat-ap-shapes.js';
import { ACCESS_RIGHTS, DCAT_PREFIXES, dcatCatalogue } from './dcat-catalogue.js';

const DCAT = 'http://www.w3.org/ns/dcat#';
const DCT = 'http://purl.org/dc/terms/';
const options = {
  baseUrl: 'https://data.example.be',
  license: 'https://data.vlaanderen.be/id/licentie/modellicentie-gratis-hergebruik/v1.0',
  participationCoverage: { start: new Date('2026-09-01T18:00:00Z'), end: new Date('2027-06-30T18:00:00Z') },
  activityCoverage: { start: new Date('2026-01-01T18:00:00Z'), end: new Date('2028-01-01T18:00:00Z') },
  modified: new Date('2026-12-02T10:00:00Z'),
  issued: new Date('2026-01-05T09:00:00Z'),
};

describe('DCAT-AP catalogue', () => {
  it('conforms to the DCAT-AP 3.0.1 shapes (shacl-engine: no Violation)', async () => {
    const quads = dcatCatalogue(options);
    const outcome = await (await ShaclValidator.fromFiles(DCAT_SHAPE_FILES, { engine: 'shacl-engine' })).validate(quads);
    expect(dcatViolations(outcome)).toEqual([]);
  });

  it('fails the shapes when a mandatory property is missing (the check can fail)', async () => {
    const quads = dcatCatalogue(options).filter((entry) => !(entry.subject.value === 'https://data.example.be/datasets' && entry.predicate.value === `${DCT}publisher`));
    const outcome = await (await ShaclValidator.fromFiles(DCAT_SHAPE_FILES, { engine: 'shacl-engine' })).validate(quads);
    expect(dcatViolations(outcome).some((result) => result.focusNode === 'https://data.example.be/datasets' && result.path === 'dcterms:publisher')).toBe(true);
  });

  it('describes the participation datasets as restricted, the feeds as public, GraphQL as a data service, all under the base URL', () => {
    const quads = dcatCatalogue(options);
    const objects = (subject: string, predicate: string) => quads.filter((entry) => entry.subject.value === subject && entry.predicate.value === predicate).map((entry) => entry.object.value);
    const datasets = objects('https://data.example.be/datasets', `${DCAT}dataset`);
    expect(datasets).toEqual(
      expect.arrayContaining([
        'https://data.example.be/id/dataset/participation',
        'https://data.example.be/id/dataset/participation-comparators',
        'https://data.example.be/id/dataset/participation-trends',
        'https://data.example.be/ldes/activities',
        'https://data.example.be/ldes/places',
        'https://data.example.be/ldes/organizers',
      ]),
    );
    expect(objects('https://data.example.be/id/dataset/participation', `${DCT}accessRights`)).toEqual([ACCESS_RIGHTS.restricted]);
    expect(objects('https://data.example.be/ldes/activities', `${DCT}accessRights`)).toEqual([ACCESS_RIGHTS.public]);
    const accessUrls = objects('https://data.example.be/ldes/activities', `${DCAT}distribution`).flatMap((distribution) => objects(distribution, `${DCAT}accessURL`));
    expect(accessUrls).toEqual(expect.arrayContaining(['https://data.example.be/feeds/activities', 'https://data.example.be/ldes/activities', 'https://data.example.be/v1/activities']));
    const cube = objects('https://data.example.be/id/dataset/participation', `${DCAT}distribution`).flatMap((distribution) => objects(distribution, `${DCAT}mediaType`));
    expect(cube).toEqual(expect.arrayContaining(['https://www.iana.org/assignments/media-types/text/csv', 'https://www.iana.org/assignments/media-types/text/turtle', 'https://www.iana.org/assignments/media-types/application/ld+json']));
    expect(objects('https://data.example.be/id/service/graphql', `${DCAT}endpointURL`)).toEqual(['https://data.example.be/graphql']);
    expect(objects('https://data.example.be/id/dataset/participation#temporal', `${DCAT}startDate`)).toEqual(['2026-09-01T18:00:00.000Z']);
    for (const entry of quads) for (const term of [entry.subject, entry.object]) {
      if (term.termType === 'NamedNode' && term.value.includes('example.be')) expect(term.value.startsWith('https://data.example.be/')).toBe(true);
    }
  });

  it('reads back as the same graph from Turtle and from compacted JSON-LD', async () => {
    const quads = dcatCatalogue(options);
    expect(isomorphic(parseTurtle(toTurtle(quads)), quads)).toBe(true);
    expect(isomorphic(await parseJsonLd(await compactJsonLd(quads, DCAT_PREFIXES)), quads)).toBe(true);
  });

  it('has the recommended properties too: only places and organizers lack a temporal coverage (Warning)', async () => {
    const outcome = await (await ShaclValidator.fromFiles(DCAT_SHAPE_FILES, { engine: 'shacl-engine' })).validate(dcatCatalogue(options));
    const warnings = outcome.results.filter((result) => result.severity === 'Warning').map((result) => `${result.focusNode} ${result.path}`);
    expect([...new Set(warnings)].sort()).toEqual(['https://data.example.be/ldes/organizers dcterms:temporal', 'https://data.example.be/ldes/places dcterms:temporal']);
  });
});

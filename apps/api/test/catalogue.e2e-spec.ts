import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DCAT_PREFIXES } from '@platform/catalogue';
import { parseJsonLd, parseTurtle } from '@platform/linked-data';
import { ShaclValidator } from '@platform/validation';
import { DCAT_SHAPE_FILES, dcatViolations } from '../../../libs/catalogue/src/testing/dcat-ap-shapes.js';
import { anActivity } from '../../../test/support/factories.js';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { http } from './http.js';

const DCAT = DCAT_PREFIXES.dcat;
const DCT = DCAT_PREFIXES.dct;

describe('DCAT-AP catalogue at /datasets (e2e)', () => {
  let platform: TestApp;
  let validator: ShaclValidator;

  beforeAll(async () => {
    platform = await startTestApp({ ownBaseUrl: true, overrides: { PSEUDONYM_KEY: 'test-pseudonym-key-0123456789' } });
    const key = await platform.createSource('catalogus');
    await http(platform.baseUrl, 'POST', '/v1/sources/catalogus/activities?wait=true', { token: key, body: [anActivity({ externalId: 'cat-1' })] });
    const pushed = await http(platform.baseUrl, 'POST', '/v1/sources/catalogus/participation?wait=true', {
      token: key,
      body: [{ id: 'T-1', performance: 'cat-1-p1', soldAt: '2026-10-01T12:00:00Z', price: 12, participant: { id: 'C-1', postcode: '9000' } }],
    });
    expect(pushed.body.summary.accepted).toBe(1);
    validator = await ShaclValidator.fromFiles(DCAT_SHAPE_FILES, { engine: 'shacl-engine' });
  });

  afterAll(async () => {
    await platform.close();
  });

  it('serves Turtle by default and conforms to the DCAT-AP 3.0.1 shapes', async () => {
    const response = await http(platform.baseUrl, 'GET', '/datasets', { headers: { accept: 'text/turtle' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/turtle');
    expect(response.headers.get('vary')).toContain('Accept');
    const quads = parseTurtle(response.text);
    expect(dcatViolations(await validator.validate(quads))).toEqual([]);
    const catalog = `${platform.baseUrl}/datasets`;
    expect(quads.some((entry) => entry.subject.value === catalog && entry.object.value === `${DCAT}Catalog`)).toBe(true);
    // The coverage of the stored participation: the performance of the one ticket.
    const start = quads.find((entry) => entry.subject.value === `${platform.baseUrl}/id/dataset/participation#temporal` && entry.predicate.value === `${DCAT}startDate`);
    expect(start?.object.value).toBe('2027-02-01T19:00:00.000Z');
    expect((await http(platform.baseUrl, 'GET', '/datasets')).headers.get('content-type')).toContain('text/turtle');
  });

  it('serves the same graph as JSON-LD, by Accept and by ?format', async () => {
    const turtle = parseTurtle((await http(platform.baseUrl, 'GET', '/datasets?format=turtle')).text);
    const requests: Array<{ path: string; headers: Record<string, string> }> = [{ path: '/datasets', headers: { accept: 'application/ld+json' } }, { path: '/datasets?format=jsonld', headers: {} }];
    for (const request of requests) {
      const response = await http(platform.baseUrl, 'GET', request.path, { headers: request.headers });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('application/ld+json');
      const quads = await parseJsonLd(response.text);
      expect(dcatViolations(await validator.validate(quads))).toEqual([]);
      // Same statements except the catalogue's dct:modified (the moment of the answer).
      const statements = (list: typeof quads) => new Set(list.filter((entry) => entry.predicate.value !== `${DCT}modified`).map((entry) => `${entry.subject.value} ${entry.predicate.value} ${entry.object.value}`));
      expect(statements(quads)).toEqual(statements(turtle));
    }
    const refused = await http(platform.baseUrl, 'GET', '/datasets', { headers: { accept: 'application/xml' } });
    expect(refused.status).toBe(406);
    expect((await http(platform.baseUrl, 'GET', '/datasets?format=rdfxml')).status).toBe(400);
  });

  it('points at distributions that answer: open ones without a key, restricted ones only with a researcher key', async () => {
    const quads = parseTurtle((await http(platform.baseUrl, 'GET', '/datasets')).text);
    const objects = (subject: string, predicate: string) => quads.filter((entry) => entry.subject.value === subject && entry.predicate.value === predicate).map((entry) => entry.object.value);
    const datasets = objects(`${platform.baseUrl}/datasets`, `${DCAT}dataset`);
    expect(datasets.length).toBe(6);
    let checked = 0;
    for (const dataset of datasets) {
      const restricted = objects(dataset, `${DCT}accessRights`)[0].endsWith('/RESTRICTED');
      for (const distribution of objects(dataset, `${DCAT}distribution`)) {
        const [url] = objects(distribution, `${DCAT}accessURL`);
        expect(url.startsWith(`${platform.baseUrl}/`)).toBe(true);
        if (url.endsWith('/graphql')) continue;
        const response = await fetch(url, { headers: { accept: objects(distribution, `${DCAT}mediaType`)[0].replace('https://www.iana.org/assignments/media-types/', '') } });
        expect([url, response.status]).toEqual([url, restricted ? 401 : 200]);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(12);
    // The REST services are described by the OpenAPI document, which names the research paths.
    const descriptions = new Set(objects(`${platform.baseUrl}/id/service/research`, `${DCAT}endpointDescription`).concat(objects(`${platform.baseUrl}/id/service/feeds`, `${DCAT}endpointDescription`)));
    expect([...descriptions]).toEqual([`${platform.baseUrl}/docs/openapi.json`]);
    const openapi = (await http(platform.baseUrl, 'GET', '/docs/openapi.json')).body;
    expect(Object.keys(openapi.paths)).toEqual(expect.arrayContaining(['/v1/research/comparators', '/v1/research/trends', '/v1/research/organizers', '/datasets', '/feeds/{feed}']));
  });
});

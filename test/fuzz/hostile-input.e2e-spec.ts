import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { anActivity } from '../support/factories.js';
import { pollutedSince, sharedPrototypes } from '../support/prototypes.js';
import { TEST_ADMIN_TOKEN, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Hostile input on every endpoint that takes some (fast-check generators): pushes in each format,
 * availability, validate, admin, GraphQL, path and query parameters, search and feed parameters,
 * webhooks and consumer admin, participation, research statistics and the catalogue. 10,000 cases per run against the
 * api (no worker: what is accepted stays queued), each answer must be below 500, and a 4xx must say
 * what and why in Dutch and English; afterwards the process still answers and its memory stayed
 * bounded, and no case changed Object.prototype (or Object, Array.prototype, Function.prototype).
 * FUZZ_SEED=<n> replays a run (the seed is printed when a case fails).
 */
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);
const CONCURRENCY = 16;
const SOURCE = 'fuzz-house';

interface Case {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  auth?: 'vendor' | 'admin' | 'consumer' | 'researcher' | 'none';
}

// Strings that have broken parsers, queries and loggers before.
const nasty = fc.constantFrom(
  '',
  '\u0000',
  '\uD800',
  '\uFFFF',
  '💥'.repeat(50),
  '<script>alert(1)</script>',
  "'; DROP TABLE activity; --",
  '../../etc/passwd',
  '%00',
  '%',
  'a'.repeat(5000),
  '__proto__',
  'constructor',
  'http://127.0.0.1:1/context.jsonld',
  'https://example.invalid/context.jsonld',
  'file:///etc/passwd',
  '2027-13-45T99:99:99Z',
  '-1',
  '1e999',
  'NaN',
  'null',
  '{}',
  '[]',
  '\r\n\r\n',
);
const hostileString = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), nasty);
const hostileNumber = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constantFrom(1e308, -1e308, 2 ** 53 + 1, -0, 0.1));
const hostileKey = fc.oneof(hostileString, fc.constantFrom('__proto__', 'constructor', 'prototype', '@context', '@id', '@type', '@graph', '@value', '@language', 'title', 'performances', 'externalId', 'items', 'capacity', 'remaining'));
const { json: hostileJson } = fc.letrec<{ json: unknown }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('json'), { maxLength: 5 }),
    fc.dictionary(hostileKey, tie('json'), { maxKeys: 6 }),
  ),
}));

/** A valid activity with one field replaced by something hostile: the inputs closest to real mistakes. */
const ACTIVITY_PATHS = [
  'externalId',
  'title',
  'title.nl',
  'description',
  'type',
  'type.iri',
  'place',
  'place.externalId',
  'place.address',
  'place.address.postalCode',
  'place.geo.latitude',
  'organizer',
  'organizer.url',
  'performances',
  'performances.0',
  'performances.0.start',
  'performances.0.end',
  'performances.0.status',
  'performances.0.availability',
  'performances.0.availability.remaining',
  'performances.0.availability.level',
  'prices',
  'prices.0.amount',
  'prices.0.category',
  'booking.url',
  'url',
  'deleted',
];
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node: Record<string, unknown> = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}
const mutatedActivity = fc.record({ path: fc.constantFrom(...ACTIVITY_PATHS), value: hostileJson, also: fc.option(fc.tuple(fc.constantFrom(...ACTIVITY_PATHS), hostileJson)) }).map(({ path, value, also }) => {
  const activity = JSON.parse(JSON.stringify(anActivity())) as Record<string, unknown>;
  setPath(activity, path, value);
  if (also) setPath(activity, also[0], also[1]);
  return activity;
});

const deepNesting = fc.integer({ min: 100, max: 5_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);
const jsonBody = fc.oneof(
  { weight: 4, arbitrary: fc.array(mutatedActivity, { minLength: 1, maxLength: 4 }).map((items) => JSON.stringify(items)) },
  { weight: 2, arbitrary: hostileJson.map((value) => JSON.stringify(value) ?? 'undefined') },
  { weight: 1, arbitrary: mutatedActivity.map((activity) => JSON.stringify({ items: [activity] })) },
  { weight: 1, arbitrary: deepNesting },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  { weight: 1, arbitrary: fc.array(mutatedActivity, { minLength: 1, maxLength: 2 }).map((items) => JSON.stringify(items).slice(0, -3)) },
);

const jsonLdBody = fc
  .record({
    context: fc.oneof(
      fc.constantFrom('https://data.vlaanderen.be/doc/applicatieprofiel/cultuurparticipatie/erkendestandaard/2024-09-11/context/ap-cultuurparticipatie.jsonld', 'http://127.0.0.1:1/context.jsonld', 'https://schema.org/'),
      hostileJson,
      fc.dictionary(hostileKey, fc.oneof(hostileString, fc.record({ '@id': hostileString, '@type': hostileString })), { maxKeys: 4 }),
    ),
    type: fc.oneof(fc.constantFrom('Activiteit', 'cp:Activiteit', 'http://www.cidoc-crm.org/cidoc-crm/E7_Activity'), hostileString),
    rest: fc.dictionary(hostileKey, hostileJson, { maxKeys: 5 }),
    graph: fc.boolean(),
  })
  .map(({ context, type, rest, graph }) => {
    const node = { '@id': 'https://example.org/a/1', '@type': type, ...rest };
    return JSON.stringify(graph ? { '@context': context, '@graph': [node] } : { '@context': context, ...node });
  });

const RDF_TOKENS = [
  '@prefix cp: <https://data.vlaanderen.be/ns/cultuurparticipatie#> .',
  '@prefix crm: <http://www.cidoc-crm.org/cidoc-crm/> .',
  '@base <http://127.0.0.1:1/> .',
  '<https://example.org/a/1>',
  '<>',
  '<https://example.org/a/1',
  'a',
  'crm:E7_Activity',
  'cp:Activiteit.titel',
  '"Titel"@nl',
  '"""lang\nstuk"""',
  '"unterminated',
  '"1"^^<http://www.w3.org/2001/XMLSchema#integer>',
  '"x"^^<http://www.w3.org/2001/XMLSchema#dateTime>',
  '_:b0',
  '[',
  ']',
  '(',
  ')',
  ';',
  ',',
  '.',
  '\n',
  ' ',
  '#',
  '\\u0000',
  'true',
  '12.5e3',
  '@nl',
  '^^',
];
const rdfBody = fc.oneof(
  fc.array(fc.constantFrom(...RDF_TOKENS), { maxLength: 40 }).map((tokens) => tokens.join(' ')),
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.tuple(fc.constantFrom('<https://example.org/a/1> a <http://www.cidoc-crm.org/cidoc-crm/E7_Activity> .'), hostileString).map(([valid, noise]) => `${valid}\n${noise}`),
);

const contentType = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('application/json', 'application/ld+json', 'text/turtle', 'application/n-triples') },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=latin1', 'garbage/;;;', 'application/x-www-form-urlencoded') },
);
const rawBytes = fc.uint8Array({ maxLength: 2000 });
/** Percent-encodes any string, lone surrogates too (as their UTF-8 replacement), as a client library would. */
const encode = (value: string) => [...Buffer.from(value, 'utf8')].map((byte) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
const pathSegment = fc.oneof(
  fc.constantFrom('%', '%E0%A4%A', '..', '%2F', '%2e%2e', 'x'.repeat(300), '00000000-0000-0000-0000-000000000000', 'not-a-uuid', SOURCE),
  hostileString.map(encode),
);
const queryValue = fc.oneof(hostileString, fc.constantFrom('true', 'false', '1', '-1', '999999999999', '[]', '%')).map(encode);

const pushCase = (bodies: fc.Arbitrary<string | Uint8Array>, types: fc.Arbitrary<string>) =>
  fc.record({ body: bodies, type: types, wait: fc.option(queryValue) }).map(
    ({ body, type, wait }): Case => ({ method: 'POST', path: `/v1/sources/${SOURCE}/activities${wait === null ? '' : `?wait=false&x=${wait}`}`, headers: { 'content-type': type }, body, auth: 'vendor' }),
  );

const availabilityOne = fc.record({ performance: pathSegment, body: fc.oneof(hostileJson, fc.record({ capacity: fc.oneof(hostileNumber, hostileJson), remaining: fc.oneof(hostileNumber, hostileJson), level: fc.oneof(hostileString, fc.constantFrom('InStock', 'OutOfStock')) }, { requiredKeys: [] })) }).map(
  ({ performance, body }): Case => ({ method: 'PUT', path: `/v1/sources/${SOURCE}/performances/${performance}/availability`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) ?? '', auth: 'vendor' }),
);
const availabilityMany = fc.oneof(fc.array(fc.dictionary(fc.constantFrom('performanceId', 'capacity', 'remaining', 'level', '__proto__'), hostileJson), { maxLength: 5 }), hostileJson).map(
  (body): Case => ({ method: 'PUT', path: `/v1/sources/${SOURCE}/availability`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) ?? '', auth: 'vendor' }),
);
const validateCase = fc.oneof(pushCase(jsonBody, fc.constant('application/json')), pushCase(jsonLdBody, fc.constant('application/ld+json')), pushCase(rdfBody, fc.constantFrom('text/turtle', 'application/n-triples'))).map(
  (push): Case => ({ ...push, path: '/v1/validate', auth: 'none' }),
);

const adminCase = fc.oneof(
  fc.oneof(fc.record({ id: fc.oneof(hostileString, fc.constantFrom('ok-id', 'a')), name: hostileJson, kind: fc.oneof(hostileString, fc.constantFrom('push', 'rpde', 'ldes', 'uitdatabank')) }, { requiredKeys: [] }), hostileJson).map(
    (body): Case => ({ method: 'POST', path: '/v1/admin/sources', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) ?? '', auth: 'admin' }),
  ),
  fc.record({ source: pathSegment, body: fc.oneof(fc.record({ baseUrl: fc.oneof(hostileString, fc.constantFrom('http://127.0.0.1:1/feed', 'ftp://x')), everyMinutes: fc.oneof(hostileNumber, hostileJson), options: hostileJson, credentials: hostileJson }, { requiredKeys: [] }), hostileJson) }).map(
    ({ source, body }): Case => ({ method: 'PUT', path: `/v1/admin/sources/${source}/connector`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) ?? '', auth: 'admin' }),
  ),
  fc.record({ source: pathSegment, key: pathSegment, method: fc.constantFrom('POST', 'GET', 'DELETE') }).map(({ source, key, method }): Case => ({ method, path: method === 'DELETE' ? `/v1/admin/sources/${source}/keys/${key}` : `/v1/admin/sources/${source}/keys`, auth: 'admin' })),
  fc.record({ source: pathSegment, query: queryValue }).map(({ source, query }): Case => ({ method: 'GET', path: `/v1/admin/sources/${source}/runs?limit=${query}`, auth: 'admin' })),
  pathSegment.map((run): Case => ({ method: 'GET', path: `/v1/admin/runs/${run}`, auth: 'admin' })),
  fc.record({ candidate: pathSegment, verb: fc.constantFrom('confirm', 'reject'), body: hostileJson }).map(
    ({ candidate, verb, body }): Case => ({ method: 'POST', path: `/v1/admin/reconciliation/candidates/${candidate}/${verb}`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) ?? '', auth: 'admin' }),
  ),
  fc.oneof(fc.record({ activityIds: fc.oneof(fc.array(fc.oneof(hostileString, fc.uuid()), { maxLength: 4 }), hostileJson) }, { requiredKeys: [] }), hostileJson).map(
    (body): Case => ({ method: 'POST', path: '/v1/admin/reconciliation/links', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) ?? '', auth: 'admin' }),
  ),
  pathSegment.map((activity): Case => ({ method: 'DELETE', path: `/v1/admin/reconciliation/links/${activity}`, auth: 'admin' })),
  fc.record({ status: queryValue, limit: queryValue }).map(({ status, limit }): Case => ({ method: 'GET', path: `/v1/admin/reconciliation/candidates?status=${status}&limit=${limit}`, auth: 'admin' })),
  fc.record({ hook: pathSegment, status: queryValue, before: queryValue, limit: queryValue }).map(
    ({ hook, status, before, limit }): Case => ({ method: 'GET', path: `/v1/admin/webhooks/${hook}/deliveries?status=${status}&before=${before}&limit=${limit}`, auth: 'admin' }),
  ),
  fc.record({ hook: pathSegment, body: jsonBody }).map(({ hook, body }): Case => ({ method: 'POST', path: `/v1/admin/webhooks/${hook}/replay`, headers: { 'content-type': 'application/json' }, body, auth: 'admin' })),
);

const GRAPHQL_TOKENS = ['query', 'mutation', 'subscription', '{', '}', '(', ')', 'activity', 'activities', 'id:', '"x"', 'first:', '-1', '100000', 'after:', 'filter:', '{text: "a"}', 'edges', 'node', 'title', 'performances', '...on', 'Activity', '$v', ':', 'String!', '@include(if: true)', '__schema', '__typename', 'fragment F on Activity { id ...F }', '...F', 'a:', 'b:'];
const graphqlQuery = fc.oneof(
  fc.array(fc.constantFrom(...GRAPHQL_TOKENS), { maxLength: 40 }).map((tokens) => tokens.join(' ')),
  fc.record({ first: fc.oneof(hostileNumber, hostileJson), after: hostileJson, id: hostileJson, language: hostileJson, text: hostileJson, from: hostileJson }).map(
    () => 'query Q($first: Int, $after: String, $id: ID!, $language: String, $text: String, $from: DateTime) { activity(id: $id, language: $language) { id title } activities(first: $first, after: $after, filter: {text: $text, from: $from}) { edges { node { id } } } }',
  ),
  fc.integer({ min: 20, max: 300 }).map((depth) => `{ ${'activities { edges { node { '.repeat(depth)}id${' } } }'.repeat(depth)} }`),
  fc.integer({ min: 100, max: 1000 }).map((count) => `{ ${Array.from({ length: count }, (_unused, index) => `a${index}: __typename`).join(' ')} }`),
);
const graphqlCase = fc.oneof(
  fc.record({ query: fc.oneof(graphqlQuery, hostileJson), variables: fc.oneof(fc.record({ first: fc.oneof(hostileNumber, hostileJson), after: hostileJson, id: hostileJson, language: hostileJson, text: hostileJson, from: hostileJson }, { requiredKeys: [] }), hostileJson), operationName: fc.oneof(hostileString, fc.constant('Q'), hostileJson) }, { requiredKeys: ['query'] }).map(
    (body): Case => ({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', 'apollo-require-preflight': 'true' }, body: JSON.stringify(body) }),
  ),
  jsonBody.map((body): Case => ({ method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json' }, body })),
  fc.record({ query: graphqlQuery.map(encode), variables: queryValue }).map(({ query, variables }): Case => ({ method: 'GET', path: `/graphql?query=${query}&variables=${variables}`, headers: { accept: 'application/json', 'apollo-require-preflight': 'true' } })),
);

const parameterCase = fc.oneof(
  fc.record({ batch: pathSegment, auth: fc.constantFrom<'vendor' | 'admin' | 'none'>('vendor', 'admin', 'none') }).map(({ batch, auth }): Case => ({ method: 'GET', path: `/v1/batches/${batch}`, auth })),
  fc.record({ kind: fc.constantFrom('activiteit', 'locatie', 'organisator'), id: pathSegment, accept: fc.oneof(fc.constantFrom('text/turtle', 'application/ld+json', 'application/n-triples', 'text/html', '*/*;q=x', ''), hostileString.map((value) => value.replace(/[^\x20-\x7e]/g, ''))), query: queryValue }).map(
    ({ kind, id, accept, query }): Case => ({ method: 'GET', path: `/id/${kind}/${id}?language=${query}`, headers: accept ? { accept } : {} }),
  ),
  fc.record({ external: pathSegment }).map(({ external }): Case => ({ method: 'DELETE', path: `/v1/sources/${SOURCE}/activities/${external}`, auth: 'vendor' })),
  fc.record({ source: pathSegment }).map(({ source }): Case => ({ method: 'POST', path: `/v1/sources/${source}/activities`, headers: { 'content-type': 'application/json' }, body: '[]', auth: 'vendor' })),
);

const SEARCH_NAMES = ['text', 'dateFrom', 'dateTo', 'localTimeFrom', 'localTimeTo', 'coordinates', 'distance', 'bounds', 'postalCode', 'regions', 'termIds', 'minAge', 'maxAge', 'price', 'minPrice', 'free', 'availability', 'minRemainingSeats', 'status', 'modifiedFrom', 'facets', 'limit', 'after', 'sort[start]', 'sort[distance]', 'sort[score]', 'sort', 'regions[]', 'unknown'];
const searchAndFeedCase = fc.oneof(
  fc.array(fc.tuple(fc.constantFrom(...SEARCH_NAMES), queryValue), { minLength: 1, maxLength: 4 }).map(
    (pairs): Case => ({ method: 'GET', path: `/v1/activities?${pairs.map(([name, value]) => `${encode(name)}=${value}`).join('&')}`, headers: { accept: 'application/ld+json' } }),
  ),
  fc.record({ feed: fc.oneof(fc.constantFrom('activities', 'places', 'organizers'), pathSegment), after: queryValue, other: fc.constantFrom('afterChangeNumber', 'afterTimestamp', 'afterId') }).map(
    ({ feed, after, other }): Case => ({ method: 'GET', path: `/feeds/${feed}?${other}=${after}` }),
  ),
  fc.record({ stream: fc.oneof(fc.constant('activities'), pathSegment), range: fc.oneof(pathSegment, fc.constantFrom('1-500', '0-0', '500-1', '1-99999999', '-1-5', '1-500-2')), accept: fc.constantFrom('text/turtle', 'application/ld+json', 'application/n-triples', 'text/html', '*/*;q=x', ''), etag: fc.oneof(fc.constant(undefined), hostileString.map((value) => value.replace(/[^\x20-\x7e]/g, ''))) }).map(
    ({ stream, range, accept, etag }): Case => ({ method: 'GET', path: `/ldes/${stream}/pages/${range}`, headers: { ...(accept ? { accept } : {}), ...(etag ? { 'if-none-match': etag } : {}) } }),
  ),
  fc.record({ stream: fc.oneof(fc.constant('activities'), pathSegment), part: fc.constantFrom('', '/view') }).map(({ stream, part }): Case => ({ method: 'GET', path: `/ldes/${stream}${part}` })),
  // A key on the public feeds must be a consumer key: anything else is a 401 with its reason.
  fc.constantFrom<'vendor' | 'admin' | 'consumer' | 'none'>('vendor', 'admin', 'consumer', 'none').map((auth): Case => ({ method: 'GET', path: '/feeds/activities?afterChangeNumber=0', auth })),
);

const webhookCase = fc.oneof(
  fc.oneof(
    hostileJson,
    fc.record({ url: fc.oneof(hostileString, fc.constantFrom('https://example.org/h', 'http://127.0.0.1/h', 'https://[::1]/h', 'https://localhost/h', 'ftp://x', 'https://169.254.169.254/latest')), filters: hostileJson, description: hostileJson }, { requiredKeys: [] }),
    fc.record({ url: fc.constant('https://example.org/h'), filters: fc.dictionary(fc.constantFrom('kinds', 'organizers', 'places', 'municipalities', 'activities', 'colour'), hostileJson) }),
  ).map((body): Case => ({ method: 'POST', path: '/v1/webhooks', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) ?? '', auth: 'consumer' })),
  fc.record({ id: pathSegment, body: fc.oneof(hostileJson, fc.record({ fromChangeNumber: hostileJson, since: hostileJson }, { requiredKeys: [] })) }).map(
    ({ id, body }): Case => ({ method: 'POST', path: `/v1/webhooks/${id}/replay`, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) ?? '', auth: 'consumer' }),
  ),
  fc.record({ id: pathSegment, limit: queryValue, status: queryValue }).map(({ id, limit, status }): Case => ({ method: 'GET', path: `/v1/webhooks/${id}/deliveries?limit=${limit}&status=${status}`, auth: 'consumer' })),
  fc.record({ id: pathSegment, method: fc.constantFrom('GET', 'DELETE', 'PATCH') }).map(({ id, method }): Case => ({ method, path: `/v1/webhooks/${id}`, headers: { 'content-type': 'application/json' }, body: method === 'PATCH' ? '{"status":"paused"}' : undefined, auth: 'consumer' })),
  fc.record({ consumer: pathSegment, key: pathSegment }).map(({ consumer, key }): Case => ({ method: 'DELETE', path: `/v1/admin/consumers/${consumer}/keys/${key}`, auth: 'admin' })),
  hostileJson.map((body): Case => ({ method: 'POST', path: '/v1/admin/consumers', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) ?? '', auth: 'admin' })),
);

const RESEARCH_NAMES = ['groupBy', 'measures', 'from', 'to', 'format', 'homeMunicipality', 'ageBand', 'priceCategory', 'organizer', 'peers', 'period', 'season', 'unknown'];
const researchQuery = fc.array(fc.tuple(fc.constantFrom(...RESEARCH_NAMES), queryValue), { maxLength: 4 }).map((pairs) => pairs.map(([name, value]) => `${name}=${value}`).join('&'));
const participationTicket = fc.record({ id: hostileJson, performance: hostileJson, soldAt: hostileJson, priceCategory: hostileJson, price: hostileJson, channel: hostileJson, participant: fc.oneof(hostileJson, fc.record({ email: hostileJson, postcode: hostileJson, birthDate: hostileJson, birthYear: hostileJson }, { requiredKeys: [] })) }, { requiredKeys: [] });
const researchCase = fc.oneof(
  fc.oneof(fc.array(participationTicket, { maxLength: 3 }).map((items) => JSON.stringify(items)), jsonBody).map(
    (body): Case => ({ method: 'POST', path: `/v1/sources/${SOURCE}/participation`, headers: { 'content-type': 'application/json' }, body, auth: 'vendor' }),
  ),
  rdfBody.map((body): Case => ({ method: 'POST', path: `/v1/sources/${SOURCE}/participation`, headers: { 'content-type': 'text/turtle' }, body, auth: 'vendor' })),
  fc.record({ endpoint: fc.constantFrom('participation', 'comparators', 'trends', 'organizers'), query: researchQuery, accept: fc.constantFrom('application/json', 'text/csv', 'text/turtle', 'application/ld+json', '*/*;q=x') }).map(
    ({ endpoint, query, accept }): Case => ({ method: 'GET', path: `/v1/research/${endpoint}?${query}`, headers: { accept }, auth: 'researcher' }),
  ),
  fc.record({ format: queryValue, accept: fc.constantFrom('text/turtle', 'application/ld+json', 'text/html', '*/*;q=x', '') }).map(({ format, accept }): Case => ({ method: 'GET', path: `/datasets?format=${format}`, headers: accept ? { accept } : {} })),
  fc.oneof(hostileJson, fc.record({ name: hostileJson })).map((body): Case => ({ method: 'POST', path: '/v1/admin/researcher-keys', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) ?? '', auth: 'admin' })),
);

/** How many cases of each: 10,000 in all. */
const PLAN: Array<[string, fc.Arbitrary<Case>, number]> = [
  ['push JSON', pushCase(jsonBody, fc.constant('application/json')), 1200],
  ['push OSLO JSON-LD', pushCase(jsonLdBody, fc.constant('application/ld+json')), 1000],
  ['push Turtle / N-Triples', pushCase(rdfBody, fc.constantFrom('text/turtle', 'application/n-triples')), 1000],
  ['push any bytes, any content type', pushCase(rawBytes, contentType), 400],
  ['availability of one performance', availabilityOne, 1000],
  ['availability of many', availabilityMany, 600],
  ['validate', validateCase, 700],
  ['admin', adminCase, 1000],
  ['GraphQL', graphqlCase, 1100],
  ['path and query parameters', parameterCase, 800],
  ['search and feed parameters', searchAndFeedCase, 400],
  ['webhooks and consumers', webhookCase, 400],
  ['participation, research and the catalogue', researchCase, 400],
];

interface Answer {
  status: number;
  text: string;
}

/** What is wrong with an answer, or undefined when it is fine. */
function problemWith(testCase: Case, answer: Answer): string | undefined {
  if (answer.status >= 500) return `answered ${answer.status}`;
  if (answer.status < 400) return undefined;
  let body: any;
  try {
    body = JSON.parse(answer.text);
  } catch {
    return `answered ${answer.status} without a JSON reason`;
  }
  // GraphQL errors, unless the body never reached GraphQL (not JSON: the body parser answers as the REST api does).
  if (testCase.path.startsWith('/graphql') && !body?.error) {
    return Array.isArray(body?.errors) && body.errors.every((error: { message?: unknown }) => typeof error.message === 'string' && error.message.length > 0) ? undefined : 'GraphQL error without messages';
  }
  // The fast lane answers one performance with its item result: the problems say what and why.
  if (Array.isArray(body?.problems) && body.problems.length > 0) {
    return body.problems.every((problem: { message?: { nl?: unknown; en?: unknown } }) => typeof problem.message?.nl === 'string' && typeof problem.message?.en === 'string') ? undefined : 'problems without nl/en messages';
  }
  const error = body?.error;
  if (typeof error?.code !== 'string' || typeof error?.message?.nl !== 'string' || typeof error?.message?.en !== 'string' || !error.message.nl || !error.message.en) {
    return `answered ${answer.status} without {error: {code, message: {nl, en}}}`;
  }
  return undefined;
}

/** The shared prototypes as the run began; any change is a prototype pollution. */
const pristine = sharedPrototypes();
function prototypeChange(): string | undefined {
  const changed = pollutedSince(pristine);
  return changed.length > 0 ? `polluted ${changed.join(', ')}` : undefined;
}

/**
 * A full collection between the kinds of cases: the bound below is about memory the process keeps
 * (a leak), not about garbage V8 has not collected yet, which grew the RSS by 100-200 MB more in some
 * runs than in others.
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

describe('hostile input on every endpoint (fast-check, 10,000 cases, in-process api)', () => {
  let platform: TestApp;
  let vendorKey: string;
  let consumerKey: string;
  let researcherKey: string;

  beforeAll(async () => {
    platform = await startTestApp({
      worker: false,
      overrides: { LOG_LEVEL: 'error', RATE_LIMIT_PER_MINUTE: '10000000', MAX_BODY_BYTES: '262144', MAX_BATCH_ITEMS: '50', PSEUDONYM_KEY: 'fuzz-pseudonym-key-0123456789' },
    });
    vendorKey = await platform.createSource(SOURCE);
    const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const consumer = await fetch(`${platform.baseUrl}/v1/admin/consumers`, { method: 'POST', headers: admin, body: JSON.stringify({ id: 'fuzz-agenda', name: 'Fuzz agenda' }) });
    consumerKey = ((await consumer.json()) as { key: string }).key;
    const researcher = await fetch(`${platform.baseUrl}/v1/admin/researcher-keys`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'Fuzz research' }) });
    researcherKey = ((await researcher.json()) as { key: string }).key;
  });

  afterAll(async () => {
    await platform.close();
  });

  it('answers every case below 500, every 4xx with a readable reason; the process stays up, its memory bounded', async () => {
    collectGarbage();
    const rssBefore = process.memoryUsage().rss;
    const failures: string[] = [];
    let total = 0;
    for (const [name, arbitrary, count] of PLAN) {
      const cases = fc.sample(arbitrary, { numRuns: count, seed: SEED + total });
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < cases.length) {
            const testCase = cases[next++];
            const headers: Record<string, string> = { ...testCase.headers };
            if (testCase.auth === 'vendor') headers.authorization = `Bearer ${vendorKey}`;
            if (testCase.auth === 'admin') headers.authorization = `Bearer ${TEST_ADMIN_TOKEN}`;
            if (testCase.auth === 'consumer') headers.authorization = `Bearer ${consumerKey}`;
            if (testCase.auth === 'researcher') headers.authorization = `Bearer ${researcherKey}`;
            let answer: Answer;
            try {
              const response = await fetch(`${platform.baseUrl}${testCase.path}`, { method: testCase.method, headers, body: testCase.body });
              answer = { status: response.status, text: await response.text() };
            } catch (error) {
              answer = { status: 599, text: `no answer: ${error instanceof Error ? error.message : String(error)}` };
            }
            // A hostile key or "@id" that reached Object.prototype (jsonld.js#584 did) breaks every later request: caught at its case.
            const problem = prototypeChange() ?? problemWith(testCase, answer);
            if (problem && failures.length < 20) {
              const body = typeof testCase.body === 'string' ? testCase.body.slice(0, 300) : testCase.body ? `<${testCase.body.length} bytes>` : '';
              failures.push(`${name}: ${testCase.method} ${testCase.path.slice(0, 200)} ${JSON.stringify(testCase.headers ?? {})} ${body}\n  -> ${problem}: ${answer.text.slice(0, 300)}`);
            }
          }
        }),
      );
      total += cases.length;
      collectGarbage();
    }
    expect(total).toBe(10_000);
    if (failures.length > 0) throw new Error(`FUZZ_SEED=${SEED}: ${failures.length}+ bad answers\n${failures.join('\n')}`);
    expect((await fetch(`${platform.baseUrl}/health/live`)).status).toBe(200);
    // Bounded: 10,000 hostile requests may not leave the process hundreds of MB bigger.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(400 * 1024 * 1024);
  }, 1_500_000);
});

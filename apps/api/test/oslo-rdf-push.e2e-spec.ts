import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { entityId, type Activity } from '@platform/domain';
import { parseTurtle, PREFIXES } from '@platform/linked-data';
import { readUdbFixture, UDB_PLACEHOLDERS } from '../../../libs/connectors/src/uitdatabank/testing/udb-oslo-comparison.js';
import { buildActivity } from '../../../libs/linked-data/src/testing/activity-factory.js';
import { pollutedSince, sharedPrototypes } from '../../../test/support/prototypes.js';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../../../test/support/test-app.js';
import { graphql, http } from './http.js';

const FIXTURES = new URL('../../../libs/connectors/src/uitdatabank/testing/udb3-backend/', import.meta.url);
const { baseUrl: UDB, eventId, placeId, organizerId } = UDB_PLACEHOLDERS;

/**
 * udb3-backend's feature files run against UiTdatabank's test environment; its taxonomy host becomes the
 * production one, as UiTdatabank's production Turtle (and our UiTdatabank JSON mapping) has it.
 */
const udbTurtle = (name: string) => readUdbFixture(name).replaceAll('https://taxonomy-test.uitdatabank.be/', 'https://taxonomy.uitdatabank.be/');
const eventFiles = readdirSync(FIXTURES).filter((name) => /event.*\.ttl$/.test(name));
/** UiTdatabank's online-only events name no place at all (OSLO's Activiteit.locatie is optional). */
const placeless = (name: string) => name.startsWith('online-event');

type Item = { status: string; externalId: string | null; activityId: string | null; results: Array<{ path: string; constraint: string; message: { nl: string; en: string } }> };

describe('OSLO Cultuurparticipatie RDF as it comes (e2e, real Postgres + Redis + BullMQ worker)', () => {
  let platform: TestApp;
  let udbKey: string;

  const push = async (source: string, key: string, raw: string, contentType: string) => {
    const response = await http(platform.baseUrl, 'POST', `/v1/sources/${source}/activities?wait=true`, { token: key, raw, contentType });
    expect(response.status).toBe(200);
    return response.body.items as Item[];
  };
  const turtleOf = async (kind: 'activiteit' | 'locatie' | 'organisator', id: string) =>
    (await http(platform.baseUrl, 'GET', `/id/${kind}/${id}`, { headers: { accept: 'text/turtle' } })).text;

  beforeAll(async () => {
    platform = await startTestApp();
    const created = await http(platform.baseUrl, 'POST', '/v1/admin/sources', { token: TEST_ADMIN_TOKEN, body: { id: 'udb', name: 'UiTdatabank', kind: 'uitdatabank' } });
    udbKey = created.body.key;
  });

  afterAll(async () => {
    await platform.close();
  });

  it('refuses an event that names a place the source never sent, saying exactly that', async () => {
    const [item] = await push('udb', udbKey, udbTurtle('event-with-required-fields.ttl'), 'text/turtle');
    expect(item.status).toBe('rejected');
    expect(item.results).toEqual([
      expect.objectContaining({
        constraint: 'reference:place',
        message: expect.objectContaining({ en: expect.stringContaining(`The place <${UDB}/places/${placeId}> is neither in this batch nor known from source udb`) }),
      }),
    ]);
    expect(JSON.stringify(item.results)).not.toContain('missing');
  });

  it('takes places and organizers on their own in Turtle (UiTdatabank place and organizer documents)', async () => {
    const items = await push('udb', udbKey, [udbTurtle('place-with-required-fields.ttl'), udbTurtle('organizer-with-contact-point.ttl')].join('\n'), 'text/turtle');
    expect(items.map((item) => item.status)).toEqual(['accepted', 'accepted']);
    expect(items[0].activityId).toBe(entityId('locatie', 'udb', placeId));
    expect(items[1].activityId).toBe(entityId('organisator', 'udb', organizerId));
    const place = await turtleOf('locatie', entityId('locatie', 'udb', placeId));
    expect(place).toContain('"3271"');
    // GML point (lon, lat in CRS84) as WGS84 latitude / longitude
    expect(place).toContain('geo:lat 51.015619');
    // Sent again: unchanged.
    const again = await push('udb', udbKey, udbTurtle('place-with-required-fields.ttl'), 'text/turtle');
    expect(again[0].status).toBe('unchanged');
  });

  it('accepts every udb3-backend event document as Turtle, and the published Turtle keeps each fact', async () => {
    for (const file of eventFiles) {
      const source = parseTurtle(udbTurtle(file));
      const [item] = await push('udb', udbKey, udbTurtle(file), 'text/turtle');
      expect({ file, status: item.status, results: item.results }).toEqual({ file, status: 'accepted', results: [] });
      expect(item.activityId).toBe(entityId('activiteit', 'udb', eventId));
      const published = parseTurtle(await turtleOf('activiteit', item.activityId!));
      const values = (quads: typeof source, predicate: string) => new Set(quads.filter((quad) => quad.predicate.value === predicate).map((quad) => quad.object.value));
      // Titles, descriptions, times, opening hours, prices, contact and booking, labels, terms, attendance mode, media: each literal survives.
      for (const predicate of [
        'http://purl.org/dc/terms/title',
        'http://purl.org/dc/terms/description',
        'http://data.europa.eu/m8g/startTime',
        'http://data.europa.eu/m8g/endTime',
        `${PREFIXES.schema}opens`,
        `${PREFIXES.schema}closes`,
        `${PREFIXES.schema}dayOfWeek`,
        `${PREFIXES.skos}prefLabel`,
        `${PREFIXES.schema}email`,
        `${PREFIXES.schema}telephone`,
        `${PREFIXES.schema}url`,
        `${PREFIXES.dcat}keyword`,
        'http://purl.org/dc/terms/type',
        `${PREFIXES.cp}thema`,
        `${PREFIXES.cp}Activiteit.locatieType`,
        `${PREFIXES.udb}audienceType`,
        `${PREFIXES.schema}copyrightHolder`,
        `${PREFIXES.schema}embedUrl`,
      ]) {
        const expected = values(source, predicate);
        for (const value of expected) expect({ file, predicate, value, kept: values(published, predicate).has(value) }).toEqual({ file, predicate, value, kept: true });
      }
      // Prices as amounts (UiTdatabank writes "10.5"^^schema:Number, the profile xsd:decimal).
      const amounts = (quads: typeof source) => [...values(quads, `${PREFIXES.schema}value`)].map(Number).sort();
      expect(amounts(published)).toEqual(amounts(source));
      // The place is the platform's, resolved from what the source sent before (an online-only event has none).
      const places = placeless(file) ? new Set() : new Set([`http://data.test.local/id/locatie/${entityId('locatie', 'udb', placeId)}`]);
      expect(values(published, `${PREFIXES.prov}atLocation`)).toEqual(places);
    }
  });

  it('resolves an organizer named by IRI only', async () => {
    const [item] = await push('udb', udbKey, udbTurtle('event-with-organizer.ttl'), 'text/turtle');
    expect(['accepted', 'unchanged']).toContain(item.status);
    const published = await turtleOf('activiteit', item.activityId!);
    expect(published).toContain(`crm:P14_carried_out_by <http://data.test.local/id/organisator/${entityId('organisator', 'udb', organizerId)}>`);
  });

  it('keeps an online-only event without a place, and refuses an offline one that names none', async () => {
    const [online] = await push('udb', udbKey, udbTurtle('online-event-with-online-url-and-multiple-calendar.ttl'), 'text/turtle');
    expect(['accepted', 'unchanged']).toContain(online.status);
    const result = await graphql(platform.baseUrl, `{ activity(id: "${online.activityId}") { attendanceMode onlineUrl place { id } performances { start } } }`);
    expect(result.data.activity).toMatchObject({ attendanceMode: 'online', place: null });
    expect(result.data.activity.onlineUrl).toMatch(/^https:/);
    // Search finds it too (it used to join the place and drop every activity without one).
    const listed = await graphql(platform.baseUrl, `{ activities(filter: { attendanceMode: [online] }, first: 10) { edges { node { id place { id } } } } }`);
    expect(listed.errors).toBeUndefined();
    expect(listed.data.activities.edges.map((edge: { node: { id: string } }) => edge.node.id)).toContain(online.activityId);
    const rest = await fetch(`${platform.baseUrl}/v1/activities?attendanceMode=online`, { headers: { accept: 'application/ld+json' } });
    expect(rest.status).toBe(200);
    expect(((await rest.json()) as { member: Array<{ '@id': string }> }).member.some((member) => member['@id'].endsWith(String(online.activityId)))).toBe(true);
    const offline = udbTurtle('online-event-with-multiple-calendar.ttl').replace('Aanwezigheidsmodus/online', 'Aanwezigheidsmodus/fysiek');
    const [item] = await push('udb', udbKey, offline, 'text/turtle');
    expect(item.status).toBe('rejected');
    expect(item.results.map((problem) => problem.path)).toEqual(['place']);
    expect(item.results[0].message.en).toContain('only an online activity');
  });

  it("UiTdatabank's Turtle and then its JSON for the same event give the same stored facts under the same IRI", async () => {
    const query = (id: string) =>
      graphql(
        platform.baseUrl,
        `{ activity(id: "${id}") { iri calendarType onlineUrl place { id } performances { externalId start end } openingHours { opens closes daysOfWeek }
           prices { category name amount currency } booking { url email phone } type { iri } theme { iri } labels attendanceMode } }`,
      );
    for (const name of ['event-with-all-fields', 'event-with-periodic-calendar-and-opening-hours', 'mixed-event-with-online-url-and-multiple-calendar', 'online-event-with-online-url-and-multiple-calendar']) {
      const [fromTurtle] = await push('udb', udbKey, udbTurtle(`${name}.ttl`), 'text/turtle');
      expect(['accepted', 'unchanged']).toContain(fromTurtle.status);
      const afterTurtle = await query(fromTurtle.activityId!);
      expect(afterTurtle.errors).toBeUndefined();
      const jsonFile = readdirSync(FIXTURES).includes(`${name}.json`) ? `${name}.json` : undefined;
      if (!jsonFile) continue;
      const document = { '@id': `${UDB}/events/${eventId}`, ...JSON.parse(readUdbFixture(jsonFile)) };
      const [fromJson] = await push('udb', udbKey, JSON.stringify(document), 'application/json');
      expect(fromJson.status).not.toBe('rejected');
      expect(fromJson.activityId).toBe(fromTurtle.activityId);
      const afterJson = await query(fromJson.activityId!);
      expect(afterJson.data.activity).toEqual(afterTurtle.data.activity);
    }
  });

  it('takes the UWP demo data product: the location as N-Quads, and rejects the activity only for what its own data gets wrong', async () => {
    const key = await platform.createSource('uwp');
    const location = readFileSync('../shared/reference/uwp/uwp-yarrrml-output-nq/locatie_kg.nq', 'utf8');
    const [place] = await push('uwp', key, location, 'application/n-quads');
    expect(place).toMatchObject({ status: 'accepted', externalId: '787d7420-c06f-4935-b3c5-5cd5a1276796' });
    const activity = readFileSync('../shared/reference/uwp/uwp-yarrrml-output-nq/activiteit_kg.nq', 'utf8');
    const [item] = await push('uwp', key, activity, 'application/n-quads');
    expect(item.status).toBe('rejected');
    // Its crm:P4_has_time-span and prov:atLocation point at nodes that are not in the data product
    // (<…/activiteit/#period> while the period is <…/activiteit/123#period>; location 456 while the place is a venue uuid).
    expect(item.results.map((result) => result.message.en)).toEqual([
      'crm:P4_has_time-span points at <http://example.org/activiteit/#period>, which the document does not describe (no m8g:startTime)',
      expect.stringContaining('The place <http://example.org/location/456> is neither in this batch nor known from source uwp'),
    ]);
  });

  it('takes JSON-LD written with the official OSLO context (its term names and IRI variants), a place first, then the activity naming it', async () => {
    const key = await platform.createSource('oslo-house');
    const fixture = (name: string) => readFileSync(new URL(`../../../libs/linked-data/src/testing/${name}`, import.meta.url), 'utf8');
    const [place] = await push('oslo-house', key, fixture('oslo-context-place.jsonld'), 'application/ld+json');
    expect(place.status).toBe('accepted');
    const [item] = await push('oslo-house', key, fixture('oslo-context-activity.jsonld'), 'application/ld+json');
    expect({ status: item.status, results: item.results }).toEqual({ status: 'accepted', results: [] });
    const result = await graphql(
      platform.baseUrl,
      `{ activity(id: "${item.activityId}") { externalId calendarType place { name address { postalCode } } organizer { name } performances { start } prices { category amount } booking { url } } }`,
    );
    expect(result.data.activity).toEqual({
      externalId: 'jazz-2027',
      calendarType: 'multiple',
      place: { name: 'Stadspark', address: { postalCode: '3500' } },
      organizer: { name: 'Jazzclub Hasselt' },
      performances: [{ start: '2027-06-04T18:00:00.000Z' }, { start: '2027-06-05T18:00:00.000Z' }],
      prices: [{ category: 'base', amount: 18.5 }],
      booking: { url: 'https://tickets.example/jazz-2027' },
    });
  });

  it('round trip: every stored activity, pushed back as it is served (Turtle, N-Triples, JSON-LD), is unchanged', async () => {
    const key = await platform.createSource('mirror-self');
    const demo = JSON.parse(readFileSync(new URL('../../../demo/activities.json', import.meta.url), 'utf8')) as Activity[];
    const generated = Array.from({ length: 12 }, (_, index) =>
      buildActivity({
        externalId: `gen-${index}`,
        // Concepts are shared vocabulary: labels said of one concept IRI in a batch are said for every activity using it.
        type: demo[index].type,
        theme: demo[index].theme,
        ...(index % 3 === 0 ? { description: undefined, organizer: undefined, booking: undefined } : {}),
        ...(index % 4 === 1 ? { links: [{ sourceKind: 'uitdatabank', externalId: `udb-${index}` }] } : {}),
        ...(index % 2 === 0 ? { prices: [] } : {}),
      }),
    );
    const stored = await http(platform.baseUrl, 'POST', '/v1/sources/mirror-self/activities?wait=true', { token: key, body: [...demo, ...generated] });
    expect(stored.body.items.filter((item: Item) => item.status !== 'accepted')).toEqual([]);
    const items = stored.body.items as Item[];
    // One push per format holding every served document (Turtle and N-Triples concatenate; JSON-LD as an array).
    for (const accept of ['text/turtle', 'application/n-triples', 'application/ld+json']) {
      const served = await Promise.all(items.map(async (item) => (await http(platform.baseUrl, 'GET', `/id/activiteit/${item.activityId}`, { headers: { accept } })).text));
      const body = accept === 'application/ld+json' ? `[${served.join(',')}]` : served.join('\n');
      const back = await push('mirror-self', key, body, accept);
      const byId = (left: { id: string | null }, right: { id: string | null }) => String(left.id).localeCompare(String(right.id));
      expect(back.map((item) => ({ accept, id: item.externalId, status: item.status, results: item.results })).sort(byId)).toEqual(
        items.map((item) => ({ accept, id: item.externalId, status: 'unchanged', results: [] })).sort(byId),
      );
    }
  }, 120_000);

  it('refuses relative IRIs (RDF has none) with a 400 in Dutch and English, so "__proto__" as an @id cannot reach Object.prototype', async () => {
    const before = sharedPrototypes();
    const cases: Array<[string, string]> = [
      [JSON.stringify({ '@context': null, '@id': '__proto__', '@type': `${PREFIXES.cp}Activiteit`, [`${PREFIXES.dcterms}title`]: 'x' }), 'application/ld+json'],
      [`<constructor> a <${PREFIXES.cp}Activiteit> .`, 'text/turtle'],
      [`<https://e.org/a> <${PREFIXES.dcterms}title> "x" <toString> .`, 'application/n-quads'],
    ];
    for (const [raw, contentType] of cases) {
      const response = await http(platform.baseUrl, 'POST', '/v1/sources/udb/activities?wait=true', { token: udbKey, raw, contentType });
      expect({ contentType, status: response.status }).toEqual({ contentType, status: 400 });
      expect(response.body.error.message.en).toContain('is a relative IRI');
      expect(response.body.error.message.nl).toContain('is a relative IRI');
    }
    expect(pollutedSince(before)).toEqual([]);
    // The process answers as before.
    expect((await http(platform.baseUrl, 'GET', '/health/live')).status).toBe(200);
  });
});

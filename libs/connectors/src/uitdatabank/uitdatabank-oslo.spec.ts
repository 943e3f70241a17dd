import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Activity, Place } from '@platform/domain';
import type { ActivityRdfContext } from '@platform/linked-data';
import { activityToQuads, entityIri, quadsToActivities } from '@platform/linked-data';
import { defaultShapeFiles, ShaclValidator } from '@platform/validation';
import type { MappedItem } from '../mapped-item.js';
import { mapUitdatabankDocument, UITDATABANK_TERMS_BASE } from './map-document.js';
import { readUdbFixture, signatures, udbOsloQuads, UDB_PLACEHOLDERS } from './testing/udb-oslo-comparison.js';

const CONTEXT = { sourceId: 'udb-test', now: new Date('2026-12-01T12:00:00Z') };
const RDF_CONTEXT: ActivityRdfContext = { sourceId: 'udb-test', publicBaseUrl: 'https://data.example.be', processedAt: '2026-12-01T12:00:00Z' };
const UDB_EVENT_IRI = `${UDB_PLACEHOLDERS.baseUrl}/events/${UDB_PLACEHOLDERS.eventId}`;
// udb3-backend's feature files run against the test taxonomy; production writes taxonomy.uitdatabank.be
const TEST_TERMS_BASE = 'https://taxonomy-test.uitdatabank.be/terms/';

/** The place the pipeline resolves a placeRef to (a stored place of the same source). */
const STORED_PLACE: Place = {
  externalId: UDB_PLACEHOLDERS.placeId,
  name: { nl: 'Het Depot' },
  address: { street: 'Martelarenplein', houseNumber: '12', postalCode: '3000', municipality: { nl: 'Leuven' }, country: 'BE' },
};

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`testing/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

function mappedActivity(items: MappedItem[]): Activity {
  const mapped = items.find((item) => item.type === 'activity');
  if (!mapped || mapped.type !== 'activity') throw new Error(`no activity in ${JSON.stringify(items)}`);
  const { place, ...rest } = mapped.activity;
  return { ...rest, place: place ?? { ...STORED_PLACE, externalId: mapped.placeRef ?? STORED_PLACE.externalId } };
}

/**
 * What GET /events/{id} returns for a document created from a udb3-backend feature file: the projection
 * adds the id, workflow status, the creation times and the audience default.
 */
function asReadDocument(written: Record<string, unknown>): Record<string, unknown> {
  return {
    '@id': UDB_EVENT_IRI,
    audience: { audienceType: 'everyone' },
    workflowStatus: 'DRAFT',
    created: '2025-01-30T15:33:29+00:00',
    modified: '2025-01-30T15:33:29+00:00',
    ...written,
  };
}

/** UiTdatabank's triples (same terms base as ours) that our graph for the same input does not have. */
function missingFromOurs(activity: Activity, udbTurtleName: string): string[] {
  const ours = signatures(activityToQuads(activity, RDF_CONTEXT), entityIri(RDF_CONTEXT.publicBaseUrl, 'activiteit', RDF_CONTEXT.sourceId, activity.externalId));
  const theirs = signatures(udbOsloQuads(udbTurtleName), UDB_EVENT_IRI);
  return [...theirs]
    .map((signature) => signature.split(TEST_TERMS_BASE).join(UITDATABANK_TERMS_BASE))
    .filter((signature) => !ours.has(signature))
    .sort();
}

const xsd = 'http://www.w3.org/2001/XMLSchema#';
const udbPlace = `${UDB_PLACEHOLDERS.baseUrl}/places/${UDB_PLACEHOLDERS.placeId}`;
/**
 * The departures recorded in README.md ("Departures from udb3-backend's OSLO output"), as signatures:
 * identity (our IRIs, identifiers and processing times), UiTdatabank's moderation status, and two
 * places where udb3-backend's output does not conform to the OSLO profile.
 */
function departures(created: string): string[] {
  return [
    ` | http://purl.org/dc/terms/created | "${created}"^^${xsd}dateTime`,
    ` | http://purl.org/dc/terms/modified | "${created}"^^${xsd}dateTime`,
    ` | https://data.publiq.be/ns/uitdatabank#workflowStatus | https://data.publiq.be/concepts/workflowStatus/draft`,
    `http://www.w3.org/ns/adms#identifier | http://www.w3.org/2004/02/skos/core#notation | "${UDB_EVENT_IRI}"^^${xsd}anyURI`,
    `http://www.w3.org/ns/adms#identifier / https://data.vlaanderen.be/ns/generiek#gestructureerdeIdentificator | https://data.vlaanderen.be/ns/generiek#naamruimte | "${UDB_PLACEHOLDERS.baseUrl}/events/"^^${xsd}string`,
  ];
}
const PLACE_BY_UDB_IRI = `https://data.vlaanderen.be/ns/cultuurparticipatie#Activiteit.ruimtetijd | http://www.cidoc-crm.org/cidoc-crm/P161_has_spatial_projection | ${udbPlace}`;

describe('the OSLO graph of mapped UiTdatabank events', () => {
  let validator: ShaclValidator;
  beforeAll(async () => {
    validator = await ShaclValidator.fromFiles(defaultShapeFiles());
  });

  it.each([
    'single-calendar-with-capacity.json',
    'multiple-calendar-with-sub-event-capacity.json',
    'periodic-calendar-with-opening-hours.json',
    'permanent-calendar-online.json',
  ])('%s conforms to the shapes', async (name) => {
    const activity = mappedActivity(mapUitdatabankDocument(fixture(name), CONTEXT));
    const outcome = await validator.validate(activityToQuads(activity, RDF_CONTEXT));
    expect(outcome.results).toEqual([]);
    expect(outcome.conforms).toBe(true);
  });

  it('reads back the new fields from its own graph', () => {
    const activity = mappedActivity(mapUitdatabankDocument(fixture('single-calendar-with-capacity.json'), CONTEXT));
    const [read] = quadsToActivities(activityToQuads(activity, RDF_CONTEXT));
    expect(read.errors).toEqual([]);
    for (const field of ['attendanceMode', 'audience', 'labels', 'hiddenLabels', 'typicalAgeRange', 'facilities', 'contactPoint', 'media', 'sameAs', 'status'] as const) {
      expect([field, read.activity?.[field]]).toEqual([field, activity[field]]);
    }
    expect(read.activity?.place?.type).toEqual(activity.place!.type);
    const periodic = mappedActivity(mapUitdatabankDocument(fixture('periodic-calendar-with-opening-hours.json'), CONTEXT));
    const [readPeriodic] = quadsToActivities(activityToQuads(periodic, RDF_CONTEXT));
    expect(readPeriodic.errors).toEqual([]);
    expect(readPeriodic.activity?.period).toEqual(periodic.period);
    expect(readPeriodic.activity?.openingHours).toEqual(periodic.openingHours);
    const permanent = mappedActivity(mapUitdatabankDocument(fixture('permanent-calendar-online.json'), CONTEXT));
    const [readPermanent] = quadsToActivities(activityToQuads(permanent, RDF_CONTEXT));
    expect(readPermanent.activity?.videos).toEqual(permanent.videos);
    expect(readPermanent.activity?.onlineUrl).toBe(permanent.onlineUrl);
  });
});

describe("udb3-backend's own OSLO output for the same input (features/data/events/rdf)", () => {
  it('event-with-all-fields: every shared triple, except the recorded departures', () => {
    const document = asReadDocument(JSON.parse(readUdbFixture('event-with-all-fields.json')) as Record<string, unknown>);
    const activity = mappedActivity(mapUitdatabankDocument(document, CONTEXT));
    expect(missingFromOurs(activity, 'event-with-all-fields.ttl')).toEqual(
      // udb3-backend's booking class (cpa:Boekingsinfo) and amount datatype (schema:Number) are known variants, normalised on input.
      [...departures('2025-01-30T15:33:29+00:00'), PLACE_BY_UDB_IRI].sort(),
    );
  });

  it('mixed-event-with-online-url-and-permanent-calendar: attendance mode and virtual location', () => {
    const document = asReadDocument(JSON.parse(readUdbFixture('mixed-event-with-online-url-and-permanent-calendar.json')) as Record<string, unknown>);
    const activity = mappedActivity(mapUitdatabankDocument(document, CONTEXT));
    // This feature file was recorded without created/modified values ("").
    expect(missingFromOurs(activity, 'mixed-event-with-online-url-and-permanent-calendar.ttl')).toEqual(
      [...departures(''), ` | http://www.w3.org/ns/prov#atLocation | ${udbPlace}`].sort(),
    );
  });

  it('event-with-periodic-calendar-and-opening-hours: period and opening hours', () => {
    // udb3-backend keeps no input JSON for this file: the document below is what its Turtle describes.
    const document = asReadDocument({
      mainLanguage: 'nl',
      name: { nl: 'Single calendar event' },
      terms: [
        { id: '0.50.4.0.0', label: 'Concert', domain: 'eventtype' },
        { id: '1.8.3.1.0', label: 'Pop en rock', domain: 'theme' },
      ],
      location: { '@id': udbPlace },
      calendarType: 'periodic',
      startDate: '2021-05-17T08:00:00+00:00',
      endDate: '2021-05-18T22:00:00+00:00',
      openingHours: [
        { opens: '10:00', closes: '16:00', dayOfWeek: ['monday', 'tuesday'] },
        { opens: '09:00', closes: '17:00', dayOfWeek: ['saturday', 'sunday'] },
      ],
    });
    const activity = mappedActivity(mapUitdatabankDocument(document, CONTEXT));
    expect(missingFromOurs(activity, 'event-with-periodic-calendar-and-opening-hours.ttl')).toEqual(
      [...departures(''), PLACE_BY_UDB_IRI].sort(),
    );
  });
});

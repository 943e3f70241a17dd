import { describe, expect, it } from '@jest/globals';
import type { FetchedResponse } from '../connector.js';
import type { MappedActivity } from '../mapped-item.js';
import { mapLdesPage } from './ldes-mapper.js';
import { LDES_MEMBERS_CONTENT_TYPE, type LdesMembersRecord } from './ldes-members.js';

const ACTIVITY = 'https://vendor.example/id/activiteit/a';
const member = (title: string, timestamp: string) => ({
  id: ACTIVITY,
  isVersionOf: ACTIVITY,
  timestamp,
  nquads: [
    `<${ACTIVITY}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.cidoc-crm.org/cidoc-crm/E7_Activity> .`,
    `<${ACTIVITY}> <http://purl.org/dc/terms/title> "${title}"@nl .`,
    `<${ACTIVITY}> <http://www.w3.org/ns/prov#atLocation> <https://vendor.example/id/locatie/p> .`,
    `<https://vendor.example/id/locatie/p> <http://www.w3.org/ns/locn#locatorName> "Zaal"@nl .`,
    `<https://vendor.example/id/locatie/p> <http://www.w3.org/ns/locn#address> _:address .`,
    `_:address <http://www.w3.org/ns/locn#postCode> "9000" .`,
    `_:address <http://www.w3.org/ns/locn#postName> "Gent"@nl .`,
    `<${ACTIVITY}> <http://www.cidoc-crm.org/cidoc-crm/P4_has_time-span> _:time .`,
    `_:time <http://data.europa.eu/m8g/startTime> "2027-01-01T20:00:00+01:00"^^<http://www.w3.org/2001/XMLSchema#dateTime> .`,
  ].join('\n'),
});
const responses = (members: LdesMembersRecord['members'], extra: Partial<LdesMembersRecord> = {}): FetchedResponse[] => [
  { url: 'https://vendor.example/ldes#ldes-client-members', contentType: LDES_MEMBERS_CONTENT_TYPE, body: Buffer.from(JSON.stringify({ stream: 'https://vendor.example/ldes', fragments: [], members, ...extra })) },
];

describe('LDES mapping', () => {
  it('keeps the latest version of an activity within a step, whatever the order the client emitted them in', () => {
    const items = mapLdesPage(responses([member('Versie 2', '2026-03-02T00:00:00Z'), member('Versie 1', '2026-03-01T00:00:00Z')])) as MappedActivity[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ type: 'activity', externalId: ACTIVITY, activity: { externalId: ACTIVITY, title: { nl: 'Versie 2' } } });
  });

  it('reads a deletion by the stream\'s ldes:versionDeleteObject, and an unreadable member as invalid', () => {
    const deletion = { id: ACTIVITY, isVersionOf: ACTIVITY, timestamp: '2026-03-03T00:00:00Z', nquads: `<${ACTIVITY}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/ns/activitystreams#Delete> .` };
    const broken = { id: 'https://vendor.example/id/activiteit/b', nquads: '<oops' };
    const items = mapLdesPage(responses([member('Versie 1', '2026-03-01T00:00:00Z'), deletion, broken], { versionDeleteObject: 'https://www.w3.org/ns/activitystreams#Delete' }));
    expect(items[0]).toEqual({ type: 'deletion', externalId: ACTIVITY });
    expect(items[1]).toMatchObject({ type: 'invalid', externalId: 'https://vendor.example/id/activiteit/b' });
  });
});

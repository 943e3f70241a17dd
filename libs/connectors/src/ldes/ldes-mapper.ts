import { parseTurtle, quadsToActivities } from '@platform/linked-data';
import type { FetchedResponse } from '../connector.js';
import { mappingProblem, type MappedItem } from '../mapped-item.js';
import { LDES_MEMBERS_CONTENT_TYPE, type LdesMemberRecord, type LdesMembersRecord } from './ldes-members.js';

const SCHEMA_EVENT_TYPES = new Set(['https://schema.org/Event', 'http://schema.org/Event']);
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

function readRecords(responses: FetchedResponse[]): LdesMembersRecord[] {
  return responses
    .filter((response) => response.contentType === LDES_MEMBERS_CONTENT_TYPE)
    .map((response) => JSON.parse(response.body.toString('utf8')) as LdesMembersRecord);
}

function mapMember(member: LdesMemberRecord, record: LdesMembersRecord, position: number): MappedItem {
  const externalId = member.isVersionOf ?? member.id;
  const where = `/members/${position}`;
  let quads;
  try {
    quads = parseTurtle(member.nquads);
  } catch (error) {
    return {
      type: 'invalid',
      externalId,
      problems: [mappingProblem(where, `Lid ${member.id} is geen geldige RDF: ${(error as Error).message}`, `Member ${member.id} is not valid RDF: ${(error as Error).message}`)],
    };
  }
  // LDES 2.0: a member whose versionDeletePath (default rdf:type) has the versionDeleteObject is a deletion
  if (record.versionDeleteObject !== undefined) {
    const path = record.versionDeletePath ?? RDF_TYPE;
    const deleted = quads.some((quad) => quad.subject.value === member.id && quad.predicate.value === path && quad.object.value === record.versionDeleteObject);
    if (deleted) return { type: 'deletion', externalId };
  }
  const found = quadsToActivities(quads);
  const own = found.find((candidate) => candidate.subject === member.id) ?? found[0];
  if (!own) {
    const types = quads.filter((quad) => quad.subject.value === member.id && quad.predicate.value === RDF_TYPE).map((quad) => quad.object.value);
    const isSchemaEvent = types.some((type) => SCHEMA_EVENT_TYPES.has(type));
    return {
      type: 'invalid',
      externalId,
      problems: [
        isSchemaEvent
          ? mappingProblem(
              where,
              `Lid ${member.id} is een schema:Event in RDF; deze connector leest enkel OSLO-activiteiten (crm:E7_Activity) uit een LDES.`,
              `Member ${member.id} is a schema:Event in RDF; this connector reads only OSLO activities (crm:E7_Activity) from an LDES.`,
            )
          : mappingProblem(
              where,
              `Lid ${member.id} bevat geen OSLO-activiteit (crm:E7_Activity)${types.length ? `; types: ${types.join(', ')}` : ''}.`,
              `Member ${member.id} holds no OSLO activity (crm:E7_Activity)${types.length ? `; types: ${types.join(', ')}` : ''}.`,
            ),
      ],
    };
  }
  if (!own.activity) {
    return {
      type: 'invalid',
      externalId,
      problems: own.errors.map((error) => mappingProblem(`${where}/${error.path}`, `Lid ${member.id}: ${error.message.nl}`, `Member ${member.id}: ${error.message.en}`)),
    };
  }
  // The version-of IRI is the activity's identity: every version updates the same activity.
  return { type: 'activity', externalId, activity: { ...own.activity, externalId } };
}

/**
 * Maps the members the ldes-client extracted in one step. Within a step only the latest version of an
 * activity (by ldes:timestampPath) is kept, so an earlier version never overwrites a later one.
 */
export function mapLdesPage(responses: FetchedResponse[]): MappedItem[] {
  const latest = new Map<string, { item: MappedItem; timestamp: number; order: number }>();
  let order = 0;
  for (const record of readRecords(responses)) {
    record.members.forEach((member, position) => {
      const item = mapMember(member, record, position);
      const key = member.isVersionOf ?? member.id;
      const timestamp = member.timestamp === undefined ? Number.NEGATIVE_INFINITY : Date.parse(member.timestamp);
      const previous = latest.get(key);
      order++;
      // ties (no timestamps) keep stream order: the member read later wins
      if (!previous || timestamp >= previous.timestamp) latest.set(key, { item, timestamp, order });
    });
  }
  return [...latest.values()].sort((left, right) => left.order - right.order).map((entry) => entry.item);
}

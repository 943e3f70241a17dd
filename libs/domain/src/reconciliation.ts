import type { Activity, AvailabilityLevel, PerformanceStatus } from './activity.js';

/**
 * Reconciliation, the read side: several sources' records of the same activity (ticketing, planning,
 * UiTdatabank) are published as one, each field taken from the source that knows it best.
 */

/** Fields are taken per group from the first source kind in the group's list that has a value. */
export const FIELD_GROUPS = ['description', 'media', 'schedule', 'availability', 'place', 'organizer', 'prices', 'booking'] as const;
export type FieldGroup = (typeof FIELD_GROUPS)[number];
export type Precedence = Record<FieldGroup, string[]>;

/**
 * Sensible defaults (the words): availability from ticketing; descriptions and media from
 * UiTdatabank; schedule from planning. Prices and booking from the ticketing system that sells.
 * Kinds not listed come after the listed ones (older records first).
 */
export const DEFAULT_PRECEDENCE: Precedence = {
  description: ['uitdatabank', 'push', 'ldes', 'rpde', 'ticketmatic', 'yesplan'],
  media: ['uitdatabank', 'push', 'ldes', 'rpde', 'ticketmatic', 'yesplan'],
  schedule: ['yesplan', 'ticketmatic', 'uitdatabank', 'push', 'ldes', 'rpde'],
  availability: ['ticketmatic', 'push', 'uitdatabank', 'rpde', 'ldes', 'yesplan'],
  place: ['uitdatabank', 'push', 'ldes', 'rpde', 'yesplan', 'ticketmatic'],
  organizer: ['uitdatabank', 'push', 'ldes', 'rpde', 'ticketmatic', 'yesplan'],
  prices: ['ticketmatic', 'uitdatabank', 'push', 'ldes', 'rpde', 'yesplan'],
  booking: ['ticketmatic', 'uitdatabank', 'push', 'ldes', 'rpde', 'yesplan'],
};

/** Which group decides each activity field. */
const FIELD_GROUP: Partial<Record<keyof Activity, FieldGroup>> = {
  title: 'description',
  description: 'description',
  type: 'description',
  theme: 'description',
  facilities: 'description',
  audience: 'description',
  labels: 'description',
  hiddenLabels: 'description',
  typicalAgeRange: 'description',
  attendanceMode: 'description',
  onlineUrl: 'description',
  url: 'description',
  contactPoint: 'description',
  sameAs: 'description',
  mainLanguage: 'description',
  images: 'media',
  media: 'media',
  videos: 'media',
  calendarType: 'schedule',
  period: 'schedule',
  openingHours: 'schedule',
  status: 'schedule',
  place: 'place',
  organizer: 'organizer',
  prices: 'prices',
};

/** `group:kind,kind;group:kind` (RECONCILE_PRECEDENCE) over the defaults; unknown groups are an error. */
export function parsePrecedence(text: string | undefined): Precedence {
  const precedence: Precedence = { ...DEFAULT_PRECEDENCE };
  for (const part of (text ?? '').split(';').map((entry) => entry.trim()).filter(Boolean)) {
    const [group, kinds] = part.split(':').map((entry) => entry.trim());
    if (!(FIELD_GROUPS as readonly string[]).includes(group) || !kinds) {
      throw new Error(`RECONCILE_PRECEDENCE: "${part}" is not group:kind,kind with group one of ${FIELD_GROUPS.join(', ')}`);
    }
    precedence[group as FieldGroup] = kinds.split(',').map((kind) => kind.trim()).filter(Boolean);
  }
  return precedence;
}

export interface MemberPerformance {
  /** The platform id (uuid) of the performance. */
  id: string;
  externalId: string;
  start: string;
  end?: string;
  status: PerformanceStatus;
  availability?: { capacity: number | null; remaining: number | null; level: AvailabilityLevel; changedAt: string };
}

/** One source's record in a cluster. */
export interface ClusterMember {
  activityId: string;
  sourceId: string;
  sourceKind: string;
  /** ISO time the platform first stored it: the oldest member is the cluster's identity. */
  createdAt: string;
  activity: Activity;
  performances: MemberPerformance[];
}

export interface FieldProvenance {
  field: string;
  sourceId: string;
  activityId: string;
}

export interface MergedPerformance extends MemberPerformance {
  /** Source whose performance gives the identity (IRI) of the merged one. */
  sourceId: string;
  scheduleFrom: string;
  availabilityFrom: string | null;
  /** Platform ids of every source's record of this performance. */
  sameAs: string[];
}

export interface MergedActivity {
  /** The member whose identity (IRI) the published activity has. */
  root: ClusterMember;
  activity: Activity;
  performances: MergedPerformance[];
  provenance: FieldProvenance[];
  /** The members the fields of place and organizer come from (their stored rows are shown). */
  placeFrom: ClusterMember;
  organizerFrom: ClusterMember | null;
}

function hasValue(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return value !== '';
}

/** Members in the order a group prefers them: listed kinds first, then the rest, older first. */
function ordered(members: ClusterMember[], kinds: string[]): ClusterMember[] {
  const rank = (member: ClusterMember) => {
    const index = kinds.indexOf(member.sourceKind);
    return index === -1 ? kinds.length : index;
  };
  return [...members].sort((left, right) => rank(left) - rank(right) || left.createdAt.localeCompare(right.createdAt) || left.activityId.localeCompare(right.activityId));
}

/** The oldest member: its IRI stays the published one when more sources join. */
export function clusterRoot(members: ClusterMember[]): ClusterMember {
  return [...members].sort((left, right) => left.createdAt.localeCompare(right.createdAt) || left.activityId.localeCompare(right.activityId))[0];
}

/**
 * One published activity from a cluster. Performances are aligned across sources by start time (within
 * `windowMinutes`), one per source at most; each takes its schedule and its availability by precedence.
 */
export function mergeCluster(members: ClusterMember[], precedence: Precedence, windowMinutes: number): MergedActivity {
  const root = clusterRoot(members);
  const provenance: FieldProvenance[] = [];
  const merged: Record<string, unknown> = { ...root.activity };
  for (const [field, group] of Object.entries(FIELD_GROUP) as Array<[keyof Activity, FieldGroup]>) {
    const from = ordered(members, precedence[group]).find((member) => hasValue(member.activity[field]));
    if (!from) continue;
    merged[field] = from.activity[field];
    provenance.push({ field, sourceId: from.sourceId, activityId: from.activityId });
  }
  merged.links = members.flatMap((member) => member.activity.links ?? []);
  // Booking info per part: the ticketing system's sale period, and the calendar's booking URL when ticketing has none.
  const bookingOrder = ordered(members, precedence.booking);
  const booking: Record<string, unknown> = {};
  for (const key of ['url', 'email', 'phone', 'availableFrom', 'availableUntil'] as const) {
    const from = bookingOrder.find((member) => hasValue(member.activity.booking?.[key]));
    if (!from) continue;
    booking[key] = from.activity.booking![key];
    provenance.push({ field: `booking.${key}`, sourceId: from.sourceId, activityId: from.activityId });
  }
  if (Object.keys(booking).length > 0) merged.booking = booking;

  const windowMs = windowMinutes * 60_000;
  const groups: Array<Array<{ member: ClusterMember; performance: MemberPerformance }>> = [];
  for (const member of ordered(members, precedence.schedule)) {
    for (const performance of member.performances) {
      const start = Date.parse(performance.start);
      const group = groups.find(
        (candidate) =>
          !candidate.some((entry) => entry.member === member) &&
          candidate.some((entry) => Math.abs(Date.parse(entry.performance.start) - start) <= windowMs),
      );
      if (group) group.push({ member, performance });
      else groups.push([{ member, performance }]);
    }
  }
  const scheduleOrder = ordered(members, precedence.schedule);
  const availabilityOrder = ordered(members, precedence.availability);
  const performances = groups
    .map((group): MergedPerformance => {
      const byMember = (order: ClusterMember[]) => order.flatMap((member) => group.filter((entry) => entry.member === member));
      const schedule = byMember(scheduleOrder)[0];
      const seats = byMember(availabilityOrder).find((entry) => entry.performance.availability);
      const anchor = group.find((entry) => entry.member === root) ?? schedule;
      return {
        id: anchor.performance.id,
        externalId: anchor.performance.externalId,
        sourceId: anchor.member.sourceId,
        start: schedule.performance.start,
        end: schedule.performance.end,
        status: schedule.performance.status,
        availability: seats?.performance.availability,
        scheduleFrom: schedule.member.sourceId,
        availabilityFrom: seats?.member.sourceId ?? null,
        sameAs: group.map((entry) => entry.performance.id),
      };
    })
    .sort((left, right) => Date.parse(left.start) - Date.parse(right.start));

  const placeFrom = ordered(members, precedence.place)[0];
  const organizerFrom = ordered(members, precedence.organizer).find((member) => member.activity.organizer) ?? null;
  const activity = {
    ...(merged as unknown as Activity),
    externalId: root.activity.externalId,
    place: placeFrom.activity.place,
    organizer: organizerFrom?.activity.organizer,
    performances: performances.map(({ externalId, start, end, status, availability }) => ({
      externalId,
      start,
      ...(end ? { end } : {}),
      status,
      ...(availability
        ? {
            availability: {
              ...(availability.capacity !== null ? { capacity: availability.capacity } : {}),
              ...(availability.remaining !== null ? { remaining: availability.remaining } : {}),
              level: availability.level,
              changedAt: availability.changedAt,
            },
          }
        : {}),
    })),
  };
  if (!organizerFrom) delete (activity as Partial<Activity>).organizer;
  return { root, activity, performances, provenance, placeFrom, organizerFrom };
}

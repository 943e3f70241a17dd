import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import {
  ATTENDANCE_MODES,
  AUDIENCE_TYPES,
  AVAILABILITY_LEVELS,
  CALENDAR_TYPES,
  DAYS_OF_WEEK,
  PERFORMANCE_STATUSES,
  PRICE_CATEGORIES,
  type AttendanceMode,
  type AudienceType,
  type AvailabilityLevel,
  type CalendarType,
  type DayOfWeek,
  type PerformanceStatus,
  type PriceCategory,
} from '@platform/domain';

const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((value) => [value, value])) as Record<T, T>;

export const AvailabilityLevelEnum = enumOf(AVAILABILITY_LEVELS);
export const PerformanceStatusEnum = enumOf(PERFORMANCE_STATUSES);
export const PriceCategoryEnum = enumOf(PRICE_CATEGORIES);
registerEnumType(AvailabilityLevelEnum, { name: 'AvailabilityLevel', description: 'schema.org ItemAvailability, as UWP platform:ticketBeschikbaarheid.' });
registerEnumType(PerformanceStatusEnum, { name: 'PerformanceStatus' });
registerEnumType(PriceCategoryEnum, { name: 'PriceCategory' });
export const CalendarTypeEnum = enumOf(CALENDAR_TYPES);
export const AttendanceModeEnum = enumOf(ATTENDANCE_MODES);
export const AudienceTypeEnum = enumOf(AUDIENCE_TYPES);
export const DayOfWeekEnum = enumOf(DAYS_OF_WEEK);
registerEnumType(CalendarTypeEnum, { name: 'CalendarType', description: 'single/multiple: performances; periodic: a period with opening hours; permanent: opening hours only.' });
registerEnumType(AttendanceModeEnum, { name: 'AttendanceMode', description: 'OSLO Activiteit.locatieType (Aanwezigheidsmodus): offline = fysiek, online, mixed = hybride.' });
registerEnumType(AudienceTypeEnum, { name: 'AudienceType' });
registerEnumType(DayOfWeekEnum, { name: 'DayOfWeek' });

@ObjectType({ description: 'The period of a periodic activity (m8g:PeriodOfTime).' })
export class Period {
  @Field(() => Date) start!: Date;
  @Field(() => Date, { nullable: true }) end!: Date | null;
}

@ObjectType({ description: 'Weekly opening hours (schema:OpeningHoursSpecification), local time HH:MM.' })
export class OpeningHours {
  @Field() opens!: string;
  @Field() closes!: string;
  @Field(() => [DayOfWeekEnum]) daysOfWeek!: DayOfWeek[];
}

@ObjectType({ description: 'Ages in years, both ends inclusive; an open end is null.' })
export class AgeRange {
  @Field(() => Int, { nullable: true }) min!: number | null;
  @Field(() => Int, { nullable: true }) max!: number | null;
}

@ObjectType({ description: 'A text in one language.' })
export class LangText {
  @Field() language!: string;
  @Field() value!: string;
}

@ObjectType({ description: 'A SKOS concept (type, theme).' })
export class Concept {
  @Field() iri!: string;
  @Field(() => String, { nullable: true, description: 'Label in the requested language (fallback: nl, then any).' }) label?: string | null;
}

@ObjectType()
export class Availability {
  @Field(() => Int, { nullable: true }) capacity!: number | null;
  @Field(() => Int, { nullable: true }) remaining!: number | null;
  @Field(() => AvailabilityLevelEnum) level!: AvailabilityLevel;
  @Field(() => Date, { nullable: true }) changedAt!: Date | null;
}

@ObjectType({ description: 'One performance (OSLO sub-activity) of an activity.' })
export class Performance {
  @Field(() => ID) id!: string;
  @Field({ description: 'Dereferenceable platform IRI.' }) iri!: string;
  @Field() externalId!: string;
  @Field(() => Date) start!: Date;
  @Field(() => Date, { nullable: true }) end!: Date | null;
  @Field(() => PerformanceStatusEnum) status!: PerformanceStatus;
  @Field(() => Availability, { nullable: true, description: 'Live: reflects every availability update.' }) availability!: Availability | null;
  @Field({ description: 'Source whose record gives the start, end and status (reconciliation: planning first).' }) scheduleFrom!: string;
  @Field(() => String, { nullable: true, description: 'Source whose record gives the seats (reconciliation: ticketing first).' }) availabilityFrom!: string | null;
  @Field(() => [ID], { description: "Platform ids of every source's record of this performance." }) sameAs!: string[];
}

@ObjectType({ description: 'Which source a field of the published activity comes from.' })
export class FieldProvenance {
  @Field() field!: string;
  @Field() source!: string;
  @Field(() => ID) activityId!: string;
}

@ObjectType({ description: "One source's record that is part of this published activity." })
export class ActivitySource {
  @Field(() => ID) id!: string;
  @Field() iri!: string;
  @Field() source!: string;
  @Field() externalId!: string;
  @Field({ description: 'How it was linked: declared, matched, confirmed, manual (or own: the activity itself).' }) method!: string;
}

@ObjectType()
export class Address {
  @Field(() => String, { nullable: true }) street?: string;
  @Field(() => String, { nullable: true }) houseNumber?: string;
  @Field(() => String, { nullable: true }) box?: string;
  @Field() postalCode!: string;
  @Field() municipality!: string;
  @Field() country!: string;
}

@ObjectType()
export class GeoPoint {
  @Field(() => Float) latitude!: number;
  @Field(() => Float) longitude!: number;
}

@ObjectType()
export class Place {
  @Field(() => ID) id!: string;
  @Field() iri!: string;
  @Field() externalId!: string;
  @Field() name!: string;
  @Field(() => [LangText]) names!: LangText[];
  @Field(() => Address) address!: Address;
  @Field(() => GeoPoint, { nullable: true }) geo?: GeoPoint | null;
}

@ObjectType()
export class Organizer {
  @Field(() => ID) id!: string;
  @Field() iri!: string;
  @Field() externalId!: string;
  @Field() name!: string;
  @Field(() => [LangText]) names!: LangText[];
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) url?: string | null;
}

@ObjectType()
export class Price {
  @Field(() => PriceCategoryEnum) category!: PriceCategory;
  @Field() name!: string;
  @Field(() => Float) amount!: number;
  @Field() currency!: string;
}

@ObjectType()
export class BookingInfo {
  @Field(() => String, { nullable: true }) url?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => Date, { nullable: true }) availableFrom?: Date | null;
  @Field(() => Date, { nullable: true }) availableUntil?: Date | null;
}

@ObjectType({ description: 'An activity (OSLO cp:Activiteit = crm:E7_Activity) with its performances.' })
export class Activity {
  @Field(() => ID) id!: string;
  @Field({ description: 'Dereferenceable platform IRI ({PUBLIC_BASE_URL}/id/activiteit/{id}).' }) iri!: string;
  @Field() source!: string;
  @Field() externalId!: string;
  @Field({ description: 'Title in the requested language (fallback: nl, then any).' }) title!: string;
  @Field(() => [LangText]) titles!: LangText[];
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => [LangText]) descriptions!: LangText[];
  @Field(() => Concept, { nullable: true }) type!: Concept | null;
  @Field(() => Concept, { nullable: true }) theme!: Concept | null;
  @Field(() => [Price]) prices!: Price[];
  @Field(() => BookingInfo, { nullable: true }) booking!: BookingInfo | null;
  @Field(() => String, { nullable: true }) url!: string | null;
  @Field(() => [String]) images!: string[];
  @Field(() => CalendarTypeEnum, { nullable: true }) calendarType!: CalendarType | null;
  @Field(() => Period, { nullable: true }) period!: Period | null;
  @Field(() => [OpeningHours]) openingHours!: OpeningHours[];
  @Field(() => PerformanceStatusEnum, { nullable: true, description: 'Status of the activity as a whole.' }) status!: PerformanceStatus | null;
  @Field(() => [Concept]) facilities!: Concept[];
  @Field(() => AudienceTypeEnum, { nullable: true }) audience!: AudienceType | null;
  @Field(() => [String], { description: 'Public labels (hidden labels are not shown).' }) labels!: string[];
  @Field(() => AttendanceModeEnum, { nullable: true }) attendanceMode!: AttendanceMode | null;
  @Field(() => String, { nullable: true }) onlineUrl!: string | null;
  @Field(() => AgeRange, { nullable: true }) typicalAgeRange!: AgeRange | null;
  @Field(() => Date, { nullable: true, description: 'Start of the first performance.' }) firstStart!: Date | null;
  @Field(() => Date, { nullable: true, description: 'End (or start) of the last performance.' }) lastEnd!: Date | null;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) modifiedAt!: Date;
  @Field(() => [ActivitySource], { description: 'The source records published as this one activity (reconciliation); one entry when it stands alone.' })
  sources!: ActivitySource[];
  @Field(() => [FieldProvenance], { description: 'Per field, the source it comes from (empty when the activity stands alone: every field is its own).' })
  provenance!: FieldProvenance[];
  /** Resolved by field resolvers (null: an online activity without a place). */
  placeId!: string | null;
  organizerId!: string | null;
  language!: string;
  /** Set for a reconciled activity: its performances merged across sources. */
  mergedPerformances?: Performance[];
}

@ObjectType()
export class ActivityEdge {
  @Field() cursor!: string;
  @Field(() => Activity) node!: Activity;
  @Field(() => Float, { nullable: true, description: 'Km from the coordinates of the search, when given.' }) distanceKm!: number | null;
}

@ObjectType()
export class FacetValue {
  @Field({ description: 'Concept IRI, NIS code or availability level.' }) value!: string;
  @Field(() => String, { nullable: true, description: 'In the requested language (fallback: nl, then any).' }) label!: string | null;
  @Field(() => Int, { description: 'Published activities among all matches that have this value.' }) count!: number;
}

@ObjectType()
export class Facet {
  @Field() name!: string;
  @Field(() => [FacetValue]) values!: FacetValue[];
}

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType()
export class ActivityConnection {
  @Field(() => [ActivityEdge]) edges!: ActivityEdge[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
  @Field(() => [Facet], { description: 'The facets asked for.' }) facets!: Facet[];
}

@ObjectType({ description: 'A change of seats or level of one performance, pushed live.' })
export class AvailabilityChange {
  @Field(() => ID) activityId!: string;
  @Field(() => ID) performanceId!: string;
  @Field() performanceExternalId!: string;
  @Field(() => ID, { nullable: true, description: 'Null for an online activity without a place.' }) placeId!: string | null;
  @Field() source!: string;
  @Field(() => Int, { nullable: true }) capacity!: number | null;
  @Field(() => Int, { nullable: true }) remaining!: number | null;
  @Field(() => AvailabilityLevelEnum, { nullable: true }) level!: AvailabilityLevel | null;
  @Field(() => Date) changedAt!: Date;
  @Field(() => String, { nullable: true, description: 'Change-log sequence number.' }) seq!: string | null;
  @Field(() => Float, { description: 'When the platform published it (ms since epoch).' }) publishedAt!: number;
}

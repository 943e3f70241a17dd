import { ArgsType, Field, Float, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import type { AttendanceMode, AvailabilityLevel } from '@platform/domain';
import { FACETS, type FacetName } from '@platform/storage';
import { AttendanceModeEnum, AvailabilityLevelEnum } from './activity.model.js';

export const MAX_PAGE_SIZE = 100;

export enum ActivitySortField {
  START = 'start',
  DISTANCE = 'distance',
  MODIFIED = 'modified',
  RELEVANCE = 'relevance',
}
export enum SortOrder {
  ASC = 'asc',
  DESC = 'desc',
}
export const SearchFacetEnum = Object.fromEntries(FACETS.map((facet) => [facet, facet])) as Record<FacetName, FacetName>;
registerEnumType(ActivitySortField, { name: 'ActivitySortField', description: 'distance needs coordinates + distance; relevance needs text.' });
registerEnumType(SortOrder, { name: 'SortOrder' });
registerEnumType(SearchFacetEnum, { name: 'SearchFacet' });

/**
 * All given conditions must hold. The names and value formats are those of REST GET /v1/activities (UiTdatabank
 * Search API v3 names): both are read by one parser, so they accept and refuse the same values.
 */
@InputType({ description: 'All given conditions must hold (the parameters of GET /v1/activities; see docs/guide-search.md).' })
export class ActivityFilter {
  @Field(() => String, { nullable: true, description: 'Words that must all occur (prefixes, stemmed nl/fr/en/de, accents folded) in titles, descriptions, venue names.' })
  text?: string;
  @Field(() => String, { nullable: true, description: 'Happening at some moment from then: ISO 8601 date-time with offset, or a date (Brussels midnight).' }) dateFrom?: string;
  @Field(() => String, { nullable: true, description: 'Happening at some moment until then (a date: its end, in Brussels).' }) dateTo?: string;
  @Field(() => String, { nullable: true, description: 'HH:MM, local time (Europe/Brussels).' }) localTimeFrom?: string;
  @Field(() => String, { nullable: true, description: 'HH:MM, local time (Europe/Brussels).' }) localTimeTo?: string;
  @Field(() => String, { nullable: true, description: '"latitude,longitude" (WGS84), with distance.' }) coordinates?: string;
  @Field(() => String, { nullable: true, description: 'E.g. "10km", "500m", with coordinates.' }) distance?: string;
  @Field(() => String, { nullable: true, description: '"south,west|north,east".' }) bounds?: string;
  @Field(() => String, { nullable: true, description: 'Postal code; * is a wildcard ("90*"); several comma-separated.' }) postalCode?: string;
  @Field(() => [String], { nullable: true, description: 'NIS codes of municipalities, provinces or regions (44021, nis-40000, 02000). Any of them.' }) regions?: string[];
  @Field(() => [String], { nullable: true, description: 'Type, theme, facility or place-type concepts (IRI or last segment). All of them.' }) termIds?: string[];
  @Field(() => [String], { nullable: true, description: 'Labels (case-insensitive). All of them.' }) labels?: string[];
  @Field(() => ID, { nullable: true }) organizerId?: string;
  @Field(() => ID, { nullable: true, description: 'Place id.' }) locationId?: string;
  @Field(() => String, { nullable: true, description: 'everyone, members, education or * (any; the default).' }) audienceType?: string;
  @Field(() => Int, { nullable: true }) minAge?: number;
  @Field(() => Int, { nullable: true }) maxAge?: number;
  @Field(() => Float, { nullable: true, description: 'Base tariff in EUR, exactly.' }) price?: number;
  @Field(() => Float, { nullable: true }) minPrice?: number;
  @Field(() => Float, { nullable: true }) maxPrice?: number;
  @Field(() => Boolean, { nullable: true }) free?: boolean;
  @Field(() => String, { nullable: true, description: 'Available (a bookable performance in the window) or Unavailable.' }) bookingAvailability?: string;
  @Field(() => [AvailabilityLevelEnum], { nullable: true, description: 'A performance at one of these levels.' }) availability?: AvailabilityLevel[];
  @Field(() => Int, { nullable: true, description: 'A performance with at least this many seats left.' }) minRemainingSeats?: number;
  @Field(() => [String], { nullable: true, description: 'Available, TemporarilyUnavailable, Unavailable (or scheduled, postponed, cancelled).' }) status?: string[];
  @Field(() => [AttendanceModeEnum], { nullable: true }) attendanceMode?: AttendanceMode[];
  @Field(() => [String], { nullable: true, description: 'Has a title or description in each of these languages.' }) languages?: string[];
  @Field(() => String, { nullable: true }) modifiedFrom?: string;
  @Field(() => String, { nullable: true }) modifiedTo?: string;

  // The first filter fields, kept for existing clients.
  @Field(() => Date, { nullable: true, description: 'Deprecated: dateFrom.' }) from?: Date;
  @Field(() => Date, { nullable: true, description: 'Deprecated: dateTo.' }) to?: Date;
  @Field(() => String, { nullable: true, description: 'Activity type concept IRI (exact).' }) type?: string;
  @Field(() => String, { nullable: true, description: 'Theme concept IRI (exact).' }) theme?: string;
  @Field(() => ID, { nullable: true, description: 'Deprecated: locationId.' }) placeId?: string;
  @Field(() => AvailabilityLevelEnum, { nullable: true, description: 'Deprecated: availability.' }) availabilityLevel?: AvailabilityLevel;
  @Field(() => String, { nullable: true, description: 'Platform source id.' }) source?: string;
}

@InputType()
export class ActivitySort {
  @Field(() => ActivitySortField) by!: ActivitySortField;
  @Field(() => SortOrder, { defaultValue: SortOrder.ASC }) order!: SortOrder;
}

@ArgsType()
export class ActivitiesArgs {
  @Field(() => ActivityFilter, { nullable: true }) filter?: ActivityFilter;
  @Field(() => ActivitySort, { nullable: true, description: 'Default: relevance (desc) with text, else start (asc).' }) sort?: ActivitySort;
  @Field(() => [SearchFacetEnum], { nullable: true, description: 'Counts per value over all matches.' }) facets?: FacetName[];
  @Field(() => Int, { defaultValue: 20, description: `Page size, 1 to ${MAX_PAGE_SIZE}.` }) first!: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => String, { defaultValue: 'nl', description: 'Language of title/description/labels.' }) language!: string;
}

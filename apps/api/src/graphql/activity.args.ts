import { ArgsType, Field, ID, InputType, Int } from '@nestjs/graphql';
import type { AvailabilityLevel } from '@platform/domain';
import { AvailabilityLevelEnum } from './activity.model.js';

export const MAX_PAGE_SIZE = 100;

@InputType({ description: 'All given conditions must hold.' })
export class ActivityFilter {
  @Field(() => String, { nullable: true, description: 'Words (prefixes) in title, description or venue name, any language.' }) text?: string;
  @Field(() => Date, { nullable: true, description: 'Has a performance starting at or after this.' }) from?: Date;
  @Field(() => Date, { nullable: true, description: 'Has a performance starting before this.' }) to?: Date;
  @Field(() => String, { nullable: true }) postalCode?: string;
  @Field(() => String, { nullable: true, description: 'Activity type concept IRI.' }) type?: string;
  @Field(() => String, { nullable: true, description: 'Theme concept IRI.' }) theme?: string;
  @Field(() => ID, { nullable: true }) organizerId?: string;
  @Field(() => ID, { nullable: true }) placeId?: string;
  @Field(() => AvailabilityLevelEnum, { nullable: true, description: 'Has a performance at this level.' }) availabilityLevel?: AvailabilityLevel;
  @Field(() => String, { nullable: true }) source?: string;
}

@ArgsType()
export class ActivitiesArgs {
  @Field(() => ActivityFilter, { nullable: true }) filter?: ActivityFilter;
  @Field(() => Int, { defaultValue: 20, description: `Page size, 1 to ${MAX_PAGE_SIZE}.` }) first!: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => String, { defaultValue: 'nl', description: 'Language of title/description/labels.' }) language!: string;
}

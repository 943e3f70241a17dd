import { ArgsType, Field, Float, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PARTICIPATION_DIMENSIONS } from '@platform/storage';
import { PARTICIPATION_MEASURES } from './participation-statistics.service.js';

export const ParticipationDimensionEnum = Object.fromEntries(PARTICIPATION_DIMENSIONS.map((dimension) => [dimension, dimension]));
export const ParticipationMeasureEnum = Object.fromEntries(PARTICIPATION_MEASURES.map((measure) => [measure, measure]));
export enum ObsStatusEnum {
  A = 'A',
  C = 'C',
}
registerEnumType(ParticipationDimensionEnum, { name: 'ParticipationDimension', description: 'What participation can be grouped and filtered by.' });
registerEnumType(ParticipationMeasureEnum, { name: 'ParticipationMeasure' });
registerEnumType(ObsStatusEnum, { name: 'ObsStatus', description: 'SDMX observation status: A normal value, C confidential (suppressed; the value is withheld, never zero).' });

@InputType({ description: 'Codes per dimension (any of them), and the period of the performances. All given conditions hold.' })
export class ParticipationFilterInput {
  @Field(() => [String], { nullable: true }) activity?: string[];
  @Field(() => [String], { nullable: true }) performance?: string[];
  @Field(() => [String], { nullable: true, description: 'Organizer ids (or source:<id> for tickets of activities without organizer).' }) organizer?: string[];
  @Field(() => [String], { nullable: true }) venue?: string[];
  @Field(() => [String], { nullable: true, description: 'REFNIS codes.' }) venueMunicipality?: string[];
  @Field(() => [String], { nullable: true, description: 'REFNIS codes.' }) homeMunicipality?: string[];
  @Field(() => [String], { nullable: true }) homeProvince?: string[];
  @Field(() => [String], { nullable: true, description: '02000 Flanders, 03000 Wallonia, 04000 Brussels.' }) homeRegion?: string[];
  @Field(() => [String], { nullable: true }) ageBand?: string[];
  @Field(() => [String], { nullable: true }) priceCategory?: string[];
  @Field(() => [String], { nullable: true }) channel?: string[];
  @Field(() => [String], { nullable: true, description: 'Concept IRIs.' }) activityType?: string[];
  @Field(() => [String], { nullable: true, description: 'Concept IRIs.' }) activityTheme?: string[];
  @Field(() => Date, { nullable: true, description: 'Performances starting at or after.' }) from?: Date;
  @Field(() => Date, { nullable: true, description: 'Performances starting before.' }) to?: Date;
}

@ArgsType()
export class ParticipationArgs {
  @Field(() => [ParticipationDimensionEnum], { defaultValue: [], description: 'Up to 3 dimensions; every margin (total) is included.' }) groupBy!: string[];
  @Field(() => ParticipationFilterInput, { nullable: true }) filter?: ParticipationFilterInput;
  @Field(() => [ParticipationMeasureEnum], { nullable: true, description: 'Default: all.' }) measures?: string[];
}

@ObjectType()
export class DimensionValue {
  @Field() dimension!: string;
  @Field({ description: '_T for the total over this dimension, _U for unknown.' }) code!: string;
  @Field() label!: string;
}

/** The protected measures every research answer carries (a cell, a side of a comparison, a trend point). */
@ObjectType({ isAbstract: true })
export abstract class ProtectedMeasures {
  @Field(() => Int, { nullable: true }) tickets!: number | null;
  @Field(() => Int, { nullable: true, description: 'Distinct (pseudonymous) participants.' }) participants!: number | null;
  @Field(() => Float, { nullable: true }) visitsPerParticipant!: number | null;
  @Field(() => Float, { nullable: true, description: 'Euros.' }) revenue!: number | null;
  @Field(() => Float, { nullable: true, description: 'Participants per 1,000 inhabitants of the home area (same age band).' }) penetration!: number | null;
  @Field(() => Float, { nullable: true, description: '100 = as many participants as the population share predicts.' }) index!: number | null;
  @Field(() => ObsStatusEnum) obsStatus!: ObsStatusEnum;
  @Field(() => ObsStatusEnum) revenueStatus!: ObsStatusEnum;
}

@ObjectType({ description: 'One protected cell: suppressed measures are null with obsStatus C.' })
export class ParticipationCell extends ProtectedMeasures {
  @Field(() => [DimensionValue]) coordinates!: DimensionValue[];
}

@ObjectType()
export class ParticipationTableModel {
  @Field(() => [String]) groupBy!: string[];
  @Field(() => Int, { description: 'Smallest published person count.' }) k!: number;
  @Field({ description: 'audited (every withheld cell checked by linear programs) or closed (too detailed for the audit budget: every non-empty cell sharing a margin with a withheld one is withheld too).' })
  suppression!: string;
  @Field(() => [ParticipationCell]) cells!: ParticipationCell[];
}

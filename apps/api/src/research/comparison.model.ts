import { ArgsType, Field, Float, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { PEER_KINDS, TREND_PERIODS } from '@platform/research';
import { DimensionValue, ObsStatusEnum, ParticipationDimensionEnum, ParticipationFilterInput, ParticipationMeasureEnum, ProtectedMeasures } from './participation.model.js';

export const PeerKindEnum = Object.fromEntries(PEER_KINDS.map((kind) => [kind, kind]));
export const TrendPeriodEnum = Object.fromEntries(TREND_PERIODS.map((period) => [period, period]));
registerEnumType(PeerKindEnum, { name: 'PeerKind', description: 'province or region of the main venue, or the main activity type.' });
registerEnumType(TrendPeriodEnum, { name: 'TrendPeriod', description: 'month (2026-09), season (September-August, 2025-2026) or year (2026).' });

@ObjectType()
export class BilingualText {
  @Field() nl!: string;
  @Field() en!: string;
}

@ObjectType()
export class CodeLabel {
  @Field() code!: string;
  @Field() label!: string;
}

@ObjectType()
export class PeerCounts {
  @Field(() => Int) province!: number;
  @Field(() => Int) region!: number;
  @Field(() => Int) activityType!: number;
}

@ObjectType()
export class OrganizerChoiceModel {
  @Field({ description: 'Organizer id, or source:<id>.' }) code!: string;
  @Field() label!: string;
  @Field(() => CodeLabel, { nullable: true }) province!: CodeLabel | null;
  @Field(() => CodeLabel, { nullable: true }) region!: CodeLabel | null;
  @Field(() => CodeLabel, { nullable: true }) activityType!: CodeLabel | null;
  @Field(() => PeerCounts, { description: 'Other organisations sharing each value (the organisation itself left out).' }) peers!: PeerCounts;
}

@ObjectType()
export class OrganizerListModel {
  @Field(() => Int) minimumPeers!: number;
  @Field(() => [OrganizerChoiceModel]) organizers!: OrganizerChoiceModel[];
}

@ObjectType({ description: 'One side of a comparison row: protected values (null with obsStatus C when withheld).' })
export class ComparisonSideModel extends ProtectedMeasures {
  @Field(() => Float, { nullable: true, description: "Percentage of the side's participants." }) share!: number | null;
}

@ObjectType()
export class ComparisonRowModel {
  @Field(() => [DimensionValue]) coordinates!: DimensionValue[];
  @Field(() => ComparisonSideModel) organization!: ComparisonSideModel;
  @Field(() => ComparisonSideModel) peers!: ComparisonSideModel;
}

@ObjectType()
export class PeerGroupModel {
  @Field(() => PeerKindEnum) kind!: string;
  @Field(() => String, { nullable: true }) code!: string | null;
  @Field(() => String, { nullable: true }) label!: string | null;
  @Field(() => Int, { description: 'Organisations in the group, the organisation itself left out.' }) organizations!: number;
}

@ObjectType()
export class ComparisonModel {
  @Field(() => CodeLabel) organizer!: CodeLabel;
  @Field(() => PeerGroupModel) peers!: PeerGroupModel;
  @Field(() => Int) minimumPeers!: number;
  @Field({ description: 'False when the peer group is too small: then no rows, and a reason.' }) available!: boolean;
  @Field(() => BilingualText, { nullable: true }) reason!: BilingualText | null;
  @Field(() => [String]) groupBy!: string[];
  @Field(() => [String]) measures!: string[];
  @Field(() => Int) k!: number;
  @Field(() => [ComparisonRowModel]) rows!: ComparisonRowModel[];
}

@ArgsType()
export class ComparisonArgs {
  @Field({ description: 'Organisation code as participationOrganizers lists it.' }) organizer!: string;
  @Field(() => PeerKindEnum) peers!: string;
  @Field(() => ParticipationDimensionEnum, { nullable: true }) groupBy?: string;
  @Field(() => ParticipationFilterInput, { nullable: true }) filter?: ParticipationFilterInput;
  @Field(() => [ParticipationMeasureEnum], { nullable: true, description: 'Default: all.' }) measures?: string[];
}

@ArgsType()
export class OrganizersArgs {
  @Field(() => ParticipationFilterInput, { nullable: true }) filter?: ParticipationFilterInput;
}

@ObjectType()
export class MeasureValues {
  @Field(() => Float, { nullable: true }) tickets?: number | null;
  @Field(() => Float, { nullable: true }) participants?: number | null;
  @Field(() => Float, { nullable: true }) visitsPerParticipant?: number | null;
  @Field(() => Float, { nullable: true }) revenue?: number | null;
  @Field(() => Float, { nullable: true }) penetration?: number | null;
  @Field(() => Float, { nullable: true }) index?: number | null;
}

@ObjectType({ description: 'The change against an earlier period; withheld (null, status C) when either value is.' })
export class TrendChangeModel {
  @Field() period!: string;
  @Field(() => ObsStatusEnum) obsStatus!: ObsStatusEnum;
  @Field(() => ObsStatusEnum) revenueStatus!: ObsStatusEnum;
  @Field(() => MeasureValues) absolute!: MeasureValues;
  @Field(() => MeasureValues, { description: 'Percent; null also when the earlier value is 0.' }) percent!: MeasureValues;
}

@ObjectType()
export class TrendPointModel extends ProtectedMeasures {
  @Field() period!: string;
  @Field(() => TrendChangeModel, { nullable: true }) previous!: TrendChangeModel | null;
  @Field(() => TrendChangeModel, { nullable: true }) yearAgo!: TrendChangeModel | null;
}

@ObjectType()
export class TrendSeriesModel {
  @Field(() => [DimensionValue]) coordinates!: DimensionValue[];
  @Field(() => [TrendPointModel]) points!: TrendPointModel[];
}

@ObjectType()
export class TrendModel {
  @Field(() => TrendPeriodEnum) period!: string;
  @Field(() => [String]) groupBy!: string[];
  @Field(() => [String]) measures!: string[];
  @Field(() => Int) k!: number;
  @Field(() => Int, { description: 'Statbel population year behind penetration and index, the same for every period.' }) populationYear!: number;
  @Field(() => [TrendSeriesModel]) series!: TrendSeriesModel[];
}

@ArgsType()
export class TrendArgs {
  @Field(() => TrendPeriodEnum) period!: string;
  @Field(() => ParticipationDimensionEnum, { nullable: true }) groupBy?: string;
  @Field(() => ParticipationFilterInput, { nullable: true }) filter?: ParticipationFilterInput;
  @Field(() => [ParticipationMeasureEnum], { nullable: true, description: 'Default: all.' }) measures?: string[];
}

import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Request } from 'express';
import { ResearcherKeyStore, type ParticipationFilter } from '@platform/storage';
import { authenticateResearcher } from '../auth/researcher-auth.guard.js';
import { ApiError } from '../errors/api-error.js';
import { ComparisonArgs, ComparisonModel, OrganizerListModel, OrganizersArgs, TrendArgs, TrendModel } from './comparison.model.js';
import { ComparisonService } from './comparison.service.js';
import type { ParticipationFilterInput } from './participation.model.js';
import { TrendService } from './trend.service.js';

export function filterFromInput(input: ParticipationFilterInput | undefined): ParticipationFilter {
  const { from, to, ...codes } = input ?? {};
  return { ...codes, ...(from ? { from: from.toISOString() } : {}), ...(to ? { to: to.toISOString() } : {}) };
}

/** An ApiError as GraphQL reports it (bilingual message, where). */
export function asGraphQLError(error: unknown): unknown {
  if (error instanceof ApiError) {
    return new GraphQLError(`${error.messages.en} / ${error.messages.nl}`, { extensions: { code: error.code === 'unauthenticated' ? 'UNAUTHENTICATED' : 'BAD_USER_INPUT', where: error.where } });
  }
  return error;
}

const inArguments = (parameter: string) => (parameter === 'organizer' || parameter === 'peers' || parameter === 'groupBy' || parameter === 'measures' || parameter === 'period' ? parameter : `filter.${parameter}`);

@Resolver()
export class ComparisonResolver {
  constructor(
    private readonly comparisons: ComparisonService,
    private readonly trends: TrendService,
    private readonly keys: ResearcherKeyStore,
  ) {}

  @Query(() => OrganizerListModel, { description: 'Organisations with participation and the size of their peer groups (researcher key required).' })
  async participationOrganizers(@Args() args: OrganizersArgs, @Context() context: { req?: Request }): Promise<OrganizerListModel> {
    try {
      await authenticateResearcher(this.keys, context.req);
      return await this.comparisons.organizers(filterFromInput(args.filter));
    } catch (error) {
      throw asGraphQLError(error);
    }
  }

  @Query(() => ComparisonModel, { description: 'An organisation against the aggregate of its peer group (at least 5 others), both sides protected (researcher key required).' })
  async participationComparison(@Args() args: ComparisonArgs, @Context() context: { req?: Request }): Promise<ComparisonModel> {
    try {
      await authenticateResearcher(this.keys, context.req);
      return (await this.comparisons.compare(args.organizer, args.peers, args.groupBy ? [args.groupBy] : [], filterFromInput(args.filter), args.measures, inArguments)) as ComparisonModel;
    } catch (error) {
      throw asGraphQLError(error);
    }
  }

  @Query(() => TrendModel, { description: 'Protected participation per period with changes against the previous period and a year earlier (researcher key required).' })
  async participationTrend(@Args() args: TrendArgs, @Context() context: { req?: Request }): Promise<TrendModel> {
    try {
      await authenticateResearcher(this.keys, context.req);
      return (await this.trends.trend(args.period, args.groupBy ? [args.groupBy] : [], filterFromInput(args.filter), args.measures, inArguments)) as TrendModel;
    } catch (error) {
      throw asGraphQLError(error);
    }
  }
}

import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Request } from 'express';
import { ResearcherKeyStore, type ParticipationFilter } from '@platform/storage';
import { authenticateResearcher } from '../auth/researcher-auth.guard.js';
import { ApiError } from '../errors/api-error.js';
import { ObsStatusEnum, ParticipationArgs, ParticipationTableModel } from './participation.model.js';
import { ParticipationStatisticsService } from './participation-statistics.service.js';

@Resolver(() => ParticipationTableModel)
export class ParticipationResolver {
  constructor(
    private readonly statistics: ParticipationStatisticsService,
    private readonly keys: ResearcherKeyStore,
  ) {}

  @Query(() => ParticipationTableModel, { description: 'Protected participation statistics (researcher key required): suppressed below k, cell-key perturbed.' })
  async participation(@Args() args: ParticipationArgs, @Context() context: { req?: Request }): Promise<ParticipationTableModel> {
    try {
      await authenticateResearcher(this.keys, context.req);
      const { from, to, ...codes } = args.filter ?? {};
      const filter: ParticipationFilter = { ...codes, ...(from ? { from: from.toISOString() } : {}), ...(to ? { to: to.toISOString() } : {}) };
      const table = await this.statistics.table(args.groupBy, filter, args.measures ?? [], 'groupBy');
      return {
        groupBy: table.groupBy,
        k: table.k,
        cells: table.cells.map((cell) => ({
          ...cell,
          obsStatus: cell.obsStatus as ObsStatusEnum,
          revenueStatus: cell.revenueStatus as ObsStatusEnum,
          coordinates: cell.coordinates.map((code, index) => ({ dimension: table.groupBy[index], code, label: cell.labels[index] })),
        })),
      };
    } catch (error) {
      if (error instanceof ApiError) {
        throw new GraphQLError(`${error.messages.en} / ${error.messages.nl}`, { extensions: { code: error.code === 'unauthenticated' ? 'UNAUTHENTICATED' : 'BAD_USER_INPUT', where: error.where } });
      }
      throw error;
    }
  }
}

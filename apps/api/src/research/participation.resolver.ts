import { Args, Context, Query, Resolver } from '@nestjs/graphql';
import type { Request } from 'express';
import { ResearcherKeyStore } from '@platform/storage';
import { authenticateResearcher } from '../auth/researcher-auth.guard.js';
import { asGraphQLError, filterFromInput } from './comparison.resolver.js';
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
      const table = await this.statistics.table(args.groupBy, filterFromInput(args.filter), args.measures ?? [], 'groupBy');
      return {
        groupBy: table.groupBy,
        k: table.k,
        suppression: table.suppression,
        cells: table.cells.map((cell) => ({
          ...cell,
          obsStatus: cell.obsStatus as ObsStatusEnum,
          revenueStatus: cell.revenueStatus as ObsStatusEnum,
          coordinates: cell.coordinates.map((code, index) => ({ dimension: table.groupBy[index], code, label: cell.labels[index] })),
        })),
      };
    } catch (error) {
      throw asGraphQLError(error);
    }
  }
}

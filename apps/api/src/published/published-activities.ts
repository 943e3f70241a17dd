import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@platform/config';
import { mergeCluster, parsePrecedence, type ClusterMember, type MergedActivity, type Precedence } from '@platform/domain';
import { ActivityQueryStore, ReconciliationStore, type ActivityEntity, type ClusterMemberRow, type PerformanceEntity } from '@platform/storage';

/** What calendars see of an activity: its own row, or for a reconciled one the merge of its sources. */
export interface PublishedView {
  row: ActivityEntity;
  merged?: MergedActivity;
  members?: ClusterMemberRow[];
  /** Live performance rows of every member (what the merge read). */
  performances?: PerformanceEntity[];
}

/**
 * The read side of reconciliation, shared by GraphQL and the linked-data resources: a member's id answers
 * with its cluster, and a cluster is merged by the configured precedence with live seat counts.
 */
@Injectable()
export class PublishedActivities {
  private readonly precedence: Precedence;
  private readonly windowMinutes: number;

  constructor(
    private readonly store: ActivityQueryStore,
    private readonly reconciliation: ReconciliationStore,
    config: ConfigService<AppConfig, true>,
  ) {
    this.precedence = parsePrecedence(config.get('RECONCILE_PRECEDENCE', { infer: true }));
    this.windowMinutes = config.get('RECONCILE_WINDOW_MINUTES', { infer: true });
  }

  /** The published activity an id names: an activity, a member of a cluster (answers the cluster), or null. */
  async find(id: string): Promise<PublishedView | null> {
    const publishedId = (await this.reconciliation.publishedIds([id])).get(id) ?? id;
    const row = await this.store.findActivity(publishedId);
    return row ? (await this.views([row]))[0] : null;
  }

  /** The published activities many ids name (as `find`, with three queries for all of them); ids naming none are left out. */
  async findMany(ids: string[]): Promise<Map<string, PublishedView>> {
    const publishedIds = await this.reconciliation.publishedIds(ids);
    const rows = await this.store.findActivities([...new Set(publishedIds.values())]);
    const views = await this.views(rows);
    const viewById = new Map(rows.map((row, index) => [row.id, views[index]]));
    const found = new Map<string, PublishedView>();
    for (const id of ids) {
      // uuids compare case-insensitively in Postgres; rows come back in lower case
      const view = viewById.get(publishedIds.get(id)!.toLowerCase());
      if (view) found.set(id, view);
    }
    return found;
  }

  /**
   * Whose seat changes are the published activity's: for a cluster, the member first in the availability
   * precedence (ticketing); the others' changes do not change what calendars see.
   */
  async availabilityMembers(activityId: string): Promise<string[]> {
    const members = await this.reconciliation.clusterMemberKinds(activityId);
    if (members.length <= 1) return [activityId];
    const rank = (kind: string) => {
      const index = this.precedence.availability.indexOf(kind);
      return index === -1 ? this.precedence.availability.length : index;
    };
    return [[...members].sort((left, right) => rank(left.sourceKind) - rank(right.sourceKind) || left.createdAt.getTime() - right.createdAt.getTime())[0].activityId];
  }

  /** Views of published rows (cluster roots or activities on their own), in the same order. */
  async views(rows: ActivityEntity[]): Promise<PublishedView[]> {
    const clusters = await this.reconciliation.members(rows.map((row) => row.id));
    if (clusters.size === 0) return rows.map((row) => ({ row }));
    const memberIds = [...clusters.values()].flat().map((member) => member.activityId);
    const performances = await this.store.performancesOf(memberIds);
    return rows.map((row) => {
      const members = clusters.get(row.id);
      if (!members) return { row };
      const ids = new Set(members.map((member) => member.activityId));
      const own = performances.filter((performance) => ids.has(performance.activityId));
      return { row, members, performances: own, merged: mergeCluster(members.map((member) => toClusterMember(member, own)), this.precedence, this.windowMinutes) };
    });
  }
}

function toClusterMember(member: ClusterMemberRow, performances: PerformanceEntity[]): ClusterMember {
  return {
    activityId: member.activityId,
    sourceId: member.sourceId,
    sourceKind: member.sourceKind,
    createdAt: member.createdAt.toISOString(),
    activity: member.document,
    performances: performances
      .filter((performance) => performance.activityId === member.activityId)
      .map((performance) => ({
        id: performance.id,
        externalId: performance.externalId,
        start: performance.startAt.toISOString(),
        ...(performance.endAt ? { end: performance.endAt.toISOString() } : {}),
        status: performance.status,
        ...(performance.availabilityLevel
          ? {
              availability: {
                capacity: performance.capacity,
                remaining: performance.remaining,
                level: performance.availabilityLevel,
                changedAt: (performance.availabilityChangedAt ?? new Date(0)).toISOString(),
              },
            }
          : {}),
      })),
  };
}

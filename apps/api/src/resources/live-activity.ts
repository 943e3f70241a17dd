import type { Activity } from '@platform/domain';
import type { PerformanceEntity } from '@platform/storage';

/** The stored activity with each performance's availability as it is now (the fast lane writes rows, not documents). */
export function activityWithLiveAvailability(document: Activity, performances: PerformanceEntity[]): Activity {
  const live = new Map(performances.map((row) => [row.externalId, row]));
  return {
    ...document,
    performances: document.performances.map((performance) => {
      const row = live.get(performance.externalId);
      if (!row?.availabilityLevel) return { ...performance, availability: undefined };
      return {
        ...performance,
        availability: {
          capacity: row.capacity ?? undefined,
          remaining: row.remaining ?? undefined,
          level: row.availabilityLevel,
          changedAt: (row.availabilityChangedAt ?? new Date(0)).toISOString(),
        },
      };
    }),
  };
}

import type { AvailabilityLevel } from './activity.js';

/** When a performance counts as "last tickets"; both bounds are configuration (AVAILABILITY_LIMITED_*). */
export interface AvailabilityThresholds {
  /** Limited when remaining / capacity is at or below this ratio (0..1). */
  limitedRatio: number;
  /** Limited when at most this many seats remain, whatever the capacity. */
  limitedCount: number;
}

export const DEFAULT_AVAILABILITY_THRESHOLDS: AvailabilityThresholds = { limitedRatio: 0.1, limitedCount: 10 };

/** The level a calendar shows for seat counts (schema.org ItemAvailability, as UWP's ticketBeschikbaarheid). */
export function availabilityLevelFor(
  capacity: number,
  remaining: number,
  thresholds: AvailabilityThresholds = DEFAULT_AVAILABILITY_THRESHOLDS,
): AvailabilityLevel {
  if (remaining <= 0) return 'OutOfStock';
  if (remaining <= thresholds.limitedCount) return 'LimitedAvailability';
  if (capacity > 0 && remaining / capacity <= thresholds.limitedRatio) return 'LimitedAvailability';
  return 'InStock';
}

/** A committed change of seats or level of one performance: what the change log records and subscribers get. */
export interface AvailabilityChange {
  performanceId: string;
  performanceExternalId: string;
  activityId: string;
  /** Null for an online activity without a place. */
  placeId: string | null;
  sourceId: string;
  capacity: number | null;
  remaining: number | null;
  level: AvailabilityLevel | null;
  changedAt: string;
  /** Change-log sequence number of the change. */
  seq?: string;
}

import { Injectable, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@platform/config';
import { availabilityLevelFor, type AvailabilityLevel } from '@platform/domain';
import { PlatformMetrics } from '@platform/observability';
import { LiveChangesPublisher } from '@platform/queue';
import { AvailabilityStore, type AvailabilityWrite } from '@platform/storage';
import { thresholdsOf } from './ingest.service.js';
import type { ItemProblem } from './problems.js';
import { readAvailabilityUpdate, type AvailabilityUpdateInput } from './push-format/push-format.js';

export interface AvailabilityItemResult {
  performanceId: string;
  status: 'updated' | 'unchanged' | 'rejected' | 'not-found' | 'conflict';
  capacity?: number | null;
  remaining?: number | null;
  level?: AvailabilityLevel;
  problems: ItemProblem[];
}

function problem(path: string, nl: string, en: string, constraint: string): ItemProblem {
  return { focusNode: '/', path, severity: 'Violation', message: { nl, en }, constraint };
}

function notFound(performanceId: string): AvailabilityItemResult {
  return {
    performanceId,
    status: 'not-found',
    problems: [problem('/performanceId', `Onbekende uitvoering: ${performanceId}`, `Unknown performance: ${performanceId}`, 'not-found')],
  };
}

/**
 * The fast lane for seat counts: checks bounds against the stored capacity, derives the level, writes
 * the performance row and the change log in one small transaction, and publishes at once.
 */
@Injectable()
export class AvailabilityService {
  constructor(
    private readonly store: AvailabilityStore,
    private readonly publisher: LiveChangesPublisher,
    private readonly config: ConfigService<AppConfig, true>,
    @Optional() private readonly metrics?: PlatformMetrics,
  ) {}

  /** `items` pairs a performance external id with the body the vendor sent for it. */
  async update(sourceId: string, items: Array<{ performanceId: string; body: unknown }>): Promise<AvailabilityItemResult[]> {
    const results = await this.apply(sourceId, items);
    const counts: Partial<Record<AvailabilityItemResult['status'], number>> = {};
    for (const result of results) counts[result.status] = (counts[result.status] ?? 0) + 1;
    this.metrics?.countItems(sourceId, 'availability', counts);
    return results;
  }

  private async apply(sourceId: string, items: Array<{ performanceId: string; body: unknown }>): Promise<AvailabilityItemResult[]> {
    const thresholds = thresholdsOf(this.config);
    const results: AvailabilityItemResult[] = [];
    const parsed: Array<{ index: number; performanceId: string; update: AvailabilityUpdateInput }> = [];
    const seen = new Set<string>();
    items.forEach(({ performanceId, body }, index) => {
      if (seen.has(performanceId)) {
        // One request, one state per performance: which of two would win is not the vendor's intent.
        results.push({
          performanceId,
          status: 'rejected',
          problems: [
            problem(
              '/performanceId',
              `Uitvoering ${performanceId} staat meer dan eens in dit verzoek; alleen de eerste is verwerkt.`,
              `Performance ${performanceId} appears more than once in this request; only the first was processed.`,
              'duplicate',
            ),
          ],
        });
        return;
      }
      seen.add(performanceId);
      const { update, problems } = readAvailabilityUpdate(body);
      results.push({ performanceId, status: update ? 'updated' : 'rejected', problems });
      if (update) parsed.push({ index, performanceId, update });
    });
    // The stored row is read only when an update leaves capacity out, or sends capacity alone (the other stays as stored).
    const capacityOnly = (update: AvailabilityUpdateInput) => update.capacity !== undefined && update.remaining === undefined && update.level === undefined;
    const needStored = parsed.filter((item) => item.update.capacity === undefined || capacityOnly(item.update)).map((item) => item.performanceId);
    const stored = new Map((needStored.length > 0 ? await this.store.current(sourceId, needStored) : []).map((row) => [row.externalId, row]));
    const writes: AvailabilityWrite[] = [];
    for (const { index, performanceId, update } of parsed) {
      if ((update.capacity === undefined || capacityOnly(update)) && !stored.has(performanceId)) {
        results[index] = notFound(performanceId);
        continue;
      }
      const keepRemaining = capacityOnly(update);
      const capacity = update.capacity ?? stored.get(performanceId)!.capacity;
      const remaining = keepRemaining ? stored.get(performanceId)!.remaining : (update.remaining ?? null);
      if (remaining !== null && capacity !== null && remaining > capacity) {
        results[index] = {
          performanceId,
          status: 'rejected',
          problems: [
            problem(
              '/remaining',
              `remaining (${remaining}) mag niet groter zijn dan capacity (${capacity})`,
              `remaining (${remaining}) must not exceed capacity (${capacity})`,
              'bounds',
            ),
          ],
        };
        continue;
      }
      // Capacity alone with no known sales: the level stays what it was (InStock when nothing was known).
      const level =
        update.level ??
        (keepRemaining && remaining === null
          ? ((stored.get(performanceId)!.availabilityLevel as AvailabilityLevel | null) ?? 'InStock')
          : availabilityLevelFor(capacity ?? Number.MAX_SAFE_INTEGER, remaining ?? 0, thresholds));
      writes.push({
        externalId: performanceId,
        capacity,
        remaining,
        level,
        ...(update.capacity === undefined ? { expectedCapacity: capacity } : {}),
        ...(keepRemaining ? { expectedRemaining: remaining } : {}),
      });
      results[index] = { performanceId, status: 'updated', capacity, remaining, level, problems: [] };
    }
    if (writes.length === 0) return results;
    const outcome = await this.store.write(sourceId, writes);
    await this.publisher.publishAvailability(outcome.changes);
    const unchanged = new Set(outcome.unchanged);
    const vanished = new Set(outcome.unknown);
    const conflicts = new Set(outcome.conflicts);
    return results.map((result) => {
      if (result.status !== 'updated') return result;
      if (unchanged.has(result.performanceId)) return { ...result, status: 'unchanged' };
      if (conflicts.has(result.performanceId)) {
        return {
          performanceId: result.performanceId,
          status: 'conflict',
          problems: [
            problem(
              '/capacity',
              'De capaciteit is intussen gewijzigd; stuur de update opnieuw (of met capacity erbij).',
              'The capacity changed meanwhile; send the update again (or include capacity).',
              'conflict',
            ),
          ],
        };
      }
      if (vanished.has(result.performanceId)) return notFound(result.performanceId);
      return result;
    });
  }
}

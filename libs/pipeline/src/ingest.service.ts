import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { AppConfig } from '@platform/config';
import { entityId, type AvailabilityThresholds } from '@platform/domain';
import { activityToQuads } from '@platform/linked-data';
import { LiveChangesPublisher, type IngestJob, type IngestJobResult } from '@platform/queue';
import { ActivityStore, ArchiveStore, BatchStore, appendChanges, type ActivityWrite, type ItemReport } from '@platform/storage';
import { ShaclValidator } from '@platform/validation';
import { checkPayload, formatOf, readPayload, type PayloadFormat } from './payload-reader.js';
import type { ItemProblem } from './problems.js';
import type { PushItemResult } from './push-format/push-format.js';

/** What the pipeline decided about one item before anything is stored. */
export interface ItemVerdict {
  position: number;
  externalId: string | null;
  status: 'accepted' | 'rejected' | 'unchanged';
  problems: ItemProblem[];
  write?: ActivityWrite;
}

function identityProblem(path: string, nl: string, en: string): ItemProblem {
  return { focusNode: '/', path, severity: 'Violation', message: { nl, en }, constraint: 'identity:unique-performance' };
}

export const thresholdsOf = (config: ConfigService<AppConfig, true>): AvailabilityThresholds => ({
  limitedRatio: config.get('AVAILABILITY_LIMITED_RATIO', { infer: true }),
  limitedCount: config.get('AVAILABILITY_LIMITED_COUNT', { infer: true }),
});

/**
 * The one ingest path: archived payload -> canonical items -> RDF -> SHACL -> one transaction that
 * stores accepted items, their change-log entries and the per-item report -> live publish.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly archive: ArchiveStore,
    private readonly batches: BatchStore,
    private readonly activities: ActivityStore,
    @Inject(ShaclValidator) private readonly validator: ShaclValidator,
    private readonly publisher: LiveChangesPublisher,
    private readonly config: ConfigService<AppConfig, true>,
  ) {}

  /** Reads a payload into items (throws MalformedPayloadError when it cannot be read at all). */
  read(format: PayloadFormat, body: string, sourceId: string, now = new Date()): Promise<PushItemResult[]> {
    return readPayload(format, body, this.readOptions(sourceId, now));
  }

  /** The check a push gets before 202: readable as a whole (throws MalformedPayloadError). */
  check(format: PayloadFormat, body: string, sourceId: string): Promise<void> {
    return checkPayload(format, body, this.readOptions(sourceId, new Date()));
  }

  private readOptions(sourceId: string, now: Date) {
    return {
      sourceId,
      thresholds: thresholdsOf(this.config),
      now,
      maxItems: this.config.get('MAX_BATCH_ITEMS', { infer: true }),
      // Our own documents point at this context: a vendor may push them back as they are.
      platformContextUrls: [`${this.config.get('PUBLIC_BASE_URL', { infer: true })}/ns/context.jsonld`],
    };
  }

  /**
   * Validates items against the shapes. Items whose content hash equals the stored one are "unchanged"
   * and skip validation: they were valid when stored.
   */
  async evaluate(sourceId: string, items: PushItemResult[], now = new Date(), skipUnchanged = true): Promise<ItemVerdict[]> {
    const stored = skipUnchanged
      ? await this.activities.contentHashes(sourceId, items.flatMap((item) => (item.activity ? [item.activity.externalId] : [])))
      : new Map<string, string>();
    const verdicts: ItemVerdict[] = items.map((item, position) => ({
      position,
      externalId: item.externalId,
      status: item.activity ? 'accepted' : 'rejected',
      problems: item.problems,
      write: item.activity ? { activity: item.activity, contentHash: item.contentHash! } : undefined,
    }));
    await this.rejectIdentityConflicts(sourceId, verdicts);
    const toValidate = verdicts.filter((verdict) => {
      if (!verdict.write) return false;
      if (stored.get(verdict.write.activity.externalId) === verdict.write.contentHash) {
        verdict.status = 'unchanged';
        return false;
      }
      return true;
    });
    const publicBaseUrl = this.config.get('PUBLIC_BASE_URL', { infer: true });
    const graphs = toValidate.map((verdict) =>
      activityToQuads(verdict.write!.activity, { sourceId, publicBaseUrl, processedAt: now.toISOString() }),
    );
    const outcomes = await this.validator.validateBatch(graphs);
    toValidate.forEach((verdict, index) => {
      const outcome = outcomes[index];
      verdict.problems = [...verdict.problems, ...outcome.results];
      if (!outcome.conforms) {
        verdict.status = 'rejected';
        verdict.write = undefined;
      }
    });
    return verdicts;
  }

  /**
   * A performance is addressed by (source, external id) alone (the fast lane needs nothing else), so
   * one id may belong to one activity only: within an item, within the batch, and against what is stored.
   */
  private async rejectIdentityConflicts(sourceId: string, verdicts: ItemVerdict[]): Promise<void> {
    const owners = await this.activities.performanceOwners(
      sourceId,
      verdicts.flatMap((verdict) => verdict.write?.activity.performances.map((performance) => performance.externalId) ?? []),
    );
    const claimedInBatch = new Map<string, string>();
    for (const verdict of verdicts) {
      if (!verdict.write) continue;
      const activity = verdict.write.activity;
      const problems: ItemProblem[] = [];
      const seen = new Set<string>();
      activity.performances.forEach((performance, index) => {
        const path = `/performances/${index}/externalId`;
        const id = performance.externalId;
        const elsewhere = claimedInBatch.get(id) ?? owners.get(id);
        if (seen.has(id)) {
          problems.push(identityProblem(path, `Uitvoering ${id} staat twee keer in deze activiteit.`, `Performance ${id} appears twice in this activity.`));
        } else if (elsewhere !== undefined && elsewhere !== activity.externalId) {
          problems.push(
            identityProblem(
              path,
              `Uitvoering ${id} hoort al bij activiteit ${elsewhere}; een uitvoerings-id is uniek binnen de bron.`,
              `Performance ${id} already belongs to activity ${elsewhere}; performance ids are unique within a source.`,
            ),
          );
        }
        seen.add(id);
      });
      if (problems.length > 0) {
        verdict.status = 'rejected';
        verdict.problems = [...verdict.problems, ...problems];
        verdict.write = undefined;
        continue;
      }
      for (const id of seen) claimedInBatch.set(id, activity.externalId);
    }
  }

  async processBatch(job: IngestJob): Promise<IngestJobResult> {
    // A job retried after its batch committed (worker died before acknowledging) changes nothing.
    const existing = await this.batches.find(job.batchId);
    if (existing?.status === 'done') return { accepted: existing.accepted, rejected: existing.rejected, unchanged: existing.unchanged };
    const payload = await this.archive.find(job.payloadId);
    if (!payload) throw new Error(`Archived payload ${job.payloadId} of batch ${job.batchId} not found`);
    await this.batches.markProcessing(job.batchId);
    const now = new Date();
    const format = formatOf(payload.contentType);
    if (!format) throw new Error(`Batch ${job.batchId}: unsupported content type ${payload.contentType}`);
    const verdicts = await this.evaluate(job.sourceId, await this.read(format, payload.body.toString('utf8'), job.sourceId, now), now);

    const accepted = verdicts.filter((verdict) => verdict.status === 'accepted');
    const { reports, availabilityChanges } = await this.dataSource.transaction(async (manager) => {
      const result = await this.activities.upsert(manager, job.sourceId, accepted.map((verdict) => verdict.write!), now);
      const activityIds = new Map(accepted.map((verdict, index) => [verdict.position, result.outcomes[index]]));
      const reports: ItemReport[] = verdicts.map((verdict) => {
        const outcome = activityIds.get(verdict.position);
        return {
          position: verdict.position,
          externalId: verdict.externalId,
          // A concurrent batch may have stored the same content first: then this one is a no-op too.
          status: outcome?.status ?? verdict.status,
          activityId:
            outcome?.activityId ??
            (verdict.status === 'unchanged' && verdict.write ? entityId('activiteit', job.sourceId, verdict.write.activity.externalId) : null),
          results: verdict.problems,
        };
      });
      await this.batches.finish(manager, { id: job.batchId, sourceId: job.sourceId }, reports);
      // Last statement of the transaction: the change-log lock is held only until the commit.
      const sequences = await appendChanges(manager, result.changes);
      const seq = sequences[sequences.length - 1];
      return { reports, availabilityChanges: result.availabilityChanges.map((change) => ({ ...change, seq })) };
    });
    await this.publisher.publishAvailability(availabilityChanges);

    const count = (status: ItemReport['status']) => reports.filter((report) => report.status === status).length;
    const result = { accepted: count('accepted'), rejected: count('rejected'), unchanged: count('unchanged') };
    this.logger.log(`batch ${job.batchId} (${job.sourceId}): ${result.accepted} accepted, ${result.rejected} rejected, ${result.unchanged} unchanged`);
    return result;
  }
}

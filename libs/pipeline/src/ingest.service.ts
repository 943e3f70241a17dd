import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '@platform/config';
import { entityId, type Activity, type AvailabilityThresholds, type ItemProblem, type Organizer, type Place } from '@platform/domain';
import type { ActivityRdfContext } from '@platform/linked-data';
import { PlatformMetrics } from '@platform/observability';
import { LiveChangesPublisher, type IngestJob, type IngestJobResult } from '@platform/queue';
import {
  ActivityStore,
  ArchiveStore,
  BatchStore,
  ReconciliationStore,
  SourceStore,
  appendChanges,
  type ActivityWrite,
  type ChangeEntry,
  type ItemReport,
  type SourceIriEntry,
} from '@platform/storage';
import { ShaclValidator } from '@platform/validation';
import { batchGraphs, outcomeOf } from './batch-graphs.js';
import { canonicalJson, contentHash } from './content-hash.js';
import type { StoreKeyKind, StoreKeys } from './store-keys.js';
import { refuseIllFormedText } from './well-formed-text.js';
import type { IngestItem } from './ingest-item.js';
import { checkPayload, formatOf, readPayload, type PayloadFormat } from './payload-reader.js';
import { Reconciler } from './reconciliation/reconciler.service.js';
import { ReferenceTable } from './reference-table.js';
import { sameFacts } from './same-facts.js';

/** What the pipeline decided about one item before anything is stored. */
export interface ItemVerdict {
  position: number;
  externalId: string | null;
  status: 'accepted' | 'rejected' | 'unchanged' | 'deleted';
  problems: ItemProblem[];
  /** An activity to store. */
  write?: ActivityWrite;
  /** A place or organizer to store on its own. */
  place?: Place;
  organizer?: Organizer;
  /** What to delete (decided in the transaction: gone already = unchanged, still in use = rejected). */
  deletion?: { entity: 'activity' | 'place' | 'organizer'; externalId: string };
  /** The IRI the source's RDF gave the item: recorded with it, so later documents can name it by IRI. */
  subjectIri?: string;
}

/** What one committed batch did, per item. */
export interface CommitResult {
  reports: ItemReport[];
  counts: { accepted: number; rejected: number; unchanged: number; deleted: number };
}

function problem(path: string, nl: string, en: string, constraint: string): ItemProblem {
  return { focusNode: '/', path, severity: 'Violation', message: { nl, en }, constraint };
}

const identityProblem = (path: string, nl: string, en: string) => problem(path, nl, en, 'identity:unique-performance');

export const thresholdsOf = (config: ConfigService<AppConfig, true>): AvailabilityThresholds => ({
  limitedRatio: config.get('AVAILABILITY_LIMITED_RATIO', { infer: true }),
  limitedCount: config.get('AVAILABILITY_LIMITED_COUNT', { infer: true }),
});

const ENTITY_KIND = { activity: 'activiteit', place: 'locatie', organizer: 'organisator' } as const;

/** What a stored (or unchanged) RDF item's IRI names, for the source's later references. */
function iriEntry(verdict: ItemVerdict): SourceIriEntry[] {
  if (!verdict.subjectIri || (verdict.status !== 'accepted' && verdict.status !== 'unchanged')) return [];
  if (verdict.place) return [{ entityType: 'place', iri: verdict.subjectIri, externalId: verdict.place.externalId }];
  if (verdict.organizer) return [{ entityType: 'organizer', iri: verdict.subjectIri, externalId: verdict.organizer.externalId }];
  if (verdict.write) return [{ entityType: 'activity', iri: verdict.subjectIri, externalId: verdict.write.activity.externalId }];
  return [];
}

/**
 * The one ingest path: items (from any format or connector) -> references resolved -> RDF -> SHACL ->
 * one transaction that stores accepted items, deletions, their change-log entries and the per-item
 * report -> live publish.
 */
@Injectable()
export class IngestService {
  private readonly logger = new Logger(IngestService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly archive: ArchiveStore,
    private readonly batches: BatchStore,
    private readonly activities: ActivityStore,
    private readonly sources: SourceStore,
    @Inject(ShaclValidator) private readonly validator: ShaclValidator,
    private readonly publisher: LiveChangesPublisher,
    private readonly config: ConfigService<AppConfig, true>,
    private readonly reconciler: Reconciler,
    private readonly reconciliation: ReconciliationStore,
    @Optional() private readonly metrics?: PlatformMetrics,
  ) {}

  /** Reads a payload into items (throws MalformedPayloadError when it cannot be read at all). */
  read(format: PayloadFormat, body: string, sourceId: string, now = new Date(), sourceKind?: string): Promise<IngestItem[]> {
    return readPayload(format, body, this.readOptions(sourceId, now, sourceKind));
  }

  /** The check a push gets before 202: readable as a whole (throws MalformedPayloadError). */
  check(format: PayloadFormat, body: string, sourceId: string, sourceKind?: string): Promise<void> {
    return checkPayload(format, body, this.readOptions(sourceId, new Date(), sourceKind));
  }

  private readOptions(sourceId: string, now: Date, sourceKind?: string) {
    return {
      sourceId,
      sourceKind,
      thresholds: thresholdsOf(this.config),
      now,
      maxItems: this.config.get('MAX_BATCH_ITEMS', { infer: true }),
      // Our own documents point at this context: a vendor may push them back as they are.
      platformContextUrls: [`${this.config.get('PUBLIC_BASE_URL', { infer: true })}/ns/context.jsonld`],
    };
  }

  private rdfContext(sourceId: string, now: Date): ActivityRdfContext {
    return { sourceId, publicBaseUrl: this.config.get('PUBLIC_BASE_URL', { infer: true }), processedAt: now.toISOString() };
  }

  /**
   * Validates items against the shapes. Items whose content equals what is stored are "unchanged" and
   * skip validation: they were valid when stored. `reads` collects the rows the verdicts depend on
   * (references, performance owners, stored content): a connector run evaluates a page while the one
   * before it commits, and evaluates again when that commit changed one of them.
   */
  async evaluate(sourceId: string, items: IngestItem[], now = new Date(), options: { skipUnchanged?: boolean; reads?: StoreKeys } = {}): Promise<ItemVerdict[]> {
    // Recorded only for a caller that compares them (a connector run); a push's batch builds no keys.
    const reads = options.reads;
    const verdicts = await this.resolve(sourceId, refuseIllFormedText(items), reads);
    await this.rejectIdentityConflicts(sourceId, verdicts, reads);
    if (options.skipUnchanged ?? true) await this.markUnchanged(sourceId, verdicts, reads);
    const toValidate = verdicts.filter((verdict) => verdict.status === 'accepted' && (verdict.write || verdict.place || verdict.organizer));
    const { graphs, parts } = batchGraphs(toValidate, this.rdfContext(sourceId, now));
    const outcomes = await this.validator.validateBatch(graphs);
    toValidate.forEach((verdict, index) => {
      const outcome = outcomeOf(parts[index].map((graph) => outcomes[graph]));
      verdict.problems = [...verdict.problems, ...outcome.results];
      if (!outcome.conforms) {
        verdict.status = 'rejected';
        verdict.write = undefined;
        verdict.place = undefined;
        verdict.organizer = undefined;
      }
    });
    return verdicts;
  }

  /**
   * Items to verdicts. A place or organizer named by the source's id or by an IRI only is taken from this
   * batch (by id or by the IRI its RDF gives it), else from what the source stored (by id, or under that
   * IRI); otherwise the item is rejected saying so.
   */
  private async resolve(sourceId: string, items: IngestItem[], reads: StoreKeys | undefined): Promise<ItemVerdict[]> {
    const places = new ReferenceTable<Place>();
    const organizers = new ReferenceTable<Organizer>();
    for (const item of items) {
      if (item.kind === 'place' && item.place) places.add(item.place.externalId, item.place, item.subjectIri);
      if (item.kind === 'organizer' && item.organizer) organizers.add(item.organizer.externalId, item.organizer, item.subjectIri);
      // An activity that embeds its place describes it for the others of the batch too (first description wins).
      if (item.kind === 'activity' && item.activity?.place) places.add(item.activity.place.externalId, item.activity.place);
      if (item.kind === 'activity' && item.activity?.organizer) organizers.add(item.activity.organizer.externalId, item.activity.organizer);
    }
    const activityItems = items.filter((item): item is Extract<IngestItem, { kind: 'activity' }> => item.kind === 'activity');
    // What is looked up is recorded as read: an id the batch refers to may be stored only by a batch committing now.
    const recorded =
      <T>(kind: StoreKeyKind, load: (keys: string[]) => Promise<T>) =>
      (keys: string[]): Promise<T> => {
        reads?.add(kind, keys);
        return load(keys);
      };
    await places.loadStored(
      activityItems.flatMap((item) => (!item.activity?.place && (item.placeRef || item.placeIri) ? [{ externalId: item.placeRef, iri: item.placeIri }] : [])),
      recorded('iri', (iris) => this.activities.externalIdsByIri(sourceId, 'place', iris)),
      recorded('place', (ids) => this.activities.placesByExternalId(sourceId, ids)),
    );
    await organizers.loadStored(
      activityItems.flatMap((item) => (!item.activity?.organizer && (item.organizerRef || item.organizerIri) ? [{ externalId: item.organizerRef, iri: item.organizerIri }] : [])),
      recorded('iri', (iris) => this.activities.externalIdsByIri(sourceId, 'organizer', iris)),
      recorded('organizer', (ids) => this.activities.organizersByExternalId(sourceId, ids)),
    );

    return items.map((item, position): ItemVerdict => {
      const base = { position, externalId: item.externalId, problems: item.problems, ...(item.kind !== 'deletion' && item.subjectIri ? { subjectIri: item.subjectIri } : {}) };
      if (item.problems.length > 0 && item.kind !== 'activity') return { ...base, status: 'rejected' };
      switch (item.kind) {
        case 'deletion':
          return { ...base, status: 'deleted', deletion: { entity: item.entity, externalId: item.externalId } };
        case 'place':
          return item.place ? { ...base, status: 'accepted', place: item.place } : { ...base, status: 'rejected' };
        case 'organizer':
          return item.organizer ? { ...base, status: 'accepted', organizer: item.organizer } : { ...base, status: 'rejected' };
        case 'activity': {
          const problems: ItemProblem[] = [];
          let place = item.activity?.place;
          let organizer = item.activity?.organizer;
          if (!place && (item.placeRef || item.placeIri)) {
            place = places.find(item.placeRef, item.placeIri);
            if (!place) {
              const named = item.placeIri ? `<${item.placeIri}>` : item.placeRef;
              problems.push(
                problem(
                  '/location',
                  `De locatie ${named} staat niet in deze batch en is niet bekend bij bron ${sourceId}: stuur de locatie eerst (of in dezelfde batch), of neem ze volledig op in de activiteit.`,
                  `The place ${named} is neither in this batch nor known from source ${sourceId}: send the place first (or in the same batch), or embed it in the activity.`,
                  'reference:place',
                ),
              );
            }
          }
          if (!organizer && (item.organizerRef || item.organizerIri)) {
            organizer = organizers.find(item.organizerRef, item.organizerIri);
            if (!organizer) {
              const named = item.organizerIri ? `<${item.organizerIri}>` : item.organizerRef;
              problems.push(
                problem(
                  '/organizer',
                  `De organisator ${named} staat niet in deze batch en is niet bekend bij bron ${sourceId}: stuur de organisator eerst (of in dezelfde batch), of neem hem volledig op.`,
                  `The organizer ${named} is neither in this batch nor known from source ${sourceId}: send the organizer first (or in the same batch), or embed it.`,
                  'reference:organizer',
                ),
              );
            }
          }
          // An unreadable item is rejected for all it gets wrong, its references included.
          if (!item.activity) return { ...base, status: 'rejected', problems: [...item.problems, ...problems] };
          // Only an online activity may do without a place: it is followed at its online URL.
          if (!place && problems.length === 0 && item.activity.attendanceMode !== 'online') {
            problems.push(
              problem(
                '/place',
                'De activiteit heeft geen locatie; enkel een online activiteit (attendanceMode online) mag zonder.',
                'The activity has no place; only an online activity (attendanceMode online) may have none.',
                'reference:place',
              ),
            );
          }
          if (problems.length > 0) return { ...base, status: 'rejected', problems: [...item.problems, ...problems] };
          const activity = { ...item.activity, ...(place ? { place } : {}), ...(organizer ? { organizer } : {}) } as Activity;
          return { ...base, status: 'accepted', write: { activity, contentHash: item.contentHash ?? contentHash(activity) } };
        }
      }
    });
  }

  /** Activities, places and organizers whose content equals the stored one need no validation and no write. */
  private async markUnchanged(sourceId: string, verdicts: ItemVerdict[], reads: StoreKeys | undefined): Promise<void> {
    const activityIds = verdicts.flatMap((verdict) => (verdict.write ? [verdict.write.activity.externalId] : []));
    reads?.add('activity', activityIds);
    const stored = await this.activities.contentHashes(sourceId, activityIds);
    reads?.add('place', verdicts.map((verdict) => verdict.place?.externalId)).add('organizer', verdicts.map((verdict) => verdict.organizer?.externalId));
    const placeIds = verdicts.flatMap((verdict) => (verdict.place ? [entityId('locatie', sourceId, verdict.place.externalId)] : []));
    const organizerIds = verdicts.flatMap((verdict) => (verdict.organizer ? [entityId('organisator', sourceId, verdict.organizer.externalId)] : []));
    // Canonical JSON on both sides: jsonb reorders keys.
    const places = await this.activities.canonicalDocuments('place', placeIds);
    const organizers = await this.activities.canonicalDocuments('organizer', organizerIds);
    // A different hash can still be the same facts (a published document pushed back in another format).
    const rehashed = verdicts.flatMap((verdict) => {
      const hash = verdict.status === 'accepted' && verdict.write ? stored.get(verdict.write.activity.externalId) : undefined;
      return hash !== undefined && hash !== verdict.write!.contentHash ? [verdict.write!.activity.externalId] : [];
    });
    const storedActivities = await this.activities.storedActivities(sourceId, rehashed);
    // Compared with their live seat counts too: those are rows of their performances.
    if (reads) for (const activity of storedActivities.values()) reads.add('performance', activity.performances.map((performance) => performance.externalId));
    for (const verdict of verdicts) {
      if (verdict.status !== 'accepted') continue;
      const storedActivity = verdict.write ? storedActivities.get(verdict.write.activity.externalId) : undefined;
      const unchanged = verdict.write
        ? stored.get(verdict.write.activity.externalId) === verdict.write.contentHash || (storedActivity !== undefined && sameFacts(verdict.write.activity, storedActivity))
        : verdict.place
          ? places.get(entityId('locatie', sourceId, verdict.place.externalId)) === canonicalJson(verdict.place)
          : verdict.organizer
            ? organizers.get(entityId('organisator', sourceId, verdict.organizer.externalId)) === canonicalJson(verdict.organizer)
            : false;
      // The write / place stays on the verdict for its reported id; only accepted verdicts are written.
      if (unchanged) verdict.status = 'unchanged';
    }
  }

  /**
   * A performance is addressed by (source, external id) alone (the fast lane needs nothing else), so
   * one id may belong to one activity only: within an item, within the batch, and against what is stored.
   */
  private async rejectIdentityConflicts(sourceId: string, verdicts: ItemVerdict[], reads: StoreKeys | undefined): Promise<void> {
    const performanceIds = verdicts.flatMap((verdict) => verdict.write?.activity.performances.map((performance) => performance.externalId) ?? []);
    reads?.add('performance', performanceIds);
    const owners = await this.activities.performanceOwners(sourceId, performanceIds);
    // An owner's commit can free a performance (dropped from it, or the owner deleted) without naming it.
    reads?.add('activity', owners.values());
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
    if (existing?.status === 'done') {
      const { accepted, rejected, unchanged, itemCount } = existing;
      return { accepted, rejected, unchanged, deleted: itemCount - accepted - rejected - unchanged };
    }
    const payload = await this.archive.find(job.payloadId);
    if (!payload) throw new Error(`Archived payload ${job.payloadId} of batch ${job.batchId} not found`);
    await this.batches.markProcessing(job.batchId);
    const now = new Date();
    const format = formatOf(payload.contentType);
    if (!format) throw new Error(`Batch ${job.batchId}: unsupported content type ${payload.contentType}`);
    const source = await this.sources.find(job.sourceId);
    const items = await this.read(format, payload.body.toString('utf8'), job.sourceId, now, source?.kind);
    const { counts } = await this.commit(job.sourceId, job.batchId, await this.evaluate(job.sourceId, items, now), now);
    this.logger.log(
      `batch ${job.batchId} (${job.sourceId}): ${counts.accepted} accepted, ${counts.rejected} rejected, ${counts.unchanged} unchanged, ${counts.deleted} deleted`,
    );
    return counts;
  }

  /**
   * Stores a batch's verdicts in one transaction: accepted items, deletions, the per-item report, and
   * whatever `alsoWrite` adds (a connector's cursor), with the change log appended last. Then publishes.
   */
  async commit(
    sourceId: string,
    batchId: string,
    verdicts: ItemVerdict[],
    now: Date,
    alsoWrite?: (manager: EntityManager, counts: CommitResult['counts'], reports: ItemReport[]) => Promise<void>,
  ): Promise<CommitResult> {
    const accepted = verdicts.filter((verdict) => verdict.status === 'accepted' && verdict.write);
    // The activities this batch wrote (not the unchanged ones): what reconciliation has to look at.
    let storedActivities: string[] = [];
    const { result, availabilityChanges } = await this.dataSource.transaction(async (manager) => {
      const upserted = await this.activities.upsert(manager, sourceId, accepted.map((verdict) => verdict.write!), now);
      storedActivities = upserted.outcomes.filter((outcome) => outcome.status === 'accepted').map((outcome) => outcome.activityId);
      const changes: ChangeEntry[] = [...upserted.changes];
      // A changed record of a reconciled activity changes what is published under the cluster's id too.
      changes.push(...(await this.reconciliation.clusterChanges(manager, upserted.changes.filter((change) => change.entityType === 'activity').map((change) => change.entityId))));
      changes.push(...(await this.activities.upsertPlaces(manager, sourceId, verdicts.flatMap((verdict) => (verdict.status === 'accepted' && verdict.place ? [verdict.place] : [])), now)));
      changes.push(
        ...(await this.activities.upsertOrganizers(manager, sourceId, verdicts.flatMap((verdict) => (verdict.status === 'accepted' && verdict.organizer ? [verdict.organizer] : [])), now)),
      );
      const outcomes = new Map(accepted.map((verdict, index) => [verdict.position, upserted.outcomes[index]]));
      const reports: ItemReport[] = [];
      for (const verdict of verdicts) {
        let status: ItemReport['status'] = outcomes.get(verdict.position)?.status ?? verdict.status;
        let problems = verdict.problems;
        if (verdict.deletion) {
          const deleted = await this.activities.deleteEntity(manager, sourceId, verdict.deletion.entity, verdict.deletion.externalId);
          if (deleted.status === 'deleted') changes.push(...deleted.changes);
          else if (deleted.status === 'not-found') status = 'unchanged';
          else {
            status = 'rejected';
            problems = [
              ...problems,
              problem(
                '/',
                `${verdict.deletion.externalId} wordt nog gebruikt door ${deleted.activities} activiteit(en) en blijft bestaan.`,
                `${verdict.deletion.externalId} is still used by ${deleted.activities} activit${deleted.activities === 1 ? 'y' : 'ies'} and is kept.`,
                'reference:in-use',
              ),
            ];
          }
        }
        const entity = verdict.deletion?.entity ?? (verdict.place ? 'place' : verdict.organizer ? 'organizer' : 'activity');
        const externalId = verdict.deletion?.externalId ?? verdict.place?.externalId ?? verdict.organizer?.externalId ?? verdict.write?.activity.externalId;
        reports.push({
          position: verdict.position,
          externalId: verdict.externalId,
          // A concurrent batch may have stored the same content first: then this one is a no-op too.
          status,
          // The reported id is the stored entity's uuid (activity, or the place / organizer of a standalone record).
          activityId: status !== 'rejected' && externalId ? entityId(ENTITY_KIND[entity], sourceId, externalId) : null,
          results: problems,
        });
      }
      const counts = {
        accepted: reports.filter((report) => report.status === 'accepted').length,
        rejected: reports.filter((report) => report.status === 'rejected').length,
        unchanged: reports.filter((report) => report.status === 'unchanged').length,
        deleted: reports.filter((report) => report.status === 'deleted').length,
      };
      await this.batches.finish(manager, { id: batchId, sourceId }, reports);
      await this.activities.recordIris(manager, sourceId, verdicts.flatMap(iriEntry));
      // Reconciled after the commit; marked here so that a crash in between loses nothing.
      await this.reconciliation.markPending(manager, storedActivities);
      if (alsoWrite) await alsoWrite(manager, counts, reports);
      // Last statement of the transaction: the change-log lock is held only until the commit.
      const sequences = await appendChanges(manager, changes);
      // A seat change pushed with its activity is logged as that activity's upsert: it carries that entry's number.
      const upsertSeq = new Map(
        changes.flatMap((change, index) => (change.entityType === 'activity' && change.operation === 'upsert' ? [[change.entityId, sequences[index]] as const] : [])),
      );
      const lastSeq = sequences[sequences.length - 1];
      return {
        result: { reports, counts },
        availabilityChanges: upserted.availabilityChanges.map((change) => ({ ...change, seq: upsertSeq.get(change.activityId) ?? lastSeq })),
      };
    });
    this.metrics?.countItems(sourceId, 'activity', result.counts);
    await this.publisher.publishAvailability(availabilityChanges);
    // After the commit: of two sources committing at once, the later one's reconciliation sees both.
    await this.reconciler.reconcileQuietly(storedActivities);
    return result;
  }
}

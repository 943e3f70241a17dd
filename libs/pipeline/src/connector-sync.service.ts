import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '@platform/config';
import { connectorFor, HttpClient, type Connector, type ConnectorContext, type ConnectorPage, type MappedAvailability, type MappedItem, type MappedParticipation } from '@platform/connectors';
import { DataSource } from 'typeorm';
import { ArchiveStore, BatchStore, ConnectorStore, LeaseLostError, SourceStore, type RunCounts, type RunRejection, type RunTrigger } from '@platform/storage';
import { AvailabilityService } from './availability.service.js';
import { ingestItemsOf, type IngestItem } from './ingest-item.js';
import { IngestService, type ItemVerdict } from './ingest.service.js';
import { ParticipationIngestService } from './participation/participation-ingest.service.js';
import { keysWrittenBy, StoreKeys } from './store-keys.js';

export type SyncErrorCode = 'source-not-found' | 'connector-not-configured' | 'no-connector-for-kind' | 'run-in-progress' | 'credentials-unreadable';

/** Why a run cannot start (the API maps the code to 404 / 409). */
export class SyncError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    readonly messages: { nl: string; en: string },
  ) {
    super(messages.en);
  }
}

/** The run stopped at a page boundary because its process is stopping; the cursor of the last page is saved. */
export class RunInterruptedError extends Error {
  constructor(readonly runId: string) {
    super(`run ${runId} stopped at a page boundary: the process is stopping; the next run continues from the cursor`);
  }
}

export interface SyncProgress {
  runId: string;
  page: number;
  counts: RunCounts;
  done: boolean;
}

export interface SyncOptions {
  trigger: RunTrigger;
  /** The report made when the run was asked for (API); absent for scheduled runs and the CLI. */
  runId?: string;
  onProgress?: (progress: SyncProgress) => void;
  /** Remote retries, for progress output (the message has secrets redacted). */
  onRetry?: (message: string, attempt: number) => void;
  /** Aborted when the process stops (SIGTERM): the run ends after the page in hand, as `interrupted`. */
  signal?: AbortSignal;
}

/** A page fetched, archived, mapped and evaluated, ready to commit. */
interface PreparedPage {
  page: ConnectorPage<unknown>;
  now: Date;
  payloadIds: string[];
  mapped: MappedItem[];
  availability: MappedAvailability[];
  items: IngestItem[];
  verdicts: ItemVerdict[];
  /** What the evaluation read, and what committing the page may change (StoreKeys). */
  reads: StoreKeys;
  writes: StoreKeys;
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/** A promise that never rejects: one read ahead may fail while the run still awaits the page before it. */
function settle<T>(promise: Promise<T>): Promise<Settled<T>> {
  return promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

function unwrap<T>(settled: Settled<T>): T {
  if (!settled.ok) throw settled.error;
  return settled.value;
}

const ZERO: RunCounts = { fetched: 0, accepted: 0, rejected: 0, unchanged: 0, deleted: 0, availabilityUpdates: 0 };

function add(total: RunCounts, page: RunCounts): RunCounts {
  return {
    fetched: total.fetched + page.fetched,
    accepted: total.accepted + page.accepted,
    rejected: total.rejected + page.rejected,
    unchanged: total.unchanged + page.unchanged,
    deleted: total.deleted + page.deleted,
    availabilityUpdates: total.availabilityUpdates + page.availabilityUpdates,
  };
}

/**
 * One connector run: page by page, each remote response archived first, mapped by the connector,
 * through the one ingest path (one transaction per page, with the run's counts), seat counts through
 * the fast lane, then the cursor saved. The next page is fetched, mapped and evaluated while one
 * commits; it is evaluated again if that commit changed a row it read (StoreKeys), so pages are stored
 * as if read one after the other. A run that dies resumes from the last saved cursor; re-doing a
 * page is harmless (unchanged items are no-ops). One run per source at a time (a lease in Postgres).
 */
@Injectable()
export class ConnectorSyncService {
  private readonly logger = new Logger(ConnectorSyncService.name);

  constructor(
    private readonly sources: SourceStore,
    private readonly connectors: ConnectorStore,
    private readonly archive: ArchiveStore,
    private readonly batches: BatchStore,
    private readonly ingest: IngestService,
    private readonly availability: AvailabilityService,
    private readonly participation: ParticipationIngestService,
    private readonly config: ConfigService<AppConfig, true>,
    private readonly dataSource: DataSource,
  ) {}

  async run(sourceId: string, options: SyncOptions): Promise<string> {
    const source = await this.sources.find(sourceId);
    if (!source) throw new SyncError('source-not-found', { nl: `Onbekende bron: ${sourceId}`, en: `Unknown source: ${sourceId}` });
    const connector = connectorFor(source.kind);
    if (!connector) {
      throw new SyncError('no-connector-for-kind', {
        nl: `Bron ${sourceId} is van soort ${source.kind}: daarvoor bestaat geen connector (alleen push).`,
        en: `Source ${sourceId} is of kind ${source.kind}: there is no connector for it (push only).`,
      });
    }
    const settings = await this.connectors.find(sourceId);
    if (!settings) {
      throw new SyncError('connector-not-configured', {
        nl: `Bron ${sourceId} heeft nog geen connector-instellingen (PUT /v1/admin/sources/${sourceId}/connector).`,
        en: `Source ${sourceId} has no connector settings yet (PUT /v1/admin/sources/${sourceId}/connector).`,
      });
    }
    if (settings.credentialsUnreadable) {
      throw new SyncError('credentials-unreadable', {
        nl: `De geheimen van bron ${sourceId} kunnen niet geopend worden: ${settings.credentialsUnreadable}. Zet dezelfde CREDENTIALS_KEY, of geef de geheimen opnieuw (PUT .../connector).`,
        en: `The credentials of source ${sourceId} cannot be opened: ${settings.credentialsUnreadable}. Set the same CREDENTIALS_KEY, or give the credentials again (PUT .../connector).`,
      });
    }
    const leaseMs = this.config.get('CONNECTOR_LEASE_MS', { infer: true });
    const runId = await this.connectors.startRun(options.runId, sourceId, options.trigger, settings.cursor);
    const lease = await this.connectors.acquireLease(sourceId, runId, leaseMs);
    if (!lease.acquired) {
      await this.connectors.finishRun(runId, 'skipped', 'another run of this source was in progress');
      throw new SyncError('run-in-progress', {
        nl: `Er loopt al een synchronisatie van bron ${sourceId}.`,
        en: `A run of source ${sourceId} is already in progress.`,
      });
    }
    if (lease.previousRunId && lease.previousRunId !== runId) await this.connectors.markInterrupted(lease.previousRunId);

    const http = new HttpClient({
      secrets: Object.values(settings.credentials),
      attempts: this.config.get('CONNECTOR_RETRY_ATTEMPTS', { infer: true }),
      minDelayMs: this.config.get('CONNECTOR_RETRY_DELAY_MS', { infer: true }),
      maxDelayMs: Math.max(this.config.get('CONNECTOR_RETRY_DELAY_MS', { infer: true }) * 16, 1),
      timeoutMs: this.config.get('CONNECTOR_TIMEOUT_MS', { infer: true }),
      onRetry: (message, attempt) => {
        this.logger.warn(`run ${runId} (${sourceId}): attempt ${attempt} failed, retrying: ${message}`);
        options.onRetry?.(message, attempt);
      },
    });
    const context: ConnectorContext = {
      sourceId,
      settings: { baseUrl: settings.baseUrl, everyMinutes: settings.everyMinutes ?? undefined, options: settings.options },
      credentials: settings.credentials,
      http,
      now: new Date(),
      ...(this.config.get('PSEUDONYM_KEY', { infer: true }) ? { pseudonymKey: this.config.get('PSEUDONYM_KEY', { infer: true }) } : {}),
    };
    // A slow remote must not make this run look dead: the lease is renewed while pages are fetched.
    const heartbeat = setInterval(() => void this.connectors.renewLease(sourceId, runId, leaseMs).catch(() => undefined), Math.max(leaseMs / 3, 100));
    heartbeat.unref();
    let total = ZERO;
    const maxPages = this.config.get('CONNECTOR_MAX_PAGES', { infer: true });
    // A page read ahead and not stored (the run failed or is stopping) is stopped (its requests aborted) and
    // settled before the run returns. The embedded database has one session for every query: there a page read
    // ahead would run inside the commit's transaction, so pages are read one after the other.
    let ahead: Promise<Settled<PreparedPage>> | undefined;
    const readAhead = this.config.get('DATABASE_URL', { infer: true }) ? new AbortController() : undefined;
    const aheadContext = readAhead ? { ...context, http: http.withSignal(readAhead.signal) } : context;
    try {
      // Read again under the lease: a run that ended just before this one took it moved the cursor on.
      const cursor = (await this.connectors.find(sourceId))?.cursor ?? connector.initialCursor(context.settings, context.now);
      let next = settle(this.preparePage(connector, sourceId, runId, cursor, context));
      const prepareAhead = (following: unknown) => settle(this.preparePage(connector, sourceId, runId, following, aheadContext, readAhead?.signal));
      for (let page = 1; ; page++) {
        const prepared = unwrap(await next);
        ahead = undefined;
        // The next page is fetched, archived, mapped and evaluated while this one commits: Postgres and
        // the worker's CPU in parallel instead of one after the other. Not when the run is stopping.
        const { done, cursor: following } = prepared.page;
        const more = !done && page < maxPages;
        if (more && readAhead && !options.signal?.aborted) ahead = prepareAhead(following);
        const counts = await this.storePage(sourceId, runId, prepared, leaseMs);
        total = add(total, counts);
        options.onProgress?.({ runId, page, counts: total, done });
        if (done || page >= maxPages) break;
        if (options.signal?.aborted) {
          await this.connectors.finishRun(runId, 'interrupted', 'the worker stopped (SIGTERM) after this page; the next run continues from the cursor');
          this.logger.log(`run ${runId} (${sourceId}): stopped after page ${page}, the process is stopping`);
          throw new RunInterruptedError(runId);
        }
        const written = prepared.writes;
        next = ahead
          ? ahead.then((settled) => (settled.ok ? settle(this.evaluatedAfter(sourceId, runId, settled.value, written)) : settled))
          : settle(this.preparePage(connector, sourceId, runId, following, context));
      }
      await this.connectors.finishRun(runId, 'succeeded', null);
      this.logger.log(
        `run ${runId} (${sourceId}): ${total.fetched} fetched, ${total.accepted} accepted, ${total.rejected} rejected, ${total.unchanged} unchanged, ${total.deleted} deleted, ${total.availabilityUpdates} seat counts`,
      );
      return runId;
    } catch (error) {
      if (error instanceof RunInterruptedError) throw error;
      const message = http.redact(error instanceof Error ? error.message : String(error));
      await this.connectors.finishRun(runId, 'failed', message);
      this.logger.error(`run ${runId} (${sourceId}) failed: ${message}`);
      throw error instanceof Error ? Object.assign(error, { message }) : new Error(message);
    } finally {
      readAhead?.abort();
      await ahead;
      clearInterval(heartbeat);
      await this.connectors.releaseLease(sourceId, runId);
    }
  }

  /**
   * Fetches the page at a cursor, archives its responses before anything looks at them (a page can
   * always be mapped again from the archive), maps it and evaluates its items. It writes nothing but
   * the archive, so it may run while the page before it commits.
   */
  private async preparePage(connector: Connector<unknown>, sourceId: string, runId: string, cursor: unknown, context: ConnectorContext, stop?: AbortSignal): Promise<PreparedPage> {
    const page = await connector.fetchPage({ ...context, now: new Date() }, cursor);
    stop?.throwIfAborted();
    const now = new Date();
    const payloadIds: string[] = [];
    for (const response of page.responses) {
      payloadIds.push(
        await this.archive.archive({
          sourceId,
          kind: 'connector',
          contentType: response.contentType,
          body: response.body,
          origin: context.http.redact(response.url),
          runId,
        }),
      );
    }
    const mapped = this.mapSafely(connector, page, context);
    const availability = mapped.filter((item): item is MappedAvailability => item.type === 'availability');
    const items = ingestItemsOf(mapped);
    const reads = new StoreKeys();
    const verdicts = items.length > 0 && payloadIds.length > 0 ? await this.ingest.evaluate(sourceId, items, now, { reads }) : [];
    const writes = keysWrittenBy(items, availability.map((item) => item.performanceId));
    return { page, now, payloadIds, mapped, availability, items, verdicts, reads, writes };
  }

  /** A page evaluated while the one before it committed: evaluated again if that commit changed what it read. */
  private async evaluatedAfter(sourceId: string, runId: string, prepared: PreparedPage, before: StoreKeys): Promise<PreparedPage> {
    const shared = prepared.reads.sharedWith(before);
    if (shared === undefined) return prepared;
    this.logger.debug(`run ${runId} (${sourceId}): a page read ${shared}, which the page before it wrote: evaluated again`);
    const reads = new StoreKeys();
    const verdicts = await this.ingest.evaluate(sourceId, prepared.items, prepared.now, { reads });
    return { ...prepared, verdicts, reads };
  }

  /** Commits an evaluated page (fenced by the lease), its tickets and seat counts, then saves its cursor. */
  private async storePage(sourceId: string, runId: string, prepared: PreparedPage, leaseMs: number): Promise<RunCounts> {
    const { page, payloadIds, mapped, availability, items, verdicts, now } = prepared;
    let counts: RunCounts = { ...ZERO, fetched: mapped.length };
    const rejections: RunRejection[] = [];
    if (items.length > 0 && payloadIds.length > 0) {
      const batchId = await this.batches.create(sourceId, payloadIds[0]);
      // Fenced: the page commits only while this run holds the lease (a successor's newer data stays).
      const result = await this.ingest.commit(sourceId, batchId, verdicts, now, (manager) => this.connectors.assertLease(manager, sourceId, runId, leaseMs));
      counts = { ...counts, ...result.counts };
      for (const report of result.reports) {
        if (report.status === 'rejected') rejections.push({ externalId: report.externalId, batchId, position: report.position, problems: report.results.slice(0, 5) });
      }
    }
    // Tickets (Ticketmatic orders), stripped before the page was archived: the participation worker's commit, fenced by the lease.
    const tickets = mapped.filter((item): item is MappedParticipation => item.type === 'participation').flatMap((item) => item.items);
    if (tickets.length > 0 && payloadIds.length > 0) {
      const batchId = await this.batches.create(sourceId, payloadIds[0]);
      const result = await this.participation.commit(sourceId, batchId, tickets, { fence: (manager) => this.connectors.assertLease(manager, sourceId, runId, leaseMs) });
      counts = { ...counts, fetched: counts.fetched - 1 + tickets.length, accepted: counts.accepted + result.accepted, rejected: counts.rejected + result.rejected, unchanged: counts.unchanged + result.unchanged };
      if (result.rejected > 0) rejections.push({ externalId: null, batchId, position: 0, problems: [{ message: { nl: `${result.rejected} tickets geweigerd: zie de batch.`, en: `${result.rejected} tickets rejected: see the batch.` } }] });
    }
    // After the items: a seat count may concern a performance this very page created.
    if (availability.length > 0) {
      if (!(await this.connectors.renewLease(sourceId, runId, leaseMs))) throw new LeaseLostError(sourceId, runId);
      const results = await this.availability.update(
        sourceId,
        availability.map(({ performanceId, capacity, remaining, level }) => ({
          performanceId,
          body: Object.fromEntries(Object.entries({ capacity, remaining, level }).filter(([, value]) => value !== undefined)),
        })),
      );
      counts = { ...counts, availabilityUpdates: results.filter((result) => result.status === 'updated').length };
      for (const [index, result] of results.entries()) {
        if (result.status === 'rejected' || result.status === 'not-found') {
          counts.rejected += 1;
          rejections.push({ externalId: result.performanceId, batchId: '', position: index, problems: result.problems });
        }
      }
    }
    // Saved last: a run that dies before this line does the page again, which changes nothing.
    await this.dataSource.transaction(async (manager) => {
      await this.connectors.countPage(manager, runId, counts, rejections, page.cursor);
      await this.connectors.advance(manager, sourceId, runId, page.cursor, leaseMs);
    });
    return counts;
  }

  /** Mappers return problems as data; one that throws has a bug: the run stops (the page stays archived, the cursor unmoved). */
  private mapSafely(connector: Connector<unknown>, page: ConnectorPage<unknown>, context: ConnectorContext) {
    try {
      return connector.mapPage(page, context);
    } catch (error) {
      throw new Error(`mapping failed: ${(error as Error).message}`);
    }
  }
}

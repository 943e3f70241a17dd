import { Inject, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource, type EntityManager } from 'typeorm';
import type { AppConfig } from '@platform/config';
import { entityId } from '@platform/domain';
import { parseJsonLd, parseTurtle } from '@platform/linked-data';
import type { IngestJob, IngestJobResult } from '@platform/queue';
import {
  ageBandOf,
  BelgianGeography,
  participationItemsFromQuads,
  recordKeyInteger,
  recordKeyOf,
  stripTicket,
  STRIPPED_PAYLOAD_FORMAT,
  type StrippedItem,
  type StrippedPayload,
  type StrippedTicket,
} from '@platform/research';
import { ArchiveStore, BatchStore, ParticipationStore, type ItemReport, type ParticipationRow, type PerformanceContext } from '@platform/storage';
import { ShaclValidator, type ValidationOutcome } from '@platform/validation';
import type { PayloadFormat } from '../payload-reader.js';
import { MalformedPayloadError } from '../problems.js';
import { TicketGraphBuilder } from './ticket-graph.js';

/** Participation cannot be accepted without the operator's pseudonym key. */
export class PseudonymKeyMissingError extends Error {}

const TICKET_NAMESPACE_KIND = 'uitvoering';

/**
 * Tickets validated per union graph: measured on 5,000-ticket batches (43 quads a ticket), slices of
 * 250-500 cost about half the CPU of one index over the whole batch (smaller maps and arrays, short-lived
 * quads); below ~100 the per-index set-up shows.
 */
const VALIDATION_SLICE = 500;

/**
 * Participation ingest: the api strips every pushed ticket of personal data (`strip`) before anything
 * is archived; the worker reads the stripped archive, resolves each ticket's performance and stores the
 * tickets with the per-item report in one transaction (`processBatch`).
 */
@Injectable()
export class ParticipationIngestService {
  private readonly logger = new Logger(ParticipationIngestService.name);
  /** Loaded on first use (about 3 MB of CSV), not at start: most processes never need it. */
  private get geography(): BelgianGeography {
    return BelgianGeography.load();
  }

  constructor(
    private readonly dataSource: DataSource,
    private readonly archive: ArchiveStore,
    private readonly batches: BatchStore,
    private readonly participation: ParticipationStore,
    private readonly config: ConfigService<AppConfig, true>,
    @Inject(ShaclValidator) private readonly validator: ShaclValidator,
  ) {}

  private pseudonymKey(): string {
    const key = this.config.get('PSEUDONYM_KEY', { infer: true });
    if (!key) throw new PseudonymKeyMissingError('PSEUDONYM_KEY is not set');
    return key;
  }

  /** The pushed body to its stripped form (what is archived). Throws MalformedPayloadError when unreadable. */
  async strip(format: PayloadFormat, body: string, sourceId: string, now = new Date()): Promise<StrippedPayload> {
    const pseudonymKey = this.pseudonymKey();
    let rawItems: unknown[];
    const rdfDropped = new Map<number, StrippedItem['dropped']>();
    if (format === 'json') {
      let document: unknown;
      try {
        document = JSON.parse(body);
      } catch (error) {
        throw new MalformedPayloadError('body', { nl: `Geen geldige JSON: ${(error as Error).message}`, en: `Not valid JSON: ${(error as Error).message}` });
      }
      const items = Array.isArray(document) ? document : (document as { items?: unknown })?.items;
      if (!Array.isArray(items)) {
        throw new MalformedPayloadError('body', { nl: 'Verwacht een JSON-array van tickets of {"items": [...]}.', en: 'Expected a JSON array of tickets or {"items": [...]}.' });
      }
      rawItems = items;
    } else {
      let quads;
      try {
        quads = format === 'jsonld' ? await parseJsonLd(JSON.parse(body), { platformContextUrls: [] }) : parseTurtle(body);
      } catch (error) {
        throw new MalformedPayloadError('body', { nl: `Geen geldige RDF: ${(error as Error).message}`, en: `Not valid RDF: ${(error as Error).message}` });
      }
      const found = participationItemsFromQuads(quads);
      rawItems = found.map((item) => item.ticket);
      found.forEach((item, index) => rdfDropped.set(index, item.dropped));
    }
    if (rawItems.length === 0) throw new MalformedPayloadError('body', { nl: 'De batch bevat geen tickets.', en: 'The batch holds no tickets.' });
    const maxItems = this.config.get('MAX_PARTICIPATION_ITEMS', { infer: true });
    if (rawItems.length > maxItems) {
      throw new MalformedPayloadError('body', {
        nl: `De batch bevat ${rawItems.length} tickets; het maximum is ${maxItems}. Splits hem op.`,
        en: `The batch holds ${rawItems.length} tickets; the maximum is ${maxItems}. Split it up.`,
      });
    }
    return this.stripItems(rawItems, sourceId, format, now, pseudonymKey, rdfDropped);
  }

  /**
   * Tickets in the documented JSON format to their stripped form: the one place personal data is
   * removed, for pushes, connector pulls (Ticketmatic orders) and the demo generator alike.
   */
  stripItems(
    rawItems: unknown[],
    sourceId: string,
    receivedFormat: string,
    now = new Date(),
    pseudonymKey = this.pseudonymKey(),
    extraDropped = new Map<number, StrippedItem['dropped']>(),
  ): StrippedPayload {
    const context = { sourceId, pseudonymKey, geography: this.geography, now };
    return {
      format: STRIPPED_PAYLOAD_FORMAT,
      receivedFormat,
      items: rawItems.map((raw, position) => {
        const item = stripTicket(raw, position, context);
        const extra = extraDropped.get(position);
        return extra ? { ...item, dropped: [...extra, ...item.dropped] } : item;
      }),
    };
  }

  async processBatch(job: IngestJob): Promise<IngestJobResult> {
    const existing = await this.batches.find(job.batchId);
    if (existing?.status === 'done') {
      const { accepted, rejected, unchanged } = existing;
      return { accepted, rejected, unchanged, deleted: 0 };
    }
    const payload = await this.archive.find(job.payloadId);
    if (!payload) throw new Error(`Archived payload ${job.payloadId} of batch ${job.batchId} not found`);
    await this.batches.markProcessing(job.batchId);
    const stripped = JSON.parse(payload.body.toString('utf8')) as StrippedPayload;
    if (stripped.format !== STRIPPED_PAYLOAD_FORMAT) throw new Error(`Batch ${job.batchId}: not a stripped participation payload`);
    return this.commit(job.sourceId, job.batchId, stripped.items);
  }

  /**
   * Stores the accepted tickets of a stripped batch and its report in one transaction. What would be
   * stored (each ticket's row) is validated against the OSLO Cultuurparticipatie participation shapes
   * (shapes/cultuurparticipatie-deelname.ttl) with the pipeline's compiled validator, as one batch like
   * an activity push: a ticket whose graph violates them is rejected with its SHACL results, the others
   * are stored. `reportItems` 'rejected' keeps the per-item report of rejected items only (bulk loads:
   * the demo, connector pages of orders), with the batch's counts of all. `fence` runs inside the
   * transaction first (a connector run's lease).
   */
  async commit(
    sourceId: string,
    batchId: string,
    items: StrippedItem[],
    options: { reportItems?: 'all' | 'rejected'; fence?: (manager: EntityManager) => Promise<void>; now?: Date } = {},
  ): Promise<IngestJobResult> {
    const performances = await this.participation.performances(
      sourceId,
      items.flatMap((item) => (item.ticket ? [item.ticket.performance] : [])),
    );
    const pseudonymKey = this.pseudonymKey();
    const geography = this.geography;
    // One ticket once per batch: a later copy is refused (the upsert must not touch a row twice).
    const seen = new Set<string>();
    const candidates: Array<{ report: ItemReport; row: ParticipationRow }> = [];
    const reports: ItemReport[] = items.map((item) => {
      const droppedResults = item.dropped.map(droppedResult(item.position));
      const ticket = item.ticket;
      const problems = [...item.problems];
      if (ticket && seen.has(ticket.ticketId)) {
        problems.push({
          focusNode: `/items/${item.position}`,
          path: '/id',
          severity: 'Violation',
          message: { nl: `Ticket ${item.externalId} staat twee keer in deze batch.`, en: `Ticket ${item.externalId} appears twice in this batch.` },
          constraint: 'identity:unique-ticket',
        });
      }
      const duplicate = ticket !== undefined && seen.has(ticket.ticketId);
      if (ticket) seen.add(ticket.ticketId);
      const performance = ticket && !duplicate ? performances.get(ticket.performance) : undefined;
      if (ticket && !duplicate && !performance) {
        problems.push({
          focusNode: `/items/${item.position}`,
          path: '/performance',
          severity: 'Violation',
          message: {
            nl: `Uitvoering ${ticket.performance} is onbekend in bron ${sourceId}: push eerst de activiteit met die uitvoering.`,
            en: `Performance ${ticket.performance} is unknown in source ${sourceId}: push the activity with that performance first.`,
          },
          constraint: 'reference:performance',
        });
      }
      if (!ticket || !performance) {
        return { position: item.position, externalId: item.externalId, status: 'rejected', activityId: null, results: [...problems, ...droppedResults] };
      }
      const row = ticketRow(ticket, performance, sourceId, pseudonymKey, geography);
      const report: ItemReport = { position: item.position, externalId: item.externalId, status: 'accepted', activityId: row.id, results: droppedResults };
      candidates.push({ report, row });
      return report;
    });
    // SHACL over what is kept; results go into the item's report as for activities (IngestService.evaluate).
    const graphs = new TicketGraphBuilder(sourceId, {
      publicBaseUrl: this.config.get('PUBLIC_BASE_URL', { infer: true }),
      processedAt: (options.now ?? new Date()).toISOString(),
    });
    // In slices, each one union graph (decisions 8, R17): tickets share no node but constants (performances
    // and their periods, source, concepts), so a slice gives each ticket the results the whole batch would.
    const outcomes: ValidationOutcome[] = [];
    for (let offset = 0; offset < candidates.length; offset += VALIDATION_SLICE) {
      outcomes.push(...(await this.validator.validateBatch(candidates.slice(offset, offset + VALIDATION_SLICE).map(({ row }) => graphs.quads(row)))));
    }
    const rows: ParticipationRow[] = [];
    candidates.forEach(({ report, row }, index) => {
      const outcome = outcomes[index];
      if (outcome.results.length > 0) report.results = [...outcome.results, ...report.results];
      if (outcome.conforms) rows.push(row);
      else {
        report.status = 'rejected';
        report.activityId = null;
      }
    });
    const result = await this.dataSource.transaction(async (manager) => {
      await options.fence?.(manager);
      const written = await this.participation.upsert(manager, batchId, rows);
      for (const report of reports) if (report.status === 'accepted' && !written.has(report.activityId!)) report.status = 'unchanged';
      await this.batches.finish(manager, { id: batchId, sourceId }, reports, options.reportItems === 'rejected' ? (report) => report.status === 'rejected' : undefined);
      const count = (status: ItemReport['status']) => reports.filter((report) => report.status === status).length;
      return { accepted: count('accepted'), rejected: count('rejected'), unchanged: count('unchanged'), deleted: 0 };
    });
    this.logger.log(`participation batch ${batchId} (${sourceId}): ${result.accepted} accepted, ${result.rejected} rejected, ${result.unchanged} unchanged`);
    return result;
  }
}

/** A dropped field as an Info result of the item's report (by path, never by value). */
function droppedResult(position: number) {
  return (dropped: StrippedItem['dropped'][number]) => ({
    focusNode: `/items/${position}`,
    path: dropped.path,
    severity: 'Info',
    constraint: `privacy:${dropped.reason}`,
    message:
      dropped.reason === 'personal-data'
        ? { nl: 'Persoonsgegeven: niet bewaard.', en: 'Personal data: not stored.' }
        : dropped.reason === 'reduced'
          ? { nl: 'Herleid (geboortejaar, gemeente) en het origineel niet bewaard.', en: 'Reduced (birth year, municipality); the original is not stored.' }
          : { nl: 'Onbekend veld: niet bewaard.', en: 'Unknown field: not stored.' },
  });
}

/**
 * What is stored of a stripped ticket whose performance is known: the row (dimensions resolved at
 * ingest, decision R5). Pure: the same ticket, performance and key give the same row.
 */
export function ticketRow(ticket: StrippedTicket, performance: PerformanceContext, sourceId: string, pseudonymKey: string, geography: BelgianGeography): ParticipationRow {
  const participant = ticket.participant;
  const home = participant.municipality ?? null;
  const id = entityId(TICKET_NAMESPACE_KIND, sourceId, `ticket\u0000${ticket.ticketId}`);
  // Without a pseudonym, a ticket is one person per order (or per ticket): counted, never linked.
  const personKey = participant.pseudonym ?? (ticket.transactionId ? `order:${sourceId}:${ticket.transactionId}` : `ticket:${sourceId}:${ticket.ticketId}`);
  const personCellKey = participant.cellKey ?? recordKeyOf(pseudonymKey, `participant:${personKey}`);
  return {
    id,
    sourceId,
    ticketExternalId: ticket.ticketId,
    transactionExternalId: ticket.transactionId ?? null,
    performanceId: performance.performanceId,
    activityId: performance.activityId,
    organizerId: performance.organizerId,
    organization: performance.organizerId ?? `source:${sourceId}`,
    placeId: performance.placeId,
    venueNis5: geography.municipalityOfPostcode(performance.postalCode),
    activityType: performance.typeIri,
    activityTheme: performance.themeIri,
    performanceStart: performance.start,
    soldAt: new Date(ticket.soldAt),
    priceCategory: ticket.priceCategory,
    priceCents: ticket.priceCents,
    channel: ticket.channel,
    status: ticket.status,
    attended: ticket.attended ?? null,
    ticketKey: recordKeyInteger(ticket.cellKey),
    personKey,
    personCellKey: recordKeyInteger(personCellKey),
    birthYear: participant.birthYear ?? null,
    ageBand: ageBandOf(participant.birthYear, performance.start),
    homeNis5: home,
    homeProvince: home ? geography.provinceOf(home) : null,
    homeRegion: home ? geography.regionOf(home) : null,
    homeSector: participant.statisticalSector ?? null,
    homeCountry: participant.country ?? (home ? 'BE' : null),
  };
}

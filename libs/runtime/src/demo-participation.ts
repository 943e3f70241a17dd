import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import type { Activity, PriceCategory } from '@platform/domain';
import { ParticipationIngestService } from '@platform/pipeline';
import { BelgianGeography, syntheticTickets, type SyntheticPerformance, type TicketPriceCategory } from '@platform/research';
import { ArchiveStore, BatchStore } from '@platform/storage';
import { DataSource } from 'typeorm';
import { DEMO_SOURCE_ID } from './demo-data.js';

/** About 100,000 tickets over the demo's 30 activities (issue 9 §6). */
export const DEMO_PARTICIPATION_TICKETS = 100_000;
export const DEMO_PARTICIPATION_SEED = 20261202;
/** The archived payload of a demo batch: the generator's parameters, from which the tickets follow. */
export const DEMO_PAYLOAD_FORMAT = 'cdp-demo-participation/1';
/** Tickets per stored batch (the push's default maximum). */
const CHUNK = 10_000;

const PRICE_CATEGORIES: Record<PriceCategory, TicketPriceCategory[]> = {
  base: ['basis'],
  tariff: ['tarief'],
  // The demo's social rate is "Sociaal tarief (UiTPAS)": sold as UiTPAS and as kansentarief.
  social: ['uitpas', 'kansentarief'],
  free: ['gratis'],
};

/** The performances of pushed activities as the generator needs them (cancelled and postponed ones sell nothing). */
export function syntheticPerformancesOf(activities: Activity[]): SyntheticPerformance[] {
  const segment = (iri: string | undefined) => iri?.split(/[/#]/).pop();
  return activities.flatMap((activity) =>
    activity.performances
      .filter((performance) => performance.status === 'scheduled')
      .map((performance) => ({
        externalId: performance.externalId,
        start: new Date(performance.start),
        activityType: segment(activity.type?.iri) ?? 'activiteit',
        ...(activity.theme?.iri ? { theme: segment(activity.theme.iri) } : {}),
        venuePostcode: activity.place?.address?.postalCode ?? '',
        ...(performance.availability?.capacity !== undefined ? { capacity: performance.availability.capacity } : {}),
        prices: (activity.prices ?? []).flatMap((price) => PRICE_CATEGORIES[price.category].map((category) => ({ category, amount: price.amount }))),
      })),
  );
}

export interface DemoParticipationResult {
  /** Tickets the generator made. */
  generated: number;
  accepted: number;
  unchanged: number;
  rejected: number;
  /** Already loaded (same count stored): nothing was generated. */
  skipped: boolean;
  milliseconds: number;
}

export interface DemoParticipationOptions {
  sourceId?: string;
  tickets?: number;
  seed?: number;
  /** The activities whose performances the tickets are for (default: demo/activities.json). */
  activities?: Activity[];
  /** Load even if the source already holds that many tickets (re-sent tickets are `unchanged`). */
  force?: boolean;
}

/**
 * Loads synthetic participation (libs/research/src/demo) for the demo activities through the path a
 * pushed batch takes after the api: every ticket is stripped by the same code (`stripItems`), the
 * stripped form archived, and the worker's `commit` stores it (upsert by ticket id: idempotent). Only
 * the report of rejected items is kept (the generator's tickets all pass; 100,000 "dropped: id" lines
 * would tell nobody anything). A source that already holds the tickets is skipped in one count query.
 */
export async function seedDemoParticipation(app: INestApplicationContext, options: DemoParticipationOptions = {}): Promise<DemoParticipationResult> {
  const started = performance.now();
  const sourceId = options.sourceId ?? DEMO_SOURCE_ID;
  const tickets = options.tickets ?? DEMO_PARTICIPATION_TICKETS;
  const seed = options.seed ?? DEMO_PARTICIPATION_SEED;
  const dataSource = app.get(DataSource);
  const [{ count }]: Array<{ count: string }> = await dataSource.query('SELECT count(*) AS count FROM participation_ticket WHERE source_id = $1', [sourceId]);
  if (!options.force && Number(count) >= tickets) return { generated: 0, accepted: 0, unchanged: Number(count), rejected: 0, skipped: true, milliseconds: performance.now() - started };
  const activities = options.activities ?? (JSON.parse(await readFile(path.resolve('demo/activities.json'), 'utf8')) as Activity[]);
  const performances = syntheticPerformancesOf(activities);
  // The season as sold by its end: the clock the stripping checks `soldAt` against (deterministic, not today).
  const asOf = new Date(Math.max(...performances.map((item) => item.start.getTime())) + 86_400_000);
  const ingest = app.get(ParticipationIngestService);
  const archive = app.get(ArchiveStore);
  const batches = app.get(BatchStore);
  const result: DemoParticipationResult = { generated: 0, accepted: 0, unchanged: 0, rejected: 0, skipped: false, milliseconds: 0 };
  let chunk: unknown[] = [];
  const flush = async () => {
    if (chunk.length === 0) return;
    const stripped = ingest.stripItems(chunk, sourceId, 'synthetic', asOf);
    // What came in is the generator and its parameters (it is deterministic): that is what is archived,
    // a few bytes instead of the 4 MB stripped form of 10,000 tickets, the slowest part on PGlite.
    const descriptor = { format: DEMO_PAYLOAD_FORMAT, generator: 'libs/research/src/demo/synthetic-participation.ts', seed, tickets, from: result.generated - chunk.length, count: chunk.length };
    const payloadId = await archive.archive({ sourceId, kind: 'participation', contentType: 'application/json', body: Buffer.from(JSON.stringify(descriptor)) });
    const batchId = await batches.create(sourceId, payloadId);
    const counts = await ingest.commit(sourceId, batchId, stripped.items, { reportItems: 'rejected' });
    result.accepted += counts.accepted;
    result.unchanged += counts.unchanged;
    result.rejected += counts.rejected;
    chunk = [];
  };
  for (const ticket of syntheticTickets(performances, BelgianGeography.load(), { tickets, seed })) {
    chunk.push(ticket);
    result.generated += 1;
    if (chunk.length === CHUNK) await flush();
  }
  await flush();
  result.milliseconds = performance.now() - started;
  return result;
}

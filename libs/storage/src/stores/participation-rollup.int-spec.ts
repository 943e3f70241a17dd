import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { DEFAULT_RULES, protectParticipation } from '@platform/research';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { openDataSource } from '../data-source.js';
import { ParticipationQueryStore, type ParticipationDimension } from './participation-query.store.js';
import { PARTICIPATION_ROLLUPS, rebuildParticipationRollups, rollupFor } from './participation-rollup.js';
import { ParticipationStore, type ParticipationRow } from './participation.store.js';

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(draw: () => number, values: readonly T[]): T => values[Math.floor(draw() * values.length)];

/** Every ordered groupBy a rollup answers: each non-empty subset of its dimensions, in both orders. */
function answeredGroupBys(): ParticipationDimension[][] {
  const out: ParticipationDimension[][] = [];
  for (const rollup of PARTICIPATION_ROLLUPS) {
    const [a, b] = rollup.dimensions;
    out.push(...(b === undefined ? [[a]] : [[a], [b], [a, b], [b, a]]));
  }
  return out;
}

describe('participation rollups (integration, real Postgres)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let query: ParticipationQueryStore;
  let store: ParticipationStore;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource({ url: database.url, dataDir: './data' });
    query = new ParticipationQueryStore(dataSource);
    store = new ParticipationStore(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const compareAll = async () => {
    for (const groupBy of answeredGroupBys()) {
      expect(rollupFor(groupBy, {})).toBeDefined();
      const fromTickets = await query.cubeFromTickets(groupBy, {});
      const fromRollup = await query.cube(groupBy, {});
      // The same cells in the same order (secondary suppression visits them in order).
      expect(fromRollup.cells).toEqual(fromTickets.cells);
      const sorted = (contributions: typeof fromTickets.contributions) =>
        contributions.map((row) => JSON.stringify(row)).sort();
      expect(sorted(fromRollup.contributions)).toEqual(sorted(fromTickets.contributions));
      // And so the same published table (suppression, audit, perturbation).
      const rules = { ...DEFAULT_RULES, k: 3 };
      expect(protectParticipation(groupBy, fromRollup.cells, fromRollup.contributions, rules)).toEqual(
        protectParticipation(groupBy, fromTickets.cells, fromTickets.contributions, rules),
      );
    }
  };

  it('answers an empty store like the tickets do', async () => {
    await compareAll();
  });

  it('gives the tickets’ own cube after random inserts, re-sends, cancellations and moves between persons', async () => {
    const draw = random(20261202);
    // Persons with a fixed home, age band and cell key; some keys shared by two persons (a 32-bit key collides).
    const persons = Array.from({ length: 220 }, (_, index) => {
      const home = draw() < 0.05 ? null : pick(draw, ['44021', '11002', '24062', '71016', '21004', '57081']);
      return {
        key: `person-${index}`,
        cellKey: index % 37 === 5 ? 4242 : Math.floor(draw() * 2 ** 32),
        home,
        province: home === null ? null : home.startsWith('4') ? '40000' : home.startsWith('1') ? '10000' : home.startsWith('2') ? '04000' : home.startsWith('7') ? '70000' : '50000',
        region: home === null ? null : home.startsWith('2') ? '04000' : home.startsWith('5') ? '03000' : '02000',
        band: draw() < 0.1 ? null : pick(draw, ['0-11', '12-17', '18-25', '26-44', '45-64', '65+']),
      };
    });
    const organizations = ['org-a', 'org-b', 'org-c', 'source:house'];
    const tickets = new Map<string, ParticipationRow>();
    const ticket = (id: string): ParticipationRow => {
      const person = pick(draw, persons);
      return {
        id,
        sourceId: 'rollup-test',
        ticketExternalId: id,
        transactionExternalId: null,
        performanceId: randomUUID(),
        activityId: randomUUID(),
        organizerId: null,
        organization: pick(draw, organizations),
        placeId: randomUUID(),
        venueNis5: '44021',
        activityType: null,
        activityTheme: null,
        performanceStart: new Date('2026-10-01T19:00:00Z'),
        soldAt: new Date('2026-09-01T10:00:00Z'),
        priceCategory: pick(draw, ['basis', 'tarief', 'uitpas', 'gratis']),
        priceCents: pick(draw, [0, 500, 1200, 2500, 9000]),
        channel: pick(draw, ['online', 'box-office', 'phone']),
        status: draw() < 0.1 ? 'cancelled' : 'sold',
        attended: null,
        ticketKey: Math.floor(draw() * 2 ** 32),
        personKey: person.key,
        personCellKey: person.cellKey,
        birthYear: null,
        ageBand: person.band,
        homeNis5: person.home,
        homeProvince: person.province,
        homeRegion: person.region,
        homeSector: null,
        homeCountry: person.home ? 'BE' : null,
      };
    };
    for (let round = 0; round < 6; round++) {
      const batch: ParticipationRow[] = [];
      for (let index = 0; index < 150; index++) {
        const id = randomUUID();
        batch.push(ticket(id));
      }
      // Tickets sent again: the same, cancelled, moved to another person or another price.
      for (const [id, old] of [...tickets].slice(0, 40 * round)) {
        const roll = draw();
        if (roll < 0.15) batch.push(old);
        else if (roll < 0.25) batch.push({ ...old, status: old.status === 'sold' ? 'cancelled' : 'sold' });
        else if (roll < 0.35) batch.push({ ...ticket(id), organization: old.organization });
        else if (roll < 0.4) batch.push({ ...old, priceCents: old.priceCents + 100, channel: 'phone' });
      }
      await dataSource.transaction((manager) => store.upsert(manager, randomUUID(), batch));
      for (const row of batch) tickets.set(row.id, row);
      await compareAll();
    }
    // The stored cells are exactly a rebuild from every ticket.
    const stored = async () => ({
      cells: await dataSource.query('SELECT rollup, grouping, coordinates, tickets, persons, revenue, ticket_keys::text, person_keys::text FROM participation_rollup_cell ORDER BY 1, 2, 3'),
      contributions: await dataSource.query('SELECT * FROM participation_rollup_contribution ORDER BY 1, 2, 3, 4'),
    });
    const incremental = await stored();
    await rebuildParticipationRollups((sql, parameters) => dataSource.query(sql, parameters));
    expect(await stored()).toEqual(incremental);
  }, 120_000);

  it('leaves tables with a filter or outside every rollup to the tickets', () => {
    expect(rollupFor(['homeMunicipality'], { organizer: ['org-a'] })).toBeUndefined();
    expect(rollupFor(['homeMunicipality', 'channel'], {})).toBeUndefined();
    expect(rollupFor([], {})).toBeUndefined();
    expect(rollupFor(['channel', 'priceCategory'], { activity: [] })?.name).toBe('price-channel');
  });
});

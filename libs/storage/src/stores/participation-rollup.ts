import type { EntityManager } from 'typeorm';
import { PARTICIPATION_EXPRESSIONS, UNKNOWN, type ParticipationDimension, type ParticipationFilter, type RawCell, type RawContribution } from './participation-query.store.js';

/**
 * Participation rollups (decision RD6): the raw GROUP BY CUBE of a few typical dimension sets, kept
 * exact in the same transaction as every ticket write, so that a table over one of them (or over a
 * subset of one, without a filter) reads a few hundred stored cells instead of scanning every ticket.
 *
 * Every measure of a cell is additive over disjoint groups of person keys (`person_cell_key`, a
 * function of the pseudonym, R3): tickets, revenue and the ticket-key sum over tickets; distinct
 * persons over persons (each person has one key); the distinct sum of person keys over key values;
 * per-organisation tickets and revenue over tickets. A write therefore recomputes the cube of only the
 * tickets whose person key it touches, once before it (subtracted) and once after it (added): the
 * stored cells stay exactly what the full aggregate over all tickets gives, including margins of the
 * non-additive distinct counts.
 */
export interface ParticipationRollup {
  name: string;
  dimensions: readonly ParticipationDimension[];
}

/**
 * The maintained dimension sets. A table is served from one when its groupBy is a subset of it (any
 * order) and it has no filter. Changing this list needs a migration that calls `rebuildParticipationRollups`.
 */
export const PARTICIPATION_ROLLUPS: readonly ParticipationRollup[] = [
  { name: 'home-municipality', dimensions: ['homeMunicipality'] },
  { name: 'home-province-age', dimensions: ['homeProvince', 'ageBand'] },
  { name: 'home-region-age', dimensions: ['homeRegion', 'ageBand'] },
  { name: 'price-channel', dimensions: ['priceCategory', 'channel'] },
];

const TOTAL = '_T';

/** GROUPING(d0, ..., dn-1) as Postgres computes it: the leftmost argument is the highest bit. */
function totalMask(rollup: ParticipationRollup, totalled: (dimension: ParticipationDimension) => boolean): number {
  return rollup.dimensions.reduce((mask, dimension, index) => (totalled(dimension) ? mask | (1 << (rollup.dimensions.length - 1 - index)) : mask), 0);
}

function isEmptyFilter(filter: ParticipationFilter): boolean {
  return Object.values(filter).every((value) => value === undefined || value === null || (Array.isArray(value) && value.length === 0) || value === '');
}

/** The rollup that answers this table exactly, if any. */
export function rollupFor(groupBy: readonly ParticipationDimension[], filter: ParticipationFilter): ParticipationRollup | undefined {
  // Without groupBy the tickets answer one row even when there are none: not worth a rollup.
  if (groupBy.length === 0 || !isEmptyFilter(filter)) return undefined;
  return PARTICIPATION_ROLLUPS.find((rollup) => groupBy.every((dimension) => rollup.dimensions.includes(dimension)));
}

/** The distinct dimensions of all rollups, each once, as columns of the base of a delta. */
const ROLLUP_DIMENSIONS = [...new Set(PARTICIPATION_ROLLUPS.flatMap((rollup) => rollup.dimensions))];
const column = (dimension: ParticipationDimension) => `c_${ROLLUP_DIMENSIONS.indexOf(dimension)}`;

/** The columns a delta needs of a ticket: the rollups' dimensions (coalesced) and the measures' inputs. */
const baseColumns = () =>
  `${ROLLUP_DIMENSIONS.map((dimension) => `coalesce(${PARTICIPATION_EXPRESSIONS[dimension]}, '${UNKNOWN}') AS ${column(dimension)}`).join(', ')},
   organization, price_cents, ticket_key, person_key, person_cell_key`;
const baseRecord = () => `${ROLLUP_DIMENSIONS.map((dimension) => `${column(dimension)} text`).join(', ')}, organization text, price_cents integer, ticket_key bigint, person_key text, person_cell_key bigint`;

/**
 * The sold tickets of the key group in $1, found through the index on person_cell_key one key at a time:
 * with thousands of keys in one ANY, or a LATERAL the planner may pull up (OFFSET 0 keeps it apart), it
 * reads the whole table instead (1.6 s over 1,000,000 tickets).
 */
const keyGroup = () =>
  `SELECT ticket.* FROM unnest($1::bigint[]) AS touched(key)
     CROSS JOIN LATERAL (SELECT ${baseColumns()} FROM participation_ticket WHERE person_cell_key = touched.key AND status = 'sold' OFFSET 0) ticket`;

/** The cells and contributions of every rollup over the rows of `base`, each measure times `sign`. */
function cubes(base: string, sign: 1 | -1): { cells: string; contributions: string } {
  const coordinates = (rollup: ParticipationRollup) =>
    `ARRAY[${rollup.dimensions.map((dimension) => `CASE WHEN GROUPING(${column(dimension)}) = 1 THEN '${TOTAL}' ELSE ${column(dimension)} END`).join(', ')}]`;
  const grouping = (rollup: ParticipationRollup) => `GROUPING(${rollup.dimensions.map(column).join(', ')})`;
  const cube = (rollup: ParticipationRollup) => `CUBE(${rollup.dimensions.map(column).join(', ')})`;
  return {
    cells: PARTICIPATION_ROLLUPS.map(
      (rollup) =>
        `SELECT '${rollup.name}' AS rollup, ${grouping(rollup)} AS grouping, ${coordinates(rollup)} AS coordinates, ${sign} * count(*) AS tickets, ${sign} * count(DISTINCT person_key) AS persons,
                ${sign} * coalesce(sum(price_cents), 0) AS revenue, ${sign} * coalesce(sum(ticket_key), 0) AS ticket_keys, ${sign} * coalesce(sum(DISTINCT person_cell_key), 0) AS person_keys
           FROM ${base} GROUP BY ${cube(rollup)}`,
    ).join(' UNION ALL '),
    contributions: PARTICIPATION_ROLLUPS.map(
      (rollup) =>
        `SELECT '${rollup.name}' AS rollup, ${grouping(rollup)} AS grouping, ${coordinates(rollup)} AS coordinates, organization, ${sign} * count(*) AS tickets, ${sign} * coalesce(sum(price_cents), 0) AS revenue
           FROM ${base} GROUP BY organization, ${cube(rollup)}`,
    ).join(' UNION ALL '),
  };
}

/**
 * Adds `sum(... FROM base_i)` of every (base, sign) to the stored cells: summed per cell first, so a
 * cell whose delta is zero is not touched. A cell left with no ticket is deleted afterwards.
 */
function applyStatement(bases: string, parts: Array<{ base: string; sign: 1 | -1 }>): string {
  const all = parts.map(({ base, sign }) => cubes(base, sign));
  return `WITH ${bases},
    cell_delta AS (
      SELECT rollup, grouping, coordinates, sum(tickets) AS tickets, sum(persons) AS persons, sum(revenue) AS revenue, sum(ticket_keys) AS ticket_keys, sum(person_keys) AS person_keys
        FROM (${all.map((part) => part.cells).join(' UNION ALL ')}) delta GROUP BY rollup, grouping, coordinates
    ),
    cells AS (
      INSERT INTO participation_rollup_cell AS stored (rollup, grouping, coordinates, tickets, persons, revenue, ticket_keys, person_keys)
      SELECT rollup, grouping, coordinates, tickets, persons, revenue, ticket_keys, person_keys FROM cell_delta
       WHERE tickets <> 0 OR persons <> 0 OR revenue <> 0 OR ticket_keys <> 0 OR person_keys <> 0
      ON CONFLICT (rollup, grouping, coordinates) DO UPDATE SET tickets = stored.tickets + EXCLUDED.tickets, persons = stored.persons + EXCLUDED.persons,
        revenue = stored.revenue + EXCLUDED.revenue, ticket_keys = stored.ticket_keys + EXCLUDED.ticket_keys, person_keys = stored.person_keys + EXCLUDED.person_keys
      RETURNING 1
    )
    INSERT INTO participation_rollup_contribution AS stored (rollup, grouping, coordinates, organization, tickets, revenue)
    SELECT rollup, grouping, coordinates, organization, sum(tickets), sum(revenue) FROM (${all.map((part) => part.contributions).join(' UNION ALL ')}) delta
     GROUP BY rollup, grouping, coordinates, organization HAVING sum(tickets) <> 0 OR sum(revenue) <> 0
    ON CONFLICT (rollup, grouping, coordinates, organization) DO UPDATE SET tickets = stored.tickets + EXCLUDED.tickets, revenue = stored.revenue + EXCLUDED.revenue`;
}

/** Built on first use (the dimension expressions live in the query store, which imports this module). */
const statements = { before: '', after: '' };

/**
 * The write-side hook of the rollups, in the writing transaction. Ahead of the ticket upsert: takes the
 * participation version's row lock (participation writes follow one another from here, as they did
 * from the version update on), and reads the touched key groups' sold tickets as they are (a JSON
 * text, never parsed here). Behind it: one statement adds the cube of the key groups as they are now
 * and subtracts the cube of what was read, then cells left empty are deleted.
 */
export async function rollupsBeforeWrite(manager: EntityManager, ticketIds: readonly string[], personCellKeys: readonly number[]): Promise<{ keys: string[]; before: string }> {
  await manager.query('SELECT version FROM participation_version WHERE id = 1 FOR UPDATE');
  // The deltas' estimated cost (eight cubes) passes jit_above_cost; compiling them took longer than running them.
  await manager.query('SET LOCAL jit = off');
  // A ticket written again may move to another person: the key it had counts as touched too.
  const previous: Array<{ key: string }> = await manager.query('SELECT DISTINCT person_cell_key::text AS key FROM participation_ticket WHERE id = ANY($1::uuid[])', [ticketIds]);
  const keys = [...new Set([...personCellKeys.map(String), ...previous.map((row) => row.key)])];
  statements.before ||= `SELECT coalesce(json_agg(touched_ticket), '[]')::text AS rows FROM (${keyGroup()}) touched_ticket`;
  const [{ rows }]: Array<{ rows: string }> = await manager.query(statements.before, [keys]);
  return { keys, before: rows };
}

export async function rollupsAfterWrite(manager: EntityManager, touched: { keys: string[]; before: string }): Promise<void> {
  statements.after ||= applyStatement(
    `after_base AS MATERIALIZED (${keyGroup()}), before_base AS MATERIALIZED (SELECT * FROM json_to_recordset($2::json) AS r(${baseRecord()}))`,
    [
      { base: 'after_base', sign: 1 },
      { base: 'before_base', sign: -1 },
    ],
  );
  await manager.query(statements.after, [touched.keys, touched.before]);
  await manager.query('DELETE FROM participation_rollup_cell WHERE tickets = 0');
  await manager.query('DELETE FROM participation_rollup_contribution WHERE tickets = 0');
}

/** Every rollup computed again from all stored tickets (the migration that creates them; a changed list). */
export async function rebuildParticipationRollups(query: (sql: string, parameters?: unknown[]) => Promise<unknown>): Promise<void> {
  await query('DELETE FROM participation_rollup_cell');
  await query('DELETE FROM participation_rollup_contribution');
  await query(applyStatement(`base AS MATERIALIZED (SELECT ${baseColumns()} FROM participation_ticket WHERE status = 'sold')`, [{ base: 'base', sign: 1 }]));
}

/**
 * A table's raw cells and contributions from a rollup, as `ParticipationQueryStore.cube` returns them
 * from the tickets. The order of the cells is the one Postgres gives the GROUP BY CUBE over the tickets
 * (secondary suppression visits relations in the order of the cells): the same CUBE, with a DISTINCT
 * aggregate so that it is sorted the same way, is run over the table's interior codes.
 */
export async function cubeFromRollup(
  query: (sql: string, parameters?: unknown[]) => Promise<Array<Record<string, string | number | null>>>,
  rollup: ParticipationRollup,
  groupBy: readonly ParticipationDimension[],
): Promise<{ cells: RawCell[]; contributions: RawContribution[] }> {
  const requested = new Set(groupBy);
  const interiorMask = totalMask(rollup, (dimension) => !requested.has(dimension));
  // Masks of the table's cells: any subset of the grouped dimensions totalled, the others always.
  const masks = Array.from({ length: 1 << groupBy.length }, (_, subset) =>
    totalMask(rollup, (dimension) => !requested.has(dimension) || ((subset >> groupBy.indexOf(dimension)) & 1) === 1),
  );
  const position = groupBy.map((dimension) => rollup.dimensions.indexOf(dimension) + 1);
  // The table's codes as columns (no text[] to parse in JavaScript for thousands of rows).
  const codes = position.map((index, at) => `coordinates[${index}] AS d${at}`).join(', ');
  const [stored, contributed, ordered] = await Promise.all([
    query(
      `SELECT ${codes}, tickets::text AS tickets, persons::text AS persons, revenue::text AS revenue, ticket_keys::text AS ticket_keys, person_keys::text AS person_keys
         FROM participation_rollup_cell WHERE rollup = $1 AND grouping = ANY($2::int[])`,
      [rollup.name, masks],
    ),
    query(
      `SELECT ${codes}, organization, revenue::text AS revenue FROM participation_rollup_contribution WHERE rollup = $1 AND grouping = ANY($2::int[])`,
      [rollup.name, masks],
    ),
    query(
          `WITH interior AS (SELECT ${position.map((index, at) => `coordinates[${index}] AS d${at}`).join(', ')} FROM participation_rollup_cell WHERE rollup = $1 AND grouping = $2)
           SELECT ${groupBy.map((_, at) => `d${at}, GROUPING(d${at}) AS g${at}`).join(', ')}, count(DISTINCT d0) AS codes FROM interior GROUP BY CUBE(${groupBy.map((_, at) => `d${at}`).join(', ')})`,
          [rollup.name, interiorMask],
        ),
  ]);
  const project = (row: Record<string, string | number | null>) => groupBy.map((_, at) => String(row[`d${at}`]));
  const key = (coordinates: readonly string[]) => coordinates.join('\u001f');
  const organizations = new Map<string, number>();
  const contributions = contributed.map((row): RawContribution => {
    const coordinates = project(row);
    organizations.set(key(coordinates), (organizations.get(key(coordinates)) ?? 0) + 1);
    return { coordinates, organization: String(row.organization), revenueCents: Number(row.revenue) };
  });
  const byCoordinates = new Map(
    stored.map((row) => {
      const coordinates = project(row);
      const cell: RawCell = {
        coordinates,
        tickets: Number(row.tickets),
        persons: Number(row.persons),
        revenueCents: Number(row.revenue),
        ticketKeySum: String(row.ticket_keys),
        personKeySum: String(row.person_keys),
        organizations: organizations.get(key(coordinates)) ?? 0,
      };
      return [key(coordinates), cell] as const;
    }),
  );
  const cells = ordered.map((row) => {
    const coordinates = groupBy.map((_, at) => (Number(row[`g${at}`]) === 1 ? TOTAL : String(row[`d${at}`])));
    const cell = byCoordinates.get(key(coordinates));
    // No sold ticket at all: the tickets' CUBE still answers its grand total, with zeros.
    if (!cell && coordinates.every((code) => code === TOTAL)) return { coordinates, tickets: 0, persons: 0, revenueCents: 0, ticketKeySum: '0', personKeySum: '0', organizations: 0 };
    if (!cell) throw new Error(`participation rollup ${rollup.name}: no stored cell for (${coordinates.join(', ')})`);
    return cell;
  });
  return { cells, contributions };
}

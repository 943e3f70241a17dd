import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { EntityManager } from 'typeorm';
import { canonicalJson } from '@platform/domain';

/** A table written in bulk: its columns with their SQL types, the conflict key, and what a conflict updates. */
export interface BulkTable<Row> {
  name: string;
  columns: { [Column in keyof Row & string]: string };
  /** Empty: a plain insert. */
  conflict: Array<keyof Row & string>;
  /** Columns replaced on conflict; the others (created_at) keep the stored value. */
  update: Array<keyof Row & string>;
}

// One parameter per statement, however many rows: Postgres caps a statement at 65,535 parameters, and
// building one placeholder per value is where the ORM spent its time (issue 10: multi-row writes).
const ROWS_PER_STATEMENT = 1000;

/**
 * Inserts (or on conflict updates) many rows with one statement per 1,000 rows: the rows travel as one
 * JSON array that `jsonb_to_recordset` turns into a row set, so the cost is one JSON.stringify, not a
 * bound parameter per value. Runs in the caller's transaction. jsonb, not json: a jsonb column then takes
 * its value as parsed with the array; from json each document was parsed a second time (a UiTdatabank
 * record's ~7 kB document: ~0.1 ms of Postgres CPU a row, decision 39).
 */
export async function upsertRows<Row extends object>(manager: EntityManager, table: BulkTable<Row>, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(table.columns) as Array<keyof Row & string>;
  const quoted = (name: string) => `"${name}"`;
  // A plain insert on node-postgres goes as one COPY (decision R20): no JSON array to parse first, and
  // Postgres buffers the heap inserts; PGlite (no COPY stream) keeps the statement below.
  const client = table.conflict.length === 0 ? await pgClientOf(manager) : undefined;
  if (client) {
    const types = names.map((name) => table.columns[name]);
    let text = '';
    for (const row of rows) {
      for (let index = 0; index < names.length; index++) text += (index === 0 ? '' : '\t') + copyField(row[names[index]], types[index]);
      text += '\n';
    }
    await pipeline(Readable.from([text]), client.query(copyStreams.from(`COPY "${table.name}" (${names.map(quoted).join(', ')}) FROM STDIN`)));
    return;
  }
  const list = names.map(quoted).join(', ');
  const definition = names.map((name) => `${quoted(name)} ${table.columns[name]}`).join(', ');
  const updates = table.update.map((name) => `${quoted(name)} = EXCLUDED.${quoted(name)}`).join(', ');
  const conflict = table.conflict.length > 0 ? ` ON CONFLICT (${table.conflict.map(quoted).join(', ')}) DO ${updates ? `UPDATE SET ${updates}` : 'NOTHING'}` : '';
  const sql = `INSERT INTO "${table.name}" (${list}) SELECT ${list} FROM jsonb_to_recordset($1::jsonb) AS "row"(${definition})${conflict}`;
  for (let offset = 0; offset < rows.length; offset += ROWS_PER_STATEMENT) {
    await manager.query(sql, [JSON.stringify(rows.slice(offset, offset + ROWS_PER_STATEMENT))]);
  }
}

/** The node-postgres connection of the manager's transaction, if it runs on one (not PGlite). */
async function pgClientOf(manager: EntityManager): Promise<pg.ClientBase | undefined> {
  const runner = manager.queryRunner as unknown as { connect?: () => Promise<unknown> } | undefined;
  const connection = runner?.connect ? await runner.connect() : undefined;
  return connection instanceof pg.Client ? connection : undefined;
}

/**
 * One value in COPY's text format, as jsonb_to_recordset would read it from the row's JSON: null is NULL;
 * a json/jsonb column gets the value's JSON text; a Date its ISO form (its JSON); anything else its string
 * (bulk-write.int-spec.ts compares the two on generated rows). An object for a text column gets its JSON text
 * here, where jsonb_to_recordset would print jsonb's own form: no bulk table has such a column.
 * Backslash, newline, carriage return and tab are escaped.
 */
export function copyField(value: unknown, type: string): string {
  if (value === null || value === undefined) return '\\N';
  const text =
    type === 'jsonb' || type === 'json'
      ? JSON.stringify(value)
      : value instanceof Date
        ? value.toISOString()
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  // Most values have nothing to escape: a test (no allocation) before the replace.
  return COPY_SPECIAL_TEST.test(text) ? text.replace(COPY_SPECIAL, (character) => COPY_ESCAPES[character]) : text;
}
const COPY_SPECIAL_TEST = /[\\\n\r\t]/;
const COPY_SPECIAL = /[\\\n\r\t]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Stored jsonb documents by id, in canonical JSON (jsonb reorders keys: never compare JSON.stringify of them). */
export async function storedDocuments(manager: EntityManager, table: 'place' | 'organizer', ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows: Array<{ id: string; document: unknown }> = await manager.query(`SELECT id, document FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]);
  return new Map(rows.map((row) => [row.id, canonicalJson(typeof row.document === 'string' ? JSON.parse(row.document) : row.document)]));
}

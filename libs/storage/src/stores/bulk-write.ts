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
 * JSON array that `json_to_recordset` turns into a row set, so the cost is one JSON.stringify, not a
 * bound parameter per value. Runs in the caller's transaction.
 */
export async function upsertRows<Row extends object>(manager: EntityManager, table: BulkTable<Row>, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  const names = Object.keys(table.columns) as Array<keyof Row & string>;
  const quoted = (name: string) => `"${name}"`;
  const list = names.map(quoted).join(', ');
  const definition = names.map((name) => `${quoted(name)} ${table.columns[name]}`).join(', ');
  const updates = table.update.map((name) => `${quoted(name)} = EXCLUDED.${quoted(name)}`).join(', ');
  const conflict = table.conflict.length > 0 ? ` ON CONFLICT (${table.conflict.map(quoted).join(', ')}) DO ${updates ? `UPDATE SET ${updates}` : 'NOTHING'}` : '';
  const sql = `INSERT INTO "${table.name}" (${list}) SELECT ${list} FROM json_to_recordset($1::json) AS "row"(${definition})${conflict}`;
  for (let offset = 0; offset < rows.length; offset += ROWS_PER_STATEMENT) {
    await manager.query(sql, [JSON.stringify(rows.slice(offset, offset + ROWS_PER_STATEMENT))]);
  }
}

/** Stored jsonb documents by id, in canonical JSON (jsonb reorders keys: never compare JSON.stringify of them). */
export async function storedDocuments(manager: EntityManager, table: 'place' | 'organizer', ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows: Array<{ id: string; document: unknown }> = await manager.query(`SELECT id, document FROM ${table} WHERE id = ANY($1::uuid[])`, [ids]);
  return new Map(rows.map((row) => [row.id, canonicalJson(typeof row.document === 'string' ? JSON.parse(row.document) : row.document)]));
}

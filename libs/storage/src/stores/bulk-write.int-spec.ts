import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import type { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { openDataSource } from '../data-source.js';
import { upsertRows, type BulkTable } from './bulk-write.js';

interface Row {
  id: string;
  label: string | null;
  amount: number | null;
  flag: boolean | null;
  at: Date | null;
  document: unknown;
}

const COLUMNS = { id: 'uuid', label: 'text', amount: 'integer', flag: 'boolean', at: 'timestamptz', document: 'jsonb' } as const;
const TABLE: BulkTable<Row> = { name: 'bulk_copy_probe', columns: COLUMNS, conflict: [], update: [] };

// Text with what COPY's text format escapes (backslash, tab, newline, carriage return) and beyond ASCII.
const text = fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '\\', '\t', '\n', '\r', '"', ',', 'é', '€', '😀', 'N', '.'), maxLength: 12 });
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(text, tie('value'), { maxKeys: 3 })),
})).value;
const row: fc.Arbitrary<Row> = fc.record({
  id: fc.uuid(),
  label: fc.option(text),
  amount: fc.option(fc.integer({ min: -1_000_000, max: 1_000_000 })),
  flag: fc.option(fc.boolean()),
  at: fc.option(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true })),
  document: fc.oneof(json, fc.constant([])),
});

describe('bulk writes (integration, real Postgres)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await openDataSource({ url: database.url, dataDir: './data' });
    await dataSource.query(`CREATE TABLE bulk_copy_probe (batch uuid, id uuid, label text, amount integer, flag boolean, at timestamptz, document jsonb)`);
    await dataSource.query(`CREATE TABLE bulk_json_probe (LIKE bulk_copy_probe)`);
  }, 60_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it('a plain insert through COPY stores what jsonb_to_recordset of the rows (the upserts\' statement) stores', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 20 }), async (rows) => {
        const batch = randomUUID();
        await dataSource.transaction((manager) => upsertRows(manager, { ...TABLE, columns: { batch: 'uuid', ...COLUMNS } } as unknown as BulkTable<Row>, rows.map((r) => ({ batch, ...r }))));
        const definition = Object.entries(COLUMNS).map(([name, type]) => `"${name}" ${type}`).join(', ');
        await dataSource.query(
          `INSERT INTO bulk_json_probe (batch, id, label, amount, flag, at, document) SELECT $2::uuid, id, label, amount, flag, at, document FROM jsonb_to_recordset($1::jsonb) AS r(${definition})`,
          [JSON.stringify(rows), batch],
        );
        const read = (table: string) => dataSource.query(`SELECT id, label, amount, flag, at, document::text AS document FROM ${table} WHERE batch = $1 ORDER BY id, label, document::text`, [batch]);
        expect(await read('bulk_copy_probe')).toEqual(await read('bulk_json_probe'));
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});

/**
 * The storage floor of P1: the same documents P1 pushes, written with one COPY into a table with a jsonb
 * column, on a database of its own. No platform process runs: this is what Postgres on this machine
 * takes to store them, the bound P1 is compared with.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import { benchActivities } from './bench-data.js';

export interface StorageFloor {
  documents: number;
  seconds: number;
  perSecond: number;
  averageBytes: number;
}

/** COPY text format: backslash is the escape character (JSON.stringify never writes a raw tab or newline). */
const copyLine = (id: string, document: string): string => `${id}\t${document.replace(/\\/g, '\\\\')}\n`;

export async function storageFloor(postgresUrl: string, count: number, sourceId: string): Promise<StorageFloor> {
  const database = `bench_floor_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(postgresUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    await client.connect();
    await client.query('CREATE TABLE floor_document (id uuid PRIMARY KEY, document jsonb NOT NULL)');
    const documents = benchActivities(count, sourceId).map((activity) => JSON.stringify(activity));
    const averageBytes = documents.reduce((sum, document) => sum + Buffer.byteLength(document), 0) / documents.length;
    const started = performance.now();
    await client.query('BEGIN');
    await pipeline(
      Readable.from(documents.map((document) => copyLine(randomUUID(), document))),
      client.query(copyStreams.from('COPY floor_document (id, document) FROM STDIN')),
    );
    await client.query('COMMIT');
    const seconds = (performance.now() - started) / 1000;
    const [{ stored }] = (await client.query<{ stored: string }>('SELECT count(*) AS stored FROM floor_document')).rows;
    if (Number(stored) !== count) throw new Error(`storage floor: ${stored} of ${count} documents stored`);
    return { documents: count, seconds, perSecond: count / seconds, averageBytes };
  } finally {
    await client.end().catch(() => undefined);
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
}

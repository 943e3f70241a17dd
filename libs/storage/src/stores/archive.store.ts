import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { RawPayloadEntity, type PayloadKind } from '../entities/index.js';

/** The raw payload archive: written first, read by the worker, never updated. */
export class ArchiveStore {
  constructor(private readonly dataSource: DataSource) {}

  async archive(payload: { sourceId: string; kind: PayloadKind; contentType: string; body: Buffer; origin?: string; runId?: string }): Promise<string> {
    const id = randomUUID();
    // One plain statement: every push and every seat update passes here (typeorm's insert builder cost
    // more CPU than the rest of an availability PUT's storage work).
    await this.dataSource.query(
      'INSERT INTO raw_payload (id, source_id, kind, content_type, body, size_bytes, origin, run_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
      [id, payload.sourceId, payload.kind, payload.contentType, payload.body, payload.body.length, payload.origin ?? null, payload.runId ?? null],
    );
    return id;
  }

  async find(id: string): Promise<RawPayloadEntity | null> {
    const row = await this.dataSource.getRepository(RawPayloadEntity).findOneBy({ id });
    // pg returns bytea as a Buffer, PGlite as a plain Uint8Array: callers always get a Buffer.
    if (row) row.body = Buffer.from(row.body);
    return row;
  }
}

import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { RawPayloadEntity, type PayloadKind } from '../entities/index.js';

/** The raw payload archive: written first, read by the worker, never updated. */
export class ArchiveStore {
  constructor(private readonly dataSource: DataSource) {}

  async archive(payload: { sourceId: string; kind: PayloadKind; contentType: string; body: Buffer; origin?: string; runId?: string }): Promise<string> {
    const id = randomUUID();
    await this.dataSource.getRepository(RawPayloadEntity).insert({
      id,
      ...payload,
      origin: payload.origin ?? null,
      runId: payload.runId ?? null,
      sizeBytes: payload.body.length,
    });
    return id;
  }

  async find(id: string): Promise<RawPayloadEntity | null> {
    const row = await this.dataSource.getRepository(RawPayloadEntity).findOneBy({ id });
    // pg returns bytea as a Buffer, PGlite as a plain Uint8Array: callers always get a Buffer.
    if (row) row.body = Buffer.from(row.body);
    return row;
  }
}

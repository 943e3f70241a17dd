import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { RawPayloadEntity, type PayloadKind } from '../entities/index.js';

/** The raw payload archive: written first, read by the worker, never updated. */
export class ArchiveStore {
  constructor(private readonly dataSource: DataSource) {}

  async archive(payload: { sourceId: string; kind: PayloadKind; contentType: string; body: Buffer }): Promise<string> {
    const id = randomUUID();
    await this.dataSource.getRepository(RawPayloadEntity).insert({
      id,
      ...payload,
      sizeBytes: payload.body.length,
    });
    return id;
  }

  find(id: string): Promise<RawPayloadEntity | null> {
    return this.dataSource.getRepository(RawPayloadEntity).findOneBy({ id });
  }
}

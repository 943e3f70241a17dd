import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { IsNull } from 'typeorm';
import { ApiClientEntity, SourceEntity, type SourceKind } from '../entities/index.js';

export interface IssuedKey {
  keyId: string;
  /** The secret: returned once, never stored. */
  key: string;
}

export interface Caller {
  keyId: string;
  source: SourceEntity;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Sources and their vendor keys. */
export class SourceStore {
  constructor(private readonly dataSource: DataSource) {}

  async create(source: { id: string; name: string; kind: SourceKind }): Promise<SourceEntity | null> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(SourceEntity)
      .values(source)
      .orIgnore()
      .returning('*')
      .execute();
    return result.raw.length > 0 ? this.find(source.id) : null;
  }

  find(id: string): Promise<SourceEntity | null> {
    return this.dataSource.getRepository(SourceEntity).findOneBy({ id });
  }

  list(): Promise<SourceEntity[]> {
    return this.dataSource.getRepository(SourceEntity).find({ order: { createdAt: 'ASC' } });
  }

  /** A new random key, or the given one (the demo source's configured key). */
  async issueKey(sourceId: string, givenKey?: string): Promise<IssuedKey> {
    const key = givenKey ?? `cdp_${randomBytes(32).toString('base64url')}`;
    const keyId = randomUUID();
    await this.dataSource.getRepository(ApiClientEntity).insert({
      id: keyId,
      kind: 'vendor',
      sourceId,
      consumerId: null,
      keyHash: hashKey(key),
      keyPrefix: key.slice(0, 8),
      revokedAt: null,
    });
    return { keyId, key };
  }

  async hasKey(key: string): Promise<boolean> {
    return (await this.dataSource.getRepository(ApiClientEntity).countBy({ keyHash: hashKey(key) })) > 0;
  }

  listKeys(sourceId: string): Promise<ApiClientEntity[]> {
    return this.dataSource.getRepository(ApiClientEntity).find({ where: { sourceId }, order: { createdAt: 'ASC' } });
  }

  /** True when a live key was revoked. */
  async revokeKey(sourceId: string, keyId: string): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(ApiClientEntity)
      .update({ id: keyId, sourceId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return (result.affected ?? 0) > 0;
  }

  /** On every vendor request: one indexed query. */
  async authenticate(key: string): Promise<Caller | null> {
    const rows: Array<{ key_id: string; id: string; name: string; kind: SourceKind; created_at: Date }> = await this.dataSource.query(
      `SELECT api_client.id AS key_id, source.id, source.name, source.kind, source.created_at
         FROM api_client JOIN source ON source.id = api_client.source_id
        WHERE api_client.key_hash = $1 AND api_client.kind = 'vendor' AND api_client.revoked_at IS NULL`,
      [hashKey(key)],
    );
    if (rows.length === 0) return null;
    const [row] = rows;
    return { keyId: row.key_id, source: Object.assign(new SourceEntity(), { id: row.id, name: row.name, kind: row.kind, createdAt: row.created_at }) };
  }
}

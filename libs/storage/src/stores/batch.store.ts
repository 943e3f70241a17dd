import { randomUUID } from 'node:crypto';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { IngestBatchEntity, ValidationReportEntity, type ItemStatus } from '../entities/index.js';
import { upsertRows, type BulkTable } from './bulk-write.js';

export interface ItemReport {
  position: number;
  externalId: string | null;
  status: ItemStatus;
  activityId: string | null;
  results: object[];
}

interface ReportRow {
  batch_id: string;
  position: number;
  source_id: string;
  external_id: string | null;
  status: ItemStatus;
  activity_id: string | null;
  results: object[];
}

// created_at takes its default (now(), the transaction's time) as the ORM's insert did.
const REPORT_TABLE: BulkTable<ReportRow> = {
  name: 'validation_report',
  columns: { batch_id: 'uuid', position: 'integer', source_id: 'text', external_id: 'text', status: 'text', activity_id: 'uuid', results: 'jsonb' },
  conflict: [],
  update: [],
};

export interface BatchView {
  batch: IngestBatchEntity;
  items: ItemReport[];
}

/** Batches and the per-item report a vendor reads back. */
export class BatchStore {
  constructor(private readonly dataSource: DataSource) {}

  async create(sourceId: string, payloadId: string): Promise<string> {
    const id = randomUUID();
    await this.dataSource.getRepository(IngestBatchEntity).insert({ id, sourceId, payloadId, status: 'queued', error: null, finishedAt: null });
    return id;
  }

  find(id: string): Promise<IngestBatchEntity | null> {
    return this.dataSource.getRepository(IngestBatchEntity).findOneBy({ id });
  }

  /** Batches that were accepted (202) but never finished: to be queued again after a Redis loss. */
  /** Batches not done yet, each with the kind of its archived payload (activities or participation). */
  async unfinished(): Promise<Array<IngestBatchEntity & { kind: string }>> {
    const batches = await this.dataSource.getRepository(IngestBatchEntity).find({ where: { status: In(['queued', 'processing']) }, order: { createdAt: 'ASC' } });
    if (batches.length === 0) return [];
    const kinds: Array<{ id: string; kind: string }> = await this.dataSource.query('SELECT id, kind FROM raw_payload WHERE id = ANY($1::uuid[])', [batches.map((batch) => batch.payloadId)]);
    const kindOf = new Map(kinds.map((row) => [row.id, row.kind]));
    return batches.map((batch) => Object.assign(batch, { kind: kindOf.get(batch.payloadId) ?? 'push' }));
  }

  async markProcessing(id: string): Promise<void> {
    await this.dataSource.getRepository(IngestBatchEntity).update({ id }, { status: 'processing' });
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.dataSource.getRepository(IngestBatchEntity).update({ id }, { status: 'failed', error, finishedAt: new Date() });
  }

  /** Written in the same transaction as the items themselves: a batch is never half-reported. */
  async finish(manager: EntityManager, batch: { id: string; sourceId: string }, items: ItemReport[], keep?: (item: ItemReport) => boolean): Promise<void> {
    const count = (status: ItemStatus) => items.filter((item) => item.status === status).length;
    // Re-running a batch (a retried job) replaces its report instead of failing on the primary key.
    await manager.query('DELETE FROM validation_report WHERE batch_id = $1', [batch.id]);
    await upsertRows(
      manager,
      REPORT_TABLE,
      (keep ? items.filter(keep) : items).map((item) => ({
        batch_id: batch.id,
        position: item.position,
        source_id: batch.sourceId,
        external_id: item.externalId,
        status: item.status,
        activity_id: item.activityId,
        results: item.results,
      })),
    );
    await manager.getRepository(IngestBatchEntity).update(
      { id: batch.id },
      {
        status: 'done',
        itemCount: items.length,
        accepted: count('accepted'),
        rejected: count('rejected'),
        unchanged: count('unchanged'),
        finishedAt: new Date(),
      },
    );
  }

  async view(id: string): Promise<BatchView | null> {
    const batch = await this.find(id);
    if (!batch) return null;
    const rows = await this.dataSource
      .getRepository(ValidationReportEntity)
      .find({ where: { batchId: id }, order: { position: 'ASC' } });
    return {
      batch,
      items: rows.map(({ position, externalId, status, activityId, results }) => ({ position, externalId, status, activityId, results })),
    };
  }
}

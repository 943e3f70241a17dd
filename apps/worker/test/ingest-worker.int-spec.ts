import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { entityId } from '@platform/domain';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { INGEST_QUEUE } from '@platform/queue';
import { DataSource } from 'typeorm';
import { ActivityEntity, ActivityQueryStore, ArchiveStore, BatchStore, ChangeLogStore } from '@platform/storage';
import { anActivity } from '../../../test/support/factories.js';
import { startTestApp, type TestApp } from '../../../test/support/test-app.js';
import { TEST_REDIS_URL } from '../../../test/support/test-database.js';
import { http } from '../../api/test/http.js';
import { WorkerProcessModule } from '../src/worker-process.module.js';

describe('ingest worker process (integration: BullMQ on Redis, Postgres)', () => {
  let api: TestApp;
  let worker: INestApplicationContext;
  let key: string;

  beforeAll(async () => {
    // An api without processors, and a separate worker application context, as in production.
    api = await startTestApp({ worker: false });
    worker = await NestFactory.createApplicationContext(
      WorkerProcessModule.create({ DATABASE_URL: api.database.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: api.redisPrefix, WORKER_CONCURRENCY: '2' }),
      { logger: ['error'] },
    );
    await worker.init();
    key = await api.createSource('worker-house');
  });

  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  it('processes a pushed batch from the queue: stored, reported, change-logged', async () => {
    const items = [anActivity(), anActivity(), { externalId: 'broken' }];
    const pushed = await http(api.baseUrl, 'POST', '/v1/sources/worker-house/activities?wait=true', { token: key, body: items });
    expect(pushed.status).toBe(200);
    expect(pushed.body.summary).toEqual({ items: 3, accepted: 2, rejected: 1, unchanged: 0 });
    const stored = { items: await api.app.get(DataSource).getRepository(ActivityEntity).findBy({ sourceId: 'worker-house' }) };
    expect(stored.items.map((row) => row.externalId).sort()).toEqual([items[0].externalId, items[1].externalId].sort());
    const changes = await api.app.get(ChangeLogStore).read('0', 100);
    expect(changes.filter((change) => change.entityType === 'activity' && change.operation === 'upsert').map((change) => change.entityId).sort()).toEqual(
      stored.items.map((row) => row.id).sort(),
    );
    const queue = worker.get<Queue>(getQueueToken(INGEST_QUEUE));
    const completed = await queue.getCompleted();
    expect(completed.map((job) => job.data.batchId)).toContain(pushed.body.batchId);
    expect(completed.find((job) => job.data.batchId === pushed.body.batchId)?.returnvalue).toEqual({ accepted: 2, rejected: 1, unchanged: 0, deleted: 0 });
  });

  it('is idempotent when the same batch job runs twice (a retry after a crash)', async () => {
    const item = anActivity();
    const pushed = await http(api.baseUrl, 'POST', '/v1/sources/worker-house/activities?wait=true', { token: key, body: [item] });
    const batch = (await api.app.get(BatchStore).find(pushed.body.batchId))!;
    const changesBefore = await api.app.get(ChangeLogStore).read('0', 1000);
    const { IngestService } = await import('@platform/pipeline');
    const again = await worker.get(IngestService, { strict: false }).processBatch({ batchId: batch.id, sourceId: batch.sourceId, payloadId: batch.payloadId });
    expect(again).toEqual({ accepted: 1, rejected: 0, unchanged: 0, deleted: 0 });
    const view = await http(api.baseUrl, 'GET', `/v1/batches/${batch.id}`, { token: key });
    expect(view.body.items).toEqual([expect.objectContaining({ status: 'accepted', externalId: item.externalId })]);
    expect(await api.app.get(ChangeLogStore).read('0', 1000)).toHaveLength(changesBefore.length);
  });

  it('leaves nothing half-written when a run dies inside its transaction, and the retry then stores the batch', async () => {
    const item = anActivity();
    const { IngestService } = await import('@platform/pipeline');
    const workerBatches = worker.get(BatchStore);
    const archive = api.app.get(ArchiveStore);
    const payloadId = await archive.archive({ sourceId: 'worker-house', kind: 'activities', contentType: 'application/json', body: Buffer.from(JSON.stringify([item])) });
    const batchId = await api.app.get(BatchStore).create('worker-house', payloadId);
    // The first run fails after the activity rows were written, before the commit.
    const finish = jest.spyOn(workerBatches, 'finish').mockRejectedValueOnce(new Error('crash before commit'));
    const ingest = worker.get(IngestService, { strict: false });
    await expect(ingest.processBatch({ batchId, sourceId: 'worker-house', payloadId })).rejects.toThrow('crash before commit');
    expect(await api.app.get(ActivityQueryStore).findActivity(entityId('activiteit', 'worker-house', item.externalId))).toBeNull();
    const retry = await ingest.processBatch({ batchId, sourceId: 'worker-house', payloadId });
    finish.mockRestore();
    expect(retry).toEqual({ accepted: 1, rejected: 0, unchanged: 0, deleted: 0 });
    expect(await api.app.get(ActivityQueryStore).findActivity(entityId('activiteit', 'worker-house', item.externalId))).not.toBeNull();
  });

  it('queues batches again at start that were accepted but never finished (Redis lost the job)', async () => {
    const item = anActivity();
    const payloadId = await api.app.get(ArchiveStore).archive({ sourceId: 'worker-house', kind: 'activities', contentType: 'application/json', body: Buffer.from(JSON.stringify([item])) });
    const batchId = await api.app.get(BatchStore).create('worker-house', payloadId);
    const restarted = await NestFactory.createApplicationContext(
      WorkerProcessModule.create({ DATABASE_URL: api.database.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: api.redisPrefix }),
      { logger: ['error'] },
    );
    try {
      await restarted.init();
      let status = 'queued';
      for (let attempt = 0; attempt < 100 && status !== 'done'; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        status = (await api.app.get(BatchStore).find(batchId))!.status;
      }
      expect(status).toBe('done');
    } finally {
      await restarted.close();
    }
  });
});

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { IngestService } from '@platform/pipeline';
import type { IngestJobResult } from '@platform/queue';
import { ArchiveStore, BatchStore, SourceStore } from '@platform/storage';

export const DEMO_SOURCE_ID = 'demo';

export interface DemoSeedResult {
  batchId: string;
  result: IngestJobResult;
}

/**
 * Creates the demo source with its vendor key and loads demo/activities.json through the same
 * pipeline a push takes (archive, batch, SHACL, store, change log). Re-running is a no-op.
 */
export async function seedDemo(app: INestApplicationContext, demoKey: string | undefined, file = path.resolve('demo/activities.json')): Promise<DemoSeedResult> {
  const sources = app.get(SourceStore);
  await sources.create({ id: DEMO_SOURCE_ID, name: 'Demo: Vlaamse cultuurhuizen', kind: 'push' });
  // Without a key (the demo:participation script) the source's keys stay as they are.
  if (demoKey && !(await sources.hasKey(demoKey))) await sources.issueKey(DEMO_SOURCE_ID, demoKey);
  const body = await readFile(file);
  const payloadId = await app.get(ArchiveStore).archive({ sourceId: DEMO_SOURCE_ID, kind: 'activities', contentType: 'application/json', body });
  const batchId = await app.get(BatchStore).create(DEMO_SOURCE_ID, payloadId);
  const result = await app.get(IngestService).processBatch({ batchId, sourceId: DEMO_SOURCE_ID, payloadId });
  return { batchId, result };
}

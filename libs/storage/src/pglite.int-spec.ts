import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { checkActivityWrites } from '../../../test/support/activity-write-scenario.js';
import { openDataSource } from './data-source.js';
import { SourceEntity } from './entities/index.js';
import { ArchiveStore } from './stores/archive.store.js';

// The embedded default (npm start without DATABASE_URL): same migrations, and bytea read back the way PGlite returns it.
describe('embedded PGlite', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'pglite-'));
  let dataSource: DataSource | undefined;

  afterAll(async () => {
    await dataSource?.destroy();
    rmSync(directory, { recursive: true, force: true });
  });

  it('runs the migrations and keeps archived bytes exactly', async () => {
    dataSource = await openDataSource({ dataDir: directory });
    await dataSource.getRepository(SourceEntity).insert({ id: 'embedded', name: 'Embedded', kind: 'push' });
    const archive = new ArchiveStore(dataSource);
    const bytes = Buffer.from('[{"externalId":"é"}]\u0000', 'utf8');
    const id = await archive.archive({ sourceId: 'embedded', kind: 'activities', contentType: 'application/json', body: bytes });
    const stored = await archive.find(id);
    expect(Buffer.isBuffer(stored!.body)).toBe(true);
    expect(stored!.body.toString('utf8')).toBe(bytes.toString('utf8'));
    expect(Buffer.compare(stored!.body, bytes)).toBe(0);
  }, 60_000);

  it('stores activities, performances and reports through the bulk write path', async () => {
    await checkActivityWrites(dataSource!, 'embedded-bulk');
  }, 60_000);
});

/** SHACL cost per activity in isolation (the dominant cost of ingest): `node dist/bench/validation-speed.js`. */
import { activityToQuads } from '@platform/linked-data';
import { ShaclValidator, defaultShapeFiles } from '@platform/validation';
import { benchActivities } from './bench-data.js';

export async function validationSpeed(count = 2000, batchSize = 100): Promise<number> {
  const graphs = benchActivities(count, 'speed').map((activity) =>
    activityToQuads(activity, { sourceId: 'speed', publicBaseUrl: 'http://bench.local', processedAt: '2026-11-22T10:00:00Z' }),
  );
  const validator = await ShaclValidator.fromFiles(defaultShapeFiles());
  for (let offset = 0; offset < 200; offset += batchSize) await validator.validateBatch(graphs.slice(offset, offset + batchSize));
  const started = performance.now();
  for (let offset = 0; offset < graphs.length; offset += batchSize) {
    const outcomes = await validator.validateBatch(graphs.slice(offset, offset + batchSize));
    if (outcomes.some((outcome) => !outcome.conforms)) throw new Error('bench data does not conform');
  }
  return (performance.now() - started) / graphs.length;
}

if (process.argv[1]?.endsWith('validation-speed.js')) {
  const perActivity = await validationSpeed();
  console.log(`SHACL validation: ${perActivity.toFixed(2)} ms per activity (3 performances, batches of 100, one core)`);
}

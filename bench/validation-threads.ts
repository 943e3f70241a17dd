/**
 * Both cores for validation: in the worker process's own thread (as the platform runs), in two piscina
 * worker threads fed N-Triples text (the graph is built and serialised on the main thread, parsed and
 * validated in a thread), and in two processes each validating half. The same 2,000 activities in
 * batches of 200; wall time and CPU time per activity. `node dist/bench/validation-threads.js`, or from
 * `npm run bench` (BENCH_VALIDATION_THREADS=0 skips it).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { activityToQuads, toNTriples } from '@platform/linked-data';
import { ShaclValidator, defaultShapeFiles, type ValidationOutcome } from '@platform/validation';
import { Piscina } from 'piscina';
import { benchActivities } from './bench-data.js';

const BATCH = 200;
const context = { sourceId: 'threads', publicBaseUrl: 'http://bench.local', processedAt: '2026-12-01T10:00:00Z' };

export interface Measured {
  activities: number;
  wallMs: number;
  /** CPU of the whole process (every thread), user + system. */
  cpuMs: number;
}

function batchesOf(count: number, offset = 0) {
  const activities = benchActivities(count + offset, 'threads').slice(offset);
  const batches = [];
  for (let start = 0; start < activities.length; start += BATCH) batches.push(activities.slice(start, start + BATCH));
  return batches;
}

function check(outcomes: ValidationOutcome[]): void {
  if (outcomes.some((outcome) => !outcome.conforms)) throw new Error('bench data does not conform');
}

async function measure(work: () => Promise<number>): Promise<Measured> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const activities = await work();
  const used = process.cpuUsage(cpu);
  return { activities, wallMs: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

/** Graph building and validation in this thread, batch after batch. */
export async function inThread(count: number, offset = 0): Promise<Measured> {
  const validator = await ShaclValidator.fromFiles(defaultShapeFiles());
  for (const batch of batchesOf(BATCH, 0)) check(await validator.validateBatch(batch.map((activity) => activityToQuads(activity, context))));
  return measure(async () => {
    for (const batch of batchesOf(count, offset)) check(await validator.validateBatch(batch.map((activity) => activityToQuads(activity, context))));
    return count;
  });
}

/** Graphs built and serialised here; parsed and validated in `threads` piscina threads, `threads` batches in flight. */
export async function inWorkerThreads(count: number, threads: number): Promise<Measured> {
  const pool = new Piscina({ filename: new URL('./validation-thread.worker.js', import.meta.url).href, minThreads: threads, maxThreads: threads });
  try {
    const warm = batchesOf(BATCH * threads);
    await Promise.all(warm.map(async (batch) => check(await pool.run({ items: batch.map((activity) => toNTriples(activityToQuads(activity, context))) }))));
    return await measure(async () => {
      const batches = batchesOf(count);
      let next = 0;
      await Promise.all(
        Array.from({ length: threads }, async () => {
          while (next < batches.length) {
            const batch = batches[next++];
            check(await pool.run({ items: batch.map((activity) => toNTriples(activityToQuads(activity, context))) }));
          }
        }),
      );
      return count;
    });
  } finally {
    await pool.destroy();
  }
}

/** `processes` processes each validating its share in its own thread, started together. */
async function inProcesses(count: number, processes: number): Promise<Measured> {
  const script = fileURLToPath(import.meta.url);
  const share = Math.ceil(count / processes);
  const results = await Promise.all(
    Array.from({ length: processes }, (_, index) =>
      new Promise<Measured>((resolve, reject) => {
        const child = spawn(process.execPath, [...process.execArgv, script, 'single', String(share), String(index * share)], { stdio: ['ignore', 'pipe', 'inherit'] });
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(output) as Measured) : reject(new Error(`validation process exited with ${code}`))));
      }),
    ),
  );
  // The processes start (and load the shapes) at different moments: the wall time is the slowest one's own.
  const wallMs = Math.max(...results.map((result) => result.wallMs));
  return { activities: share * processes, wallMs, cpuMs: results.reduce((sum, result) => sum + result.cpuMs, 0) };
}

export async function validationThreads(count = 2000): Promise<string[]> {
  const rows: Array<[string, Measured]> = [
    ['1 thread (as today)', await inThread(count)],
    ['2 piscina threads, N-Triples text', await inWorkerThreads(count, 2)],
    ['2 processes', await inProcesses(count, 2)],
  ];
  return rows.map(
    ([name, measured]) =>
      `${name}: ${((1000 * measured.activities) / measured.wallMs).toFixed(0)} activities/s, CPU ${(measured.cpuMs / measured.activities).toFixed(2)} ms per activity`,
  );
}

if (process.argv[1]?.endsWith('validation-threads.js')) {
  if (process.argv[2] === 'single') {
    process.stdout.write(JSON.stringify(await inThread(Number(process.argv[3]), Number(process.argv[4]))));
  } else {
    console.log(`Validation on both cores (${2000} activities x 3 performances, batches of ${BATCH}):\n  ${(await validationThreads()).join('\n  ')}`);
  }
}

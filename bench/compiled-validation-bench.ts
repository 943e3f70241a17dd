/**
 * P6: compiled SHACL validation vs shacl-engine on the same 2,000 activities (3 performances, 2 prices,
 * place, organizer: ~150 quads each), batches of 100 as the pipeline sends them, one core, in process.
 * Both engines go through ShaclValidator.validateBatch (RDF quads in, per-item outcomes out), so the
 * figure includes the compiled side's batch index. Runs alone with `npm run bench:p6`; in `npm run
 * bench` unless BENCH_P6=0. BENCH_P6_ACTIVITIES / BENCH_P6_ROUNDS tune it.
 */
import { isDeepStrictEqual } from 'node:util';
import { activityToQuads } from '@platform/linked-data';
import { ShaclValidator, defaultShapeFiles } from '@platform/validation';
import type { ShaclEngineKind, ValidationOutcome } from '@platform/validation';
import type { Quad } from '@rdfjs/types';
import { benchActivities } from './bench-data.js';

const BATCH_SIZE = 100;

export interface P6Figures {
  activities: number;
  /** Median over the rounds, wall clock and CPU time of this process, ms per activity. */
  engine: { wallMs: number; cpuMs: number };
  compiled: { wallMs: number; cpuMs: number };
  ratioWall: number;
  ratioCpu: number;
}

async function validateAll(validator: ShaclValidator, graphs: Quad[][]): Promise<ValidationOutcome[]> {
  const outcomes: ValidationOutcome[] = [];
  for (let offset = 0; offset < graphs.length; offset += BATCH_SIZE) outcomes.push(...(await validator.validateBatch(graphs.slice(offset, offset + BATCH_SIZE))));
  return outcomes;
}

async function timeOnce(validator: ShaclValidator, graphs: Quad[][]): Promise<{ wallMs: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const outcomes = await validateAll(validator, graphs);
  const wall = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (outcomes.some((outcome) => !outcome.conforms)) throw new Error(`P6: bench data does not conform (${validator.engineKind})`);
  return { wallMs: wall / graphs.length, cpuMs: (used.user + used.system) / 1000 / graphs.length };
}

const median = (values: number[]): number => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)];

export async function compiledValidationBench(count = Number(process.env.BENCH_P6_ACTIVITIES ?? 2000), rounds = Number(process.env.BENCH_P6_ROUNDS ?? 3)): Promise<P6Figures> {
  const graphs = benchActivities(count, 'p6').map((activity) =>
    activityToQuads(activity, { sourceId: 'p6', publicBaseUrl: 'http://bench.local', processedAt: '2026-11-22T10:00:00Z' }),
  );
  const validators = Object.fromEntries(
    await Promise.all((['shacl-engine', 'compiled'] as ShaclEngineKind[]).map(async (engine) => [engine, await ShaclValidator.fromFiles(defaultShapeFiles(), { engine })] as const)),
  ) as Record<ShaclEngineKind, ShaclValidator>;
  // The same answers first (also on a batch with failures), then warm-up: JIT before measuring.
  const broken = graphs.slice(0, BATCH_SIZE).map((quads, index) => (index % 7 === 0 ? quads.filter((quad) => !quad.predicate.value.endsWith('title')) : quads));
  const [expected, actual] = await Promise.all([validators['shacl-engine'].validateBatch(broken), validators.compiled.validateBatch(broken)]);
  if (!isDeepStrictEqual(expected, actual)) throw new Error('P6: the compiled validator and shacl-engine disagree on the check batch');
  for (const validator of Object.values(validators)) await validateAll(validator, graphs.slice(0, 400));
  const samples: Record<ShaclEngineKind, { wallMs: number; cpuMs: number }[]> = { 'shacl-engine': [], compiled: [] };
  for (let round = 0; round < rounds; round++) {
    // alternate the order, so a burst of load from elsewhere does not always hit the same engine
    const order: ShaclEngineKind[] = round % 2 === 0 ? ['shacl-engine', 'compiled'] : ['compiled', 'shacl-engine'];
    for (const engine of order) samples[engine].push(await timeOnce(validators[engine], graphs));
  }
  const summary = (engine: ShaclEngineKind) => ({ wallMs: median(samples[engine].map((sample) => sample.wallMs)), cpuMs: median(samples[engine].map((sample) => sample.cpuMs)) });
  const engine = summary('shacl-engine');
  const compiled = summary('compiled');
  return { activities: count, engine, compiled, ratioWall: engine.wallMs / compiled.wallMs, ratioCpu: engine.cpuMs / compiled.cpuMs };
}

export function formatP6(figures: P6Figures): string {
  const ms = (value: number) => value.toFixed(3);
  return (
    `P6 SHACL validation, ${figures.activities} activities (~150 quads, batches of ${BATCH_SIZE}, one core): ` +
    `shacl-engine ${ms(figures.engine.wallMs)} ms/activity (CPU ${ms(figures.engine.cpuMs)}), ` +
    `compiled ${ms(figures.compiled.wallMs)} ms/activity (CPU ${ms(figures.compiled.cpuMs)}): ` +
    `${figures.ratioWall.toFixed(1)}x faster (CPU ${figures.ratioCpu.toFixed(1)}x)`
  );
}

if (process.argv[1]?.endsWith('compiled-validation-bench.js')) {
  console.log(formatP6(await compiledValidationBench()));
}

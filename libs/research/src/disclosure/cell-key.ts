/**
 * The cell key method (ABS TableBuilder, ONS): each record carries a fixed random key; a cell's key is
 * the sum of its records' keys modulo 1; a fixed perturbation table turns (value, cell key) into the
 * published value. The same cell always gets the same noise, so asking twice, or asking overlapping
 * questions, cannot average or difference the noise away.
 *
 * Keys are stored as 32-bit integers (key = integer / 2^32) so that sums are exact in SQL and in
 * JavaScript: the cell key never depends on the order of summation.
 */

export const RECORD_KEY_RANGE = 2 ** 32;

/** A record key in [0,1) to its stored integer form. */
export function recordKeyInteger(key: number): number {
  return Math.floor(key * RECORD_KEY_RANGE);
}

/** The cell key in [0,1) of a cell whose records' integer keys sum to `keySum` (a bigint or exact numeric string). */
export function cellKeyOf(keySum: bigint | number | string): number {
  const sum = typeof keySum === 'bigint' ? keySum : BigInt(typeof keySum === 'number' ? Math.round(keySum) : keySum.split('.')[0]);
  return Number(sum % BigInt(RECORD_KEY_RANGE)) / RECORD_KEY_RANGE;
}

export interface PerturbationTable {
  /** Largest absolute noise. */
  maxNoise: number;
  /** For each row value (1..maxNoise, then one row for all larger values): noise -> cumulative upper bound of the key. */
  rows: Array<Array<{ noise: number; upTo: number }>>;
}

/**
 * A perturbation table with zero-mean noise in [-D, D]: for values > D the base distribution; for small
 * values the distribution truncated symmetrically to [-value, value] and renormalised, so a published
 * count is never negative and the noise stays unbiased.
 */
export function perturbationTable(maxNoise = 2, base: readonly number[] = [0.05, 0.2, 0.5, 0.2, 0.05]): PerturbationTable {
  if (base.length !== 2 * maxNoise + 1) throw new Error('the base distribution needs 2D+1 probabilities');
  const row = (limit: number) => {
    const noises = base.map((probability, index) => ({ noise: index - maxNoise, probability })).filter(({ noise }) => Math.abs(noise) <= limit);
    const total = noises.reduce((sum, entry) => sum + entry.probability, 0);
    let cumulative = 0;
    return noises.map(({ noise, probability }) => ({ noise, upTo: (cumulative += probability / total) }));
  };
  return { maxNoise, rows: Array.from({ length: maxNoise + 1 }, (_, index) => row(index + 1 > maxNoise ? maxNoise : index + 1)) };
}

export const DEFAULT_PERTURBATION = perturbationTable();

/** The published value of a count cell. Zero stays zero (an empty cell is no person). */
export function perturbCount(value: number, cellKey: number, table: PerturbationTable = DEFAULT_PERTURBATION): number {
  if (value <= 0) return 0;
  const row = table.rows[Math.min(value, table.maxNoise + 1) - 1];
  const entry = row.find(({ upTo }) => cellKey < upTo) ?? row[row.length - 1];
  return value + entry.noise;
}

/**
 * Magnitudes (revenue): a multiplicative noise of up to ±`spread` chosen by the cell key, the same for
 * the same cell, rounded to whole euros (cents would pretend a precision the noise removed).
 */
export function perturbMagnitude(valueCents: number, cellKey: number, spread = 0.05): number {
  if (valueCents === 0) return 0;
  const factor = 1 + spread * (2 * cellKey - 1);
  return Math.round((valueCents * factor) / 100) * 100;
}

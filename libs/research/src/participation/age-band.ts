/**
 * Published age bands. Each is a union of Statbel's 5-year bands, so penetration can divide by the
 * population of exactly the same ages. Birth years are kept; only bands are ever published.
 */
export const AGE_BANDS = ['0-14', '15-24', '25-34', '35-44', '45-54', '55-64', '65-74', '75+'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

const LOWER_BOUNDS = [0, 15, 25, 35, 45, 55, 65, 75];

export function ageBandOfAge(age: number): AgeBand | null {
  if (!Number.isFinite(age) || age < 0 || age > 120) return null;
  let index = 0;
  while (index + 1 < LOWER_BOUNDS.length && age >= LOWER_BOUNDS[index + 1]) index += 1;
  return AGE_BANDS[index];
}

/** Age in the year of the participation (birth year known, birthday not: the usual convention of Statbel's year ages). */
export function ageBandOf(birthYear: number | null | undefined, at: Date): AgeBand | null {
  if (birthYear === null || birthYear === undefined) return null;
  return ageBandOfAge(at.getUTCFullYear() - birthYear);
}

/** Statbel's "00-04" ... "95+" to ours. */
export function ageBandOfStatbelBand(band: string): AgeBand {
  const lower = Number(band.slice(0, 2));
  return ageBandOfAge(lower)!;
}

/**
 * Ticketmatic writes timestamps as "YYYY-MM-DD hh:mm:ss[.ffffff]" in UTC (sometimes with a "T", and
 * with a varying number of fraction digits). The connector compares them as canonical strings
 * "YYYY-MM-DD hh:mm:ss.ffffff", which sort like the instants they name and keep the microseconds that
 * a JavaScript Date would drop.
 */
const NAIVE = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?$/;

export function canonicalTimestamp(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.trim() === '') return null;
  const text = raw.trim();
  const naive = NAIVE.exec(text);
  if (naive) {
    const [, date, time, fraction = ''] = naive;
    return Number.isNaN(Date.parse(`${date}T${time}Z`)) ? null : `${date} ${time}.${fraction.padEnd(6, '0')}`;
  }
  // RFC 3339 with an offset (the Go library accepts it too): normalised to UTC.
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed) || !/[zZ]|[+-]\d{2}:?\d{2}$/.test(text)) return null;
  return timestampFromDate(new Date(parsed));
}

export function timestampFromDate(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${iso.slice(20, 23)}000`;
}

/** ISO 8601 with offset (UTC), as the canonical model wants it; milliseconds only when not zero. */
export function isoFromTimestamp(canonical: string): string {
  const milliseconds = canonical.slice(20, 23);
  return `${canonical.slice(0, 10)}T${canonical.slice(11, 19)}${milliseconds === '000' ? '' : `.${milliseconds}`}Z`;
}

/** The `lastupdatesince` parameter: "YYYY-MM-DD hh:mm:ss" as documented (seconds, rounded down). */
export function lastUpdateSinceParameter(canonical: string): string {
  return canonical.slice(0, 19);
}

export function minusSeconds(canonical: string, seconds: number): string {
  const date = new Date(`${canonical.slice(0, 10)}T${canonical.slice(11, 23)}Z`);
  return timestampFromDate(new Date(date.getTime() - seconds * 1000));
}

export function earliest(first: string, second: string): string {
  return first <= second ? first : second;
}

export function latest(first: string | null, second: string | null): string | null {
  if (first === null) return second;
  if (second === null) return first;
  return first >= second ? first : second;
}

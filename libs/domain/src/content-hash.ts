import { hash } from 'node:crypto';

/**
 * JSON with object keys sorted, so that key order in a vendor's payload does not change the hash. Every
 * stored content hash depends on these exact bytes: keys in UTF-16 code unit order, properties whose value
 * is `undefined` left out, an `undefined` array element written as nothing (`[1,]`), like the
 * `Object.entries` + `join` form this replaced (one string built in place: it ran on every item, about
 * 6 % of a worker's CPU with the arrays and closures of that form).
 */
const QUOTED_KEYS = new Map<string, string>();

export function canonicalJson(value: unknown): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let index = 0; index < value.length; index++) {
      if (index > 0) out += ',';
      const part = canonicalJson(value[index]) as string | undefined;
      if (part !== undefined) out += part;
    }
    return out + ']';
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const entry = record[key];
    if (entry === undefined) continue;
    if (out.length > 1) out += ',';
    let quoted = QUOTED_KEYS.get(key);
    if (quoted === undefined) {
      quoted = JSON.stringify(key) + ':';
      if (QUOTED_KEYS.size < 10_000) QUOTED_KEYS.set(key, quoted);
    }
    out += quoted + canonicalJson(entry);
  }
  return out + '}';
}

export function contentHash(value: unknown): string {
  // One-shot `hash`: the same digest as a createHash object, without building one per item.
  return hash('sha256', canonicalJson(value), 'base64url');
}

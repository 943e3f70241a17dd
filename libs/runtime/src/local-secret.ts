import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A secret the operator did not configure, generated once and kept in DATA_DIR (mode 600) so that it
 * stays the same across restarts of a local installation.
 */
export function localSecret(dataDir: string, name: string, prefix: string): string {
  const file = path.resolve(dataDir, name);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing) return existing;
  } catch {
    // not generated yet
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = `${prefix}${randomBytes(32).toString('base64url')}`;
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

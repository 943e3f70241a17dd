import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';

/**
 * The saved state of the ldes-client, as JSON: per LevelDB sublevel the [key, value] pairs. The client
 * keeps its state in a LevelDB directory (`statePath`); we never leave that directory on a worker's disk
 * (workers are stateless): each step restores it into a fresh directory and reads it back afterwards.
 */
export type LdesClientState = Record<string, Array<[string, unknown]>>;

/**
 * The sublevels ldes-client 0.3 builds (lib/fetcher/modulator.ts): what to run under which condition,
 * pages to fetch (todo, inflight), pages to poll again (mutable), pages never to fetch again
 * (immutable), members already emitted, members waiting for ordered emission, latest versions.
 */
export const LDES_CLIENT_SUBLEVELS = ['condition', 'todo', 'inflight', 'mutable', 'immutable', 'emitted', 'unemitted', 'latestVersions'] as const;

/** A fresh state directory holding `state`; `dispose` removes it. */
export async function openStateDirectory(state: LdesClientState): Promise<{ path: string; dispose: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'cdp-ldes-state-'));
  const database = new Level<string, unknown>(path);
  try {
    await database.open();
    for (const name of LDES_CLIENT_SUBLEVELS) {
      const entries = state[name] ?? [];
      if (entries.length === 0) continue;
      const sublevel = database.sublevel<string, unknown>(name, { valueEncoding: 'json' });
      await sublevel.batch(entries.map(([key, value]) => ({ type: 'put' as const, key, value })));
    }
  } finally {
    await database.close();
  }
  return { path, dispose: () => rm(path, { recursive: true, force: true }) };
}

/** Reads the state the client left in `path` (after the client closed its database). */
export async function readStateDirectory(path: string): Promise<LdesClientState> {
  const database = new Level<string, unknown>(path);
  const state: LdesClientState = {};
  try {
    await database.open();
    for (const name of LDES_CLIENT_SUBLEVELS) {
      const sublevel = database.sublevel<string, unknown>(name, { valueEncoding: 'json' });
      const entries = await sublevel.iterator().all();
      if (entries.length > 0) state[name] = entries;
    }
  } finally {
    await database.close();
  }
  return state;
}

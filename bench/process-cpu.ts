/** CPU time of local processes (the platform's, the Postgres backends), from Linux /proc: it holds on a loaded machine. */
import { readFileSync } from 'node:fs';
import type pg from 'pg';

const CLOCK_TICKS = 100;

/** utime + stime of a process from /proc/<pid>/stat, in seconds (NaN where there is none). */
export function processCpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    // After "pid (comm) ": state is field 0, utime field 11, stime field 12.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** The pids of the Postgres backends serving `database`, except `client`'s own. */
export async function backendPids(client: pg.Client, database: string): Promise<number[]> {
  const { rows } = await client.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]);
  return rows.map((row) => row.pid);
}

/** CPU seconds used so far by the backends serving `database` (other than `client`'s own and `except`). */
export async function backendCpuSeconds(client: pg.Client, database: string, except: number[] = []): Promise<number> {
  return (await backendPids(client, database)).filter((pid) => !except.includes(pid)).reduce((sum, pid) => sum + (processCpuSeconds(pid) || 0), 0);
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';

/** A free loopback port (never a fixed one: several engineers and CI share the machine). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${what} did not come up within ${timeoutMs} ms`);
}

export interface ThrowawayRedis {
  url: string;
  /** Stops redis-server (SIGKILL: nothing is kept, as a crash) and starts it again on the same port, empty. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** A redis-server of our own on a spare port, never the shared one: fault tests restart it. */
export async function startThrowawayRedis(): Promise<ThrowawayRedis> {
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: 'ignore' });
    await until('redis-server', async () => {
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      try {
        await probe.connect();
        return (await probe.ping()) === 'PONG';
      } finally {
        probe.disconnect();
      }
    });
  };
  const kill = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  await start();
  return {
    url,
    async restart(downMs = 1000) {
      await kill();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
    },
    stop: kill,
  };
}

export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:{port}/{database} */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  /** pg_ctl restart -m immediate (connections are cut as in a crash), after `downMs` stopped. */
  restart(downMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const PG_BIN = (() => {
  const found = spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' }).stdout?.trim();
  return found || '/usr/lib/postgresql/15/bin';
})();

/** Runs a Postgres binary as user postgres when we are root (initdb refuses root). */
function asPostgres(command: string, args: string[]): void {
  const binary = path.join(PG_BIN, command);
  const result = process.getuid?.() === 0 ? spawnSync('runuser', ['-u', 'postgres', '--', binary, ...args], { encoding: 'utf8' }) : spawnSync(binary, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout || result.error?.message}`);
}

/** A Postgres cluster of our own (initdb --auth=trust, pg_ctl start on a spare port), as ../shared/STACK.md describes. */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const port = await freePort();
  const directory = mkdtempSync(path.join(tmpdir(), 'cdp-pg-'));
  chmodSync(directory, 0o777);
  const data = path.join(directory, 'data');
  const log = path.join(directory, 'log');
  asPostgres('initdb', ['--auth=trust', '--username=postgres', '--no-sync', '-D', data]);
  const options = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const ready = () =>
    until('postgres', async () => {
      const client = new pg.Client({ connectionString: url() });
      client.on('error', () => undefined);
      try {
        await client.connect();
        await client.query('SELECT 1');
        return true;
      } finally {
        await client.end().catch(() => undefined);
      }
    });
  asPostgres('pg_ctl', ['start', '-w', '-D', data, '-l', log, '-o', options]);
  await ready();
  return {
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    async restart(downMs = 1000) {
      asPostgres('pg_ctl', ['stop', '-m', 'immediate', '-w', '-D', data]);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      asPostgres('pg_ctl', ['start', '-w', '-D', data, '-l', log, '-o', options]);
      await ready();
    },
    async stop() {
      try {
        asPostgres('pg_ctl', ['stop', '-m', 'immediate', '-w', '-D', data]);
      } finally {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  };
}

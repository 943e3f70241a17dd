import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { Redis } from 'ioredis';

export interface EmbeddedRedis {
  url: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export const REDIS_MISSING_MESSAGE = [
  'Redis is needed (BullMQ queues and live pub/sub) and REDIS_URL is not set, but no redis-server binary was found on PATH.',
  'Either install one (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) and run npm start again,',
  'or point REDIS_URL at a running Redis, e.g. REDIS_URL=redis://127.0.0.1:6379 npm start',
].join('\n');

/**
 * No embedded Redis exists for Node that runs BullMQ's Lua scripts, so the honest embedded default is
 * a local redis-server started for this process on a free loopback port, stopped with it.
 */
export async function startEmbeddedRedis(dataDir: string): Promise<EmbeddedRedis> {
  if (spawnSync('redis-server', ['--version']).error) throw new Error(REDIS_MISSING_MESSAGE);
  const port = await freePort();
  const directory = path.resolve(dataDir, 'redis');
  mkdirSync(directory, { recursive: true });
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', directory, '--protected-mode', 'yes'],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const stopChild = () => {
    if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.once('exit', stopChild);
  for (let attempt = 0; attempt < 100; attempt++) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    // Refused connections are expected while redis-server starts.
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      probe.disconnect();
      return {
        url,
        async stop() {
          stopChild();
        },
      };
    } catch {
      probe.disconnect();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  stopChild();
  throw new Error(`redis-server did not answer on ${url}`);
}

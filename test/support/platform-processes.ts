import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './throwaway-services.js';

const ROOT = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../..');

/** One JSON log line of a platform process (pino). */
export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

export interface PlatformProcess {
  name: string;
  child: ChildProcess;
  /** Every JSON log line so far (stdout), parsed. */
  lines: LogLine[];
  /** Resolves with the first line (already seen or coming) that matches. */
  waitForLine(match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** Resolves with the exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): void;
}

/**
 * Starts apps/{api,worker}/src/main.ts as a real child process straight from the TypeScript sources
 * (compiled on load by @swc-node/register, with decorator metadata), so the tests need no `npm run build`.
 */
export function startPlatformProcess(name: string, app: 'api' | 'worker', env: Record<string, string>): PlatformProcess {
  // Jest's own NODE_OPTIONS (--experimental-vm-modules) is not for the platform.
  const { NODE_OPTIONS: _jestOptions, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', '@swc-node/register/esm-register', path.join('apps', app, 'src', 'main.ts')], {
    cwd: ROOT,
    env: { ...inherited, SWC_NODE_PROJECT: path.join(ROOT, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  // PLATFORM_LOG_DIR=/tmp/x keeps each process's output in a file, to read after a failing run.
  const logFile = process.env.PLATFORM_LOG_DIR ? path.join(process.env.PLATFORM_LOG_DIR, `${name}.log`) : undefined;
  if (logFile) {
    child.stdout!.on('data', (chunk: Buffer | string) => appendFileSync(logFile, chunk));
    child.stderr!.on('data', (chunk: Buffer | string) => appendFileSync(logFile, chunk));
  }
  const waiters: Array<{ match: (line: LogLine) => boolean; resolve: (line: LogLine) => void }> = [];
  let buffered = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const text = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (!text.startsWith('{')) continue;
      try {
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        for (const waiter of [...waiters]) {
          if (waiter.match(line)) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(line);
          }
        }
      } catch {
        // a banner line, not a log line
      }
    }
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    name,
    child,
    lines,
    exited,
    kill: (signal) => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    waitForLine(match, timeoutMs = 60_000) {
      const seen = lines.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no matching log line within ${timeoutMs} ms; stderr: ${stderr}`)), timeoutMs);
        waiters.push({
          match,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
        void exited.then(({ code, signal }) => reject(new Error(`${name} exited (${code ?? signal}) before the log line came; stderr: ${stderr}`)));
      });
    },
  };
}

export interface ApiProcess extends PlatformProcess {
  baseUrl: string;
}

export async function startApiProcess(name: string, env: Record<string, string>): Promise<ApiProcess> {
  const port = await freePort();
  const started = startPlatformProcess(name, 'api', { ROLE: 'api', PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}`, ...env });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 240_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/health/live`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline || started.child.exitCode !== null) {
      started.kill('SIGKILL');
      throw new Error(`${name} did not start`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { ...started, baseUrl };
}

/** A worker process, resolved once it logged that it started (its queues are being consumed). */
export async function startWorkerProcess(name: string, env: Record<string, string>): Promise<PlatformProcess> {
  const started = startPlatformProcess(name, 'worker', { METRICS_PORT: String(await freePort()), ...env });
  await started.waitForLine((line) => typeof line.msg === 'string' && line.msg.startsWith('worker started'), 240_000);
  return started;
}

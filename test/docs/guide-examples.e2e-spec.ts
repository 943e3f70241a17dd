import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seedDemo } from '@platform/runtime';
import { startTestApp, TEST_ADMIN_TOKEN, type TestApp } from '../support/test-app.js';

/**
 * The audience guides promise copy-paste examples that work against `npm start`. This runs every
 * ```bash block of each guide, in order, in one bash per guide, against the whole platform on a fresh
 * database with the demo data loaded — in a directory laid out as the repository root is after
 * `npm start` (`data/admin-token`, `data/demo-api-key`, `demo/`, and `../shared` beside it).
 *
 * What the test changes in the text: `http://localhost:3000` becomes the test platform's address, and
 * `curl` fails on an HTTP error (`--fail-with-body`), so an example answering 4xx fails the test.
 * `<!-- expect: text -->` before a block: its output must contain the text. `<!-- not run: why -->`
 * before a block: not run (an example against a remote system), the reason is required.
 */
export const GUIDES = ['docs/for-vendors.md', 'docs/for-calendar-developers.md', 'docs/for-researchers.md', 'docs/for-operators.md'];

interface Example {
  line: number;
  code: string;
  expect: string[];
  skip?: string;
}

export function examplesOf(markdown: string): Example[] {
  const lines = markdown.split('\n');
  const examples: Example[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (lines[index].trim() !== '```bash') continue;
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && lines[index].trim() !== '```'; index++) body.push(lines[index]);
    const markers: string[] = [];
    for (let back = start - 1; back >= 0 && /^<!--.*-->$/.test(lines[back].trim()); back--) markers.push(lines[back].trim());
    const expectations = markers.flatMap((marker) => /^<!-- expect: (.+) -->$/.exec(marker)?.[1] ?? []);
    const skip = markers.map((marker) => /^<!-- not run: (.+) -->$/.exec(marker)?.[1]).find(Boolean);
    examples.push({ line: start + 1, code: body.join('\n'), expect: expectations, ...(skip ? { skip } : {}) });
  }
  return examples;
}

const DEMO_KEY = 'cdp_demo_guide-examples-0123456789';
const MARK = '::guide-example::';

async function runGuide(file: string, baseUrl: string, cwd: string): Promise<Array<{ example: Example; output: string }>> {
  const examples = examplesOf(readFileSync(file, 'utf8')).filter((example) => !example.skip);
  const script = [
    'set -eo pipefail',
    // Exit 23 is curl's write error: the reader (`head -5`, `grep -m1`) had what it wanted and closed the pipe while
    // curl was still writing. A reader at a terminal sees nothing wrong, so it passes; every other failure stops the guide.
    'curl() { command curl --fail-with-body "$@" || { local status=$?; [ "$status" -eq 23 ] && return 0; return "$status"; }; }',
    // printf starts the mark on a line of its own: curl's output seldom ends with a newline.
    ...examples.flatMap((example, index) => [`printf '\\n${MARK}${index}\\n'`, example.code.replaceAll('http://localhost:3000', baseUrl)]),
    `printf '\\n${MARK}end\\n'`,
  ].join('\n');
  const child = spawn('bash', ['-c', script], { cwd, env: { ...process.env, PATH: process.env.PATH } });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (exit) => resolve(exit ?? 1)));
  const parts = out.split(new RegExp(`^${MARK}`, 'm')).slice(1);
  const outputs = parts.map((part) => ({ index: part.slice(0, part.indexOf('\n')), output: part.slice(part.indexOf('\n') + 1) }));
  const last = outputs.at(-1);
  if (code !== 0 || last?.index !== 'end') {
    const failed = examples[Number(last?.index)];
    throw new Error(`${file}: the example at line ${failed?.line ?? '?'} failed (exit ${code}):\n${failed?.code ?? ''}\n--- output ---\n${last?.output ?? out}`);
  }
  return examples.map((example, index) => ({ example, output: outputs[index].output }));
}

describe('the audience guides: every example runs against the platform as written', () => {
  let platform: TestApp;
  let root: string;
  let cwd: string;

  beforeAll(async () => {
    platform = await startTestApp({
      ownBaseUrl: true,
      overrides: {
        PSEUDONYM_KEY: 'guide-examples-pseudonym-key-0123456789',
        WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        WEBHOOK_ALLOW_HTTP: 'true',
        CHANGE_POLL_INTERVAL_MS: '50',
      },
    });
    await seedDemo(platform.app, DEMO_KEY);
    // <root>/repo is the working directory, <root>/shared the reference data beside it.
    root = mkdtempSync(path.join(tmpdir(), 'guide-examples-'));
    cwd = path.join(root, 'repo');
    mkdirSync(path.join(cwd, 'data'), { recursive: true });
    writeFileSync(path.join(cwd, 'data', 'admin-token'), TEST_ADMIN_TOKEN);
    writeFileSync(path.join(cwd, 'data', 'demo-api-key'), DEMO_KEY);
    symlinkSync(path.resolve('demo'), path.join(cwd, 'demo'));
    symlinkSync(path.resolve('..', 'shared'), path.join(root, 'shared'));
  }, 120_000);

  afterAll(async () => {
    await platform?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('every example of a guide is marked: run, or not run with a reason', () => {
    for (const file of GUIDES) {
      const examples = examplesOf(readFileSync(file, 'utf8'));
      expect(examples.length).toBeGreaterThan(2);
      expect(examples.filter((example) => !example.skip).length).toBeGreaterThan(examples.length / 2);
    }
  });

  for (const file of GUIDES) {
    it(`${file}: runs, each output as the guide says`, async () => {
      for (const { example, output } of await runGuide(file, platform.baseUrl, cwd)) {
        for (const expected of example.expect) {
          if (!output.includes(expected)) throw new Error(`${file}, example at line ${example.line}: output lacks ${expected}:\n${output.slice(0, 2000)}`);
        }
      }
    }, 120_000);
  }
});

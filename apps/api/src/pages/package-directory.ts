import { existsSync } from 'node:fs';
import path from 'node:path';

/** The installed folder of an npm package, found upwards from `from` as Node finds packages. */
export function packageDirectory(name: string, from: string): string {
  for (let directory = from; ; directory = path.dirname(directory)) {
    const candidate = path.join(directory, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (path.dirname(directory) === directory) throw new Error(`package ${name} is not installed (looked upwards from ${from})`);
  }
}

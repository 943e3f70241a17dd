// tsc does not copy non-TypeScript files: JSON schemas and JSON-LD contexts go next to the compiled code.
import { cpSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ASSET = /\.(json|jsonld|ttl|csv|topojson)$/;

function copyAssets(directory) {
  for (const entry of readdirSync(directory)) {
    const source = path.join(directory, entry);
    if (statSync(source).isDirectory()) {
      if (!['node_modules', 'testing', 'tmp'].includes(entry)) copyAssets(source);
    } else if (ASSET.test(entry)) {
      cpSync(source, path.join('dist', source));
    }
  }
}

for (const root of ['apps', 'libs']) copyAssets(root);

// tsc does not copy non-TypeScript files: JSON schemas, JSON-LD contexts and the browser pages' client files
// (any folder named client) go next to the compiled code.
import { cpSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ASSET = /\.(json|jsonld|ttl|csv|topojson)$/;

function copyAssets(directory, client = false) {
  for (const entry of readdirSync(directory)) {
    const source = path.join(directory, entry);
    if (statSync(source).isDirectory()) {
      if (!['node_modules', 'testing', 'tmp'].includes(entry)) copyAssets(source, client || entry === 'client');
    } else if (client || ASSET.test(entry)) {
      cpSync(source, path.join('dist', source));
    }
  }
}

for (const root of ['apps', 'libs']) copyAssets(root);

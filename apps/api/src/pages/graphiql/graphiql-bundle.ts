import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A built GraphiQL: file name (app.js, app.css, *.worker.js, fonts) -> bytes. */
export type GraphiqlBundle = Map<string, Buffer>;

const here = path.dirname(fileURLToPath(import.meta.url));
const entry = path.join(here, 'client', 'graphiql-app.jsx');
/** Where `npm run build` leaves the bundle (beside the compiled code, under dist/). */
export const PREBUILT_DIRECTORY = path.join(here, 'bundle');

/**
 * GraphiQL 5 ships ES modules only (Monaco editor and its workers, React): a browser needs them
 * bundled. esbuild does that from node_modules in a few seconds, so nothing comes from a CDN.
 */
export async function buildGraphiqlBundle(): Promise<GraphiqlBundle> {
  // esbuild is a build tool: loaded only when no prebuilt bundle exists (tests, a dev checkout).
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: {
      app: entry,
      'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js',
      'json.worker': 'monaco-editor/esm/vs/language/json/json.worker.js',
      'graphql.worker': 'monaco-graphql/esm/graphql.worker.js',
    },
    // Bare entry points resolve as packages from here upwards, like the imports inside them.
    absWorkingDir: here,
    bundle: true,
    format: 'esm',
    minify: true,
    write: false,
    outdir: '/graphiql',
    entryNames: '[name]',
    assetNames: '[name]',
    loader: { '.ttf': 'file', '.woff': 'file', '.woff2': 'file' },
    define: { 'process.env.NODE_ENV': '"production"' },
    jsx: 'automatic',
    logLevel: 'silent',
    target: ['es2022'],
  });
  return new Map(result.outputFiles.map((file) => [path.basename(file.path), Buffer.from(file.contents)]));
}

export function readPrebuiltBundle(directory = PREBUILT_DIRECTORY): GraphiqlBundle | null {
  if (!existsSync(path.join(directory, 'app.js'))) return null;
  return new Map(readdirSync(directory).map((name) => [name, readFileSync(path.join(directory, name))]));
}

/** `node dist/apps/api/src/pages/graphiql/graphiql-bundle.js`: part of `npm run build`. */
async function writePrebuiltBundle(): Promise<void> {
  const bundle = await buildGraphiqlBundle();
  mkdirSync(PREBUILT_DIRECTORY, { recursive: true });
  for (const [name, contents] of bundle) writeFileSync(path.join(PREBUILT_DIRECTORY, name), contents);
  console.log(`GraphiQL bundle: ${bundle.size} files in ${PREBUILT_DIRECTORY}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  writePrebuiltBundle().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}

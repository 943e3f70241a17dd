// ESM NestJS under Jest: @swc/jest compiles TypeScript (with decorator metadata), tsc --noEmit type-checks
// separately in `npm test` because swc does not.
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'es6' },
};

const aliases = Object.fromEntries(
  ['domain', 'linked-data', 'validation', 'storage', 'pipeline', 'queue', 'config', 'runtime', 'connectors', 'feeds', 'webhooks', 'search', 'research', 'observability', 'catalogue'].map((name) => [
    `^@platform/${name}$`,
    `<rootDir>/libs/${name}/src/index.ts`,
  ]),
);

/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: { ...aliases, '^(\\.{1,2}/.*)\\.js$': '$1' },
  testMatch: ['<rootDir>/{apps,libs,shapes,test}/**/*.{spec,int-spec,e2e-spec}.ts'],
  testTimeout: 30000,
};

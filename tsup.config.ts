import { defineConfig } from 'tsup';

// chevrotain is published as ESM only. The ESM build imports it like any
// dependency; the CJS build bundles it so that `require('eqlkit')` works on
// every Node 20 release, including those without require(esm).
export default defineConfig([
  {
    // The command line: ESM only, started through the package's bin.
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
  },
  {
    entry: { index: 'src/index.ts' },
    format: ['cjs'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    noExternal: [/^chevrotain$/, /^@chevrotain\//, /^lodash-es$/],
    // import.meta.url (used to find the bundled rules) in CommonJS.
    shims: true,
  },
]);

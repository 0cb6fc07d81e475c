import { defineConfig } from 'tsup';

// chevrotain is bundled into every build. Imported as a dependency, it pulls
// in lodash-es as hundreds of small modules, and resolving and loading them
// took about half a second at each start of the command line and each import
// of the package; bundled, esbuild keeps only the functions chevrotain uses.
// The CJS build also needs it bundled so that `require('eqlkit')` works on
// every Node 20 release, including those without require(esm).
const bundled = [/^chevrotain$/, /^@chevrotain\//, /^lodash-es$/];

export default defineConfig([
  {
    // The command line: ESM only, started through the package's bin.
    entry: { cli: 'src/cli/bin.ts' },
    format: ['esm'],
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    noExternal: bundled,
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    entry: { index: 'src/index.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    noExternal: bundled,
  },
  {
    entry: { index: 'src/index.ts' },
    format: ['cjs'],
    dts: true,
    sourcemap: true,
    target: 'node20',
    platform: 'node',
    noExternal: bundled,
    // import.meta.url (used to find the bundled rules) in CommonJS.
    shims: true,
  },
  {
    // The browser entry (the package's `browser` condition): one self-contained
    // ES module, every dependency bundled, so that it loads in a page as it is
    // and no bundler meets @iarna/toml's CommonJS and its Node global.
    entry: { browser: 'src/browser.ts' },
    format: ['esm'],
    dts: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'browser',
    noExternal: [/./],
    define: { global: 'globalThis' },
  },
]);

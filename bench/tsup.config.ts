import { defineConfig } from 'tsup';

// The bench runs the engine as the package ships it: compiled by esbuild as
// tsup.config.ts compiles dist/, not through tsx. tsx keeps function names by
// wrapping every named closure in a call that defines its name each time the
// closure is made, which made the parser alone about four times slower.
export default defineConfig({
  entry: { run: 'bench/run.ts' },
  outDir: 'bench/.build',
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  clean: true,
  sourcemap: false,
  dts: false,
});

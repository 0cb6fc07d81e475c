import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

/**
 * The playground: a static page (index.html, its script, the worker's),
 * built to playground/dist/ and served from any folder (relative paths).
 */
export default defineConfig({
  root: here,
  base: './',
  // @iarna/toml reads Node's `global` at load; a browser calls it globalThis.
  define: { global: 'globalThis' },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The engine is one chunk of about 600 KB minified; nothing to split.
    chunkSizeWarningLimit: 1024,
    rolldownOptions: {
      onwarn(warning, warn) {
        // @iarna/toml looks for Node's util.inspect in a direct eval, inside a try; in a page it finds none, as it expects.
        if (warning.code === 'EVAL' && warning.id?.includes('@iarna/toml')) return;
        warn(warning);
      },
    },
  },
  // The examples import the bundled rule from ../rules.
  server: { fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] } },
  preview: { port: 4173 },
});

/**
 * The browser entry (src/browser.ts, the package's `browser` condition)
 * bundles for the web with no Node module, offers every value of the Node
 * entry but those that read files, and stays within its size budget.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared.js';

/** The Node entry's values that read files, and so are not in the browser entry. */
const NODE_ONLY = ['bundledRules', 'bundledRulesDir', 'loadRule', 'loadRules', 'runRuleTests', 'RuleTestError'];
/** Their types. */
const NODE_ONLY_TYPES = [
  'LoadResult',
  'RuleTestOptions',
  'RuleTestReport',
  'RuleTestFileResult',
  'RuleTestRule',
  'RuleTestCaseResult',
  'RuleTestAlert',
  'RuleTestEvent',
  'RuleTestEventError',
  'RuleTestStage',
  'RuleTestErrorCode',
];

/** The minified entry, gzipped, may not grow past this without a decision (docs/browser.md gives the figures). */
const GZIP_BUDGET_BYTES = 200 * 1024;

interface Bundle {
  /** Node built-ins asked for, with the module that asked. */
  readonly builtins: string[];
  readonly code: string;
  /** Bytes of code per package, or per src/ folder, before minification. */
  readonly weights: Map<string, number>;
}

/** Bundles an entry as a web app's bundler would (Vite, for browsers, minified), noting every Node built-in it reaches. */
async function bundle(entry: string): Promise<Bundle> {
  const builtins: string[] = [];
  const result = await build({
    configFile: false,
    logLevel: 'silent',
    root: REPO_ROOT,
    define: { global: 'globalThis' },
    plugins: [
      {
        name: 'node-builtins',
        enforce: 'pre',
        resolveId(source, importer) {
          if (!isBuiltin(source)) return null;
          builtins.push(`${source} from ${importer?.slice(REPO_ROOT.length + 1)}`);
          return { id: source, external: true };
        },
      },
    ],
    build: {
      write: false,
      minify: true,
      target: 'es2022',
      // An application's build (a library build keeps white space in ES output), keeping the entry's exports as a library's would.
      rolldownOptions: { input: join(REPO_ROOT, entry), preserveEntrySignatures: 'strict' },
    },
  });
  const output = (Array.isArray(result) ? result[0]! : (result as Rolldown.RolldownOutput)).output;
  const chunk = output.find((o): o is Rolldown.OutputChunk => o.type === 'chunk')!;
  const weights = new Map<string, number>();
  for (const [id, module] of Object.entries(chunk.modules)) {
    const pkg = id.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
    const local = id.startsWith(`${REPO_ROOT}/src/`) ? `src/${id.slice(REPO_ROOT.length + 5).split('/')[0]}` : id;
    const key = pkg ?? local.replace(/\.ts$/, '');
    weights.set(key, (weights.get(key) ?? 0) + module.renderedLength);
  }
  return { builtins, code: chunk.code, weights };
}

/** The names a module exports, from its export statements: values and types apart. */
function exportedNames(file: string): { values: string[]; types: string[] } {
  const text = readFileSync(join(REPO_ROOT, file), 'utf8');
  const values: string[] = [];
  const types: string[] = [];
  for (const m of text.matchAll(/^export (type )?\{([^}]*)\}/gm)) {
    for (const item of m[2]!.split(',')) {
      const spec = item.replace(/\/\/.*$/gm, '').trim();
      if (spec === '') continue;
      const isType = m[1] !== undefined || spec.startsWith('type ');
      const name = spec
        .replace(/^type /, '')
        .split(/\s+as\s+/)
        .pop()!;
      (isType ? types : values).push(name);
    }
  }
  for (const m of text.matchAll(/^export (type|interface|const|function|class) (\w+)/gm)) (m[1] === 'type' || m[1] === 'interface' ? types : values).push(m[2]!);
  return { values: values.sort(), types: types.sort() };
}

describe('the browser entry', () => {
  it('reaches no Node built-in module', async () => {
    const { builtins, code } = await bundle('src/browser.ts');
    expect(builtins).toEqual([]);
    expect(code).not.toMatch(/\bfrom\s*["'](?:node:)?(?:fs|path|crypto|zlib|url|os)["']/);
  }, 120_000);

  it('is told apart from the Node entry, which reaches them (the check sees what it looks for)', async () => {
    const { builtins } = await bundle('src/index.ts');
    expect(builtins).toEqual(expect.arrayContaining(['node:fs from src/files.ts', 'node:fs from src/rules/load.ts', 'node:url from src/rules/bundled.ts']));
  }, 120_000);

  it(`stays under ${GZIP_BUDGET_BYTES / 1024} KB minified and gzipped`, async () => {
    const { code, weights } = await bundle('src/browser.ts');
    const bytes = Buffer.byteLength(code);
    const gzipped = gzipSync(code, { level: 9 }).length;
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    // Each part's share of the bundle's code before minification, which shrinks them all alike enough to say what weighs.
    const total = [...weights.values()].reduce((a, b) => a + b, 0);
    const parts = [...weights]
      .sort((a, b) => b[1] - a[1])
      .filter(([, n]) => n / total >= 0.01)
      .map(([name, n]) => `${name} ${((100 * n) / total).toFixed(0)}%`);
    console.log(`browser entry: ${kb(bytes)} minified, ${kb(gzipped)} gzipped; shares: ${parts.join(', ')}`);
    expect(gzipped).toBeLessThan(GZIP_BUDGET_BYTES);
  }, 120_000);

  it('offers every value and type of the Node entry but those that read files', async () => {
    // The Node entry is the browser entry (`export *`) and the names that read files.
    const nodeText = readFileSync(join(REPO_ROOT, 'src', 'index.ts'), 'utf8');
    expect(nodeText).toMatch(/^export \* from '\.\/browser\.js';$/m);
    const node = exportedNames('src/index.ts');
    expect([...node.values].sort()).toEqual([...NODE_ONLY].sort());
    expect([...node.types].sort()).toEqual([...NODE_ONLY_TYPES].sort());
    const nodeModule = (await import('../../src/index.js')) as Record<string, unknown>;
    const browserModule = (await import('../../src/browser.js')) as Record<string, unknown>;
    expect(Object.keys(nodeModule).sort()).toEqual([...Object.keys(browserModule), ...NODE_ONLY].sort());
  });

  it('has the same values in the source as its names say', async () => {
    const module = (await import('../../src/browser.js')) as Record<string, unknown>;
    expect(Object.keys(module).sort()).toEqual(exportedNames('src/browser.ts').values);
  });
});

describe('the built browser entry (dist/browser.js)', () => {
  const file = join(REPO_ROOT, 'dist', 'browser.js');

  it('is what the package gives under the browser condition, before import and require', () => {
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, unknown>> };
    const root = pkg.exports['.']!;
    expect(Object.keys(root)[0]).toBe('browser');
    expect(root.browser).toEqual({ types: './dist/browser.d.ts', default: './dist/browser.js' });
    expect(pkg.exports['./browser']).toEqual({ types: './dist/browser.d.ts', default: './dist/browser.js' });
  });

  it('is one module that imports nothing, and declares exactly the values it exports', async () => {
    if (!existsSync(file)) throw new Error('dist/browser.js is missing: run `npm run build` (npm test does it first)');
    // Comments left out: JSDoc types such as {import('./index.js').RE2JS} are no imports.
    const code = readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => !/^\s*(?:\*|\/\/|\/\*)/.test(line))
      .join('\n');
    expect(code.match(/^\s*import\b.*$/gm) ?? []).toEqual([]);
    expect(code).not.toMatch(/\bimport\(\s*["']/);
    const declared = [...readFileSync(join(REPO_ROOT, 'dist', 'browser.d.ts'), 'utf8').matchAll(/^export \{([^}]*)\};?$/gm)]
      .flatMap((m) => m[1]!.split(','))
      .map((n) => n.trim())
      .filter((n) => n !== '' && !n.startsWith('type '))
      .map((n) => n.split(/\s+as\s+/).pop()!)
      .sort();
    const module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    expect(declared).toEqual(Object.keys(module).sort());
    expect(declared).toEqual(exportedNames('src/browser.ts').values);
  });
});

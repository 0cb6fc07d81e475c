/**
 * language/ comes before every stage that reads it (the parser, the compiler,
 * the engine, the rules, the command line): it may import only its own
 * modules and the shared ones. Checked here for the pipes (and the helper
 * they use); the functions' shared value semantics and text algorithms
 * (case folding, wildcards, IP addresses) are for the stage-order test to name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const LANGUAGE = join(SRC, 'language');

/** What language/ may import besides itself: errors, the AST's types, and per-event value semantics. */
const SHARED = new Set(['errors.ts', 'parser/ast.ts', 'compile/null-logic.ts']);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

const CHECKED = [...sources(join(LANGUAGE, 'pipes')), join(LANGUAGE, 'did-you-mean.ts')];

describe('language/ imports', () => {
  it.each(CHECKED.map((f) => [relative(SRC, f), f]))('%s imports only language/ and shared modules', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    for (const [, spec] of text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)) {
      expect(spec!.startsWith('.'), `${spec} is a package`).toBe(true);
      const target = relative(SRC, resolve(dirname(file), spec!)).replace(/\.js$/, '.ts');
      expect(target.startsWith('language/') || SHARED.has(target), `${relative(SRC, file)} imports ${target}`).toBe(true);
    }
  });
});

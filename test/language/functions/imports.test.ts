/**
 * language/functions/ comes before the parser and the compiler, which read
 * it: it may import only its own modules and the shared ones it names here.
 * Some of those still live in compile/ (value semantics and text algorithms
 * with no other dependency); the next step of the restructure moves them to
 * a shared folder. The shared modules must stay free of stage imports too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../../src');
const FUNCTIONS = join(SRC, 'language', 'functions');

/** What the functions may import besides themselves: errors, the AST, per-event value semantics, text algorithms. */
const SHARED = ['errors.ts', 'parser/ast.ts', 'compile/null-logic.ts', 'compile/case-folding.ts', 'compile/wildcard.ts', 'compile/types/ip.ts'];

/** The relative imports of a source file, as paths under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map(([, spec]) => {
    expect(spec!.startsWith('.'), `${relative(SRC, file)} imports the package ${spec}`).toBe(true);
    return relative(SRC, resolve(dirname(file), spec!)).replace(/\.js$/, '.ts');
  });
}

describe('language/functions/ imports', () => {
  it.each(readdirSync(FUNCTIONS).filter((f) => f.endsWith('.ts')))('%s imports only language/ and shared modules', (name) => {
    for (const target of importsOf(join(FUNCTIONS, name))) {
      expect(target.startsWith('language/') || SHARED.includes(target), `language/functions/${name} imports ${target}`).toBe(true);
    }
  });

  it.each(SHARED)('the shared module %s imports only shared modules', (name) => {
    for (const target of importsOf(join(SRC, name))) expect(SHARED, `${name} imports ${target}`).toContain(target);
  });
});

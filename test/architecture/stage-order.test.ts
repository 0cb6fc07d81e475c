/**
 * The stages import only what comes before them, so that the data path reads
 * in one direction: language → parser → analyze → optimize → compile → engine →
 * rules → (testing, synth, explain, scale: tools built on rules) → cli.
 * rules → explain → cli.
 * Shared modules (errors, the AST's types, per-event value semantics, text
 * algorithms, file walking) may be imported by any stage and import only
 * each other. `index.ts` and `browser.ts`, the public doors, may import anything.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

// The tools built on rules (rule tests, synthesized events, explanations, scaling out) come after them, each
// may import the ones before it in this list.
const STAGES = ['language', 'parser', 'analyze', 'optimize', 'compile', 'engine', 'rules', 'testing', 'synth', 'explain', 'scale', 'cli'] as const;

/** Modules any stage may import, by path below src/ (a folder ends with '/'). */
const SHARED = ['errors.ts', 'files.ts', 'sha256.ts', 'parser/ast.ts', 'semantics/', 'text/'];

const isShared = (path: string): boolean => SHARED.some((s) => (s.endsWith('/') ? path.startsWith(s) : path === s));

/** A module's stage, by its rank in STAGES; -1 for a shared module. */
function rankOf(path: string): number {
  if (isShared(path)) return -1;
  const rank = STAGES.indexOf(path.split('/')[0] as (typeof STAGES)[number]);
  if (rank < 0) throw new Error(`${path} is in no stage and not shared: add its folder to STAGES or SHARED`);
  return rank;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : []));
}

/** The modules of src/ a file imports (packages left out), as paths below src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm), ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map((m) => m[1]!);
  return specs.filter((s) => s.startsWith('.')).map((s) => relative(SRC, resolve(dirname(file), s)).replace(/\.js$/, '.ts'));
}

/** The public doors, for Node and for browsers. */
const ENTRIES = ['index.ts', 'browser.ts'];

const FILES = sources(SRC)
  .map((f) => relative(SRC, f))
  .filter((f) => !ENTRIES.includes(f));

/** What `from` may not import, or null when it may. */
function violation(from: string, to: string): string | null {
  const a = rankOf(from);
  const b = rankOf(to);
  if (a === -1) return b === -1 ? null : `a shared module imports the ${STAGES[b]} stage`;
  if (b === -1 || b <= a) return null;
  return `the ${STAGES[a]} stage imports the later ${STAGES[b]} stage`;
}

describe('the stage order of imports', () => {
  it('knows the stage or the sharing of every module', () => {
    for (const f of FILES) expect(() => rankOf(f), f).not.toThrow();
  });

  it.each(FILES)('%s imports nothing from a later stage', (file) => {
    for (const target of importsOf(join(SRC, file))) expect(violation(file, target), `${file} imports ${target}`).toBeNull();
  });

  it.each([
    ['compile/plan.ts', 'engine/order.ts', 'the compile stage imports the later engine stage'],
    ['semantics/fields.ts', 'compile/plan.ts', 'a shared module imports the compile stage'],
    ['analyze/analysis.ts', 'optimize/index.ts', 'the analyze stage imports the later optimize stage'],
    ['optimize/facts-from-analysis.ts', 'analyze/analysis.ts', null],
    ['parser/to-ast.ts', 'language/functions/index.ts', null],
    ['optimize/index.ts', 'compile/plan.ts', 'the optimize stage imports the later compile stage'],
    ['compile/plan.ts', 'optimize/index.ts', null],
    ['cli/feed.ts', 'semantics/fields.ts', null],
    ['testing/run.ts', 'rules/ruleset.ts', null],
    ['rules/load.ts', 'testing/test-file.ts', 'the rules stage imports the later testing stage'],
    ['cli/commands/test.ts', 'testing/run.ts', null],
    ['synth/synthesize.ts', 'rules/rule.ts', null],
    ['rules/rule.ts', 'synth/synthesize.ts', 'the rules stage imports the later synth stage'],
    ['synth/synthesize.ts', 'cli/main.ts', 'the synth stage imports the later cli stage'],
  ])('tells a backward import from an allowed one: %s → %s', (from, to, expected) => {
    expect(violation(from, to)).toBe(expected);
  });
});

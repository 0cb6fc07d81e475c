/**
 * The published declarations promise exactly the values the built modules
 * have: a name declared as a value but missing at run time type-checks in a
 * user's code and then fails there.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/shared.js';

/** The value (not `type`) names of a bundled declaration file's export list. */
function declaredValues(file: string): string[] {
  const text = readFileSync(join(REPO_ROOT, 'dist', file), 'utf8');
  const lists = [...text.matchAll(/^export \{([^}]*)\};?$/gm)].map((m) => m[1]!);
  expect(lists.length).toBeGreaterThan(0);
  return lists
    .flatMap((l) => l.split(','))
    .map((n) => n.trim())
    .filter((n) => n !== '' && !n.startsWith('type '))
    .map((n) => n.split(/\s+as\s+/).pop()!)
    .sort();
}

describe('the built package', () => {
  it('declares in index.d.ts exactly the values that dist/index.js exports', async () => {
    const module = (await import(pathToFileURL(join(REPO_ROOT, 'dist', 'index.js')).href)) as Record<string, unknown>;
    expect(declaredValues('index.d.ts')).toEqual(Object.keys(module).sort());
  });

  it('declares in index.d.cts exactly the values that dist/index.cjs exports', () => {
    const module = createRequire(import.meta.url)(join(REPO_ROOT, 'dist', 'index.cjs')) as Record<string, unknown>;
    expect(declaredValues('index.d.cts')).toEqual(
      Object.keys(module)
        .filter((k) => k !== '__esModule')
        .sort(),
    );
  });

  /** Types of the stages behind the door: a user who could name them would come to depend on them. */
  const INTERNAL_TYPES = [
    'QueryPlan',
    'FilterPlan',
    'StagePlan',
    'KeyField',
    'BoundField',
    'PipeInstance',
    'FieldReader',
    'Predicate',
    'ConditionNeed',
    'Analysis',
    'Scope',
    'Needle',
    // How a snapshot is written and read: its documented shape is MatcherSnapshot.
    'SnapshotWriter',
    'SnapshotReader',
    'RestoredState',
    'PipelineRun',
    'PipelineState',
  ];

  it.each(['index.d.ts', 'index.d.cts'])('keeps the internal plan types out of %s', (file) => {
    const text = readFileSync(join(REPO_ROOT, 'dist', file), 'utf8');
    const declared = INTERNAL_TYPES.filter((name) => new RegExp(`\\b(?:interface|type|class) ${name}\\b`).test(text));
    expect(declared).toEqual([]);
    expect(text).toMatch(/declare class CompiledQuery/);
    expect(text).toMatch(/interface MatcherSnapshot</);
  });
});

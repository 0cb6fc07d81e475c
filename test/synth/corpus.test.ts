/**
 * Synthesis over the whole corpus: for every EQL rule of elastic/detection-
 * rules, the witness makes the rule alert and no near miss does, checked
 * here by running the rule on the events returned; and for every EQL
 * hunting query, the same with the query. The rules refused are exactly
 * those of known-failures.json, which only shrinks.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compile, loadRules, synthesize, SynthesisError } from '../../src/index.js';
import { corpusHuntingQueries } from '../helpers/corpus.js';
import { REPO_ROOT, sharedPath } from '../helpers/shared.js';

const rulesDir = sharedPath('the corpus synthesis test', 'corpus', 'detection-rules');
const huntingDir = sharedPath('the hunting synthesis test', 'corpus', 'detection-rules-hunting');

interface KnownFailures {
  readonly count: number;
  readonly rules: Record<string, { readonly code: string; readonly reason: string }>;
}

const known = JSON.parse(readFileSync(join(REPO_ROOT, 'test', 'synth', 'known-failures.json'), 'utf8')) as KnownFailures;

describe('the known failures file', () => {
  it('counts its entries, and gives each a code and a reason', () => {
    expect(Object.keys(known.rules)).toHaveLength(known.count);
    for (const entry of Object.values(known.rules)) {
      expect(entry.code).toMatch(/^SYNTH_[A-Z_]+$/);
      expect(entry.reason.length).toBeGreaterThan(20);
    }
  });
});

describe.runIf(rulesDir !== null)('synthesizing events for every corpus rule', () => {
  it('gives a witness that alerts and near misses that do not, and refuses only the known failures', () => {
    const { rules, errors } = loadRules(rulesDir!);
    expect(errors).toEqual([]);
    expect(rules).toHaveLength(1081);
    const refused: Record<string, string> = {};
    const problems: string[] = [];
    let nearMisses = 0;
    for (const rule of rules) {
      const id = relative(rulesDir!, rule.file!);
      let result: ReturnType<typeof synthesize>;
      try {
        result = synthesize(rule, { nearMiss: true });
      } catch (e) {
        if (!(e instanceof SynthesisError)) throw e;
        refused[id] = e.code;
        continue;
      }
      if (rule.run(result.witness).length === 0) problems.push(`${id}: the witness does not alert`);
      for (const m of result.nearMisses) if (rule.run(m.events).length > 0) problems.push(`${id}: the near miss "${m.label}" alerts`);
      nearMisses += result.nearMisses.length;
    }
    expect(problems).toEqual([]);
    expect(refused).toEqual(Object.fromEntries(Object.entries(known.rules).map(([id, { code }]) => [id, code])));
    // Every rule has at least its category and one condition to break.
    expect(nearMisses).toBeGreaterThan(2 * (rules.length - known.count));
  }, 600_000);
});

describe.runIf(huntingDir !== null)('synthesizing events for the hunting queries', () => {
  it('gives a witness that matches and near misses that do not, for each', () => {
    const queries = corpusHuntingQueries(huntingDir!);
    expect(queries).toHaveLength(13);
    for (const { id, query } of queries) {
      const q = compile(query);
      const { witness, nearMisses } = synthesize(query, { nearMiss: true });
      expect(q.search(witness).length, id).toBeGreaterThan(0);
      for (const m of nearMisses) expect(q.search(m.events), `${id}: ${m.label}`).toEqual([]);
    }
  }, 120_000);
});

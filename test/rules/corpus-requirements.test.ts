/**
 * What the two indexes that skip work take from every corpus rule: the texts
 * the NDJSON line prefilter requires of a line, and where the RuleSet's index
 * files each stage (its category, the field values or substrings it requires,
 * the guard and the fields that must be present). Pinned in a snapshot, so
 * that a change of how requirements are found (the restructure that builds
 * both indexes from the compiler's own requirements) shows every difference,
 * rule by rule. Update it only for a change meant to alter them
 * (`npx vitest run test/rules/corpus-requirements.test.ts -u`), and say why
 * in the commit.
 */
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/index.js';
import { filtersOf } from '../../src/compile/plan.js';
import { queryNeedles } from '../../src/compile/line-prefilter.js';
import { type Requirement, RequirementFinder } from '../../src/rules/literal-index.js';
import { sharedPath } from '../helpers/shared.js';

const corpus = sharedPath('the corpus requirements snapshot', 'corpus', 'detection-rules');

const requirementText = (r: Requirement | null): string[] | null =>
  r === null ? null : r.map((f) => `${f.field} = ${[...f.values].sort().join(' | ')}${f.anchors.length > 0 ? ` ~ ${[...f.anchors].sort().join(' | ')}` : ''}`).sort();

describe.runIf(corpus !== null)('the requirements the indexes take from the corpus', () => {
  it('are those pinned in the snapshot, rule by rule', async () => {
    const { rules } = loadRules(corpus!);
    const snapshot: Record<string, unknown> = {};
    for (const rule of rules.filter((r) => r.executable).sort((a, b) => (a.file! < b.file! ? -1 : 1))) {
      const plan = rule.compiled.plan;
      const needles = queryNeedles(plan);
      const finder = new RequirementFinder();
      snapshot[relative(corpus!, rule.file!)] = {
        needles: needles === null ? null : needles.map((n) => `${n.foldCase ? '~' : ''}${n.text}`).sort(),
        stages: filtersOf(plan).map((filter) => {
          const placed = finder.placement(filter.need);
          return {
            category: filter.category,
            requirement: requirementText(placed.requirement),
            guard: requirementText(placed.guard),
            present: [...placed.present].sort(),
          };
        }),
      };
    }
    expect(Object.keys(snapshot)).toHaveLength(1081);
    await expect(`${JSON.stringify(snapshot, null, 1)}\n`).toMatchFileSnapshot('__snapshots__/corpus-requirements.json');
  });
});

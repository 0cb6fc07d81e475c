/**
 * The RuleSet's index may only narrow: over the whole corpus, one pass of the
 * set gives exactly the alerts of every rule run alone.
 */
import { describe, expect, it } from 'vitest';
import { loadRules, RuleSet, type Event } from '../../src/index.js';
import { generateEvents } from '../../bench/generate.js';
import { sharedPath } from '../helpers/shared.js';

const corpus = sharedPath('the corpus RuleSet test', 'corpus', 'detection-rules');

describe.runIf(corpus !== null)('RuleSet over the corpus', () => {
  it('gives the alerts of every rule run alone', () => {
    const { rules } = loadRules(corpus!);
    const set = new RuleSet(rules);
    const events = [...generateEvents({ count: 3000, hosts: 40, seed: 11, plantRate: 0.05 })].map((e) => JSON.parse(JSON.stringify(e)) as Event);
    const key = (a: { rule: { rule_id: string }; id: string }) => `${a.rule.rule_id} ${a.id}`;
    const together = set.run(events).map(key).sort();
    const alone = set.rules.flatMap((r) => r.run(events).map(key)).sort();
    expect(together.length).toBeGreaterThan(40);
    expect(together).toEqual(alone);
  });
});

/**
 * A rule's pipes, as Kibana's search applies them (Kibana sends the query as
 * written, with `size` = max_signals): `rule.run`, `rule.stream` and a
 * RuleSet, in batch and in a stream, give the same alerts.
 */
import { describe, expect, it } from 'vitest';
import { type Event, RuleSet } from '../../src/index.js';
import { testRule } from '../helpers/rules.js';

const rule = testRule;

const ev = (t: number, cat: string, fields: Record<string, unknown> = {}): Event => ({ '@timestamp': t, event: { category: cat }, ...fields });
const key = (a: { rule: { rule_id: string }; last_event_time: string | null }) => `${a.rule.rule_id}@${Date.parse(a.last_event_time!)}`;

describe("a rule's pipes", () => {
  const rules = [
    rule('all', 'process where true'),
    rule('first', 'process where true | head 2'),
    rule('last', 'process where true | tail 2'),
    rule('middle', 'process where true | head 4 | tail 2'),
    rule('none', 'process where true | head 0'),
    rule('seq', 'sequence by host.id [network where true] [process where true] | tail 1'),
  ];
  const events = Array.from({ length: 8 }, (_, i) => ev(i + 1, i % 2 === 0 ? 'process' : 'network', { host: { id: 'h' } }));

  // Process events are at 1, 3, 5 and 7; network events at 2, 4, 6 and 8.
  it.each([
    ['all', ['all@1', 'all@3', 'all@5', 'all@7']],
    ['first', ['first@1', 'first@3']],
    ['last', ['last@5', 'last@7']],
    ['middle', ['middle@5', 'middle@7']],
    ['none', []],
    ['seq', ['seq@7']],
  ])('rule.run applies the pipes of %s', (id, expected) => {
    expect(
      rules
        .find((x) => x.ruleId === id)!
        .run(events)
        .map(key),
    ).toEqual(expected);
  });

  it('rule.run puts max_signals (size) before the first pipe, as a limit of its kind', () => {
    expect(
      rules
        .find((x) => x.ruleId === 'middle')!
        .run(events, { size: 3 })
        .map(key),
    ).toEqual(['middle@3', 'middle@5']);
    expect(
      rules
        .find((x) => x.ruleId === 'all')!
        .run(events, { size: 3 })
        .map(key),
    ).toEqual(['all@3', 'all@5', 'all@7']);
  });

  it('rule.stream gives what rule.run gives', async () => {
    for (const r of rules) {
      const streamed: string[] = [];
      for await (const a of r.stream(events)) streamed.push(key(a));
      expect(streamed, r.ruleId).toEqual(r.run(events).map(key));
    }
  });

  it('a RuleSet gives what each rule gives alone, in batch and in a stream', async () => {
    const set = new RuleSet(rules);
    const alone = rules.flatMap((r) => r.run(events).map(key)).sort();
    expect(set.run(events).map(key).sort()).toEqual(alone);
    const streamed: string[] = [];
    for await (const a of set.stream(events)) streamed.push(key(a));
    expect(streamed.sort()).toEqual(alone);
  });

  it("a RuleSet gives a head rule's alerts as they come, and a tail rule's at the end", () => {
    const set = new RuleSet([rule('first', 'process where true | head 1'), rule('last', 'process where true | tail 1')]);
    const m = set.matcher();
    expect(m.push(ev(1, 'process')).map(key)).toEqual(['first@1']);
    expect(m.push(ev(2, 'process')).map(key)).toEqual([]);
    expect(m.flush().map(key)).toEqual(['last@2']);
  });

  it('a RuleSet no longer runs a rule whose head is full', () => {
    const set = new RuleSet([rule('first', 'sequence by host.id [network where true] [process where true] | head 1')]);
    const m = set.matcher();
    m.push(ev(1, 'network', { host: { id: 'a' } }));
    expect(m.push(ev(2, 'process', { host: { id: 'a' } })).map(key)).toEqual(['first@2']);
    // A rule that still ran would start a sequence here.
    expect(m.push(ev(3, 'network', { host: { id: 'b' } }))).toEqual([]);
    expect(m.stats().pendingSequences).toBe(0);
    expect(m.flush()).toEqual([]);
    expect(m.stats().alerts).toBe(1);
  });
});

/**
 * A RuleSet matcher restored from a snapshot continues exactly: every rule's
 * sequences and samples, the reorder buffer, each rule's pipes (`| head`,
 * `| tail`) and the counters, for random rules and events cut anywhere, and
 * for the whole corpus over generated events.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateEvents } from '../../bench/generate.js';
import { type Alert, compile, EqlSnapshotError, type Event, format, loadRules, type Rule, RuleSet, type StreamOptions } from '../../src/index.js';
import { eventsFor, runnableQuery } from '../helpers/arbitrary-runs.js';
import { testRule } from '../helpers/rules.js';
import { sharedPath } from '../helpers/shared.js';
import { split, whole } from '../helpers/snapshot-runs.js';

/** JSON as `JSON.parse` gives it, for changing a snapshot by hand into any shape. */
type Edited = ReturnType<typeof JSON.parse>;

const QUERIES = [
  'a where v >= 1',
  'a where v >= 1 | head 2',
  'any where v == 2 | tail 2',
  'sequence by k [a where v > 0] [b where true]',
  'sequence by k with maxspan=10ms [a where true] [b where true] [c where true] | head 3',
  'sequence [a where true] by k [b where v < 2] by k until [c where true] by k | tail 1',
  'sequence by k with maxspan=20ms [a where true] with runs=2 [b where true]',
  'sequence by k with maxspan=10ms [a where true] ![c where true] [b where true]',
  'sequence by k with maxspan=10ms [a where true] [b where true] ![c where true] | head 5 | tail 2',
  'sequence by k, j [a where true] [b where true]',
  'sequence [any where v == 0] [any where v == 1] [any where v == 2]',
  'sample by k [a where true] [b where true]',
];

const FROM = ['', 'from = "now-8ms"', 'from = "now-30ms"'];

const ruleArb = fc.record({ query: fc.constantFrom(...QUERIES), from: fc.constantFrom(...FROM) });

const rawEvent = fc.record({
  gap: fc.nat(3),
  cat: fc.constantFrom('a', 'b', 'c', 'd'),
  k: fc.constantFrom(1, 2, 'x', null, [1, 2]),
  j: fc.constantFrom('p', 'q'),
  v: fc.integer({ min: 0, max: 3 }),
  early: fc.constantFrom(0, 0, 0, 0, 2),
});

const eventsOf = (raw: ReadonlyArray<{ gap: number; cat: string; k: unknown; j: string; v: number; early: number }>): Event[] => {
  let ts = 0;
  return raw.map((r, i) => {
    ts += r.gap;
    return { '@timestamp': Math.max(0, ts - r.early), seq: i, event: { category: r.cat }, k: r.k, j: r.j, v: r.v };
  });
};

const cutsOf = (length: number) => fc.array(fc.noBias(fc.nat(length)), { minLength: 1, maxLength: 3 });

const setMatcher = (set: RuleSet, options: StreamOptions) => (report: (e: { code: string; index: number }) => void) => set.matcher({ ...options, onError: report, onLate: report });

describe('a RuleSet matcher restored from a snapshot continues exactly', () => {
  it.each<[string, StreamOptions, boolean]>([
    ['default', {}, false],
    ['reorderWindow', { reorderWindow: 3 }, false],
    ['window', { window: 5 }, false],
    ['pushLine with prefilter', { prefilter: true, maxSamplesPerKey: 2 }, true],
  ])('with rules of every feature and pipes, %s', (_name, options, lines) => {
    let withState = 0;
    let alerts = 0;
    fc.assert(
      fc.property(
        fc.array(ruleArb, { minLength: 1, maxLength: 4 }),
        fc.array(rawEvent, { minLength: 4, maxLength: 40 }).chain((raw) => fc.tuple(fc.constant(raw), cutsOf(raw.length))),
        (rules, [raw, cuts]) => {
          const set = new RuleSet(rules.map((r, i) => testRule(`r${i}`, r.query, `tiebreaker_field = "seq"\n${r.from}`)));
          const events = eventsOf(raw);
          const inputs = events.map((event) => (lines ? { line: JSON.stringify(event) } : { event }));
          const make = setMatcher(set, options);
          const expected = whole(make, inputs, cuts);
          alerts += expected.results.length;
          if (expected.statsAtCuts.some((s) => (s as { pendingSequences: number }).pendingSequences > 0)) withState++;
          expect(split(make, inputs, cuts)).toEqual(expected);
        },
      ),
      { seed: 2211, numRuns: 100 },
    );
    expect(withState).toBeGreaterThan(25);
    expect(alerts).toBeGreaterThan(100);
  });

  it('with random rules of every shape, their pipes applied', () => {
    let alerts = 0;
    fc.assert(
      fc.property(
        runnableQuery.chain((query) => eventsFor(query).chain((events) => fc.tuple(fc.constant(query), fc.constant(events), cutsOf(events.length)))),
        ([query, events, cuts]) => {
          let rule: Rule;
          try {
            rule = testRule('random', format(query), 'tiebreaker_field = "seq"');
          } catch {
            return;
          }
          const make = setMatcher(new RuleSet([rule]), {});
          const inputs = events.map((event) => ({ event }));
          const expected = whole(make, inputs, cuts);
          alerts += expected.results.length;
          expect(split(make, inputs, cuts), format(query)).toEqual(expected);
        },
      ),
      { seed: 2212, numRuns: 300 },
    );
    expect(alerts).toBeGreaterThan(100);
  });

  it('keeps what a rule`s pipes hold: a head that has given its alerts, a tail holding some', () => {
    const set = new RuleSet([testRule('head', 'a where true | head 1'), testRule('tail', 'a where true | tail 2')]);
    const events: Event[] = [1, 2, 3, 4].map((t) => ({ '@timestamp': t, event: { category: 'a' }, n: t }));
    const m = set.matcher();
    expect(m.push(events[0]!).map((a) => a.rule.rule_id)).toEqual(['head']);
    m.push(events[1]!);
    const r = set.matcher();
    r.restore(JSON.stringify(m.snapshot()));
    expect(r.push(events[2]!)).toEqual([]);
    r.push(events[3]!);
    expect(r.flush().map((a) => [a.rule.rule_id, a.events[0]!.n])).toEqual([
      ['tail', 3],
      ['tail', 4],
    ]);
    expect(r.stats()).toMatchObject({ eventsSeen: 4, alerts: 3 });
  });
});

/** The error a call throws, which must be an EqlSnapshotError. */
function snapshotError(f: () => void): EqlSnapshotError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(EqlSnapshotError);
    return e as EqlSnapshotError;
  }
  throw new Error('expected an EqlSnapshotError');
}

describe('a RuleSet matcher refuses', () => {
  const a = testRule('a', 'sequence by k [a where true] [b where true]');
  const b = testRule('b', 'sample by k [a where true] [b where true]');
  const taken = new RuleSet([a, b]).matcher();
  taken.push({ '@timestamp': 1, event: { category: 'a' }, k: 1 });
  const text = JSON.stringify(taken.snapshot());

  it.each<[string, Rule[]]>([
    ['other rules', [a]],
    ['the rules in another order', [b, a]],
    ['a rule with another look-back', [testRule('a', 'sequence by k [a where true] [b where true]', 'from = "now-1h"'), b]],
    ['a rule with another id', [testRule('c', 'sequence by k [a where true] [b where true]'), b]],
  ])('a snapshot of %s', (_name, rules) => {
    const e = snapshotError(() => new RuleSet(rules).matcher().restore(text));
    expect(e.code).toBe('EQL_SNAPSHOT_MISMATCH');
    expect(e.message).toMatch(/other rules/);
  });

  it('but not a set of the same rules loaded again, with other descriptions and tags', () => {
    const again = new RuleSet([testRule('a', 'sequence by k\n  [a where true]\n  [b where true]', 'description = "described now"\ntags = ["new"]'), b]).matcher();
    again.restore(text);
    expect(again.push({ '@timestamp': 2, event: { category: 'b' }, k: 1 })).toHaveLength(1);
  });

  it('a snapshot of a query matcher, and gives a query matcher none of its own', () => {
    const query = compile('sequence by k [a where true] [b where true]');
    expect(snapshotError(() => new RuleSet([a]).matcher().restore(query.matcher().snapshot() as never)).message).toMatch(/taken from a query matcher/);
    expect(snapshotError(() => query.matcher().restore(text as never)).message).toMatch(/taken from a RuleSet matcher/);
  });

  it.each<[string, (s: Edited) => void, string]>([
    ['a list of another length', (s) => s.state.rules.push(null), '$.state.rules'],
    ['pipes on a rule without them', (s) => (s.state.rules[1] = { runner: null, pipes: { stages: [], held: [] } }), '$.state.rules[1].pipes'],
    ['stats that disagree', (s) => (s.stats.pendingSequences = 4), '$.stats.pendingSequences'],
  ])('%s, as corrupt', (_name, change, path) => {
    const s = JSON.parse(text);
    change(s);
    const e = snapshotError(() => new RuleSet([a, b]).matcher().restore(s));
    expect(e.code).toBe('EQL_SNAPSHOT_CORRUPT');
    expect(e.path).toBe(path);
  });

  it('saved pipes that are not those of the rule, as corrupt', () => {
    const set = new RuleSet([testRule('h', 'a where true | head 3')]);
    const m = set.matcher();
    m.push({ '@timestamp': 1, event: { category: 'a' } });
    const s = JSON.parse(JSON.stringify(m.snapshot()));
    expect(s.state.rules[0].pipes).toEqual({ stages: [2], held: [] });
    s.state.rules[0].pipes.stages = [7];
    const e = snapshotError(() => set.matcher().restore(s));
    expect(e.code).toBe('EQL_SNAPSHOT_CORRUPT');
    expect(e.message).toMatch(/head 3/);
  });
});

const corpus = sharedPath('the corpus RuleSet snapshot test', 'corpus', 'detection-rules');

describe.runIf(corpus !== null)('the corpus RuleSet restored from a snapshot', () => {
  it('continues exactly at each of a few cuts, with live sequence state there', () => {
    const set = new RuleSet(loadRules(corpus!).rules);
    const events = [...generateEvents({ count: 6000, hosts: 40, seed: 23, plantRate: 0.05 })].map((e) => JSON.parse(JSON.stringify(e)) as Event);
    const inputs = events.map((event) => ({ event }));
    const cuts = [1000, 2500, 4999];
    for (const options of [{}, { reorderWindow: '100ms' }] satisfies StreamOptions[]) {
      const make = setMatcher(set, options);
      const expected = whole(make, inputs, cuts);
      for (const s of expected.statsAtCuts) expect((s as { pendingSequences: number }).pendingSequences).toBeGreaterThan(50);
      expect(expected.results.length).toBeGreaterThan(40);
      const got = split(make, inputs, cuts);
      // Alerts compared whole (ids, rules, events, keys, times), in order.
      const texts = (alerts: Alert[]) => alerts.map((alert) => JSON.stringify(alert));
      expect(texts(got.results)).toEqual(texts(expected.results));
      expect(got.stats).toEqual(expected.stats);
      expect(got.statsAtCuts).toEqual(expected.statsAtCuts);
      expect(got.reports).toEqual(expected.reports);
    }
  }, 120_000);
});

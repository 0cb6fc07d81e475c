/**
 * Explain never disagrees with run: over the corpus rules, on events built
 * from each rule's own literals, explain says "matched" for exactly the
 * events (event queries) or keys (sequences, samples) that the rule alerts
 * on, as a batch (`Rule.run`) and as a stream (a RuleSet's matcher, what
 * `eqlkit run` runs); and every filter's tree comes to the compiled
 * filter's answer on every event.
 */
import { parseToml } from '../../src/rules/toml.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Alert, bundledRules, bundledRulesDir, explain, type Explanation, loadRules, type Rule, RuleSet } from '../../src/index.js';
import { explainableQuery } from '../../src/compile/explainable.js';
import { filtersOf } from '../../src/compile/plan.js';
import { FilterTracer } from '../../src/explain/trace.js';
import { sharedPath } from '../helpers/shared.js';
import { deriveEvents } from './derived-events.js';

type Events = Record<string, unknown>[];

/** What explain says matched: event positions, or keys. */
function explainedMatches(e: Explanation): string[] {
  if (e.kind === 'event') return e.events.filter((v) => v.matched).map((v) => `#${v.event.index}`);
  return e.keys.filter((k) => k.matched).map((k) => JSON.stringify(k.key));
}

/** What the alerts say matched, in the same terms. */
function alertedMatches(kind: Explanation['kind'], alerts: readonly Alert[], events: Events): string[] {
  if (kind === 'event') return alerts.map((a) => `#${events.indexOf(a.events[0] as Record<string, unknown>)}`);
  return [...new Set(alerts.map((a) => JSON.stringify(a.join_keys)))];
}

const sorted = (xs: string[]): string[] => [...xs].sort();

/** The alerts of a RuleSet's matcher over the events in time order, as `eqlkit run` sorts files and feeds it. */
function streamAlerts(rule: Rule, events: Events): Alert[] {
  const m = new RuleSet([rule]).matcher({ onError: (e) => expect.fail(e.message) });
  const out: Alert[] = [];
  const time = (e: Record<string, unknown>) => Date.parse(String(e['@timestamp']));
  for (const e of [...events].sort((a, b) => time(a) - time(b))) out.push(...m.push(e));
  out.push(...m.flush());
  return out;
}

const compileOptionsOf = (rule: Rule) => {
  const o = rule.compiled.plan.options;
  return { timestampField: o.timestampField, tiebreakerField: o.tiebreakerField ?? undefined, eventCategoryField: o.eventCategoryField, schema: o.schema };
};

const rulesDir = sharedPath('the explain agreement test over the corpus', 'corpus', 'detection-rules');

describe.skipIf(!rulesDir)('explain and run over the corpus rules', () => {
  let cases: Array<{ rule: Rule; events: Events }> = [];

  beforeAll(() => {
    const { rules } = loadRules([rulesDir!]);
    cases = rules.filter((r) => r.executable).map((rule) => ({ rule, events: deriveEvents(rule.query!, compileOptionsOf(rule)) }));
  });

  it('says matched for exactly what the rule alerts on, as a batch', () => {
    const disagreements: string[] = [];
    const figures = { rules: 0, alerting: 0, matched: 0, unmatched: 0 };
    for (const { rule, events } of cases) {
      const e = explain(rule, events, { limit: Infinity, candidates: 1 });
      const said = sorted(explainedMatches(e));
      const alerted = sorted(alertedMatches(e.kind, rule.run(events), events));
      if (JSON.stringify(said) !== JSON.stringify(alerted)) disagreements.push(`${rule.file}: explain ${said.join(' ')} / run ${alerted.join(' ')}`);
      figures.rules++;
      if (alerted.length > 0) figures.alerting++;
      figures.matched += said.length;
      figures.unmatched += (e.kind === 'event' ? e.events.length : e.keys.length) - said.length;
    }
    expect(disagreements).toEqual([]);
    console.info(`explain agrees with run on ${figures.rules} rules (${figures.alerting} alerting): ${figures.matched} matched and ${figures.unmatched} unmatched events or keys`);
    // The derived events exercise both verdicts on most rules.
    expect(figures.rules).toBeGreaterThan(1000);
    expect(figures.alerting).toBeGreaterThan(600);
  });

  it('says matched for exactly what the rule alerts on, as a stream (what eqlkit run runs)', () => {
    const disagreements: string[] = [];
    let keyed = 0;
    for (const { rule, events } of cases) {
      if (rule.compiled.kind === 'event') continue;
      keyed++;
      const e = explain(rule, events, { limit: Infinity, candidates: 1, stream: true });
      const said = sorted(explainedMatches(e));
      const alerted = sorted(alertedMatches(e.kind, streamAlerts(rule, events), events));
      if (JSON.stringify(said) !== JSON.stringify(alerted)) disagreements.push(`${rule.file}: explain ${said.join(' ')} / run ${alerted.join(' ')}`);
    }
    expect(disagreements).toEqual([]);
    expect(keyed).toBeGreaterThan(200);
  });

  it('gives each filter’s tree the compiled filter’s answer on every event', () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const { rule, events } of cases) {
      const q = explainableQuery(rule.query!, compileOptionsOf(rule));
      const tracer = new FilterTracer(q);
      const filters = filtersOf(rule.compiled.plan);
      for (const event of events) {
        filters.forEach((f, i) => {
          checked++;
          if (tracer.trace(i, event).result !== f.matches(event)) wrong.push(`${rule.file}: filter ${i} on ${JSON.stringify(event)}`);
        });
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(10_000);
  });
});

describe('explain and run over the bundled rule and its sample events', () => {
  const [rule] = bundledRules();
  const dir = bundledRulesDir();
  const events = readFileSync(join(dir, 'windows', 'lateral_movement_incoming_wmi.events.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  // The alerts its rule test expects, by event.id.
  const test = parseToml(readFileSync(join(dir, 'windows', 'lateral_movement_incoming_wmi.test.toml'), 'utf8')) as { case: Array<{ alerts: string[][] }> };
  const expected = { expected_alerts: test.case[0]!.alerts };

  it.each([false, true])('matches the alerts expected of it (stream: %s)', (stream) => {
    const e = explain(rule!, events, { limit: Infinity, stream });
    if (e.kind !== 'sequence') throw new Error('a sequence');
    const ids = (k: (typeof e.keys)[number]) => k.filled.map((f) => (f.event.event as { event: { id: string } }).event.id);
    expect(e.keys.filter((k) => k.matched).map(ids)).toEqual(expected.expected_alerts);
    expect(sorted(explainedMatches(e))).toEqual(sorted(alertedMatches('sequence', rule!.run(events), events)));
  });

  it('tells each near miss apart', () => {
    const e = explain(rule!, events, { limit: Infinity });
    if (e.kind !== 'sequence') throw new Error('a sequence');
    const byKey = new Map(e.keys.map((k) => [k.key[0], k]));
    expect(byKey.get('host-05')!.reason).toMatchObject({ kind: 'maxspan', maxspan: '2s', elapsed: '2.001s' });
    expect(byKey.get('host-07')!.next!.candidates[0]!.filter.failed.map((f) => f.text)).toEqual(['source.ip != "127.0.0.1"']);
    expect(byKey.get('host-12')!.next!.candidates[0]!.filter.failed.map((f) => f.kind)).toEqual(['not']);
  });
});

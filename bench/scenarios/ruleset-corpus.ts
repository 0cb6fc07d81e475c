/**
 * Scenario 4: a RuleSet of every corpus EQL rule over scenario 2's 1 M events,
 * one pass of all rules at once (after a warm-up), against the sum of running
 * each rule alone on a 100 k sample.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules, RuleSet } from '../../src/index.js';
import { memoryEvents } from '../events.js';
import { sharedDir } from '../paths.js';
import type { Scenario } from '../types.js';
import { round } from '../timing.js';

const CORPUS = join(sharedDir, 'corpus', 'detection-rules');

export const rulesetCorpus: Scenario = {
  name: 'ruleset-corpus',
  title: 'RuleSet of all corpus rules in one pass',
  run({ quick }) {
    if (!existsSync(CORPUS)) return { skipped: '../shared/corpus is missing' };
    const t0 = process.hrtime.bigint();
    const { rules, errors } = loadRules(CORPUS);
    const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
    // The same 1 M events as scenario 2: four passes over its 250 k, each with
    // a matcher of its own. Holding a million parsed events at once would make
    // every major collection mark 600 MB that a stream never holds.
    const events = memoryEvents(quick ? 10_000 : 250_000);
    const passes = quick ? 1 : 4;
    const set = new RuleSet(rules);
    // Warm-up on a tenth of the events, with a matcher of its own, so the figure is the steady state.
    const warm = set.matcher();
    for (const e of events.slice(0, events.length / 10)) warm.push(e);
    warm.flush();
    const matchers = Array.from({ length: passes }, () => set.matcher());
    let alerts = 0;
    const t1 = process.hrtime.bigint();
    for (const m of matchers) {
      for (const e of events) alerts += m.push(e).length;
      alerts += m.flush().length;
    }
    const seconds = Number(process.hrtime.bigint() - t1) / 1e9;
    const pushed = events.length * passes;
    const dispatched = matchers.reduce((sum, m) => sum + m.stats().dispatched, 0);

    // Each rule alone over a sample: the cost the RuleSet must beat.
    const sample = events.slice(0, quick ? 1_000 : 100_000);
    const t2 = process.hrtime.bigint();
    for (const r of set.rules) {
      const rm = r.compiled.matcher();
      for (const e of sample) rm.push(e);
      rm.flush();
    }
    const aloneSeconds = Number(process.hrtime.bigint() - t2) / 1e9;
    return {
      figures: {
        rules: set.rules.length,
        loadErrors: errors.length,
        loadMs: round(loadMs),
        events: pushed,
        alerts,
        eventsPerSecond: Math.round(pushed / seconds),
        dispatchedPerEvent: round(dispatched / pushed, 1),
        aloneSumEventsPerSecond: Math.round(sample.length / aloneSeconds),
        speedupOverAlone: round(pushed / seconds / (sample.length / aloneSeconds), 1),
        targetEventsPerSecond: 100_000,
      },
    };
  },
};

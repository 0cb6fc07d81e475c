/**
 * Scenario 4: a RuleSet of every corpus EQL rule over the same events in one
 * pass (after a warm-up on a tenth of them), against the sum of running each
 * rule alone on a sample.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadRules, RuleSet } from '../../src/index.js';
import { memoryEvents } from '../events.js';
import type { Scenario } from '../types.js';
import { round } from '../timing.js';

const CORPUS = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..', '..', 'shared', 'corpus', 'detection-rules');

export const rulesetCorpus: Scenario = {
  name: 'ruleset-corpus',
  title: 'RuleSet of all corpus rules in one pass',
  run({ quick }) {
    if (!existsSync(CORPUS)) return { skipped: '../shared/corpus is missing' };
    const t0 = process.hrtime.bigint();
    const { rules, errors } = loadRules(CORPUS);
    const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
    const events = memoryEvents(quick ? 20_000 : 250_000);
    const set = new RuleSet(rules);
    // Warm-up on a tenth of the events, with a matcher of its own, so the figure is the steady state.
    const warm = set.matcher();
    for (const e of events.slice(0, events.length / 10)) warm.push(e);
    warm.flush();
    const m = set.matcher();
    let alerts = 0;
    const t1 = process.hrtime.bigint();
    for (const e of events) alerts += m.push(e).length;
    alerts += m.flush().length;
    const seconds = Number(process.hrtime.bigint() - t1) / 1e9;

    // Each rule alone over a sample: the cost the RuleSet must beat.
    const sample = events.slice(0, quick ? 2_000 : 20_000);
    const t2 = process.hrtime.bigint();
    for (const r of set.rules) {
      const rm = r.compiled.matcher();
      for (const e of sample) rm.push(e);
      rm.flush();
    }
    const aloneSeconds = Number(process.hrtime.bigint() - t2) / 1e9;
    const setOnSample = m.stats();
    return {
      figures: {
        rules: set.rules.length,
        loadErrors: errors.length,
        loadMs: round(loadMs),
        events: events.length,
        alerts,
        eventsPerSecond: Math.round(events.length / seconds),
        dispatchedPerEvent: round(setOnSample.dispatched / events.length, 1),
        aloneSumEventsPerSecond: Math.round(sample.length / aloneSeconds),
        speedupOverAlone: round(events.length / seconds / (sample.length / aloneSeconds), 1),
        targetEventsPerSecond: 100_000,
      },
    };
  },
};

/**
 * Scenario 2: the bundled rule over 1 million pre-parsed events through
 * matcher().push. Baseline: a plain loop that reads event.category from each
 * event; a second one, hand-written code for the rule's first tests. Events
 * are held in memory as 4 passes over 250,000 (a fresh matcher per pass, so
 * timestamps stay in order). Also timed with the opt-in lazyTimestamps.
 */
import { compile } from '../../src/index.js';
import { bundledRuleQuery } from '../bundled-rule.js';
import { memoryEvents } from '../events.js';
import type { Scenario } from '../types.js';
import { round } from '../timing.js';

type Json = Record<string, any>;
const includes = (v: unknown, x: string) => v === x || (Array.isArray(v) && v.includes(x));
const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : '');

function handWritten(e: Json): boolean {
  const ts = e['@timestamp'];
  if (typeof ts !== 'string' || ts.charCodeAt(ts.length - 1) !== 90) return false;
  const c = e.event?.category;
  if (includes(c, 'network')) return e.host?.os?.type === 'windows' && lower(e.process?.name) === 'svchost.exe';
  if (includes(c, 'process')) return e.host?.os?.type === 'windows' && includes(e.event?.type, 'start') && lower(e.process?.parent?.name) === 'wmiprvse.exe';
  return false;
}

export const bundledRuleMemory: Scenario = {
  name: 'bundled-rule-memory',
  title: 'Bundled rule over 1M in-memory events (matcher.push)',
  run({ quick }) {
    const batch = memoryEvents(quick ? 25_000 : 250_000);
    const passes = 4;
    const q = compile(bundledRuleQuery());
    // Baseline: touch each event's category, as the cheapest possible filter would.
    let sink = 0;
    const b0 = process.hrtime.bigint();
    for (let p = 0; p < passes; p++) {
      for (const e of batch) {
        const c = (e.event as { category?: unknown } | undefined)?.category;
        if (Array.isArray(c) && c[0] === 'network') sink++;
      }
    }
    const baseSeconds = Number(process.hrtime.bigint() - b0) / 1e9;
    // A second, higher bar: what hand-written code for the rule's first tests
    // costs (the timestamp touched, the category, the OS, the process names,
    // compared without case); no engine in JavaScript can beat it by much.
    const h0 = process.hrtime.bigint();
    for (let p = 0; p < passes; p++) {
      for (const e of batch) if (handWritten(e)) sink++;
    }
    const handSeconds = Number(process.hrtime.bigint() - h0) / 1e9;
    let matches = 0;
    const t0 = process.hrtime.bigint();
    for (let p = 0; p < passes; p++) {
      const m = q.matcher();
      for (const e of batch) matches += m.push(e).length;
      matches += m.flush().length;
    }
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    // The same with lazyTimestamps (opt-in: times read only for events a stage
    // uses, so bad times elsewhere go unreported); the target is for the default.
    let lazyMatches = 0;
    const l0 = process.hrtime.bigint();
    for (let p = 0; p < passes; p++) {
      const m = q.matcher({ lazyTimestamps: true });
      for (const e of batch) lazyMatches += m.push(e).length;
      lazyMatches += m.flush().length;
    }
    const lazySeconds = Number(process.hrtime.bigint() - l0) / 1e9;
    if (lazyMatches !== matches) throw new Error(`lazyTimestamps changed the matches: ${lazyMatches} against ${matches}`);
    const events = batch.length * passes;
    return {
      figures: {
        events,
        matches,
        eventsPerSecond: Math.round(events / seconds),
        baselineEventsPerSecond: Math.round(events / baseSeconds),
        ratioToBaseline: round(baseSeconds / seconds, 3),
        handWrittenEventsPerSecond: Math.round(events / handSeconds),
        ratioToHandWritten: round(handSeconds / seconds, 3),
        targetEventsPerSecond: 5_000_000,
        lazyTimestampsEventsPerSecond: Math.round(events / lazySeconds),
        lazyTimestampsRatioToBaseline: round(baseSeconds / lazySeconds, 3),
        sink,
      },
    };
  },
};

/**
 * Scenario 2: the bundled rule over 1 million pre-parsed events through
 * matcher().push. Baseline: a plain loop that reads event.category from each
 * event; a second one, hand-written code for the rule's first tests. Events
 * are held in memory as 4 passes over 250,000 (a fresh matcher per pass, so
 * timestamps stay in order). Also timed with the opt-in lazyTimestamps.
 *
 * A third bar, the hand-written code with the one thing it skips and the
 * engine may not: each event's time read and its order checked, as the
 * default stream must do to report unreadable and late events. It bounds
 * what any engine doing that job can reach on the machine of the run.
 */
import { compile } from '../../src/index.js';
import { bundledRuleQuery } from '../bundled-rule.js';
import { memoryEvents } from '../events.js';
import { readEventTime } from '../../src/engine/order.js';
import type { Scenario } from '../types.js';
import { round } from '../timing.js';

// biome-ignore lint/suspicious/noExplicitAny: generated events are read by dotted paths of any shape
type Json = Record<string, any>;
const includes = (v: unknown, x: string) => v === x || (Array.isArray(v) && v.includes(x));
const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : '');

/** The rule's first tests: the category, the OS, the process names compared without case. */
function ruleTests(e: Json): boolean {
  const c = e.event?.category;
  if (includes(c, 'network')) return e.host?.os?.type === 'windows' && lower(e.process?.name) === 'svchost.exe';
  if (includes(c, 'process')) return e.host?.os?.type === 'windows' && includes(e.event?.type, 'start') && lower(e.process?.parent?.name) === 'wmiprvse.exe';
  return false;
}

/** The rule's first tests after the timestamp is touched. */
function handWritten(e: Json): boolean {
  const ts = e['@timestamp'];
  if (typeof ts !== 'string' || ts.charCodeAt(ts.length - 1) !== 90) return false;
  return ruleTests(e);
}

/** The rule's first tests, after the time is read and checked against the last event's (no allocation beyond the reader's). */
function handWrittenTimeChecked(e: Json, last: { ms: number; ns: number; bad: number }): boolean {
  const t = readEventTime(e['@timestamp']);
  if (t === null || t.ms < last.ms || (t.ms === last.ms && t.ns < last.ns)) {
    last.bad++;
    return false;
  }
  last.ms = t.ms;
  last.ns = t.ns;
  return ruleTests(e);
}

export const bundledRuleMemory: Scenario = {
  name: 'bundled-rule-memory',
  title: 'Bundled rule over 1M in-memory events (matcher.push)',
  run({ quick }) {
    const batch = memoryEvents(quick ? 25_000 : 250_000);
    const passes = 4;
    const q = compile(bundledRuleQuery());
    let sink = 0;
    let matches = 0;
    let lazyMatches = 0;
    // One pass of each over the batch. Each is warmed up once, then the passes
    // run in turns, so that none gains from the heap or the JIT state another
    // left behind (stop 15 timed lazyTimestamps last, which flattered it).
    const variants = {
      // Baseline: touch each event's category, as the cheapest possible filter would.
      baseline: () => {
        for (const e of batch) {
          const c = (e.event as { category?: unknown } | undefined)?.category;
          if (Array.isArray(c) && c[0] === 'network') sink++;
        }
      },
      // A higher bar: hand-written code for the rule's first tests (the
      // timestamp touched, the category, the OS, the process names compared
      // without case); no engine in JavaScript can beat it by much.
      handWritten: () => {
        for (const e of batch) if (handWritten(e)) sink++;
      },
      handWrittenTimeChecked: () => {
        const last = { ms: -Infinity, ns: 0, bad: 0 };
        for (const e of batch) if (handWrittenTimeChecked(e, last)) sink++;
        if (last.bad > 0) throw new Error(`the generated events are out of order (${last.bad})`);
      },
      engine: () => {
        const m = q.matcher();
        for (const e of batch) matches += m.push(e).length;
        matches += m.flush().length;
      },
      // Opt-in: times read only for events a stage uses, so bad times
      // elsewhere go unreported; the target is for the default.
      lazyTimestamps: () => {
        const m = q.matcher({ lazyTimestamps: true });
        for (const e of batch) lazyMatches += m.push(e).length;
        lazyMatches += m.flush().length;
      },
    };
    const names = Object.keys(variants) as (keyof typeof variants)[];
    for (const name of names) variants[name]();
    matches = 0;
    lazyMatches = 0;
    const seconds = Object.fromEntries(names.map((n) => [n, 0])) as Record<keyof typeof variants, number>;
    for (let p = 0; p < passes; p++) {
      for (const name of names) {
        const t0 = process.hrtime.bigint();
        variants[name]();
        seconds[name] += Number(process.hrtime.bigint() - t0) / 1e9;
      }
    }
    if (lazyMatches !== matches) throw new Error(`lazyTimestamps changed the matches: ${lazyMatches} against ${matches}`);
    const events = batch.length * passes;
    const rate = (s: number) => Math.round(events / s);
    return {
      figures: {
        events,
        matches,
        eventsPerSecond: rate(seconds.engine),
        baselineEventsPerSecond: rate(seconds.baseline),
        ratioToBaseline: round(seconds.baseline / seconds.engine, 3),
        handWrittenEventsPerSecond: rate(seconds.handWritten),
        ratioToHandWritten: round(seconds.handWritten / seconds.engine, 3),
        handWrittenTimeCheckedEventsPerSecond: rate(seconds.handWrittenTimeChecked),
        ratioToHandWrittenTimeChecked: round(seconds.handWrittenTimeChecked / seconds.engine, 3),
        targetEventsPerSecond: 5_000_000,
        lazyTimestampsEventsPerSecond: rate(seconds.lazyTimestamps),
        lazyTimestampsRatioToBaseline: round(seconds.baseline / seconds.lazyTimestamps, 3),
        sink,
      },
    };
  },
};

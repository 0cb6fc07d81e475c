/**
 * State snapshots: the RuleSet of every corpus rule over scenario 2's events
 * (the events of scenario 4), a snapshot taken halfway with the sequences
 * live then, and restored into a fresh matcher. Snapshot and restore time
 * and size (and how much of it the events are), and their ratios to the time the matcher took to process the
 * events before the snapshot, in the same run. Both matchers then take the
 * second half, and their alerts are compared.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Event, loadRules, RuleSet, type RuleSetMatcher } from '../../src/index.js';
import { memoryEvents } from '../events.js';
import { sharedDir } from '../paths.js';
import type { Scenario } from '../types.js';
import { round } from '../timing.js';

const CORPUS = join(sharedDir, 'corpus', 'detection-rules');

const msSince = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

/** The fastest of `runs` timings of `fn`, and its last result. */
function fastest<T>(runs: number, fn: () => T): { ms: number; value: T } {
  let ms = Infinity;
  let value: T | undefined;
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    value = fn();
    ms = Math.min(ms, msSince(t0));
  }
  return { ms, value: value as T };
}

function pushAll(m: RuleSetMatcher, events: readonly Event[]): string[] {
  const ids: string[] = [];
  for (const e of events) for (const a of m.push(e)) ids.push(a.id);
  for (const a of m.flush()) ids.push(a.id);
  return ids;
}

export const snapshot: Scenario = {
  name: 'snapshot',
  title: 'State snapshots of the corpus RuleSet mid-stream',
  run({ quick }) {
    if (!existsSync(CORPUS)) return { skipped: '../shared/corpus is missing' };
    const set = new RuleSet(loadRules(CORPUS).rules);
    const events = memoryEvents(quick ? 20_000 : 250_000);
    const half = events.length / 2;
    const runs = quick ? 2 : 5;

    // Warm-up over the same first half, with a matcher of its own, so that the
    // processing figure is the steady state's (as scenario 4's); then a snapshot
    // and restore of it (the first snapshot of a set also works out the set's
    // identity: timed apart).
    let warm: RuleSetMatcher | null = set.matcher();
    for (let i = 0; i < half; i++) warm.push(events[i]!);
    const t0 = process.hrtime.bigint();
    const first = warm.snapshot();
    const firstSnapshotMs = msSince(t0);
    set.matcher().restore(JSON.parse(JSON.stringify(first)));
    warm = null;

    const m = set.matcher();
    const t1 = process.hrtime.bigint();
    for (let i = 0; i < half; i++) m.push(events[i]!);
    const processMs = msSince(t1);
    const stats = m.stats();

    const taken = fastest(runs, () => m.snapshot());
    const text = fastest(runs, () => JSON.stringify(taken.value));
    const bytes = Buffer.byteLength(text.value);
    const gzip = fastest(runs, () => gzipSync(text.value));
    const parsed = fastest(runs, () => JSON.parse(text.value) as unknown);
    // A fresh matcher for each restore, made outside the timing.
    let restoreMs = Infinity;
    let restored: RuleSetMatcher | undefined;
    for (let i = 0; i < runs; i++) {
      const fresh = set.matcher();
      const t2 = process.hrtime.bigint();
      fresh.restore(parsed.value as never);
      restoreMs = Math.min(restoreMs, msSince(t2));
      restored = fresh;
    }

    // Both go on over the second half: the alerts must be the same.
    const rest = events.slice(half);
    const t3 = process.hrtime.bigint();
    const continued = pushAll(m, rest);
    const secondHalfMs = msSince(t3);
    const fromSnapshot = pushAll(restored!, rest);
    const same = continued.length === fromSnapshot.length && continued.every((id, i) => id === fromSnapshot[i]);

    const perEventMs = processMs / half;
    const saveMs = taken.ms + text.ms;
    const loadMs = parsed.ms + restoreMs;
    return {
      figures: {
        rules: set.rules.length,
        eventsBeforeSnapshot: half,
        pendingSequences: stats.pendingSequences,
        eventsHeld: taken.value.events.length,
        processMs: round(processMs),
        eventsPerSecond: Math.round(half / (processMs / 1000)),
        firstSnapshotMs: round(firstSnapshotMs),
        snapshotMs: round(taken.ms),
        stringifyMs: round(text.ms),
        snapshotBytes: bytes,
        bytesPerEventHeld: Math.round(bytes / Math.max(1, taken.value.events.length)),
        eventsShareOfBytes: round(Buffer.byteLength(JSON.stringify(taken.value.events)) / bytes, 3),
        gzipBytes: gzip.value.length,
        gzipMs: round(gzip.ms),
        parseMs: round(parsed.ms),
        restoreMs: round(restoreMs),
        saveToTextMs: round(saveMs),
        loadFromTextMs: round(loadMs),
        saveInEventsProcessed: Math.round(saveMs / perEventMs),
        loadInEventsProcessed: Math.round(loadMs / perEventMs),
        saveOverProcessing: round(saveMs / processMs, 4),
        loadOverProcessing: round(loadMs / processMs, 4),
        secondHalfEventsPerSecond: Math.round(rest.length / (secondHalfMs / 1000)),
        alertsAfter: continued.length,
        restoredGivesSameAlerts: same,
      },
    };
  },
};

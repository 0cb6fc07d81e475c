/**
 * Running a stream whole, or cut at given places with the matcher's
 * snapshot going through JSON text into a fresh matcher at each cut: for
 * tests that a restored matcher continues exactly.
 */
import { expect } from 'vitest';
import type { Event } from '../../src/index.js';

/** One input of a stream: an event for `push`, or a line for `pushLine`. */
export type Input = { readonly event: unknown } | { readonly line: string };

export interface Snapshotting<R> {
  push(event: Event): R[];
  pushLine(line: string): R[];
  flush(): R[];
  stats(): object;
  snapshot(): unknown;
  restore(snapshot: never): void;
}

/** What a run gives: results, the events reported to onError and onLate, the stats at each cut and at the end. */
export interface Outcome<R> {
  readonly results: R[];
  readonly reports: string[];
  readonly statsAtCuts: object[];
  readonly stats: object;
}

export type Make<R> = (report: (e: { code: string; index: number }) => void) => Snapshotting<R>;

export function feed<R>(m: Snapshotting<R>, inputs: readonly Input[], into: R[]): void {
  for (const input of inputs) into.push(...('line' in input ? m.pushLine(input.line) : m.push(input.event as Event)));
}

/** The inputs through one matcher. */
export function whole<R>(make: Make<R>, inputs: readonly Input[], cuts: readonly number[]): Outcome<R> {
  const reports: string[] = [];
  const m = make((e) => reports.push(`${e.code}@${e.index}`));
  const results: R[] = [];
  const statsAtCuts: object[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    feed(m, inputs.slice(from, cut), results);
    from = cut;
    statsAtCuts.push(m.stats());
  }
  feed(m, inputs.slice(from), results);
  results.push(...m.flush());
  return { results, reports, statsAtCuts, stats: m.stats() };
}

/**
 * The inputs cut at `cuts`: at each cut the matcher's snapshot goes through
 * JSON text into a fresh matcher, which takes the next part. Checks on the
 * way that a restored matcher's own snapshot is the one it was given.
 */
export function split<R>(make: Make<R>, inputs: readonly Input[], cuts: readonly number[]): Outcome<R> {
  const reports: string[] = [];
  const report = (e: { code: string; index: number }) => reports.push(`${e.code}@${e.index}`);
  let m = make(report);
  const results: R[] = [];
  const statsAtCuts: object[] = [];
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    feed(m, inputs.slice(from, cut), results);
    from = cut;
    statsAtCuts.push(m.stats());
    const text = JSON.stringify(m.snapshot());
    m = make(report);
    m.restore(text as never);
    expect(JSON.stringify(m.snapshot())).toBe(text);
  }
  feed(m, inputs.slice(from), results);
  results.push(...m.flush());
  return { results, reports, statsAtCuts, stats: m.stats() };
}

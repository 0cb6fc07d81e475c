/**
 * Scenario 6: inputs that make backtracking matchers blow up, a very large
 * query, and a very large event. Figures are milliseconds per match and the
 * ratio to matching a plain literal of the same text, which shows the cost is
 * linear; for the event, the ratio of reading absent fields from it to
 * reading them from a small one, which shows that cost does not grow with
 * the parts of the event a query does not read.
 */
import { compile } from '../../src/index.js';
import type { Scenario } from '../types.js';
import { bestOf, round } from '../timing.js';

export const adversarial: Scenario = {
  name: 'adversarial',
  title: 'Pathological wildcards and regexes; a 50 KB query with a 2,600-item list; an event with a 1,000-key object',
  run({ quick }) {
    const passes = quick ? 3 : 10;
    const text = 'a'.repeat(10_000);
    const event = { x: text, event: { category: 'p' } };
    const literal = compile('p where x : "b"');
    const wildcard = compile('p where x : "*a*a*a*a*a*a*b"');
    const regex = compile('p where x regex "(a+)+b"');
    const times = (q: ReturnType<typeof compile>) =>
      bestOf(passes, () => {
        for (let i = 0; i < 100; i++) q.matches(event);
      }) / 100;
    const base = times(literal);
    const w = times(wildcard);
    const r = times(regex);
    const items = Array.from({ length: 2600 }, (_, i) => `"*\\\\Vendor${i}\\\\*.exe"`).join(', ');
    const big = `process where process.executable : (${items})`;
    const compileMs = bestOf(passes, () => compile(big));
    const bigQuery = compile(big);
    const matchMs = bestOf(passes, () => bigQuery.matches({ event: { category: 'process' }, process: { executable: 'C:\\Windows\\cmd.exe' } }));
    // An event with a 1,000-key object that no field of the query is under,
    // against the same event without it, for a query whose fields are absent.
    const absent = compile('process where event.outcome == "success" or process.code_signature.trusted == false');
    const small = { event: { category: 'process', type: 'start' }, process: { name: 'a.exe', parent: { name: 'b.exe' } } };
    const large = { ...small, winlog: { event_data: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, { v: i, s: `x${i}` }])) } };
    const absentTimes = (e: object) =>
      bestOf(passes, () => {
        for (let i = 0; i < 100; i++) absent.matches(e as Record<string, unknown>);
      }) / 100;
    const smallMs = absentTimes(small);
    const largeMs = absentTimes(large);
    return {
      figures: {
        wildcardMsPerMatch: round(w, 4),
        regexMsPerMatch: round(r, 4),
        wildcardToLiteralRatio: round(w / base, 1),
        regexToLiteralRatio: round(r / base, 1),
        bigQueryKB: round(big.length / 1024, 1),
        bigQueryCompileMs: round(compileMs),
        bigQueryMatchMs: round(matchMs, 3),
        largeEventMsPerMatch: round(largeMs, 4),
        largeToSmallEventRatio: round(largeMs / smallMs, 1),
      },
    };
  },
};

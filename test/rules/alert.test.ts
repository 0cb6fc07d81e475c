/** Alert times: ISO-8601 for every time an event can hold, those beyond a JavaScript Date's range included. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRule } from '../../src/index.js';
import { isoTimeOfMillis } from '../../src/rules/alert.js';
import { cliCapped, lines } from '../helpers/cli.js';

const DATE_LIMIT_MS = 8.64e15;
/** A Gregorian cycle: 400 years are always 146,097 days, so dates repeat with the year 400 on. */
const CYCLE_MS = 146_097 * 86_400_000;

/** An in-range ISO text with its year moved by `years`, written as toISOString writes years past four digits. */
function shiftYear(iso: string, years: number): string {
  const m = /^([+-]\d{6}|\d{4})(-.*)$/.exec(iso)!;
  const year = Number(m[1]) + years;
  const text = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : `${year < 0 ? '-' : '+'}${String(Math.abs(year)).padStart(6, '0')}`;
  return text + m[2]!;
}

describe('isoTimeOfMillis', () => {
  it('is toISOString within the range of a Date', () => {
    for (const ms of [0, -1, 1, 951_782_400_000, -62_135_596_800_001, 253_402_300_800_000, DATE_LIMIT_MS, -DATE_LIMIT_MS]) {
      expect(isoTimeOfMillis(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('goes on past it, a millisecond past either end', () => {
    expect(isoTimeOfMillis(DATE_LIMIT_MS + 1)).toBe('+275760-09-13T00:00:00.001Z');
    expect(isoTimeOfMillis(-DATE_LIMIT_MS - 1)).toBe('-271821-04-19T23:59:59.999Z');
  });

  it('gives the date 400 years on for a time a whole number of Gregorian cycles later, beyond the range', () => {
    fc.assert(
      fc.property(fc.integer({ min: -DATE_LIMIT_MS, max: DATE_LIMIT_MS }), fc.integer({ min: 1, max: 700 }), fc.boolean(), (ms, cycles, later) => {
        const shifted = later ? ms + cycles * CYCLE_MS : ms - cycles * CYCLE_MS;
        fc.pre(Math.abs(shifted) > DATE_LIMIT_MS && Math.abs(shifted) <= Number.MAX_SAFE_INTEGER);
        expect(isoTimeOfMillis(shifted)).toBe(shiftYear(new Date(ms).toISOString(), (later ? 400 : -400) * cycles));
      }),
      { seed: 26, numRuns: 2_000 },
    );
  });

  it('has an answer for any whole number of milliseconds', () => {
    expect(isoTimeOfMillis(1e20)).toBe('+3168875820-09-06T09:46:40.000Z');
    expect(isoTimeOfMillis(-1e20)).toBe('-3168871881-04-27T14:13:20.000Z');
    expect(isoTimeOfMillis(Number.MAX_VALUE)).toMatch(/^\+\d{290,}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });
});

const RULE = `[rule]
rule_id = "far"
name = "Far"
type = "eql"
language = "eql"
severity = "low"
risk_score = 21
query = '''
process where process.name == "cmd.exe"
'''
`;

/** Times of events beyond a Date's range, and the alert times they give. */
const FAR: Array<[unknown, string]> = [
  [DATE_LIMIT_MS + 1, '+275760-09-13T00:00:00.001Z'],
  ['8640000000000001.5', '+275760-09-13T00:00:00.001500000Z'],
  [-DATE_LIMIT_MS - 1, '-271821-04-19T23:59:59.999Z'],
  [2 ** 53, '+287396-10-12T08:59:00.992Z'],
  [1e20, '+3168875820-09-06T09:46:40.000Z'],
];

describe('an alert of an event beyond the range of a Date', () => {
  it.each(FAR)('at %j has the time %s', (time, iso) => {
    const rule = parseRule(RULE);
    const [alert] = rule.run([{ '@timestamp': time, event: { category: 'process' }, process: { name: 'cmd.exe' } }]);
    expect(alert).toMatchObject({ first_event_time: iso, last_event_time: iso });
  });

  it('is printed by eqlkit run in every format, without a crash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'eqlkit-far-times-'));
    try {
      writeFileSync(join(dir, 'far.toml'), RULE);
      const events = FAR.map(([time]) => JSON.stringify({ '@timestamp': time, event: { category: 'process' }, process: { name: 'cmd.exe' } }));
      writeFileSync(join(dir, 'far.ndjson'), `${events.join('\n')}\n`);
      for (const format of ['ndjson', 'table', 'csv', 'json']) {
        const r = await cliCapped(['run', join(dir, 'far.toml'), '--events', join(dir, 'far.ndjson'), '--format', format], { heapMb: 64, timeoutMs: 20_000 });
        expect(r.code).toBe(0);
        // In time order: the one before the range first.
        const expected = [FAR[2]![1], FAR[0]![1], FAR[1]![1], FAR[3]![1], FAR[4]![1]];
        if (format === 'ndjson') expect(lines(r.stdout).map((l) => JSON.parse(l).last_event_time)).toEqual(expected);
        else for (const iso of expected) expect(r.stdout).toContain(iso);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readEventTime } from '../../src/engine/order.js';
import { compile } from '../../src/index.js';
import { parseIsoSpan } from '../../src/semantics/types/date.js';

/** The full ISO parser's reading of a text, as an event time. */
function reference(text: string): { ms: number; ns: number } | null {
  const span = parseIsoSpan(text);
  if (!span) return null;
  const ms = span.start / 1_000_000n - (span.start % 1_000_000n < 0n ? 1n : 0n);
  return { ms: Number(ms), ns: Number(span.start - ms * 1_000_000n) };
}

const pad = (n: number, w: number) => String(n).padStart(w, '0');

describe('event timestamps', () => {
  it.each([
    ['2026-01-01T00:00:00Z', Date.UTC(2026, 0, 1), 0],
    ['2026-01-01T00:00:00.123Z', Date.UTC(2026, 0, 1) + 123, 0],
    ['2026-03-28T23:59:59.123456789Z', Date.UTC(2026, 2, 28, 23, 59, 59, 123), 456_789],
    ['2024-02-29T12:00:00Z', Date.UTC(2024, 1, 29, 12), 0],
    ['2026-12-31T23:00:00.5Z', Date.UTC(2026, 11, 31, 23, 0, 0, 500), 0],
    ['1969-12-31T23:59:59.999Z', -1, 0],
  ])('reads %s', (text, ms, ns) => {
    expect(readEventTime(text)).toEqual({ ms, ns });
  });

  it.each([
    '2026-02-30T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T00:60:00Z',
    '2026-01-0xT00:00:00Z',
    '2026-01-01T00:00:00.12aZ',
    '2026-01-01 00:00:00Z',
  ])('reads %s as the full parser does', (text) => {
    expect(readEventTime(text)).toEqual(reference(text));
  });

  it('agrees with the full ISO parser on UTC texts, whatever came before', () => {
    // The day of the previous text is remembered: interleave days and malformed texts.
    const text = fc
      .record({
        y: fc.constantFrom(1900, 1999, 2000, 2024, 2026),
        mo: fc.integer({ min: 0, max: 13 }),
        d: fc.constantFrom(0, 1, 15, 28, 29, 30, 31, 32),
        h: fc.integer({ min: 0, max: 24 }),
        mi: fc.integer({ min: 0, max: 60 }),
        s: fc.integer({ min: 0, max: 60 }),
        frac: fc.option(fc.stringMatching(/^[0-9]{1,9}$/)),
        junk: fc.option(fc.integer({ min: 0, max: 19 })),
      })
      .map(({ y, mo, d, h, mi, s, frac, junk }) => {
        const t = `${pad(y, 4)}-${pad(mo, 2)}-${pad(d, 2)}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}${frac === null ? '' : `.${frac}`}Z`;
        return junk === null ? t : `${t.slice(0, junk)}x${t.slice(junk + 1)}`;
      });
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 8 }), (texts) => {
        for (const t of texts) expect(readEventTime(t)).toEqual(reference(t));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('timestamps as Elasticsearch reads them (strict_date_optional_time, then epoch_millis)', () => {
  // 00:00 UTC on 1 January of a proleptic Gregorian year (Date.UTC would read 0–99 as 1900–1999).
  const Y = (y: number) => new Date(0).setUTCFullYear(y, 0, 1);
  it.each<[unknown, number | null, number]>([
    // Four digits are a year, as text and as a JSON number; fewer or more are milliseconds.
    ['2020', Date.UTC(2020, 0, 1), 0],
    [2020, Date.UTC(2020, 0, 1), 0],
    ['0123', Y(123), 0],
    [-1500, Y(-1500), 0],
    [999, 999, 0],
    [12345, 12345, 0],
    ['2020-03', Date.UTC(2020, 2, 1), 0],
    // Long epoch text is read exactly, and a bare trailing dot is allowed.
    // biome-ignore lint/correctness/noPrecisionLoss: the number a double holds for this text is the point
    ['12345678901234567', 12345678901234567, 0],
    ['123.', 123, 0],
    // Offsets up to ±18:00 only, and only after a time.
    ['2020-01-01T00:00:00+18:00', Date.UTC(2019, 11, 31, 6), 0],
    ['2020-01-01T00:00:00+19:00', null, 0],
    ['2020-01-01T00:00:00+01:60', null, 0],
    ['2020-01-01+01:00', null, 0],
    ['2020-01-01Z', null, 0],
    // A time comes after a T, and a dot needs a digit.
    ['2020-01-01 00:00:00Z', null, 0],
    ['2020-01-01T00:00:00.Z', null, 0],
  ])('%j', (value, ms, ns) => {
    expect(readEventTime(value)).toEqual(ms === null ? null : { ms, ns });
  });
});

describe('events without the tiebreaker', () => {
  // Elasticsearch sorts an event query ascending with nulls first, in the search itself;
  // a sequence orders its events in memory, with a missing tiebreaker last.
  const events = [
    { id: 'a', '@timestamp': 1, seq: 2, event: { category: 'process' } },
    { id: 'b', '@timestamp': 1, event: { category: 'process' } },
    { id: 'c', '@timestamp': 1, seq: 1, event: { category: 'process' } },
  ];
  const ids = (q: string, options = {}) =>
    compile(q, { tiebreakerField: 'seq' })
      .search(events, options)
      .map((m) => m.events.map((e) => e?.id).join(''));

  it.each([{}, { resultPosition: 'head' as const }, { size: 3 }])('come first among equal times in an event query (%j)', (options) => {
    expect(ids('process where true', options)).toEqual(['b', 'c', 'a']);
  });

  it('come last in a sequence', () => {
    expect(ids('sequence [process where true] [process where true]')).toEqual(['ca', 'ab']);
  });
});

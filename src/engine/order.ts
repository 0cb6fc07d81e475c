/**
 * Event order: by timestamp (nanosecond precision), then tiebreaker, then
 * arrival. Timestamps may be epoch milliseconds (numbers or text, text with a
 * fraction for nanoseconds) or ISO-8601 text.
 */
import { someValue, type RawField } from '../semantics/fields.js';
import { daysFromCivil, daysInMonth, floorMillis, parseEpochMillisSpan, parseIsoSpan } from '../semantics/types/date.js';

/** A point in time: whole milliseconds since the epoch plus nanoseconds within the millisecond. */
export interface EventTime {
  readonly ms: number;
  /** 0 to 999,999. */
  readonly ns: number;
}

const EPOCH_TEXT = /^-?\d{1,16}(?:\.\d{1,6})?$/;

/** Four digits are a year to Elasticsearch (strict_date_optional_time comes before epoch_millis), as text and as a JSON number. */
const YEAR_TEXT = /^-?\d{4}$/;

function fromSpan(span: { readonly start: bigint } | null): EventTime | null {
  if (!span) return null;
  const ms = floorMillis(span.start);
  return { ms: Number(ms), ns: Number(span.start - ms * 1_000_000n) };
}

function fromMillis(v: number): EventTime | null {
  if (!Number.isFinite(v)) return null;
  if (Number.isInteger(v) && Math.abs(v) >= 1000 && Math.abs(v) <= 9999) return fromSpan(parseIsoSpan(String(v)));
  const ms = Math.floor(v);
  return { ms, ns: Math.round((v - ms) * 1e6) };
}

/** Two decimal digits at i as a number, or -1 when either is not a digit. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

// Consecutive events nearly always fall on the same day: its start is worked
// out once and reused while the date stays the same (compared as one number,
// which is cheaper than comparing its text). A memo of a pure function of the
// date's digits, not per-event state: whatever runs in between, in whatever
// order, the answer for a date is the same; runners that alternate between
// days only work it out again.
let cachedDay = -1;
let cachedDayMs = 0;

/** Milliseconds of 00:00 UTC on the date in `s[0..10)` (YYYY-MM-DD), or -1. */
function dateStartMs(s: string): number {
  const hi = twoDigits(s, 0);
  const lo = twoDigits(s, 2);
  const mo = twoDigits(s, 5);
  const d = twoDigits(s, 8);
  if (hi < 0 || lo < 0 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || mo < 1 || mo > 12 || d < 1) return -1;
  const day = ((hi * 100 + lo) * 100 + mo) * 100 + d;
  if (day !== cachedDay) {
    const year = hi * 100 + lo;
    if (d > 28 && d > daysInMonth(year, mo)) return -1; // not a date: the full parser reports it
    cachedDayMs = daysFromCivil(year, mo, d) * 86_400_000;
    cachedDay = day;
  }
  return cachedDayMs;
}

/**
 * The common shape of event timestamps, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`,
 * read without regular expressions, big integers or allocation beyond the
 * result; anything else (or anything odd) falls back to the full ISO parser.
 */
function fromUtcIso(s: string): EventTime | null {
  const n = s.length;
  if (n < 20 || n > 30 || s.charCodeAt(n - 1) !== 90 /* Z */ || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) {
    return null;
  }
  const h = twoDigits(s, 11);
  const mi = twoDigits(s, 14);
  const sec = twoDigits(s, 17);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return null;
  let fracNs = 0;
  if (n > 20) {
    // A dot needs a digit after it (`…:00.Z` is not a time).
    if (s.charCodeAt(19) !== 46 /* . */ || n === 21) return null;
    let scale = 100_000_000;
    for (let i = 20; i < n - 1; i++) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return null;
      fracNs += c * scale;
      scale /= 10;
    }
  }
  const day = dateStartMs(s);
  if (day < 0) return null;
  const ms = day + ((h * 60 + mi) * 60 + sec) * 1000 + Math.floor(fracNs / 1e6);
  return { ms, ns: fracNs % 1_000_000 };
}

function fromText(s: string): EventTime | null {
  const fast = fromUtcIso(s);
  if (fast) return fast;
  if (YEAR_TEXT.test(s)) return fromSpan(parseIsoSpan(s));
  if (EPOCH_TEXT.test(s)) {
    const dot = s.indexOf('.');
    if (dot < 0) return { ms: Number(s), ns: 0 };
    const whole = Number(s.slice(0, dot));
    const frac = Number(s.slice(dot + 1).padEnd(6, '0'));
    if (frac === 0) return { ms: whole, ns: 0 };
    return s.startsWith('-') ? { ms: whole - 1, ns: 1_000_000 - frac } : { ms: whole, ns: frac };
  }
  // Longer epoch text (17 to 19 digits, or a bare trailing dot) is read exactly.
  return fromSpan(parseIsoSpan(s) ?? parseEpochMillisSpan(s));
}

/** Reads a timestamp value; for several values, the earliest (as an ascending sort would). */
export function readEventTime(raw: RawField): EventTime | null {
  if (typeof raw === 'string') return fromText(raw);
  if (typeof raw === 'number') return fromMillis(raw);
  let best: EventTime | null = null;
  someValue(raw, (v) => {
    const t = typeof v === 'number' ? fromMillis(v) : typeof v === 'string' ? fromText(v) : null;
    if (t && (!best || compareTimes(t, best) < 0)) best = t;
    return false;
  });
  return best;
}

export function compareTimes(a: EventTime, b: EventTime): number {
  return a.ms !== b.ms ? a.ms - b.ms : a.ns - b.ns;
}

/** Nanoseconds from a to b, as a number (exact for spans under about 104 days). */
export function nanosBetween(a: EventTime, b: EventTime): number {
  return (b.ms - a.ms) * 1e6 + (b.ns - a.ns);
}

/** Tiebreaker values: numbers before strings, each in natural order; a missing value sorts last (see {@link compareOrderedMissingFirst}). */
export function readTiebreaker(raw: RawField): number | string | null {
  let out: number | string | null = null;
  someValue(raw, (v) => {
    if (typeof v === 'number' || typeof v === 'string') out = v;
    return true;
  });
  return out;
}

export function compareTiebreakers(a: number | string | null, b: number | string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return a < b ? -1 : 1;
}

/** An event with what ordering needs, read once. */
export interface OrderedEvent<E = unknown> {
  readonly event: E;
  readonly time: EventTime;
  readonly tiebreaker: number | string | null;
  /** Position in the input. */
  readonly index: number;
}

export function compareOrdered(a: OrderedEvent, b: OrderedEvent): number {
  return compareTimes(a.time, b.time) || compareTiebreakers(a.tiebreaker, b.tiebreaker) || a.index - b.index;
}

/**
 * The order of an event query's results: Elasticsearch sorts them in the
 * search itself, ascending with nulls first, so an event without the
 * tiebreaker comes before those with one at the same time. (Sequences order
 * events in memory, missing tiebreakers last: {@link compareOrdered}.)
 */
export function compareOrderedMissingFirst(a: OrderedEvent, b: OrderedEvent): number {
  const byTime = compareTimes(a.time, b.time);
  if (byTime !== 0) return byTime;
  if ((a.tiebreaker === null) !== (b.tiebreaker === null)) return a.tiebreaker === null ? -1 : 1;
  return compareTiebreakers(a.tiebreaker, b.tiebreaker) || a.index - b.index;
}

/**
 * Times in rule tests: offsets such as `+1.5s` from a case's base time, and
 * the ISO-8601 text they become in an event. Kept in nanoseconds, as big
 * integers, so that `+0.000001ms` is exact and sums never round.
 */
import { readEventTime } from '../engine/order.js';

const NANOS_PER_UNIT: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
};

/** One or more `<number><unit>` parts after a sign: `+1.5s`, `-200ms`, `+1m30s`. */
const OFFSET = /^([+-])((?:\d+(?:\.\d+)?(?:ns|us|ms|s|m|h|d))+)$/;
const PART = /(\d+)(?:\.(\d+))?(ns|us|ms|s|m|h|d)/g;

/** The units an offset may use, for messages. */
export const OFFSET_UNITS = 'ns, us, ms, s, m, h or d';

/**
 * Whether a timestamp value is written as an offset, well formed or not: text
 * that starts with `+`, or with `-` and a digit and holds a letter (`-5s`;
 * `-5` alone is epoch milliseconds).
 */
export function looksLikeOffset(value: string): boolean {
  return value.startsWith('+') || /^-\d.*[a-z]/i.test(value);
}

/**
 * The nanoseconds an offset stands for, or null when the text is not one.
 * A fraction finer than a nanosecond is not an offset either.
 */
export function parseOffset(text: string): bigint | null {
  const m = OFFSET.exec(text);
  if (!m) return null;
  let total = 0n;
  for (const [, whole, fraction = '', unit] of m[2]!.matchAll(PART)) {
    const scale = NANOS_PER_UNIT[unit!]!;
    const digits = BigInt(whole! + fraction);
    const divisor = 10n ** BigInt(fraction.length);
    if ((digits * scale) % divisor !== 0n) return null;
    total += (digits * scale) / divisor;
  }
  return m[1] === '-' ? -total : total;
}

/** The furthest from the epoch a JavaScript date goes, in nanoseconds. */
const LIMIT_NS = 8_640_000_000_000_000n * 1_000_000n;

/**
 * A time read from a base-time value (ISO-8601 text, epoch milliseconds, or
 * a Date), in nanoseconds since the epoch; null when it is not a time, or
 * one no date can hold.
 */
export function readTime(value: unknown): bigint | null {
  let ns: bigint;
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isFinite(ms)) return null;
    ns = BigInt(ms) * 1_000_000n;
  } else {
    if (typeof value !== 'string' && typeof value !== 'number') return null;
    const t = readEventTime(value);
    if (t === null || !Number.isSafeInteger(t.ms)) return null;
    ns = BigInt(t.ms) * 1_000_000n + BigInt(t.ns);
  }
  return ns > LIMIT_NS || ns < -LIMIT_NS ? null : ns;
}

/**
 * The ISO-8601 text of a time in nanoseconds: milliseconds as JavaScript
 * prints them, and nine digits of fraction when there is more than that.
 * Null for a time no date can hold.
 */
export function timeText(ns: bigint): string | null {
  if (ns > LIMIT_NS || ns < -LIMIT_NS) return null;
  // Floor division: the milliseconds at or before the time, and what is left.
  let ms = ns / 1_000_000n;
  if (ms * 1_000_000n > ns) ms -= 1n;
  const rest = ns - ms * 1_000_000n;
  const iso = new Date(Number(ms)).toISOString();
  return rest === 0n ? iso : `${iso.slice(0, -1)}${String(rest).padStart(6, '0')}Z`;
}

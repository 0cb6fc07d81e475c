/** Durations such as `5s`, `250ms`, `2m`, or a number of milliseconds. */

const UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Converts a duration to nanoseconds; throws a TypeError naming the option when it is not one. */
export function durationToNanos(value: string | number, option: string): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new TypeError(`${option} must be a non-negative number of milliseconds or a duration such as "5s"`);
    return value * 1e6;
  }
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(value);
  if (!m) throw new TypeError(`${option} must be a duration such as "500ms", "5s", "2m", "1h" or "1d"; got ${JSON.stringify(value)}`);
  return Number(m[1]) * UNITS_MS[m[2]!]! * 1e6;
}

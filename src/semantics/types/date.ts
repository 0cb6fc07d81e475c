/**
 * Instants as Elasticsearch's `date` and `date_nanos` types read them: ISO-8601
 * strings (strict_date_optional_time) and epoch milliseconds, as numbers or as
 * text, the latter with an optional fraction for nanoseconds.
 *
 * An instant is a bigint of nanoseconds since the epoch. A date written with
 * fewer parts stands for a span (`2020-01-01` is the whole day); `==` matches
 * anywhere in it, `>` and `<=` round up, `>=` and `<` round down.
 */

export interface DateSpan {
  /** First nanosecond of the span. */
  readonly start: bigint;
  /** Last nanosecond of the span. */
  readonly end: bigint;
}

// strict_date_optional_time: a year of four digits (a sign allowed), then optional month, day and,
// after a `T`, time; a zone only after a time.
const ISO = /^(-?\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$/;
// epoch_millis: up to 19 digits, a fraction of up to 6 (a bare trailing dot too).
const EPOCH = /^(-?\d{1,19})(?:\.(\d{0,6}))?$/;

const NS_PER_MS = 1_000_000n;
const MS_PER_DAY = 86_400_000;

export function daysFromCivil(y: number, m: number, d: number): number {
  // Howard Hinnant's algorithm: days since 1970-01-01 for a proleptic Gregorian date.
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Days in month m (1–12) of year y, proleptic Gregorian. */
export function daysInMonth(y: number, m: number): number {
  return [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
}

/** Parses an ISO-8601 date into the span it denotes, or null. */
export function parseIsoSpan(text: string): DateSpan | null {
  const m = ISO.exec(text);
  if (!m) return null;
  const [, ys, mos, ds, hs, mis, ss, frac, zone] = m;
  const y = Number(ys);
  const mo = mos === undefined ? 1 : Number(mos);
  const d = ds === undefined ? 1 : Number(ds);
  const h = hs === undefined ? 0 : Number(hs);
  const mi = mis === undefined ? 0 : Number(mis);
  const s = ss === undefined ? 0 : Number(ss);
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 59) return null;
  let offsetMin = 0;
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const oh = Number(digits.slice(0, 2));
    const om = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
    // Java's offsets stop at ±18:00.
    if (om > 59 || oh * 60 + om > 18 * 60) return null;
    offsetMin = sign * (oh * 60 + om);
  }
  const ms = daysFromCivil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi - offsetMin) * 60 + s) * 1000;
  const fracNs = frac === undefined ? 0n : BigInt(frac.padEnd(9, '0'));
  const start = BigInt(ms) * NS_PER_MS + fracNs;
  // The span is as wide as the least significant part written.
  let width: bigint;
  if (frac !== undefined) width = 10n ** BigInt(9 - frac.length);
  else if (ss !== undefined) width = 1_000_000_000n;
  else if (mis !== undefined) width = 60_000_000_000n;
  else if (hs !== undefined) width = 3_600_000_000_000n;
  else if (ds !== undefined) width = 86_400_000_000_000n;
  else if (mos !== undefined) width = BigInt(daysInMonth(y, mo)) * 86_400_000_000_000n;
  else width = BigInt(daysInMonth(y, 2) === 29 ? 366 : 365) * 86_400_000_000_000n;
  return { start, end: start + width - 1n };
}

/** Parses epoch milliseconds, as a number or text (`"1"`, `"131509374395.921780"`). */
export function parseEpochMillisSpan(value: number | string): DateSpan | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    const whole = Math.trunc(value);
    const fracNs = BigInt(Math.round((value - whole) * 1e6));
    const start = BigInt(whole) * NS_PER_MS + fracNs;
    return { start, end: Number.isInteger(value) ? start + NS_PER_MS - 1n : start };
  }
  const m = EPOCH.exec(value);
  if (!m) return null;
  const whole = BigInt(m[1]!);
  const fracNs = m[2] ? BigInt(m[2].padEnd(6, '0')) : 0n;
  const start = whole * NS_PER_MS + (whole < 0n ? -fracNs : fracNs);
  return { start, end: m[2] ? start : start + NS_PER_MS - 1n };
}

/** Reads a date value from a document or a query: ISO text, or epoch milliseconds. */
export function parseDateSpan(value: unknown): DateSpan | null {
  if (typeof value === 'number') return parseEpochMillisSpan(value);
  if (typeof value !== 'string') return null;
  return parseIsoSpan(value) ?? parseEpochMillisSpan(value);
}

/** The instant of a date value (the start of its span), or null. */
export function parseInstant(value: unknown): bigint | null {
  return parseDateSpan(value)?.start ?? null;
}

const FORMAT_TOKEN = /(yyyy|uuuu|yy|MM|M|dd|d|HH|H|mm|m|ss|s|SSSSSSSSS|SSSSSS|SSS|'[^']*'|.)/g;

/**
 * Parses text with a Java date pattern such as `dd-MM-yyyy` (the subset
 * mappings use: years, months, days, hours, minutes, seconds, fractions and
 * quoted literals), as UTC. Returns the instant in nanoseconds, or null.
 */
export function parseWithPattern(text: string, pattern: string): bigint | null {
  let re = '^';
  const parts: string[] = [];
  for (const token of pattern.match(FORMAT_TOKEN) ?? []) {
    if (/^[yu]{4}$/.test(token)) {
      re += '(\\d{4})';
      parts.push('y');
    } else if (token === 'yy') {
      re += '(\\d{2})';
      parts.push('yy');
    } else if (token === 'MM' || token === 'dd' || token === 'HH' || token === 'mm' || token === 'ss') {
      re += '(\\d{2})';
      parts.push(token);
    } else if (token === 'M' || token === 'd' || token === 'H' || token === 'm' || token === 's') {
      re += '(\\d{1,2})';
      parts.push(token + token);
    } else if (/^S+$/.test(token)) {
      re += `(\\d{${token.length}})`;
      parts.push('S');
    } else if (token.startsWith("'")) re += token.slice(1, -1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    else re += token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const m = new RegExp(`${re}$`).exec(text);
  if (!m) return null;
  const f: Record<string, string> = {};
  parts.forEach((p, i) => {
    f[p] = m[i + 1]!;
  });
  const y = f.y !== undefined ? Number(f.y) : f.yy !== undefined ? 2000 + Number(f.yy) : 1970;
  const mo = f.MM !== undefined ? Number(f.MM) : 1;
  const d = f.dd !== undefined ? Number(f.dd) : 1;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return null;
  const h = Number(f.HH ?? 0);
  const mi = Number(f.mm ?? 0);
  const s = Number(f.ss ?? 0);
  const ms = daysFromCivil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi) * 60 + s) * 1000;
  const fracNs = f.S !== undefined ? BigInt(f.S.padEnd(9, '0')) : 0n;
  return BigInt(ms) * NS_PER_MS + fracNs;
}

/** The whole milliseconds of an instant in nanoseconds, rounded down (also before 1970). */
export const floorMillis = (ns: bigint): bigint => ns / NS_PER_MS - (ns % NS_PER_MS < 0n ? 1n : 0n);

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * An instant as Elasticsearch's scripts print a date value, Java's
 * ZonedDateTime in UTC: `2020-01-01T00:00Z`, with the seconds only when they
 * or the fraction are not zero, and the fraction in groups of three digits.
 */
export function formatJavaDateTime(ns: bigint): string {
  const msBig = floorMillis(ns);
  const d = new Date(Number(msBig));
  const year = d.getUTCFullYear();
  const yearText = year > 9999 ? `+${year}` : year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0');
  let time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  const nano = d.getUTCMilliseconds() * 1_000_000 + Number(ns - msBig * NS_PER_MS);
  if (d.getUTCSeconds() !== 0 || nano !== 0) time += `:${pad2(d.getUTCSeconds())}`;
  if (nano !== 0)
    time += `.${String(nano)
      .padStart(9, '0')
      .slice(0, nano % 1_000_000 === 0 ? 3 : nano % 1000 === 0 ? 6 : 9)}`;
  return `${yearText}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${time}Z`;
}

/**
 * Reads a date as a mapping with `format` would (formats separated by `||`;
 * named ones such as `epoch_millis` or `strict_date_optional_time`), or as the
 * default format when there is none.
 */
export function parseDateWithFormat(value: unknown, format: string | undefined): bigint | null {
  if (!format) return parseInstant(value);
  for (const f of format.split('||')) {
    const name = f.trim();
    let t: bigint | null = null;
    if (name === 'epoch_millis') t = typeof value === 'number' || typeof value === 'string' ? (parseEpochMillisSpan(value)?.start ?? null) : null;
    else if (/^(strict_)?date_optional_time(_nanos)?$|^(strict_)?date_time$/.test(name)) t = typeof value === 'string' ? (parseIsoSpan(value)?.start ?? null) : null;
    else if (typeof value === 'string') t = parseWithPattern(value, name);
    if (t !== null) return t;
  }
  return null;
}

/**
 * Matcher state snapshots: what a stream matcher or a RuleSet matcher holds
 * between two pushes, as JSON data, so that another matcher built from the
 * same query or rules, with the same options, continues exactly where it
 * stopped (docs/scaling.md describes the format).
 *
 * Each event the state holds is written once, in `events`; the rest of the
 * state names events by their place there, so that one event held by many
 * partial sequences (or many rules) is saved once and comes back as one
 * object, as samples need (an event takes one place in a sample: it is told
 * apart by identity). Events placed in order (an event with its time,
 * tiebreaker and input position) are likewise written once, in the state's
 * `items`.
 */
import { EqlSnapshotError } from '../errors.js';
import { sha256Hex } from '../sha256.js';
import type { Event } from '../semantics/fields.js';
import { format } from '../parser/format.js';
import type { QueryPlan } from '../compile/plan.js';
import type { EventTime, OrderedEvent } from './order.js';
import type { Match } from './match.js';
import type { StreamOptions } from './stream.js';
import { durationToNanos } from './duration.js';

/** The `format` of every matcher snapshot. */
export const SNAPSHOT_FORMAT = 'eqlkit/matcher-snapshot';

/**
 * The version of the snapshot format, raised on every change a reader of an
 * older version would misread; a snapshot of another version is refused
 * (`EQL_SNAPSHOT_VERSION`).
 */
export const SNAPSHOT_VERSION = 1;

/** JSON data: what a snapshot is made of, so that `JSON.stringify` and `JSON.parse` keep it exactly. */
export type SnapshotData = null | boolean | number | string | readonly SnapshotData[] | { readonly [key: string]: SnapshotData };

/**
 * The matcher options a snapshot's state depends on, as the matcher read
 * them: durations in nanoseconds, defaults filled in, numbers JSON cannot
 * hold (`Infinity`) as text. A snapshot restores only into a matcher with the
 * same.
 */
export interface SnapshotOptions {
  /** `reorderWindow`. */
  readonly reorderWindowNs: number | string;
  readonly lazyTimestamps: boolean;
  /** `window`, or null when the matcher has none (a RuleSet then uses each rule's look-back). */
  readonly windowNs: number | string | null;
  readonly maxPendingSequences: number | string;
  readonly maxSamplesPerKey: number | string;
  readonly prefilter: boolean;
}

/**
 * A matcher's state, as `snapshot()` gives it and `restore()` takes it back:
 * plain JSON data, to be written with `JSON.stringify` and read with
 * `JSON.parse`. The fields named here are documented; `state` is the
 * format's own, for `restore()` alone.
 *
 * A snapshot does not copy the events it holds: `events` holds the matcher's
 * own event objects (those JSON cannot hold exactly, encoded). Serialize it
 * before changing those events.
 */
export interface MatcherSnapshot<Stats = Readonly<Record<string, number>>> {
  /** Always {@link SNAPSHOT_FORMAT}. */
  readonly format: typeof SNAPSHOT_FORMAT;
  /** The format version, {@link SNAPSHOT_VERSION} when written by this version of the library. */
  readonly version: number;
  /** A query's matcher (`compile(…).matcher()`) or a RuleSet's (`ruleSet.matcher()`). */
  readonly kind: 'query' | 'ruleset';
  /**
   * Which query or rules the state belongs to: a SHA-256 (hex) of the
   * canonical text of the query, or of each rule's id, query and look-back,
   * with the options they were compiled with (fields, schema).
   */
  readonly identity: string;
  /** The matcher options the state depends on. */
  readonly options: SnapshotOptions;
  /** The matcher's `stats()` when the snapshot was taken; a restored matcher's counters go on from them. */
  readonly stats: Stats;
  /**
   * Each event the state holds, once: an event JSON holds exactly as it is;
   * any other as a one-element array holding its encoding (see
   * docs/scaling.md).
   */
  readonly events: readonly (Event | readonly [SnapshotData])[];
  /** The state itself: the reorder buffer, partial sequences, samples, pipes. Its shape is the format's own. */
  readonly state: SnapshotData;
}

/** A number of the options, as text when JSON cannot hold it. */
const optionNumber = (n: number): number | string => (Number.isFinite(n) ? n : String(n));

/** The options of a matcher as a snapshot records them, with the defaults the matchers apply. */
export function snapshotOptions(options: StreamOptions, defaultMaxPendingSequences: number): SnapshotOptions {
  return {
    reorderWindowNs: optionNumber(options.reorderWindow === undefined ? 0 : durationToNanos(options.reorderWindow, 'reorderWindow')),
    lazyTimestamps: options.lazyTimestamps === true,
    windowNs: options.window === undefined ? null : optionNumber(durationToNanos(options.window, 'window')),
    maxPendingSequences: optionNumber(options.maxPendingSequences ?? defaultMaxPendingSequences),
    maxSamplesPerKey: optionNumber(options.maxSamplesPerKey ?? 1),
    prefilter: options.prefilter === true,
  };
}

const MATCHER_NAME = { query: 'a query matcher', ruleset: 'a RuleSet matcher' } as const;

/**
 * The snapshot given to `restore()`, checked for what it claims to be before
 * its state is read: this format and version, taken from a matcher of this
 * kind, query or rules, and options. Text is parsed first.
 */
export function openSnapshot(input: unknown, kind: 'query' | 'ruleset', identity: string, options: SnapshotOptions): Record<string, unknown> {
  let parsed = input;
  if (typeof input === 'string') {
    try {
      parsed = JSON.parse(input);
    } catch (e) {
      corrupt('$', `not JSON: ${(e as Error).message}`);
    }
  }
  const s = record(parsed, '$');
  if (s.format !== SNAPSHOT_FORMAT) corrupt('$.format', `not an eqlkit matcher snapshot (its format is ${JSON.stringify(s.format) ?? 'missing'}, not "${SNAPSHOT_FORMAT}")`);
  if (s.version !== SNAPSHOT_VERSION) {
    throw new EqlSnapshotError(
      'EQL_SNAPSHOT_VERSION',
      `written in version ${JSON.stringify(s.version) ?? '(none)'} of the snapshot format; this eqlkit reads version ${SNAPSHOT_VERSION}`,
      '$.version',
    );
  }
  if (s.kind !== kind) {
    const taken = s.kind === 'query' || s.kind === 'ruleset' ? MATCHER_NAME[s.kind] : null;
    if (taken === null) corrupt('$.kind', 'the kind is "query" or "ruleset"');
    throw new EqlSnapshotError('EQL_SNAPSHOT_MISMATCH', `taken from ${taken}, so it cannot restore ${MATCHER_NAME[kind]}`, '$.kind');
  }
  if (s.identity !== identity) {
    const what = kind === 'query' ? 'another query (or the same one compiled with other fields or another schema)' : 'other rules (another set, order, query, look-back, or compile options)';
    throw new EqlSnapshotError('EQL_SNAPSHOT_MISMATCH', `taken from ${what} than this matcher's`, '$.identity');
  }
  const saved = record(s.options, '$.options');
  const differences = (Object.keys(options) as (keyof SnapshotOptions)[])
    .filter((k) => saved[k] !== options[k])
    .map((k) => `${k} ${JSON.stringify(saved[k]) ?? '(none)'} there, ${JSON.stringify(options[k])} here`);
  if (differences.length > 0) throw new EqlSnapshotError('EQL_SNAPSHOT_MISMATCH', `taken with other matcher options: ${differences.join('; ')}`, '$.options');
  return s;
}

/** The saved stats: each named count. */
export function savedCounts<K extends string>(x: unknown, names: readonly K[], at: string): Record<K, number> {
  const o = record(x, at);
  const out = {} as Record<K, number>;
  for (const k of names) out[k] = count(o[k], `${at}.${k}`);
  return out;
}

/** Refuses a snapshot whose stats say otherwise than its state. */
export function agrees(at: string, what: string, saved: number, found: number): void {
  if (saved !== found) corrupt(at, `the stats say ${saved} ${what}, the state holds ${found}`);
}

/** What throws when a snapshot is damaged: `at` is where, as a JSON path. */
export function corrupt(at: string, reason: string): never {
  throw new EqlSnapshotError('EQL_SNAPSHOT_CORRUPT', reason, at);
}

// ---------------------------------------------------------------------------
// Values JSON does not hold exactly

/** How deep an event may nest to be saved: deeper (or one that holds itself) is refused. */
export const MAX_SAVED_DEPTH = 1000;

/** Whether JSON text holds `v` exactly: plain objects and arrays of strings, booleans, null and finite numbers (not −0). */
function isPlainJson(v: unknown, depth: number): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (depth >= MAX_SAVED_DEPTH) return false;
      if (Array.isArray(v)) {
        if (Object.getPrototypeOf(v) !== Array.prototype) return false;
        // A hole reads as undefined, which JSON would write as null.
        for (let i = 0; i < v.length; i++) if (v[i] === undefined || !isPlainJson(v[i], depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) return false;
      const o = v as Record<string, unknown>;
      for (const k in o) if (!isPlainJson(o[k], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

const SPECIAL_NUMBERS: Readonly<Record<string, number>> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY, '-0': -0 };

/**
 * A value in the encoding that keeps what JSON would change. Strings,
 * booleans, null, finite numbers and plain objects stay as they are (an
 * object's values encoded); every array is a tag: `["a", …items]` an array,
 * `["h"]` a hole in one, `["u"]` undefined, `["n", "NaN" | "Infinity" |
 * "-Infinity" | "-0"]` a number, `["b", digits]` a bigint, `["d", ms]` a
 * Date (ms as text, "NaN" for an invalid one). Anything else cannot be saved.
 */
function encodeValue(v: unknown, at: string, depth: number): SnapshotData {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0) ? v : ['n', Object.is(v, -0) ? '-0' : String(v)];
    case 'undefined':
      return ['u'];
    case 'bigint':
      return ['b', v.toString()];
    case 'object': {
      if (v === null) return null;
      if (depth >= MAX_SAVED_DEPTH) throw new EqlSnapshotError('EQL_SNAPSHOT_UNSERIALIZABLE', `an event nests deeper than ${MAX_SAVED_DEPTH} levels, or holds itself`, at);
      if (v instanceof Date) return ['d', String(v.getTime())];
      if (Array.isArray(v)) {
        if (Object.getPrototypeOf(v) !== Array.prototype) break;
        const out: SnapshotData[] = ['a'];
        for (let i = 0; i < v.length; i++) out.push(i in v ? encodeValue(v[i], `${at}[${i}]`, depth + 1) : ['h']);
        return out;
      }
      const proto = Object.getPrototypeOf(v);
      if (proto !== Object.prototype && proto !== null) break;
      const out: Record<string, SnapshotData> = {};
      for (const [k, x] of Object.entries(v)) defineValue(out, k, encodeValue(x, `${at}.${k}`, depth + 1));
      return out;
    }
  }
  const what = typeof v === 'object' ? `an object of class ${(v as object).constructor?.name ?? 'unknown'}` : `a ${typeof v}`;
  throw new EqlSnapshotError('EQL_SNAPSHOT_UNSERIALIZABLE', `an event holds ${what}, which cannot be saved`, at);
}

/** Sets an own property, `__proto__` included (assigning that one would set the prototype). */
function defineValue(o: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
  else o[key] = value;
}

function decodeValue(x: unknown, at: string): unknown {
  if (x === null || typeof x === 'string' || typeof x === 'boolean') return x;
  if (typeof x === 'number') return x;
  if (typeof x !== 'object') corrupt(at, `not an encoded value: ${typeof x}`);
  if (!Array.isArray(x)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) defineValue(out, k, decodeValue(v, `${at}.${k}`));
    return out;
  }
  const tag = x[0];
  switch (tag) {
    case 'a': {
      const out: unknown[] = new Array(x.length - 1);
      for (let i = 1; i < x.length; i++) {
        const item = x[i];
        if (Array.isArray(item) && item.length === 1 && item[0] === 'h') continue;
        out[i - 1] = decodeValue(item, `${at}[${i}]`);
      }
      return out;
    }
    case 'u':
      if (x.length === 1) return undefined;
      break;
    case 'n':
      if (x.length === 2 && typeof x[1] === 'string' && Object.hasOwn(SPECIAL_NUMBERS, x[1])) return SPECIAL_NUMBERS[x[1]];
      break;
    case 'b':
      if (x.length === 2 && typeof x[1] === 'string' && /^-?\d+$/.test(x[1])) return BigInt(x[1]);
      break;
    case 'd':
      if (x.length === 2 && typeof x[1] === 'string' && (x[1] === 'NaN' || /^-?\d+$/.test(x[1]))) return new Date(Number(x[1]));
      break;
  }
  return corrupt(at, 'not an encoded value');
}

/** A value of the state (a key value, a tiebreaker, a rendered join key): as it is when JSON holds it exactly. */
export function saveValue(v: unknown): SnapshotData {
  return (typeof v === 'number' && (!Number.isFinite(v) || Object.is(v, -0))) || (typeof v !== 'number' && typeof v !== 'string' && typeof v !== 'boolean' && v !== null)
    ? encodeValue(v, '$', 0)
    : (v as SnapshotData);
}

// ---------------------------------------------------------------------------
// Identity

/** The identities worked out so far, by plan: the canonical text of a rule set's thousand queries takes a while to print. */
const identities = new WeakMap<QueryPlan, string>();

/** JSON with object keys sorted, so that equal schemas give equal text. */
function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? String(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

/** What a query's state depends on: its canonical text and the options it was compiled with. */
export function planIdentityText(plan: QueryPlan): string {
  let text = identities.get(plan);
  if (text === undefined) {
    const o = plan.options;
    text = [format(plan.query), o.timestampField, o.tiebreakerField ?? '', o.eventCategoryField, o.schema === undefined ? '' : canonicalJson(o.schema)].join('\u0000');
    identities.set(plan, text);
  }
  return text;
}

/** A SHA-256 of texts, in hex. */
export function digest(parts: Iterable<string>): string {
  const texts = [`${SNAPSHOT_FORMAT}\u0000`];
  for (const p of parts) texts.push(p, '\u0001');
  return sha256Hex(...texts);
}

// ---------------------------------------------------------------------------
// Writing

/** A time as `[ms, ns]`. */
export type SavedTime = readonly [number, number];

export const saveTime = (t: EventTime): SavedTime => [t.ms, t.ns];

/**
 * Collects what one snapshot writes: the events (each once, by identity)
 * and the ordered items that name them (each once).
 */
export class SnapshotWriter {
  readonly events: (Event | readonly [SnapshotData])[] = [];
  readonly items: SnapshotData[] = [];
  private readonly eventRefs = new Map<Event, number>();
  private readonly itemRefs = new Map<OrderedEvent<Event>, number>();

  /** The place of an event in `events`. */
  readonly event = (e: Event): number => {
    let ref = this.eventRefs.get(e);
    if (ref === undefined) {
      ref = this.events.length;
      this.events.push(isPlainJson(e, 0) ? e : [encodeValue(e, `$.events[${ref}]`, 0)]);
      this.eventRefs.set(e, ref);
    }
    return ref;
  };

  /** The place of an ordered event in `items`, each `[event, ms, ns, tiebreaker, input position]`. */
  readonly item = (o: OrderedEvent<Event>): number => {
    let ref = this.itemRefs.get(o);
    if (ref === undefined) {
      ref = this.items.length;
      const t = o.time;
      this.items.push([this.event(o.event), t.ms, t.ns, saveValue(o.tiebreaker), o.index]);
      this.itemRefs.set(o, ref);
    }
    return ref;
  };

  /** A match: `[kind, events (−1 for a missing stage), join keys]`. */
  readonly match = (m: Match): SnapshotData => [m.kind, m.events.map((e) => (e === null ? -1 : this.event(e))), m.joinKeys.map(saveValue)];
}

/** A place in the order without its event: `[ms, ns, tiebreaker, input position]`. */
export function savePosition(o: OrderedEvent | undefined): SnapshotData {
  return o === undefined ? null : [o.time.ms, o.time.ns, saveValue(o.tiebreaker), o.index];
}

// ---------------------------------------------------------------------------
// Reading

/**
 * Reads a snapshot's state back, checking each part as it goes: a snapshot
 * that does not hold what this format writes is refused as corrupt, with the
 * path of the first part found wrong.
 */
export class SnapshotReader {
  private readonly events: Event[];
  private readonly items: OrderedEvent<Event>[];

  constructor(events: unknown, items: unknown) {
    this.events = array(events, '$.events').map((e, i) => {
      if (Array.isArray(e)) {
        if (e.length !== 1) corrupt(`$.events[${i}]`, 'an encoded event is an array of one value');
        const decoded = decodeValue(e[0], `$.events[${i}][0]`);
        if (decoded === null || typeof decoded !== 'object' || Array.isArray(decoded)) corrupt(`$.events[${i}]`, 'an event is an object');
        return decoded as Event;
      }
      if (e === null || typeof e !== 'object') corrupt(`$.events[${i}]`, 'an event is an object');
      return e as Event;
    });
    this.items = array(items, '$.state.items').map((x, i) => {
      const at = `$.state.items[${i}]`;
      const t = tuple(x, 5, at);
      return { event: this.event(t[0], `${at}[0]`), time: { ms: integer(t[1], `${at}[1]`), ns: nanos(t[2], `${at}[2]`) }, tiebreaker: tiebreaker(t[3], `${at}[3]`), index: count(t[4], `${at}[4]`) };
    });
  }

  event(ref: unknown, at: string): Event {
    const e = this.events[count(ref, at)];
    if (e === undefined) corrupt(at, `no event ${String(ref)} among the ${this.events.length} saved`);
    return e;
  }

  item(ref: unknown, at: string): OrderedEvent<Event> {
    const o = this.items[count(ref, at)];
    if (o === undefined) corrupt(at, `no item ${String(ref)} among the ${this.items.length} saved`);
    return o;
  }

  match(x: unknown, at: string): Match {
    const [kind, events, joinKeys] = tuple(x, 3, at);
    if (kind !== 'event' && kind !== 'sequence' && kind !== 'sample') corrupt(`${at}[0]`, 'a match is of kind event, sequence or sample');
    return {
      kind,
      events: array(events, `${at}[1]`).map((ref, i) => (ref === -1 ? null : this.event(ref, `${at}[1][${i}]`))),
      joinKeys: array(joinKeys, `${at}[2]`).map((v, i) => decodeValue(v, `${at}[2][${i}]`)),
    };
  }
}

export function array(x: unknown, at: string): unknown[] {
  if (!Array.isArray(x)) corrupt(at, 'expected an array');
  return x;
}

export function tuple(x: unknown, length: number, at: string): unknown[] {
  if (!Array.isArray(x) || x.length !== length) corrupt(at, `expected an array of ${length}`);
  return x;
}

export function record(x: unknown, at: string): Record<string, unknown> {
  if (x === null || typeof x !== 'object' || Array.isArray(x)) corrupt(at, 'expected an object');
  return x as Record<string, unknown>;
}

export function integer(x: unknown, at: string): number {
  if (!Number.isSafeInteger(x)) corrupt(at, 'expected an integer');
  return x as number;
}

/** A non-negative integer. */
export function count(x: unknown, at: string): number {
  if (!Number.isSafeInteger(x) || (x as number) < 0) corrupt(at, 'expected a count (an integer, 0 or more)');
  return x as number;
}

/** Nanoseconds within a millisecond (a time read from epoch milliseconds with a fraction may round up to the next millisecond's 1,000,000). */
function nanos(x: unknown, at: string): number {
  if (!Number.isInteger(x) || (x as number) < 0 || (x as number) > 1_000_000) corrupt(at, 'expected nanoseconds within a millisecond');
  return x as number;
}

export function time(x: unknown, at: string): EventTime {
  const t = tuple(x, 2, at);
  return { ms: integer(t[0], `${at}[0]`), ns: nanos(t[1], `${at}[1]`) };
}

export function optionalTime(x: unknown, at: string): EventTime | null {
  return x === null ? null : time(x, at);
}

/** A key value: a string, number, boolean or null, encoded as {@link saveValue} writes it. */
export function keyValue(x: unknown, at: string): string | number | boolean | null {
  const v = decodeValue(x, at);
  if (v !== null && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') corrupt(at, 'a key value is a string, number, boolean or null');
  return v;
}

function tiebreaker(x: unknown, at: string): number | string | null {
  const v = decodeValue(x, at);
  if (v !== null && typeof v !== 'string' && typeof v !== 'number') corrupt(at, 'a tiebreaker is a number, a string or null');
  return v;
}

/** A place in the order without its event, as {@link savePosition} writes it. */
export function position(x: unknown, at: string): OrderedEvent | undefined {
  if (x === null) return undefined;
  const t = tuple(x, 4, at);
  return { event: null, time: { ms: integer(t[0], `${at}[0]`), ns: nanos(t[1], `${at}[1]`) }, tiebreaker: tiebreaker(t[2], `${at}[2]`), index: count(t[3], `${at}[3]`) };
}

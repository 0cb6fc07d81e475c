/**
 * What the explanations of every kind of query share: the query and its
 * verdict, events named by position and time, join keys looked up per
 * stage, and candidates ranked by how close they came.
 */
import type * as A from '../parser/ast.js';
import { format, formatExpression } from '../parser/format.js';
import type { ExplainableQuery } from '../compile/explainable.js';
import type { KeyField, QueryPlan } from '../compile/plan.js';
import { type EventTime, type OrderedEvent, readEventTime } from '../engine/order.js';
import { datePositions, keyCombinations, renderKeys } from '../engine/keys.js';
import type { Match } from '../engine/match.js';
import { createRunner, type RunnerLimits } from '../engine/runner.js';
import { EventContext, type Event } from '../semantics/fields.js';
import type { Rule } from '../rules/rule.js';
import type { FilterTracer } from './trace.js';
import type { Location } from '../parser/ast.js';
import type { Candidate, ClauseTrace, ExplainedEvent, ExplainedSource, FilterTrace, KeyDifference, OtherKeyCandidate, UnkeyedEvent, UnkeyedStage, UnusableEvent } from './types.js';

/** An event's place in the engine's order, with its position in the input. */
export type Item = OrderedEvent<Event>;

/** Everything an explanation of one kind starts from. */
export interface Context {
  readonly rule: Rule | null;
  readonly explainable: ExplainableQuery;
  /** The plan the verdict was reached with (the rule's own, for a rule). */
  readonly plan: QueryPlan;
  readonly tracer: FilterTracer;
  readonly events: readonly Event[];
  /** The usable events in the engine's order. */
  readonly items: readonly Item[];
  /** What the engine gives for the events: the rule's alerts, or the query's matches. */
  readonly verdict: readonly Match[];
  /** The runner's limits of the verdict (a stream's), and whether there are any. */
  readonly limits: RunnerLimits;
  readonly limited: boolean;
  readonly unusable: readonly UnusableEvent[];
  readonly unusableCount: number;
  readonly options: ResolvedExplainOptions;
}

export interface ResolvedExplainOptions {
  readonly event: number | undefined;
  readonly hasKey: boolean;
  readonly key: unknown;
  readonly candidates: number;
  readonly limit: number;
  readonly stream: boolean;
}

/** Beyond this many events with a key, a stage's candidates are looked for among the first ones only. */
export const MAX_CONSIDERED = 1000;

/** ISO-8601 with nanoseconds when there are any, as alerts give times. */
export function formatTime(t: EventTime): string {
  const iso = new Date(t.ms).toISOString();
  return t.ns === 0 ? iso : `${iso.slice(0, -1)}${String(t.ns).padStart(6, '0')}Z`;
}

/** A duration in nanoseconds as text: `2.001s`, `350ms`, `3m 5s`. */
export function formatNanos(ns: number): string {
  const ms = ns / 1e6;
  if (ms < 1000) return `${+ms.toFixed(6)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${+s.toFixed(9)}s`;
  const whole = Math.floor(s);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const rest = +(s - h * 3600 - m * 60).toFixed(9);
  return [h > 0 ? `${h}h` : '', m > 0 ? `${m}m` : '', rest > 0 ? `${rest}s` : ''].filter(Boolean).join(' ');
}

/** The query's pipes as written after the query: `| tail 1`. */
export function pipesText(pipes: readonly A.Pipe[]): string {
  return pipes.map((p) => `| ${p.name}${p.args.length > 0 ? ` ${p.args.map(formatExpression).join(', ')}` : ''}`).join(' ');
}

/** The query as written when there is text (node locations point into it), else in canonical EQL; and the rule. */
export function sourceOf(ctx: Pick<Context, 'rule' | 'explainable' | 'plan'>): ExplainedSource {
  const rule = ctx.rule;
  return { query: ctx.explainable.source ?? format(ctx.plan.query), rule: rule ? { ruleId: rule.ruleId, name: rule.name, file: rule.file } : null };
}

/** Names an ordered event; `time` is null when it has none (a sample's event may lack one). */
export function eventOf(item: Item, hasTime: boolean): ExplainedEvent {
  return { index: item.index, time: hasTime ? formatTime(item.time) : null, event: item.event };
}

/** Names an event of a sample, which needs no time: its time when it has a readable one. */
export function sampleEventOf(item: Item, plan: QueryPlan): ExplainedEvent {
  const time = readEventTime(plan.timestamp(item.event));
  return { index: item.index, time: time ? formatTime(time) : null, event: item.event };
}

/** A plan's results over the ordered events, without its pipes, as a search runs it. */
export function runUnpiped(plan: QueryPlan, items: readonly Item[], limits: RunnerLimits): Match[] {
  const context = new EventContext();
  const outer = context.begin();
  try {
    const runner = createRunner(plan, limits);
    const out: Match[] = [];
    for (const item of items) for (const m of runner.process(item)) out.push(m);
    for (const m of runner.flush()) out.push(m);
    return out;
  } finally {
    context.end(outer);
  }
}

/** A key's identity: its values as alerts give them, as text. */
export const keyIdOf = (key: readonly unknown[]): string => JSON.stringify(key);

/** Results grouped by key, each key's in order; keys in order of their first result. */
export function byKey(matches: readonly Match[]): Map<string, Match[]> {
  const out = new Map<string, Match[]>();
  for (const m of matches) {
    const id = keyIdOf(m.joinKeys);
    const list = out.get(id);
    if (list) list.push(m);
    else out.set(id, [m]);
  }
  return out;
}

/**
 * Whether a key is the one asked for: the same list of values, or, for a
 * one-field key, the same value or its text.
 */
export function isWantedKey(key: readonly unknown[], wanted: unknown): boolean {
  if (Array.isArray(wanted)) return keyIdOf(key) === keyIdOf(wanted) || (wanted.length === key.length && wanted.every((w, i) => sameValue(key[i], w)));
  return key.length === 1 && sameValue(key[0], wanted);
}

const sameValue = (value: unknown, wanted: unknown): boolean => value === wanted || (typeof wanted === 'string' && value !== null && String(value) === wanted);

/**
 * The events with each key, for one list of key fields (a stage's: the
 * query's keys, then the stage's own), in the engine's order, built on
 * first use: rendered as results render them.
 */
export class KeyIndex {
  private readonly built = new Map<string, Map<string, { key: unknown[]; items: Item[] }>>();
  /** Per list of key fields: the events that give it no key (a non-optional key field without a value), in order. */
  private readonly none = new Map<string, Item[]>();

  constructor(
    private readonly items: readonly Item[],
    private readonly style: 'sequence' | 'sample',
  ) {}

  /** The events whose keys for `fields` include `key`, in order. */
  itemsWith(fields: readonly KeyField[], key: readonly unknown[]): Item[] {
    return this.of(fields).get(keyIdOf(key))?.items ?? [];
  }

  /** Every key the events have for `fields`, in order of first appearance. */
  keys(fields: readonly KeyField[]): unknown[][] {
    return [...this.of(fields).values()].map((v) => v.key);
  }

  /** The events that have no key for `fields`, which the engine leaves out of a stage with those keys; in order. */
  unkeyed(fields: readonly KeyField[]): Item[] {
    this.of(fields);
    return this.none.get(fieldsId(fields)) ?? [];
  }

  /** One event's keys for `fields`, rendered as results render them (none when a key field has no value). */
  keysOf(fields: readonly KeyField[], item: Item): unknown[][] {
    const dates = datePositions(fields);
    return keyCombinations(fields, item.event).map((c) => renderKeys(c, dates, this.style));
  }

  private of(fields: readonly KeyField[]): Map<string, { key: unknown[]; items: Item[] }> {
    const id = fieldsId(fields);
    let index = this.built.get(id);
    if (index) return index;
    index = new Map();
    const none: Item[] = [];
    const dates = datePositions(fields);
    const context = new EventContext();
    const outer = context.begin();
    try {
      for (const item of this.items) {
        const combinations = keyCombinations(fields, item.event);
        if (combinations.length === 0 && fields.length > 0) none.push(item);
        for (const combination of combinations) {
          const key = renderKeys(combination, dates, this.style);
          const keyId = keyIdOf(key);
          const entry = index.get(keyId);
          // One event may give one key twice only through repeated values, which keyCombinations removes.
          if (entry) entry.items.push(item);
          else index.set(keyId, { key, items: [item] });
        }
      }
    } finally {
      context.end(outer);
    }
    this.built.set(id, index);
    this.none.set(id, none);
    return index;
  }
}

const fieldsId = (fields: readonly KeyField[]): string => fields.map((f) => `${f.name}\u0000${f.optional}`).join('\u0001');

/** The key fields (non-optional) that an event has no value for: why it gives a stage no key. */
export function keyFieldsWithoutValue(fields: readonly KeyField[], event: Event): string[] {
  return fields.filter((f) => !f.optional && keyCombinations([f], event).length === 0).map((f) => f.name);
}

/** How far a filter is from holding on an event: its failed clauses, and the category when that fails. */
export function distanceOf(filter: FilterTrace): number {
  return filter.failed.length + (filter.category && !filter.category.result ? 1 : 0);
}

/**
 * The closest candidates among events (in order): each traced against the
 * filter, the `count` with the fewest failures kept, then (when `demoted` is
 * given) those it does not demote, earlier first among equals. Only the
 * first {@link MAX_CONSIDERED} events are looked at.
 */
export function closestCandidates(
  ctx: Context,
  filter: number,
  items: readonly Item[],
  count: number,
  eventOf: (item: Item) => ExplainedEvent,
  demoted?: (item: Item) => boolean,
): { candidates: Candidate[]; considered: number } {
  const considered = Math.min(items.length, MAX_CONSIDERED);
  if (count <= 0) return { candidates: [], considered };
  const ranked = new Ranked<Candidate>(count);
  for (let i = 0; i < considered; i++) {
    const item = items[i]!;
    const candidate: Candidate = { event: eventOf(item), filter: ctx.tracer.trace(filter, item.event) };
    ranked.add(candidate, [distanceOf(candidate.filter), demoted?.(item) ? 1 : 0, i]);
  }
  return { candidates: ranked.best(), considered };
}

/** The best `count` of what is added, by a list of numbers compared in turn (lower first); kept short as it goes. */
class Ranked<T> {
  private readonly entries: Array<{ value: T; rank: readonly number[] }> = [];
  constructor(private readonly count: number) {}

  add(value: T, rank: readonly number[]): void {
    this.entries.push({ value, rank });
    if (this.entries.length > this.count * 4) this.trim();
  }

  best(): T[] {
    this.trim();
    return this.entries.map((e) => e.value);
  }

  private trim(): void {
    this.entries.sort((a, b) => {
      for (let i = 0; i < a.rank.length; i++) if (a.rank[i] !== b.rank[i]) return a.rank[i]! - b.rank[i]!;
      return 0;
    });
    if (this.entries.length > this.count) this.entries.length = this.count;
  }
}

/** One stage's join keys: the fields (the query's, then the stage's) and where each `by` field is written. */
export interface StageKeys {
  readonly fields: readonly KeyField[];
  readonly locations: readonly Location[];
}

/**
 * Events under other keys that match a stage's filter, or come as close to
 * it as `within` (the fewest failures of an event with the key; any, when
 * null): each with its key and where that key differs from `key`. Ranked by
 * failures, then by how many key fields differ, then by order; only the
 * first {@link MAX_CONSIDERED} events are looked at.
 */
export function otherKeyCandidates(
  ctx: Context,
  filter: number,
  keys: StageKeys,
  key: readonly unknown[],
  items: readonly Item[],
  keyIndex: KeyIndex,
  within: number | null,
  count: number,
  eventOf: (item: Item) => ExplainedEvent,
): { candidates: OtherKeyCandidate[]; considered: number } {
  const wanted = key.map((v) => JSON.stringify(v));
  const ranked = new Ranked<OtherKeyCandidate>(count);
  let considered = 0;
  const id = keyIdOf(key);
  for (const item of items) {
    if (considered >= MAX_CONSIDERED || count <= 0) break;
    considered++;
    const own = keyIndex.keysOf(keys.fields, item);
    // Events without a key are reported apart (unkeyed); those with this key are the key's own candidates.
    if (own.length === 0 || own.some((k) => keyIdOf(k) === id)) continue;
    const filterTrace = ctx.tracer.trace(filter, item.event);
    const distance = distanceOf(filterTrace);
    if (within !== null && distance > within) continue;
    let closest: { key: unknown[]; differs: KeyDifference[] } | null = null;
    for (const k of own) {
      const differs: KeyDifference[] = [];
      k.forEach((value, position) => {
        if (JSON.stringify(value) !== wanted[position]) {
          differs.push({ position, field: keys.fields[position]!.name, location: keys.locations[position]!, value, expected: key[position] });
        }
      });
      if (!closest || differs.length < closest.differs.length) closest = { key: k, differs };
    }
    ranked.add({ event: eventOf(item), filter: filterTrace, key: closest!.key, differs: closest!.differs }, [distance, closest!.differs.length, considered]);
  }
  return { candidates: ranked.best(), considered };
}

/** The field names a clause reads, in all its leaves. */
function fieldsRead(c: ClauseTrace, out: Set<string> = new Set()): Set<string> {
  if (c.kind === 'leaf') for (const v of c.values) out.add(v.field);
  else for (const o of c.operands) fieldsRead(o, out);
  return out;
}

/**
 * Per stage, the events that give it no key and match its filter, or fail
 * it only for want of the key value: the category holds, and every failed
 * clause reads key fields the event has no value for, and nothing else.
 * Only the first {@link MAX_CONSIDERED} events without a key are looked at
 * per stage; stages with none are left out.
 */
export function unkeyedStages(
  ctx: Context,
  stages: ReadonlyArray<{ stage: number; filter: number; fields: readonly KeyField[] }>,
  keyIndex: KeyIndex,
  eventOf: (item: Item) => ExplainedEvent,
): UnkeyedStage[] {
  const out: UnkeyedStage[] = [];
  for (const { stage, filter, fields } of stages) {
    const without = keyIndex.unkeyed(fields);
    const considered = Math.min(without.length, MAX_CONSIDERED);
    const events: UnkeyedEvent[] = [];
    let count = 0;
    for (let i = 0; i < considered; i++) {
      const item = without[i]!;
      const missing = keyFieldsWithoutValue(fields, item.event);
      const trace = ctx.tracer.trace(filter, item.event);
      if (trace.category && !trace.category.result) continue;
      const unset = new Set(missing);
      const forTheKey = trace.failed.every((c) => {
        const read = fieldsRead(c);
        return read.size > 0 && [...read].every((f) => unset.has(f));
      });
      if (!forTheKey) continue;
      count++;
      if (events.length < ctx.options.candidates) events.push({ event: eventOf(item), filter: trace, stage, fields: missing });
    }
    if (count > 0) out.push({ stage, events, count, withoutKey: without.length, considered });
  }
  return out;
}

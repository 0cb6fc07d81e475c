/**
 * Events built from a query's own literals, for testing explanations against
 * the engine: for each filter an event meant to satisfy its condition (as
 * the optimizer leaves it), and variants with one leaf turned the other way
 * or values given as arrays. Best effort: whether an event really matches
 * is for the engine to say; the tests only compare verdicts.
 */
import type { Expression, Query, SequenceQuery } from '../../src/index.js';
import { optimizedQuery, type CompileOptions } from '../../src/compile/plan.js';

type Fields = Map<string, unknown>;

const OTHER = 'zz-other';

interface Walk {
  /** The leaf to turn the other way, by its order in the walk; -1 for none. */
  readonly flip: number;
  /** Values of positive leaves become arrays with another value. */
  readonly arrays: boolean;
  counter: number;
  readonly fields: Fields;
}

function fieldOf(e: Expression): string | null {
  return e.type === 'Field' ? e.path.join('.') : null;
}

function literalValue(e: Expression): unknown {
  switch (e.type) {
    case 'String':
    case 'Number':
    case 'Boolean':
      return e.value;
    case 'Null':
      return null;
    case 'Unary':
      return e.operator === '-' && e.operand.type === 'Number' ? -e.operand.value : undefined;
    default:
      return undefined;
  }
}

/** A text that a wildcard pattern matches. */
const wildcardExample = (p: string): string => p.replace(/\*/g, '').replace(/\?/g, 'a');

function different(v: unknown): unknown {
  if (typeof v === 'number') return v + 1;
  if (typeof v === 'boolean') return !v;
  return OTHER;
}

function shifted(v: unknown, by: number): unknown {
  return typeof v === 'number' ? v + by : v;
}

function set(w: Walk, field: string | null, value: unknown, positive: boolean): void {
  if (field === null) return;
  if (value === undefined) {
    w.fields.delete(field);
    return;
  }
  w.fields.set(field, w.arrays && positive && value !== null ? [OTHER, value] : value);
}

/** What to write for a leaf to come out as `want`: a field, its value (undefined: leave it out), and whether arrays may hold it. */
type Write = readonly [field: string | null, value: unknown, positive: boolean];

function leafWrite(e: Expression, want: boolean): Write | null {
  switch (e.type) {
    case 'Comparison': {
      const f = fieldOf(e.left);
      const v = literalValue(e.right);
      if (v === undefined) return null;
      switch (e.operator) {
        case '==':
          return [f, want ? v : different(v), want];
        case '!=':
          return [f, want ? different(v) : v, false];
        case '<':
          return [f, want ? shifted(v, -1) : v, want];
        case '<=':
          return [f, want ? v : shifted(v, 1), want];
        case '>':
          return [f, want ? shifted(v, 1) : v, want];
        case '>=':
          return [f, want ? v : shifted(v, -1), want];
      }
      return null;
    }
    case 'Match': {
      const f = fieldOf(e.subject);
      const p = e.patterns[0];
      if (p?.type !== 'String') return null;
      if (e.operator === 'regex' || e.operator === 'regex~') return [f, want ? undefined : OTHER, false];
      return [f, want ? wildcardExample(p.value) : OTHER, want];
    }
    case 'In': {
      const f = fieldOf(e.subject);
      const v = e.values[0] ? literalValue(e.values[0]) : undefined;
      if (v === undefined) return null;
      const inList = e.negated ? !want : want;
      return [f, inList ? v : OTHER, inList];
    }
    case 'IsNull': {
      const isNull = e.negated ? !want : want;
      return [fieldOf(e.operand), isNull ? undefined : 'present', false];
    }
    case 'Field':
      return [fieldOf(e), want, false];
    case 'FunctionCall': {
      const [first, second] = e.args;
      const v = second ? literalValue(second) : undefined;
      if (typeof v !== 'string') return null;
      const name = e.name.toLowerCase();
      const example = name === 'startswith' ? `${v}x` : name === 'endswith' ? `x${v}` : name === 'stringcontains' ? `x${v}x` : undefined;
      if (example === undefined) return null;
      return [first ? fieldOf(first) : null, want ? example : OTHER, want];
    }
    default:
      return null;
  }
}

function leaf(e: Expression, want: boolean, w: Walk): void {
  const write = leafWrite(e, want);
  if (write) set(w, ...write);
}

function walk(e: Expression, want: boolean, w: Walk): void {
  switch (e.type) {
    case 'And':
      if (want) for (const o of e.operands) walk(o, true, w);
      else
        e.operands.forEach((o, i) => {
          walk(o, i > 0, w);
        });
      return;
    case 'Or':
      if (want)
        e.operands.forEach((o, i) => {
          if (i === 0) walk(o, true, w);
          else countLeaves(o, w);
        });
      else for (const o of e.operands) walk(o, false, w);
      return;
    case 'Not':
      walk(e.operand, !want, w);
      return;
    default: {
      const index = w.counter++;
      leaf(e, index === w.flip ? !want : want, w);
    }
  }
}

/** Leaves not visited still count, so that flip indexes stay the same whatever is visited. */
function countLeaves(e: Expression, w: Walk): void {
  if (e.type === 'And' || e.type === 'Or') for (const o of e.operands) countLeaves(o, w);
  else if (e.type === 'Not') countLeaves(e.operand, w);
  else w.counter++;
}

function leafCount(e: Expression): number {
  if (e.type === 'And' || e.type === 'Or') return e.operands.reduce((n, o) => n + leafCount(o), 0);
  if (e.type === 'Not') return leafCount(e.operand);
  return 1;
}

/** Dotted names into nested objects; a name that would nest under a value is left out. */
function nest(fields: Fields): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of fields) {
    const parts = name.split('.');
    let node: Record<string, unknown> = out;
    let ok = true;
    for (const p of parts.slice(0, -1)) {
      const next = node[p];
      if (next === undefined) node = node[p] = {};
      else if (next !== null && typeof next === 'object' && !Array.isArray(next)) node = next as Record<string, unknown>;
      else {
        ok = false;
        break;
      }
    }
    const last = parts[parts.length - 1]!;
    if (ok && (node[last] === undefined || typeof node[last] !== 'object')) node[last] = value;
  }
  return out;
}

/** The fields of an event for one filter: satisfying it, or with leaf `flip` turned. */
function filterFields(category: string | null, condition: Expression, flip: number, arrays: boolean): Fields {
  const w: Walk = { flip, arrays, counter: 0, fields: new Map() };
  walk(condition, true, w);
  if (category !== null) w.fields.set('event.category', arrays ? [category, OTHER] : category);
  return w.fields;
}

const BASE = Date.parse('2026-02-01T00:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

/** Up to `max` events for an event query: one per leaf turned, with and without arrays. */
function eventQueryEvents(q: Extract<Query, { type: 'EventQuery' }>, max: number): Record<string, unknown>[] {
  const leaves = leafCount(q.filter.condition);
  const out: Record<string, unknown>[] = [];
  for (let flip = -1; flip < leaves && out.length < max; flip++) {
    for (const arrays of [false, true]) {
      const fields = filterFields(q.filter.category, q.filter.condition, flip, arrays);
      fields.set('@timestamp', iso(BASE + out.length * 1000));
      out.push(nest(fields));
    }
  }
  return out;
}

function maxspanMs(q: SequenceQuery): number | null {
  if (!q.maxspan) return null;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[q.maxspan.unit ?? 's'] ?? 1000;
  return q.maxspan.value * unit;
}

/**
 * Events for a sequence or a sample, one scenario per join key: every stage
 * satisfied in order; the last stage left out; one stage's leaf turned; the
 * last stage after maxspan; an until event in between; a missing-event
 * stage's event in between; values as arrays.
 */
function keyedEvents(q: Exclude<Query, { type: 'EventQuery' | 'JoinQuery' }>): Record<string, unknown>[] {
  const stages = q.type === 'SequenceQuery' ? q.stages.flatMap((s) => Array.from({ length: s.runs ?? 1 }, () => s)) : q.stages;
  const keyFields = (s: { by: readonly Expression[] }) => [...q.by, ...s.by].map((f) => fieldOf(f)).filter((f): f is string => f !== null);
  const span = q.type === 'SequenceQuery' ? maxspanMs(q) : null;
  const step = span === null ? 1000 : Math.max(1, Math.floor(span / (stages.length + 2)));
  const out: Record<string, unknown>[] = [];
  let clock = BASE;
  const emit = (stage: (typeof stages)[number], key: string, flip: number, arrays: boolean, at: number): void => {
    const fields = filterFields(stage.filter.category, stage.filter.condition, flip, arrays);
    for (const k of keyFields(stage)) fields.set(k, key);
    fields.set('@timestamp', iso(at));
    out.push(nest(fields));
  };
  const scenario = (name: string, body: (key: string) => void): void => {
    body(`key-${name}`);
    clock += 3_600_000;
  };
  const positives = stages.filter((s) => !('missing' in s && s.missing));
  const inOrder = (key: string, options: { flipStage?: number; drop?: number; late?: boolean; arrays?: boolean; insert?: { after: number; stage: (typeof stages)[number] } } = {}) => {
    let t = clock;
    positives.forEach((s, i) => {
      if (i === options.drop) return;
      if (options.late && i === positives.length - 1 && span !== null) t += span + 1000;
      emit(s, key, i === options.flipStage ? 0 : -1, options.arrays ?? false, t);
      if (options.insert && options.insert.after === i) emit(options.insert.stage, key, -1, false, t + Math.max(1, Math.floor(step / 2)));
      t += step;
    });
  };
  scenario('complete', (k) => inOrder(k));
  scenario('arrays', (k) => inOrder(k, { arrays: true }));
  scenario('short', (k) => inOrder(k, { drop: positives.length - 1 }));
  positives.forEach((_, i) => {
    scenario(`turned-${i}`, (k) => inOrder(k, { flipStage: i }));
  });
  if (q.type === 'SequenceQuery') {
    if (span !== null) scenario('late', (k) => inOrder(k, { late: true }));
    if (q.until) {
      const until = { ...q.until, missing: false, runs: null } as unknown as (typeof stages)[number];
      scenario('until', (k) => inOrder(k, { insert: { after: 0, stage: until } }));
    }
    const missing = q.stages.find((s) => s.missing);
    if (missing) scenario('missing', (k) => inOrder(k, { insert: { after: 0, stage: missing } }));
  }
  return out;
}

/**
 * Events derived from a query's literals (parsed and optimized with
 * `options`); at most `max` for an event query.
 */
export function deriveEvents(query: string, options: CompileOptions = {}, max = 40): Record<string, unknown>[] {
  const q = optimizedQuery(query, options);
  switch (q.type) {
    case 'EventQuery':
      return eventQueryEvents(q, max);
    case 'SequenceQuery':
    case 'SampleQuery':
      return keyedEvents(q);
    case 'JoinQuery':
      return [];
  }
}

/**
 * Join keys of sequences and samples: the values of the `by` fields, compared
 * by value across fields. A multi-valued key fans out into every combination
 * of its distinct values; nulls inside arrays are ignored; a key with no value
 * excludes the event unless the key is optional, where it is the null key.
 */
import { type Event, fieldValues } from '../semantics/fields.js';
import { docValuesOf } from '../semantics/doc-values.js';
import type { KeyField } from '../compile/plan.js';
import { parseDateWithFormat } from '../semantics/types/date.js';
import { compareCodePoints } from '../semantics/null-logic.js';

export type KeyValue = string | number | boolean | null;

/**
 * Beyond this many combinations an event's keys are cut off (and beyond this
 * many distinct values of one field, the rest are not read), so one event
 * cannot flood the state or the work: each event costs at most this many
 * keys. The events cut are counted (`keyCutEvents` in a matcher's stats).
 */
export const MAX_KEY_COMBINATIONS = 256;

/** Counts the events whose key combinations were cut off; owned by the runner. */
export interface KeyCutCounter {
  count: number;
}

function isDateField(k: KeyField): boolean {
  const t = k.field?.spec?.type;
  return t === 'date' || t === 'date_nanos';
}

/**
 * The distinct values of one key field, normalised so equal values compare
 * equal (dates as epoch milliseconds), at most MAX_KEY_COMBINATIONS of them
 * (`cut` says whether more were left unread).
 */
function keyValues(k: KeyField, event: Event, cut: { cut: boolean }): KeyValue[] {
  if (!k.field) return [null];
  // A date key is the instant, read from the event's own value (doc values print it as text).
  const raw = k.field.read(event);
  const values = isDateField(k) ? fieldValues(raw) : docValuesOf(k.field, raw);
  const out: KeyValue[] = [];
  const seen = values.length > 8 ? new Set<KeyValue>() : null;
  for (const v of values) {
    let key: KeyValue = v;
    if (isDateField(k)) {
      const ns = parseDateWithFormat(v, k.field.spec?.format);
      if (ns === null) continue;
      key = Number(ns / 1_000_000n);
    }
    if (seen ? seen.has(key) : out.includes(key)) continue;
    if (out.length === MAX_KEY_COMBINATIONS) {
      cut.cut = true;
      break;
    }
    seen?.add(key);
    out.push(key);
  }
  if (out.length === 0) return k.optional ? [null] : [];
  return out;
}

/**
 * Every key combination of an event for a list of key fields, at most
 * MAX_KEY_COMBINATIONS (the first ones, in the order of the values); empty
 * when the event has no usable key. An event cut off is counted in `counter`.
 */
export function keyCombinations(fields: readonly KeyField[], event: Event, counter?: KeyCutCounter): KeyValue[][] {
  const cut = { cut: false };
  let combos: KeyValue[][];
  if (fields.length === 1) {
    const values = keyValues(fields[0]!, event, cut);
    combos = values.length === 1 ? [values] : values.map((v) => [v]);
  } else {
    combos = [[]];
    for (const f of fields) {
      const values = keyValues(f, event, cut);
      if (values.length === 0) return [];
      const next: KeyValue[][] = [];
      fill: for (const c of combos) {
        for (const v of values) {
          if (next.length === MAX_KEY_COMBINATIONS) {
            cut.cut = true;
            break fill;
          }
          next.push([...c, v]);
        }
      }
      combos = next;
    }
  }
  if (cut.cut && counter) counter.count++;
  return combos;
}

/** A string that is equal for equal key values (types kept apart: 5 is not "5"). */
export function keyId(values: readonly KeyValue[]): string {
  // The common case, one string key, without serialising an array.
  if (values.length === 1 && typeof values[0] === 'string') return `s${values[0]}`;
  return JSON.stringify(values);
}

/** Which key positions hold dates, for rendering. */
export function datePositions(fields: readonly KeyField[]): boolean[] {
  return fields.map(isDateField);
}

/** Renders key values as Elasticsearch reports them: dates as ISO text in sequences, as epoch milliseconds in samples. */
export function renderKeys(values: readonly KeyValue[], dates: readonly boolean[], style: 'sequence' | 'sample'): unknown[] {
  return values.map((v, i) => (dates[i] && typeof v === 'number' && style === 'sequence' ? new Date(v).toISOString() : v));
}

/** Orders key lists as samples are ordered: null first, then numbers, then strings by byte order. */
export function compareKeys(a: readonly KeyValue[], b: readonly KeyValue[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = compareKeyValue(a[i] ?? null, b[i] ?? null);
    if (c !== 0) return c;
  }
  return 0;
}

function rank(v: KeyValue): number {
  return v === null ? 0 : typeof v === 'boolean' ? 1 : typeof v === 'number' ? 2 : 3;
}

export function compareKeyValue(a: KeyValue, b: KeyValue): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (a === b || a === null) return 0;
  if (typeof a === 'boolean') return (a ? 1 : 0) - (b ? 1 : 0);
  if (typeof a === 'number') return a - (b as number);
  return compareCodePoints(a as string, b as string);
}

/**
 * Orders sequences that complete on the same event: position by position,
 * values in their natural order; a null position counts as equal; a shorter
 * key first.
 */
export function compareSequenceKeys(a: readonly KeyValue[], b: readonly KeyValue[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === null || y === null) continue;
    const c = compareKeyValue(x, y);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

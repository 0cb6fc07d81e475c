/**
 * String functions as Elasticsearch's script processors run them. Every
 * function takes already-evaluated arguments; null handling is spelled out
 * per function because Elasticsearch's rules differ from one to the next.
 */
import type { ScriptValue } from '../null-logic.js';
import { foldUnicode } from '../case-folding.js';

const str = (v: ScriptValue): string | null => (typeof v === 'string' ? v : null);

/**
 * between(source, left, right[, greedy]): the text after the first `left` and
 * before the next `right` (the last `right` when greedy). An empty source,
 * left or right gives the source back; a delimiter that is not found gives "".
 */
export function between(s: ScriptValue, left: ScriptValue, right: ScriptValue, greedy: ScriptValue, caseInsensitive: boolean): ScriptValue {
  const source = str(s);
  const l = str(left);
  const r = str(right);
  if (source === null || l === null || r === null) return null;
  if (greedy !== null && typeof greedy !== 'boolean') return null;
  if (source === '' || l === '' || r === '') return source;
  const hay = caseInsensitive ? foldUnicode(source) : source;
  const lk = caseInsensitive ? foldUnicode(l) : l;
  const rk = caseInsensitive ? foldUnicode(r) : r;
  const at = hay.indexOf(lk);
  if (at < 0) return '';
  const start = at + lk.length;
  const end = greedy === true ? hay.lastIndexOf(rk) : hay.indexOf(rk, start);
  if (end < start) return '';
  return source.substring(start, end);
}

export function endsWith(s: ScriptValue, suffix: ScriptValue, caseInsensitive: boolean): ScriptValue {
  const a = str(s);
  const b = str(suffix);
  if (a === null || b === null) return null;
  return caseInsensitive ? foldUnicode(a).endsWith(foldUnicode(b)) : a.endsWith(b);
}

export function startsWith(s: ScriptValue, prefix: ScriptValue, caseInsensitive: boolean): ScriptValue {
  const a = str(s);
  const b = str(prefix);
  if (a === null || b === null) return null;
  return caseInsensitive ? foldUnicode(a).startsWith(foldUnicode(b)) : a.startsWith(b);
}

/** stringContains: an empty source or an empty substring gives false. */
export function stringContains(s: ScriptValue, sub: ScriptValue, caseInsensitive: boolean): ScriptValue {
  const a = str(s);
  const b = str(sub);
  if (a === null || b === null) return null;
  if (a === '' || b === '') return false;
  return caseInsensitive ? foldUnicode(a).includes(foldUnicode(b)) : a.includes(b);
}

/** indexOf: 0-based; null when absent (never -1); a negative start counts as 0. */
export function indexOf(s: ScriptValue, sub: ScriptValue, start: ScriptValue, caseInsensitive: boolean): ScriptValue {
  const a = str(s);
  const b = str(sub);
  if (a === null || b === null) return null;
  if (start !== null && typeof start !== 'number') return null;
  const from = start === null ? 0 : Math.max(0, Math.trunc(start));
  const at = caseInsensitive ? foldUnicode(a).indexOf(foldUnicode(b), from) : a.indexOf(b, from);
  return at < 0 ? null : at;
}

export function length(s: ScriptValue): ScriptValue {
  const a = str(s);
  return a === null ? null : a.length;
}

/**
 * substring(s, start[, end]) with Python slice rules: negative positions count
 * from the end, positions clamp to the string, start ≥ end gives "". A null
 * start gives the string back unchanged.
 */
export function substring(s: ScriptValue, start: ScriptValue, end: ScriptValue): ScriptValue {
  const a = str(s);
  if (a === null) return null;
  if (start === null) return a;
  if (typeof start !== 'number' || (end !== null && typeof end !== 'number')) return null;
  const n = a.length;
  let from = Math.trunc(start);
  let to = end === null ? n : Math.trunc(end);
  if (from < 0) from += n;
  if (to < 0) to += n;
  from = Math.max(0, from);
  to = Math.min(n, Math.max(0, to));
  return from >= to ? '' : a.slice(from, to);
}

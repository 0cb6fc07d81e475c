/**
 * `substring(s, start[, end])` with Python slice rules: negative positions
 * count from the end, positions clamp to the string, start ≥ end gives "". A
 * null start gives the string back unchanged.
 */
import type { ScriptValue } from '../../semantics/null-logic.js';
import { signature } from './signature.js';
import { textOf } from './text-argument.js';
import type { FunctionDefinition } from './types.js';

export function substringOf(s: ScriptValue, start: ScriptValue, end: ScriptValue): ScriptValue {
  const a = textOf(s);
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

export const substring: FunctionDefinition = {
  name: 'substring',
  summary: 'a slice of the text, with Python’s rules',
  signature: signature(2, 3, ['string', 'integer', 'integer'], 'string'),
  script: (args) => {
    const a0 = args[0]!.fn;
    const a1 = args[1]!.fn;
    const a2 = args[2]?.fn;
    return a2 ? (s) => substringOf(a0(s), a1(s), a2(s)) : (s) => substringOf(a0(s), a1(s), null);
  },
};

/**
 * `indexOf(s, sub[, start])`: 0-based; null when absent (never -1); a
 * negative start counts as 0. `indexOf~` without regard to case.
 */

import { foldUnicode } from '../../semantics/case-folding.js';
import type { ScriptValue } from '../../semantics/null-logic.js';
import { signature } from './signature.js';
import { textOf } from './text-argument.js';
import type { FunctionDefinition } from './types.js';

export function indexOfOf(s: ScriptValue, sub: ScriptValue, start: ScriptValue, caseInsensitive: boolean): ScriptValue {
  const a = textOf(s);
  const b = textOf(sub);
  if (a === null || b === null) return null;
  if (start !== null && typeof start !== 'number') return null;
  const from = start === null ? 0 : Math.max(0, Math.trunc(start));
  const at = caseInsensitive ? foldUnicode(a).indexOf(foldUnicode(b), from) : a.indexOf(b, from);
  return at < 0 ? null : at;
}

export const indexOf: FunctionDefinition = {
  name: 'indexOf',
  summary: 'where the substring first occurs, from a start; null when it does not',
  signature: signature(2, 3, ['string', 'string', 'integer'], 'integer', true),
  script: (args, { call }) => {
    const ci = call.caseInsensitive;
    const a0 = args[0]!.fn;
    const a1 = args[1]!.fn;
    const a2 = args[2]?.fn;
    return a2 ? (s) => indexOfOf(a0(s), a1(s), a2(s), ci) : (s) => indexOfOf(a0(s), a1(s), null, ci);
  },
};

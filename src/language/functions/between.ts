/**
 * `between(source, left, right[, greedy])`: the text after the first `left`
 * and before the next `right` (the last `right` when greedy). An empty source,
 * left or right gives the source back; a delimiter that is not found gives "".
 * `between~` finds the delimiters without regard to case.
 */

import { foldUnicode } from '../../semantics/case-folding.js';
import type { ScriptValue } from '../../semantics/null-logic.js';
import { signature } from './signature.js';
import { textOf } from './text-argument.js';
import type { FunctionDefinition } from './types.js';

export function betweenOf(s: ScriptValue, left: ScriptValue, right: ScriptValue, greedy: ScriptValue, caseInsensitive: boolean): ScriptValue {
  const source = textOf(s);
  const l = textOf(left);
  const r = textOf(right);
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

export const between: FunctionDefinition = {
  name: 'between',
  summary: 'the text between two delimiters (greedy: up to the last)',
  signature: signature(3, 4, ['string', 'string', 'string', 'boolean'], 'string', true),
  script: (args, { call }) => {
    const ci = call.caseInsensitive;
    const a0 = args[0]!.fn;
    const a1 = args[1]!.fn;
    const a2 = args[2]!.fn;
    const a3 = args[3]?.fn;
    return a3 ? (s) => betweenOf(a0(s), a1(s), a2(s), a3(s), ci) : (s) => betweenOf(a0(s), a1(s), a2(s), false, ci);
  },
};

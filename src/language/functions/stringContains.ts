/**
 * `stringContains(s, sub)`: an empty source or an empty substring gives
 * false; `stringContains~` without regard to case (Unicode case folding in a
 * script). On a field with a constant substring it is Elasticsearch's
 * wildcard query `*sub*`, built from the raw argument, so `*`, `?` and `\` in
 * it act as Lucene wildcard syntax (and `stringContains(x, "")` matches any
 * value), and `~` folds ASCII only.
 */

import { foldUnicode } from '../../semantics/case-folding.js';
import type { ScriptValue } from '../../semantics/null-logic.js';
import { WildcardPattern } from '../../text/wildcard.js';
import { signature } from './signature.js';
import { textOf } from './text-argument.js';
import type { FunctionDefinition } from './types.js';

export function stringContainsOf(s: ScriptValue, sub: ScriptValue, caseInsensitive: boolean): ScriptValue {
  const a = textOf(s);
  const b = textOf(sub);
  if (a === null || b === null) return null;
  if (a === '' || b === '') return false;
  return caseInsensitive ? foldUnicode(a).includes(foldUnicode(b)) : a.includes(b);
}

export const stringContains: FunctionDefinition = {
  name: 'stringContains',
  summary: 'whether the text contains the substring',
  signature: signature(2, 2, ['string', 'string'], 'boolean', true),
  script: (args, { call }) => {
    const ci = call.caseInsensitive;
    const a0 = args[0]!.fn;
    const a1 = args[1]!.fn;
    return (s) => stringContainsOf(a0(s), a1(s), ci);
  },
  indexQuery: {
    on: 'keyword',
    query: 'wildcard',
    test: ([sub], caseInsensitive) => new WildcardPattern(`*${String(sub)}*`, caseInsensitive ? 'ascii' : 'none', 'lucene').matches,
  },
};

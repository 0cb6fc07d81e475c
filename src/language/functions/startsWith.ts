/**
 * `startsWith(s, prefix)`; `startsWith~` without regard to case (Unicode
 * case folding in a script). On a field with a constant prefix it is
 * Elasticsearch's prefix query: the argument is plain text, and `~` folds
 * ASCII only.
 */

import { foldAscii, foldUnicode } from '../../semantics/case-folding.js';
import type { ScriptValue } from '../../semantics/null-logic.js';
import { signature } from './signature.js';
import { textOf } from './text-argument.js';
import type { FunctionDefinition } from './types.js';

export function startsWithOf(s: ScriptValue, prefix: ScriptValue, caseInsensitive: boolean): ScriptValue {
  const a = textOf(s);
  const b = textOf(prefix);
  if (a === null || b === null) return null;
  return caseInsensitive ? foldUnicode(a).startsWith(foldUnicode(b)) : a.startsWith(b);
}

export const startsWith: FunctionDefinition = {
  name: 'startsWith',
  summary: 'whether the text starts with the prefix',
  signature: signature(2, 2, ['string', 'string'], 'boolean', true),
  script: (args, { call }) => {
    const ci = call.caseInsensitive;
    const a0 = args[0]!.fn;
    const a1 = args[1]!.fn;
    return (s) => startsWithOf(a0(s), a1(s), ci);
  },
  indexQuery: {
    on: 'keyword',
    query: 'prefix',
    test: ([literal], caseInsensitive) => {
      const arg = String(literal);
      if (!caseInsensitive) return (s) => s.startsWith(arg);
      const prefix = foldAscii(arg);
      return (s) => foldAscii(s).startsWith(prefix);
    },
  },
};

/**
 * `endsWith(s, suffix)`; `endsWith~` without regard to case (Unicode case
 * folding in a script). On a field with a constant suffix it is Elasticsearch's
 * wildcard query `*suffix`, built from the raw argument, so `*`, `?` and `\`
 * in it act as Lucene wildcard syntax, and `~` folds ASCII only.
 */

import { foldUnicode } from '../../semantics/case-folding.js';
import type { ScriptValue } from '../../semantics/null-logic.js';
import { WildcardPattern } from '../../text/wildcard.js';
import { signature } from './signature.js';
import { textOf } from './text-argument.js';
import type { FunctionDefinition } from './types.js';

export function endsWithOf(s: ScriptValue, suffix: ScriptValue, caseInsensitive: boolean): ScriptValue {
  const a = textOf(s);
  const b = textOf(suffix);
  if (a === null || b === null) return null;
  return caseInsensitive ? foldUnicode(a).endsWith(foldUnicode(b)) : a.endsWith(b);
}

export const endsWith: FunctionDefinition = {
  name: 'endsWith',
  summary: 'whether the text ends with the suffix',
  signature: signature(2, 2, ['string', 'string'], 'boolean', true),
  script: (args, { call }) => {
    const ci = call.caseInsensitive;
    const a0 = args[0]!.fn;
    const a1 = args[1]!.fn;
    return (s) => endsWithOf(a0(s), a1(s), ci);
  },
  indexQuery: {
    on: 'keyword',
    query: 'wildcard',
    test: ([suffix], caseInsensitive) => new WildcardPattern(`*${String(suffix)}`, caseInsensitive ? 'ascii' : 'none', 'lucene').matches,
  },
};

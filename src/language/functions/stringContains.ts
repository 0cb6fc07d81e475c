/**
 * `stringContains(s, sub)`: an empty source or an empty substring gives
 * false; `stringContains~` without regard to case (Unicode case folding in a
 * script). On a field with a constant substring it is Elasticsearch's
 * wildcard query `*sub*`, built from the raw argument, so `*`, `?` and `\` in
 * it act as Lucene wildcard syntax (and `stringContains(x, "")` matches any
 * value), and `~` folds ASCII only.
 */

import { WildcardPattern } from '../../text/wildcard.js';
import { signature } from './signature.js';
import { textTestScript } from './text-argument.js';
import type { FunctionDefinition } from './types.js';

export const stringContains: FunctionDefinition = {
  name: 'stringContains',
  summary: 'whether the text contains the substring',
  signature: signature(2, 2, ['string', 'string'], 'boolean', true),
  script: textTestScript((a, b) => a !== '' && b !== '' && a.includes(b)),
  indexQuery: {
    on: 'keyword',
    query: 'wildcard',
    test: ([sub], caseInsensitive) => new WildcardPattern(`*${String(sub)}*`, caseInsensitive ? 'ascii' : 'none', 'lucene').matches,
  },
};

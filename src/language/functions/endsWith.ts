/**
 * `endsWith(s, suffix)`; `endsWith~` without regard to case (Unicode case
 * folding in a script). On a field with a constant suffix it is Elasticsearch's
 * wildcard query `*suffix`, built from the raw argument, so `*`, `?` and `\`
 * in it act as Lucene wildcard syntax, and `~` folds ASCII only.
 */

import { WildcardPattern } from '../../text/wildcard.js';
import { signature } from './signature.js';
import { textTestScript } from './text-argument.js';
import type { FunctionDefinition } from './types.js';

export const endsWith: FunctionDefinition = {
  name: 'endsWith',
  summary: 'whether the text ends with the suffix',
  signature: signature(2, 2, ['string', 'string'], 'boolean', true),
  script: textTestScript((a, b) => a.endsWith(b)),
  indexQuery: {
    on: 'keyword',
    query: 'wildcard',
    test: ([suffix], caseInsensitive) => new WildcardPattern(`*${String(suffix)}`, caseInsensitive ? 'ascii' : 'none', 'lucene').matches,
  },
};

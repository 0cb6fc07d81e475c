/**
 * `startsWith(s, prefix)`; `startsWith~` without regard to case (Unicode
 * case folding in a script). On a field with a constant prefix it is
 * Elasticsearch's prefix query: the argument is plain text, and `~` folds
 * ASCII only.
 */

import { foldAscii } from '../../semantics/case-folding.js';
import { signature } from './signature.js';
import { textTestScript } from './text-argument.js';
import type { FunctionDefinition } from './types.js';

export const startsWith: FunctionDefinition = {
  name: 'startsWith',
  summary: 'whether the text starts with the prefix',
  signature: signature(2, 2, ['string', 'string'], 'boolean', true),
  script: textTestScript((a, b) => a.startsWith(b)),
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

/** `length(s)`: the text's length in UTF-16 code units. */
import type { ScriptValue } from '../../semantics/null-logic.js';
import { signature } from './signature.js';
import { textOf } from './text-argument.js';
import type { FunctionDefinition } from './types.js';

export function lengthOf(s: ScriptValue): ScriptValue {
  const a = textOf(s);
  return a === null ? null : a.length;
}

export const length: FunctionDefinition = {
  name: 'length',
  summary: 'the length of the text',
  signature: signature(1, 1, ['string'], 'integer'),
  script: ([arg]) => {
    const a0 = arg!.fn;
    return (s) => lengthOf(a0(s));
  },
};

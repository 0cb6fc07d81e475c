/** `string(v)`: the value as text (`string(true)` is "true", `string(2.0)` is "2.0"); null gives null. */
import { scriptToString } from '../../semantics/null-logic.js';
import { signature } from './signature.js';
import type { FunctionDefinition } from './types.js';

export const string: FunctionDefinition = {
  name: 'string',
  summary: 'the value as text',
  signature: signature(1, 1, ['any'], 'string'),
  cast: 'keyword',
  script: ([arg]) => {
    const a0 = arg!.fn;
    const kind = arg!.kind;
    return (s) => scriptToString(a0(s), kind);
  },
};

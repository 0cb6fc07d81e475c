/** `concat(v, …)`: any null argument gives null; numbers and booleans render as text, as `string()` renders them. */
import { type ScriptValue, scriptToString, type ValueKind } from '../../semantics/null-logic.js';
import { signature } from './signature.js';
import type { FunctionDefinition } from './types.js';

export function concatOf(values: readonly ScriptValue[], kinds: readonly ValueKind[]): ScriptValue {
  let out = '';
  for (let i = 0; i < values.length; i++) {
    const s = scriptToString(values[i]!, kinds[i]!);
    if (s === null) return null;
    out += s;
  }
  return out;
}

export const concat: FunctionDefinition = {
  name: 'concat',
  summary: 'the arguments as text, joined',
  signature: signature(1, Infinity, ['any'], 'string'),
  script: (args) => {
    const kinds = args.map((a) => a.kind);
    return (s) =>
      concatOf(
        args.map((a) => a.fn(s)),
        kinds,
      );
  },
};

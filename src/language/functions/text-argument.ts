/** Shared by the string functions: an argument's text, and the script of a test on two texts. */
import { foldUnicode } from '../../semantics/case-folding.js';
import type { ScriptValue } from '../../semantics/null-logic.js';
import type { FunctionDefinition } from './types.js';

export const textOf = (v: ScriptValue): string | null => (typeof v === 'string' ? v : null);

/**
 * A boolean test of two texts as a script: null when either argument is not
 * text, and with `~` both folded as Elasticsearch's scripts fold (Unicode).
 */
export function textTestScript(test: (text: string, other: string) => boolean): FunctionDefinition['script'] {
  return (args, { call }) => {
    const folded = call.caseInsensitive;
    const a0 = args[0]!.fn;
    const a1 = args[1]!.fn;
    return (s) => {
      const a = textOf(a0(s));
      const b = textOf(a1(s));
      if (a === null || b === null) return null;
      return folded ? test(foldUnicode(a), foldUnicode(b)) : test(a, b);
    };
  };
}

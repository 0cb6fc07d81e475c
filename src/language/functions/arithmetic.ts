/**
 * The arithmetic functions (`add`, `subtract`, `multiply`, `divide`,
 * `modulo`): the operators `+ - * / %` as functions, with their Java rules
 * (null-logic.ts) and their literals moved across comparisons as the
 * operators' are.
 */
import { type ArithmeticOp, arithmetic, arithmeticKind } from '../../semantics/null-logic.js';
import { signature } from './signature.js';
import type { FunctionDefinition } from './types.js';

export function arithmeticFunction(name: string, op: ArithmeticOp, summary: string): FunctionDefinition {
  return {
    name,
    summary,
    signature: signature(2, 2, ['numeric', 'numeric'], ([l, r]) => arithmeticKind(l!, r!)),
    arithmetic: op,
    script: ([l, r]) => {
      const lf = l!.fn;
      const rf = r!.fn;
      const lk = l!.kind;
      const rk = r!.kind;
      return (s) => arithmetic(op, lf(s), rf(s), lk, rk);
    },
  };
}

/**
 * The argument of `head` and `tail`: one whole number from 0 to 2^31 − 1,
 * written as a literal or as integer arithmetic that Elasticsearch works out
 * while parsing (`head 2 * 3`, `head +5`).
 */
// Integer arithmetic as everywhere else (Java's, on longs): a per-event value semantic, shared by every stage.
import { arithmetic } from '../../semantics/null-logic.js';
import type * as A from '../../parser/ast.js';
import type { PipeCheckFailure } from './types.js';

export const MAX_PIPE_LIMIT = 2 ** 31 - 1;

/** Elasticsearch's checks of a count argument, with our messages. */
export function checkCountArgument(pipe: A.Pipe, fail: PipeCheckFailure): void {
  if (pipe.args.length !== 1) fail(`'${pipe.name}' takes exactly one argument, a whole number; found ${pipe.args.length}`, pipe.location);
  const arg = pipe.args[0]!;
  const count = pipeCount(arg);
  if (count === null || count < 0 || count > MAX_PIPE_LIMIT) {
    fail(`'${pipe.name}' takes a whole number from 0 to ${MAX_PIPE_LIMIT}`, arg.location);
  }
}

/** The count of a checked pipe; 0 for an unchecked one without a readable count. */
export function countArgument(pipe: A.Pipe): number {
  const arg = pipe.args[0];
  return arg ? (pipeCount(arg) ?? 0) : 0;
}

/** The number an argument stands for, or null when it is not integer arithmetic on literals. */
export function pipeCount(e: A.Expression): number | null {
  switch (e.type) {
    case 'Number':
      return e.integer ? e.value : null;
    case 'Unary': {
      const v = pipeCount(e.operand);
      return v === null ? null : e.operator === '-' ? -v : v;
    }
    case 'Arithmetic': {
      const a = pipeCount(e.left);
      const b = pipeCount(e.right);
      if (a === null || b === null) return null;
      const v = arithmetic(e.operator, a, b, 'integer', 'integer');
      return typeof v === 'number' ? v : null;
    }
    default:
      return null;
  }
}

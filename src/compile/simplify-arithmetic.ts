/**
 * Elasticsearch's optimizer moves the literals of arithmetic across a
 * comparison (ql's SimplifyComparisonsArithmetics): `x + 1 != 5` is searched
 * as `x != 4`, `x * 2 < 8` as `x < 4`, `-x >= 3` as `x <= -3`. When that
 * leaves a field alone on the left, the condition is a field comparison, with
 * a field comparison's semantics: `x != 4` matches an event without `x`, and
 * fails when any value of `x` is 4, where the computed `x + 1 != 5` would
 * not. This module does the same moves, and only when they end at a field;
 * anywhere else the moved and unmoved forms behave alike here.
 *
 * The moves Elasticsearch refuses are refused here too: `%`, a floating
 * literal in the arithmetic or in the comparison, `+` or `-` on a floating
 * field, an integer division, a `*` whose literal does not divide the
 * comparison's (on an integer field) or is 0, and any result that overflows a
 * long. Only the literal-on-the-right forms (`x + 1`, `add(x, 1)`) are moved.
 */
import type * as A from '../parser/ast.js';
import { MIRRORED_COMPARISON } from '../parser/ast.js';
import { functionDefinition } from '../language/functions/index.js';

export interface SimplifiedComparison {
  readonly field: A.Field;
  readonly operator: A.ComparisonOperator;
  readonly value: number;
  /** The value is a double (a floating field's division or multiplication). */
  readonly isFloat: boolean;
}

type Step =
  | { readonly kind: 'sign'; readonly negative: boolean; readonly operand: A.Expression }
  | { readonly kind: 'op'; readonly operator: A.ArithmeticOperator; readonly operand: A.Expression; readonly literal: A.NumberLiteral };

/** One arithmetic step with its literal on the right, or a sign; null for anything else. */
function stepOf(e: A.Expression): Step | null {
  if (e.type === 'Unary') return { kind: 'sign', negative: e.operator === '-', operand: e.operand };
  let operator: A.ArithmeticOperator | undefined;
  let operand: A.Expression | undefined;
  let right: A.Expression | undefined;
  if (e.type === 'Arithmetic') [operator, operand, right] = [e.operator, e.left, e.right];
  else if (e.type === 'FunctionCall' && e.args.length === 2) [operator, operand, right] = [functionDefinition(e.name)?.arithmetic, e.args[0], e.args[1]];
  if (!operator || !operand || right?.type !== 'Number') return null;
  return { kind: 'op', operator, operand, literal: right };
}

/** The field at the bottom of a chain of steps, or null when the chain ends elsewhere. */
function bottomField(e: A.Expression): A.Field | null {
  for (let node: A.Expression = e, depth = 0; depth < 1000; depth++) {
    if (node.type === 'Field') return node;
    const step = stepOf(node);
    if (!step) return null;
    node = step.operand;
  }
  return null;
}

/**
 * `left <operator> value`, with the literals moved off the left as
 * Elasticsearch moves them, when that leaves a field there; otherwise null.
 * `isRational` tells whether a field holds floating-point numbers.
 */
export function simplifyArithmeticComparison(
  left: A.Expression,
  operator: A.ComparisonOperator,
  value: unknown,
  valueIsFloat: boolean,
  isRational: (field: A.Field) => boolean,
): SimplifiedComparison | null {
  if (typeof value !== 'number' || left.type === 'Field') return null;
  const field = bottomField(left);
  if (!field) return null;
  const rational = isRational(field);
  let op = operator;
  let k = value;
  let kFloat = valueIsFloat;
  for (let node: A.Expression = left; node.type !== 'Field'; ) {
    const step: Step = stepOf(node)!;
    node = step.operand;
    if (step.kind === 'sign') {
      if (step.negative) {
        k = -k;
        op = MIRRORED_COMPARISON[op];
      }
      continue;
    }
    const c = step.literal.value;
    if (!step.literal.integer || kFloat) return null;
    switch (step.operator) {
      case '+':
      case '-':
        if (rational) return null;
        k = step.operator === '+' ? k - c : k + c;
        break;
      case '*':
        if (c === 0 || (!rational && k % c !== 0)) return null;
        k /= c;
        kFloat = rational;
        if (c < 0) op = MIRRORED_COMPARISON[op];
        break;
      case '/':
        if (!rational || c === 0) return null;
        k *= c;
        kFloat = true;
        if (c < 0) op = MIRRORED_COMPARISON[op];
        break;
      default:
        return null;
    }
    if (!kFloat && !Number.isSafeInteger(k)) return null;
  }
  return { field, operator: op, value: k === 0 ? 0 : k, isFloat: kFloat };
}

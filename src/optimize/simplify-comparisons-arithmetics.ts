/**
 * SimplifyComparisonsArithmetics (ql's OptimizerRules, batch "Operator
 * Optimization"): the literals of arithmetic move across a comparison.
 * `x + 1 != 5` is `x != 4`, `x * 2 < 8` is `x < 4`, `-x >= 3` is `x <= -3`.
 * When that leaves a field alone on the left, the condition is a field
 * comparison, with a field comparison's semantics: `x != 4` matches an event
 * without `x`, and fails when any value of `x` is 4, where the computed
 * `x + 1 != 5` would not. Only moves that end at a field are made; anywhere
 * else the moved and unmoved forms behave alike here.
 *
 * The moves Elasticsearch refuses are refused: `%`, a floating literal in the
 * arithmetic or in the comparison, `+` or `-` on a floating field, an integer
 * division, a `*` whose literal does not divide the comparison's (on an
 * integer field) or is 0, and any result that overflows a long. Only the
 * literal-on-the-right forms (`x + 1`, `add(x, 1)`) are moved. Like the rules
 * before it, this applies to the leaves of a condition.
 *
 * Elasticsearch checks types before it optimizes; here code generation checks
 * them, on what this rule leaves. So the rule moves nothing that would not
 * type-check as written: the field must be numeric (or have no type), and no
 * call may have a `~`. What does not type-check stays for code generation to
 * refuse, with its message about the text as written.
 */
import type * as A from '../parser/ast.js';
import { MIRRORED_COMPARISON } from '../parser/ast.js';
import { functionDefinition } from '../language/functions/index.js';
import { javaDoubleToString } from '../semantics/null-logic.js';
import { conditionRule, mapLeaves } from './rule.js';

/** Field types whose values arithmetic takes; null is a field without a type. */
const NUMERIC_TYPES: ReadonlySet<string | null> = new Set([null, 'long', 'double']);

type Step =
  | { readonly kind: 'sign'; readonly negative: boolean; readonly operand: A.Expression }
  | { readonly kind: 'op'; readonly operator: A.ArithmeticOperator; readonly operand: A.Expression; readonly literal: A.NumberLiteral };

/** One arithmetic step with its literal on the right, or a sign; null for anything else (a call with `~` too). */
function stepOf(e: A.Expression): Step | null {
  if (e.type === 'Unary') return { kind: 'sign', negative: e.operator === '-', operand: e.operand };
  let operator: A.ArithmeticOperator | undefined;
  let operand: A.Expression | undefined;
  let right: A.Expression | undefined;
  if (e.type === 'Arithmetic') [operator, operand, right] = [e.operator, e.left, e.right];
  else if (e.type === 'FunctionCall' && !e.caseInsensitive && e.args.length === 2) [operator, operand, right] = [functionDefinition(e.name)?.arithmetic, e.args[0], e.args[1]];
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

interface Moved {
  readonly operator: A.ComparisonOperator;
  readonly value: number;
  /** The value is a double (a floating field's division or multiplication). */
  readonly isFloat: boolean;
}

/** `left <operator> value` with the literals moved off the left, down to its field; null when a move is refused. */
function move(left: A.Expression, operator: A.ComparisonOperator, value: number, valueIsFloat: boolean, rational: boolean): Moved | null {
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
  return { operator: op, value: k === 0 ? 0 : k, isFloat: kFloat };
}

/** A number literal for a moved value, at the place of the constant it replaces. */
function numberLiteral(value: number, isFloat: boolean, location: A.Location): A.NumberLiteral {
  return { type: 'Number', value, integer: !isFloat, text: isFloat ? javaDoubleToString(value) : String(value), location };
}

export const simplifyComparisonsArithmetics = conditionRule('SimplifyComparisonsArithmetics', (condition, context) =>
  mapLeaves(condition, (leaf) => {
    if (leaf.type !== 'Comparison' || leaf.left.type === 'Field') return leaf;
    const field = bottomField(leaf.left);
    if (!field) return leaf;
    const type = context.type(field);
    if (type === undefined || !NUMERIC_TYPES.has(type)) return leaf;
    const constant = context.constant(leaf.right);
    if (typeof constant?.value !== 'number') return leaf;
    const moved = move(leaf.left, leaf.operator, constant.value, constant.kind === 'float', type === 'double');
    if (!moved) return leaf;
    return { ...leaf, operator: moved.operator, left: field, right: numberLiteral(moved.value, moved.isFloat, leaf.right.location) };
  }),
);

/**
 * BooleanFunctionEqualsElimination (ql's OptimizerRules, batch "Operator
 * Optimization"): a boolean function compared with `true` or `false` is the
 * function or its `not`: `f(…) == true` is `f(…)`, `f(…) != true` and
 * `f(…) == false` are `not f(…)`. The function then runs as a condition of
 * its own (an index query where it has one) instead of inside a script.
 *
 * Boolean functions are what Elasticsearch builds as functions: comparisons,
 * matches, `in`, calls, null tests, `not`, `and`, `or`. The literal may be on
 * either side (Elasticsearch looks on the right, after LiteralsOnTheRight,
 * which leaves it on the left when both sides are constant; the code before
 * looked at both, and so does this). It applies to the leaves of a condition.
 */
import type * as A from '../parser/ast.js';
import { conditionRule, mapLeaves } from './rule.js';

const BOOLEAN_FUNCTIONS: ReadonlySet<A.Expression['type']> = new Set(['Comparison', 'Match', 'In', 'FunctionCall', 'IsNull', 'Not', 'And', 'Or']);

export const booleanFunctionEqualsElimination = conditionRule('BooleanFunctionEqualsElimination', (condition) =>
  mapLeaves(condition, (leaf) => {
    if (leaf.type !== 'Comparison' || (leaf.operator !== '==' && leaf.operator !== '!=')) return leaf;
    const literal = leaf.right.type === 'Boolean' ? leaf.right : leaf.left.type === 'Boolean' ? leaf.left : null;
    if (literal === null) return leaf;
    const other = literal === leaf.right ? leaf.left : leaf.right;
    if (!BOOLEAN_FUNCTIONS.has(other.type)) return leaf;
    return (leaf.operator === '==') === literal.value ? other : { type: 'Not', operand: other, location: other.location };
  }),
);

/**
 * LiteralsOnTheRight (ql's OptimizerRules, batch "Operator Optimization"):
 * a comparison whose left side is a constant and whose right side is not is
 * turned round, the operator mirrored: `5 < x` is `x > 5`. Code generation
 * then finds every field comparison with its field on the left.
 *
 * The left side must be what Elasticsearch's ConstantFolding would have made
 * a literal by then: an expression that reads no field (see `isConstant`)
 * and evaluates. One that does not evaluate stays where it is, for code
 * generation to report first, as it reports what comes first in the text.
 * As the code before did, this applies to the leaves of a condition (what
 * `and`, `or` and `not` combine), not inside scripts, where turning a
 * comparison round changes nothing.
 */
import { MIRRORED_COMPARISON } from '../parser/ast.js';
import { conditionRule, isConstant, mapLeaves } from './rule.js';

export const literalsOnTheRight = conditionRule('LiteralsOnTheRight', (condition, context) =>
  mapLeaves(condition, (leaf) => {
    if (leaf.type !== 'Comparison' || !isConstant(leaf.left, context) || isConstant(leaf.right, context)) return leaf;
    if (context.constant(leaf.left) === undefined) return leaf;
    return { ...leaf, operator: MIRRORED_COMPARISON[leaf.operator], left: leaf.right, right: leaf.left };
  }),
);

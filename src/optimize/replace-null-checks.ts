/**
 * ReplaceNullChecks (Elasticsearch's EQL Optimizer, batch "Substitution"):
 * `x == null` is the test `x` is null, and `x != null` its `not`, wherever
 * they are (in a condition and inside scripts alike), and whichever side the
 * null is on (the right side is looked at first). Without it a comparison
 * with null would be null, and match nothing. The `not` of `!=` is the
 * test's `negated` (see `IsNull` in parser/ast.ts: Elasticsearch runs it
 * inside the script where the operand is computed).
 *
 * The null literal here is `null` or an optional field that the schema
 * lacks, which Elasticsearch's analyzer has made `null` by then. (Elasticsearch
 * takes any side that folds to null; an expression such as `1 + null` is left
 * to code generation, which gives it the meaning it has always had here.)
 */
import type * as A from '../parser/ast.js';
import { conditionRule, isNullLiteral, mapOperations } from './rule.js';

export const replaceNullChecks = conditionRule('ReplaceNullChecks', (condition, context) =>
  mapOperations(condition, (node) => {
    if (node.type !== 'Comparison' || (node.operator !== '==' && node.operator !== '!=')) return node;
    const operand = isNullLiteral(node.right, context) ? node.left : isNullLiteral(node.left, context) ? node.right : null;
    if (operand === null) return node;
    return { type: 'IsNull', operand, negated: node.operator === '!=', location: node.location } satisfies A.IsNull;
  }),
);

/**
 * PruneCast (Elasticsearch's EQL Optimizer over ql's, batch "Operator
 * Optimization"): a cast of a field to the type it already has is the field:
 * `string(x)` of a keyword field is `x`. The field itself is then matched,
 * which shows: `endsWith(string(x), "?c")` takes `?` as a wildcard in the
 * index query, and folds ASCII case only, as index queries do.
 *
 * Casts are the functions whose definition names the type they give
 * (`cast` in language/functions/). A call with `~` stays, for code
 * generation to refuse as Elasticsearch's verifier does before it optimizes.
 * Applies everywhere in a condition, scripts included.
 */
import { functionDefinition } from '../language/functions/index.js';
import { conditionRule, mapOperations } from './rule.js';

export const pruneCast = conditionRule('PruneCast', (condition, context) =>
  // Without a schema no field has a type, and no cast goes.
  !context.typed
    ? condition
    : mapOperations(condition, (node) => {
        if (node.type !== 'FunctionCall' || node.caseInsensitive || node.args.length !== 1) return node;
        const type = functionDefinition(node.name)?.cast;
        const arg = node.args[0]!;
        if (type === undefined || arg.type !== 'Field') return node;
        return context.type(arg) === type ? arg : node;
      }),
);

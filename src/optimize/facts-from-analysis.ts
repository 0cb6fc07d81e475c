/**
 * The facts the optimizer's rules ask for (context.ts), answered from the
 * analyze stage: fields bound against the schema, the kinds of constants and
 * their values. Errors are not raised here: analysis has checked the query
 * as written, and a node a rule builds is checked when code generation meets
 * it. A fact that cannot be had is undefined, and the rule that asked leaves
 * the node as it is.
 */
import { EqlSemanticError } from '../errors.js';
import type { Analysis } from '../analyze/analysis.js';
import type { OptimizerContext } from './context.js';

/** Runs `f`, giving undefined instead of the semantic error it throws. */
function unlessRefused<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof EqlSemanticError) return undefined;
    throw e;
  }
}

export function factsFromAnalysis(analysis: Analysis): OptimizerContext {
  const scope = analysis.scope;
  return {
    typed: scope.options.schema !== undefined,
    // Most queries write no `?`: then no field is missing, and none need be bound to say so.
    missing: (field) => scope.hasOptionalFields() && unlessRefused(() => analysis.field(field)) === null,
    type: (field) => {
      const bound = unlessRefused(() => analysis.field(field));
      return bound ? (bound.spec?.type ?? null) : undefined;
    },
    constant: (e) =>
      unlessRefused(() => {
        const facts = analysis.value(e);
        return facts.constant ? { value: analysis.evaluate(e), kind: facts.kind } : undefined;
      }),
  };
}

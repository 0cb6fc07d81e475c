/**
 * The facts the optimizer's rules ask for (optimize/context.ts), answered
 * from the compiler's scope: fields bound against the schema, constants
 * evaluated as scripts. Errors are not raised here but left for code
 * generation, which meets them in the order of the text it compiles. An
 * analyze stage would give these facts once there is one.
 */
import { EqlSemanticError } from '../errors.js';
import type { OptimizerContext } from '../optimize/index.js';
import { ExpressionCompiler, fold, SlotTable } from './expression.js';
import type { Scope } from './scope.js';

/** Runs `f`, giving undefined instead of the semantic error it throws. */
function unlessRefused<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof EqlSemanticError) return undefined;
    throw e;
  }
}

export function optimizerContext(scope: Scope): OptimizerContext {
  return {
    typed: scope.options.schema !== undefined,
    // Most queries write no `?`: then no field is missing, and none need be bound to say so.
    missing: (field) => scope.hasOptionalFields() && unlessRefused(() => scope.bindField(field)) === null,
    type: (field) => {
      const bound = unlessRefused(() => scope.bindField(field));
      return bound ? (bound.spec?.type ?? null) : undefined;
    },
    constant: (e) =>
      unlessRefused(() => {
        const compiled = new ExpressionCompiler(scope, new SlotTable()).compile(e);
        return compiled.constant ? { value: fold(compiled), kind: compiled.kind } : undefined;
      }),
  };
}

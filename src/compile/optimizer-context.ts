/**
 * The facts the optimizer's rules ask for (optimize/context.ts), answered
 * from the compiler's scope: fields bound against the schema, constants
 * evaluated as scripts. Errors are not raised here but left for code
 * generation, which meets them in the order of the text it compiles. An
 * analyze stage would give these facts once there is one.
 */
import { EqlSemanticError } from '../errors.js';
import type { FieldFacts, OptimizerContext } from '../optimize/index.js';
import { ExpressionCompiler, fold, SlotTable } from './expression.js';
import type { Scope } from './scope.js';

const MISSING: FieldFacts = { missing: true };

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
    field: (field) =>
      unlessRefused(() => {
        const bound = scope.bindField(field);
        return bound ? { missing: false, type: bound.spec?.type ?? null } : MISSING;
      }),
    constant: (e) =>
      unlessRefused(() => {
        const compiled = new ExpressionCompiler(scope, new SlotTable()).compile(e);
        return compiled.constant ? { value: fold(compiled), kind: compiled.kind } : undefined;
      }),
  };
}

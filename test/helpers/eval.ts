/** Helpers that run one condition or one expression the way the engine does. */
import { compile, parse, type CompileOptions, type Event } from '../../src/index.js';
import { ExpressionCompiler, SlotTable } from '../../src/compile/expression.js';
import { Scope } from '../../src/analyze/scope.js';
import { analysisOf } from '../../src/compile/plan.js';
import { fieldValues } from '../../src/semantics/fields.js';
import type { ScriptValue } from '../../src/semantics/null-logic.js';

/** Whether `event` matches `any where <condition>`. */
export function matches(condition: string, event: Event, options: CompileOptions = {}): boolean {
  return compile(`any where ${condition}`, options).matches(event);
}

/** The value of an expression as a script computes it, with each field's first value from `event`. */
export function evaluate(expression: string, event: Event = {}): ScriptValue {
  const q = parse(`any where ${expression}`);
  if (q.type !== 'EventQuery') throw new Error('not an event query');
  const slots = new SlotTable();
  const scope = new Scope({ source: null, timestampField: '@timestamp' });
  const compiled = new ExpressionCompiler(analysisOf(scope), slots).compile(q.filter.condition);
  const values = slots.fields.map((f) => (fieldValues(f.read(event))[0] ?? null) as ScriptValue);
  return compiled.fn(values);
}

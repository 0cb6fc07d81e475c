/**
 * What the optimizer's rules may ask about a query: the facts that
 * Elasticsearch's analyzer has settled before its optimizer runs. A field's
 * type, an optional field that the mapping lacks (the analyzer makes it the
 * null literal), the value of a constant (its optimizer folds constants first).
 *
 * Code generation answers from the schema (compile/optimizer-context.ts);
 * an analyze stage would answer once there is one. Every answer is a fact or
 * `undefined`, never an error: a field that cannot be used and a constant
 * that does not evaluate are left to code generation, which reports them at
 * their place in the text, and a rule that lacks a fact leaves the node as
 * it is.
 */
import type * as A from '../parser/ast.js';
import type { ScriptValue, ValueKind } from '../semantics/null-logic.js';

/** What the schema says of a field as the query names it. */
export type FieldFacts =
  /** An optional field (`?x`) that the schema lacks: every use of it is the null literal. */
  | { readonly missing: true }
  /** A field that events may hold: its type in the schema (`keyword`, `long`, …), or null with no schema to say. */
  | { readonly missing: false; readonly type: string | null };

/** A constant's value, with its kind (`float` for a double). */
export interface ConstantValue {
  readonly value: ScriptValue;
  readonly kind: ValueKind;
}

export interface OptimizerContext {
  /** What is known of a field; undefined when it cannot be used (an unknown field, an object). */
  field(field: A.Field): FieldFacts | undefined;
  /** The value of an expression that reads no field; undefined for one that reads a field or does not evaluate. */
  constant(e: A.Expression): ConstantValue | undefined;
}

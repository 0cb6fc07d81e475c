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

/** A constant's value, with its kind (`float` for a double). */
export interface ConstantValue {
  readonly value: ScriptValue;
  readonly kind: ValueKind;
}

export interface OptimizerContext {
  /** Whether a schema types the fields; without one, `type` is null for every field events may hold. */
  readonly typed: boolean;
  /** Whether a field is the null literal: optional (`?x`, here or anywhere in the query) and not in the schema. */
  missing(field: A.Field): boolean;
  /**
   * A field's type in the schema (`keyword`, `long`, …), or null with no
   * schema to say; undefined for a field events cannot hold (one that cannot
   * be used, or a missing one).
   */
  type(field: A.Field): string | null | undefined;
  /** The value of an expression that reads no field; undefined for one that reads a field or does not evaluate. */
  constant(e: A.Expression): ConstantValue | undefined;
}

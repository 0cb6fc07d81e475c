/**
 * What a function is, for every stage that handles one: the parser takes its
 * canonical name, the compiler checks calls against its signature, runs it as
 * a script (compile/expression.ts) and, in a condition, as an index query
 * where it has one (compile/predicates.ts, compile/leaves.ts), all through
 * these shapes.
 */

import type { ArithmeticOp, ScriptValue, ValueKind } from '../../semantics/null-logic.js';
import type { IpBytes } from '../../semantics/types/ip.js';
import type * as A from '../../parser/ast.js';

/** The types that literal arguments are checked against; `ip` takes text too (see `cidrMatch`). */
export type ParamType = 'string' | 'integer' | 'numeric' | 'boolean' | 'any' | 'ip';

/** The codes of the errors a call can raise before it runs (a subset of the compiler's `SemanticErrorCode`). */
export type FunctionErrorCode = 'EQL_UNKNOWN_FUNCTION' | 'EQL_ARITY' | 'EQL_TYPE' | 'EQL_UNSUPPORTED' | 'EQL_INVALID_VALUE';

export interface FunctionSignature {
  readonly minArgs: number;
  /** `Infinity` for variadic functions. */
  readonly maxArgs: number;
  /** The type of each parameter; the last one repeats for variadic functions. */
  readonly params: readonly ParamType[];
  /** Whether `name~(…)` exists. */
  readonly caseInsensitiveVariant: boolean;
  /** The result's kind, or how it follows from the arguments' kinds (arithmetic). */
  readonly result: ValueKind | ((args: readonly ValueKind[]) => ValueKind);
}

/**
 * A compiled script expression: `slots` hold one value per use of a field in
 * the leaf being evaluated (see `SlotTable` in compile/expression.ts).
 */
export type ScriptFn = (slots: readonly ScriptValue[]) => ScriptValue;

/** An argument as compiled, as a script implementation receives it. */
export interface ScriptArgument {
  readonly fn: ScriptFn;
  /** What is known statically of its values. */
  readonly kind: ValueKind;
  /** True when no field is involved: the value is known at compile time (`context.fold`). */
  readonly constant: boolean;
}

/** What analysis knows of an argument before code is generated (analyze/analysis.ts). */
export interface ArgumentFacts {
  /** What is known statically of its values. */
  readonly kind: ValueKind;
  /** True when it reads no field. */
  readonly constant: boolean;
}

/** What analysis lends a definition's own checks of one call. */
export interface CheckContext {
  /** The call, as parsed: its argument nodes, its location, whether it has `~`. */
  readonly call: A.FunctionCall;
  /** Throws Elasticsearch's type error for the argument at `index`: it must be `expected`, and is `kind`. */
  typeError(index: number, expected: ParamType, kind: ValueKind): never;
  /** Throws a semantic error at `at` (the call when left out). */
  fail(code: FunctionErrorCode, reason: string, at?: A.Location): never;
  /** The text of a node as written, for messages. */
  textOf(location: A.Location): string;
}

/** What the compiler lends a script implementation while it compiles one call. */
export interface ScriptContext {
  /** The call, as parsed: its argument nodes, its location, whether it has `~`. */
  readonly call: A.FunctionCall;
  /** The value of a constant (an argument, or a function of constants). */
  fold(fn: ScriptFn): ScriptValue;
  /** Throws a semantic error at `at` (the call when left out): for a constant whose value cannot be used. */
  fail(code: FunctionErrorCode, reason: string, at?: A.Location): never;
  /** The text of a node as written, for messages. */
  textOf(location: A.Location): string;
}

/**
 * A function's index-query form: how a call whose first argument is a field
 * and whose other arguments are constants runs in a condition, as the query
 * Elasticsearch sends to the index instead of a script. Such a query is true
 * for an event when some value of the field passes (any value of an array),
 * and false when the field is absent; `not` of it is then true. The compiler
 * handles what all forms share: the call is type-checked as a script first; a
 * null among the constants makes the query match nothing; the field must hold
 * what the query reads (`on`), or the call is refused.
 */
export type IndexQueryForm = IndexQueryOn<'keyword', string> | IndexQueryOn<'ip', IpBytes>;

/** Reports an argument that the query cannot take: throws `EQL_INVALID_VALUE` at the argument at `index`. */
export type InvalidArgument = (reason: string, index: number) => never;

export interface IndexQueryOn<On extends string, Value> {
  /**
   * What the query reads of each value: `keyword`, its keyword text (the
   * field must be keyword or text, or have no schema); `ip`, its address (the
   * field must be an `ip` field when a schema types it; values that are not
   * addresses fail).
   */
  readonly on: On;
  /** Elasticsearch's query, for explanations: `prefix`, `wildcard`, `terms`. */
  readonly query: string;
  /**
   * The test of one value, from the constant arguments after the field
   * (evaluated, none of them null) and whether the call has `~`.
   */
  test(literals: readonly Exclude<ScriptValue, null>[], caseInsensitive: boolean, invalid: InvalidArgument): (value: Value) => boolean;
}

/**
 * A function of the language: all that the stages need to know of it.
 *
 * Requirements (text an event must contain, for the RuleSet's index and the
 * NDJSON line prefilter): no function contributes one today; both treat a
 * call as requiring nothing (compile/requirements.ts).
 */
export interface FunctionDefinition {
  /** The canonical spelling; calls match it without regard to case. */
  readonly name: string;
  /** One line for the docs: what it gives. */
  readonly summary: string;
  readonly signature: FunctionSignature;
  /**
   * The script implementation: from the compiled arguments (already checked
   * against the signature), the function evaluated on one combination of
   * field values. Checks that need the arguments' values (constants) throw
   * through `context`. The result's kind is `signature.result`.
   */
  script(args: readonly ScriptArgument[], context: ScriptContext): ScriptFn;
  /**
   * Checks of a call beyond its signature that need no value (an argument
   * that must be a constant, a literal where a field is needed), made by
   * analysis before any code is generated.
   */
  check?(args: readonly ArgumentFacts[], context: CheckContext): void;
  /** The index query a call with a field and constants becomes in a condition, where Elasticsearch has one. */
  readonly indexQuery?: IndexQueryForm;
  /**
   * For the arithmetic functions: the operator they compute, so that the
   * optimizer moves their literals across comparisons as it moves those of
   * `+ - * / %` (optimize/simplify-comparisons-arithmetics.ts).
   */
  readonly arithmetic?: ArithmeticOp;
  /**
   * For a cast: the field type it gives (`string` gives `keyword`), so that
   * the optimizer drops it around a field of that type, as Elasticsearch's
   * PruneCast does (optimize/prune-cast.ts).
   */
  readonly cast?: string;
}

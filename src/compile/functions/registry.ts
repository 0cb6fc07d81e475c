/**
 * The functions EQL knows, with their arity, the argument types that literals
 * are checked against, whether a `~` variant exists, and what they return.
 * Names match without regard to case.
 */
import type { ValueKind } from '../null-logic.js';

export type ParamType = 'string' | 'integer' | 'numeric' | 'boolean' | 'any' | 'ip';

export interface FunctionSignature {
  readonly name: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** The type of each parameter; the last one repeats for variadic functions. */
  readonly params: readonly ParamType[];
  readonly caseInsensitiveVariant: boolean;
  /** The result's kind, or null when it follows the arguments (arithmetic). */
  readonly result: ValueKind | null;
}

const sig = (name: string, minArgs: number, maxArgs: number, params: ParamType[], result: ValueKind | null, caseInsensitiveVariant = false): FunctionSignature => ({
  name,
  minArgs,
  maxArgs,
  params,
  caseInsensitiveVariant,
  result,
});

const SIGNATURES: FunctionSignature[] = [
  sig('add', 2, 2, ['numeric', 'numeric'], null),
  sig('between', 3, 4, ['string', 'string', 'string', 'boolean'], 'string', true),
  sig('cidrMatch', 2, Infinity, ['ip', 'string'], 'boolean'),
  sig('concat', 1, Infinity, ['any'], 'string'),
  sig('divide', 2, 2, ['numeric', 'numeric'], null),
  sig('endsWith', 2, 2, ['string', 'string'], 'boolean', true),
  sig('indexOf', 2, 3, ['string', 'string', 'integer'], 'integer', true),
  sig('length', 1, 1, ['string'], 'integer'),
  sig('modulo', 2, 2, ['numeric', 'numeric'], null),
  sig('multiply', 2, 2, ['numeric', 'numeric'], null),
  sig('number', 1, 2, ['string', 'integer'], 'unknown'),
  sig('startsWith', 2, 2, ['string', 'string'], 'boolean', true),
  sig('string', 1, 1, ['any'], 'string'),
  sig('stringContains', 2, 2, ['string', 'string'], 'boolean', true),
  sig('substring', 2, 3, ['string', 'integer', 'integer'], 'string'),
  sig('subtract', 2, 2, ['numeric', 'numeric'], null),
];

const BY_LOWER_CASE = new Map(SIGNATURES.map((s) => [s.name.toLowerCase(), s]));

export function lookupFunction(name: string): FunctionSignature | undefined {
  return BY_LOWER_CASE.get(name.toLowerCase());
}

export function knownFunctionNames(): string[] {
  return SIGNATURES.map((s) => s.name);
}

export function paramType(sig: FunctionSignature, index: number): ParamType {
  return sig.params[Math.min(index, sig.params.length - 1)]!;
}

/** Endgame functions that Elasticsearch never adopted, for a clearer error. */
export const ENDGAME_ONLY_FUNCTIONS: ReadonlySet<string> = new Set(['arraycontains', 'arraycount', 'arraysearch', 'match', 'matchlite', 'safe', 'wildcard']);

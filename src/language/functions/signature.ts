/** Signatures: how to write them, and what the compiler checks of a call against one. */
import type { ValueKind } from '../../semantics/null-logic.js';
import type { FunctionSignature, ParamType } from './types.js';

/** A signature; `caseInsensitiveVariant` when `name~(…)` exists. */
export function signature(minArgs: number, maxArgs: number, params: readonly ParamType[], result: FunctionSignature['result'], caseInsensitiveVariant = false): FunctionSignature {
  return { minArgs, maxArgs, params, caseInsensitiveVariant, result };
}

/** The type of the parameter at `index`; the last one repeats. */
export function paramType(sig: FunctionSignature, index: number): ParamType {
  return sig.params[Math.min(index, sig.params.length - 1)]!;
}

/** The result's kind of a call whose arguments have these kinds. */
export function resultKind(sig: FunctionSignature, args: readonly { readonly kind: ValueKind }[]): ValueKind {
  return typeof sig.result === 'function' ? sig.result(args.map((a) => a.kind)) : sig.result;
}

/** Whether a statically known kind fits a parameter type (unknown and null always fit). */
export function fitsParam(kind: ValueKind, param: string): boolean {
  if (kind === 'unknown' || kind === 'null' || param === 'any') return true;
  switch (param) {
    case 'string':
    case 'ip':
      return kind === 'string';
    case 'integer':
      return kind === 'integer';
    case 'numeric':
      return kind === 'integer' || kind === 'float' || kind === 'number';
    case 'boolean':
      return kind === 'boolean';
    default:
      return true;
  }
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth'];

/** `first`, `second`, …, as Elasticsearch names arguments in its messages. */
export const ordinal = (i: number): string => ORDINALS[i] ?? `${i + 1}th`;

/** Elasticsearch's complaint about a call's number of arguments, or null when it fits. */
export function arityProblem(name: string, sig: FunctionSignature, n: number): string | null {
  if (n >= sig.minArgs && n <= sig.maxArgs) return null;
  const expects = sig.minArgs === sig.maxArgs ? `exactly ${sig.minArgs}` : sig.maxArgs === Infinity ? `at least ${sig.minArgs}` : `${sig.minArgs} to ${sig.maxArgs}`;
  return `function [${name}] expects ${expects} argument${sig.maxArgs === 1 ? '' : 's'}, found ${n}`;
}

/**
 * The function registry: every function the language knows. The parser takes
 * canonical names from here, and the compiler checks calls, runs them as
 * scripts and, in conditions, as index queries through the definitions. To
 * add a function, see docs/ARCHITECTURE.md.
 */
import type * as A from '../../parser/ast.js';
import { add } from './add.js';
import { between } from './between.js';
import { cidrMatch } from './cidrMatch.js';
import { concat } from './concat.js';
import { divide } from './divide.js';
import { endsWith } from './endsWith.js';
import { indexOf } from './indexOf.js';
import { length } from './length.js';
import { modulo } from './modulo.js';
import { multiply } from './multiply.js';
import { number } from './number.js';
import { arityProblem } from './signature.js';
import { startsWith } from './startsWith.js';
import { string } from './string.js';
import { stringContains } from './stringContains.js';
import { substring } from './substring.js';
import { subtract } from './subtract.js';
import type { FunctionDefinition, FunctionErrorCode } from './types.js';

export { fitsParam, ordinal, paramType, resultKind } from './signature.js';
export type {
  ArgumentFacts,
  CheckContext,
  FunctionDefinition,
  FunctionErrorCode,
  FunctionSignature,
  IndexQueryForm,
  InvalidArgument,
  ParamType,
  ScriptArgument,
  ScriptContext,
  ScriptFn,
} from './types.js';

/** The functions Elasticsearch runs, in alphabetical order. */
export const FUNCTIONS: readonly FunctionDefinition[] = [
  add,
  between,
  cidrMatch,
  concat,
  divide,
  endsWith,
  indexOf,
  length,
  modulo,
  multiply,
  number,
  startsWith,
  string,
  stringContains,
  substring,
  subtract,
];

/**
 * Endgame EQL's functions that Elasticsearch never adopted: they parse (with
 * their canonical spelling), so that tools can read queries written for
 * Endgame, and the compiler refuses them with a message saying so. A
 * function that comes to run moves from here to {@link FUNCTIONS}.
 */
export const ENDGAME_ONLY_FUNCTIONS: readonly string[] = ['arrayContains', 'arrayCount', 'arraySearch', 'match', 'matchLite', 'safe', 'wildcard'];

/** Every function name the parser knows, in its canonical spelling. */
export const FUNCTION_NAMES: readonly string[] = [...FUNCTIONS.map((f) => f.name), ...ENDGAME_ONLY_FUNCTIONS];

const CANONICAL: ReadonlyMap<string, string> = new Map(FUNCTION_NAMES.map((n) => [n.toLowerCase(), n]));
const BY_LOWER_CASE: ReadonlyMap<string, FunctionDefinition> = new Map(FUNCTIONS.map((f) => [f.name.toLowerCase(), f]));
const ENDGAME_ONLY: ReadonlySet<string> = new Set(ENDGAME_ONLY_FUNCTIONS.map((n) => n.toLowerCase()));

/** The canonical spelling of a known function (`CONCAT` → `concat`), or the name as written. */
export function canonicalFunctionName(written: string): string {
  return CANONICAL.get(written.toLowerCase()) ?? written;
}

/** The definition of a function that runs, by name in any case; undefined otherwise. */
export function functionDefinition(name: string): FunctionDefinition | undefined {
  return BY_LOWER_CASE.get(name.toLowerCase());
}

/** Reports a call that cannot run: throws the compiler's error with this code and reason, at the call. */
export type CallFailure = (code: FunctionErrorCode, reason: string) => never;

/**
 * The compiler's first checks of a call, in Elasticsearch's order: a known
 * function (or why not, with near names), a `~` only where a variant exists,
 * then the number of arguments. The arguments' types are checked as they
 * compile (compile/expression.ts), against `signature.params`.
 */
export function resolveCall(call: A.FunctionCall, fail: CallFailure): FunctionDefinition {
  const definition = functionDefinition(call.name);
  if (!definition) {
    const lower = call.name.toLowerCase();
    if (ENDGAME_ONLY.has(lower)) fail('EQL_UNKNOWN_FUNCTION', `unknown function [${call.name}]: it exists only in Endgame EQL, not in Elasticsearch`);
    const close = FUNCTIONS.map((f) => f.name).filter((n) => n.toLowerCase().startsWith(lower.slice(0, 3)));
    const hint = close.length > 0 ? `, did you mean ${close.length === 1 ? `[${close[0]}]` : `any of [${close.join(', ')}]`}?` : '';
    fail('EQL_UNKNOWN_FUNCTION', `unknown function [${call.name}]${hint}`);
  }
  if (call.caseInsensitive && !definition.signature.caseInsensitiveVariant) {
    fail('EQL_UNSUPPORTED', `function [${definition.name}] has no case-insensitive variant '~'`);
  }
  const arity = arityProblem(definition.name, definition.signature, call.args.length);
  if (arity !== null) fail('EQL_ARITY', arity);
  return definition;
}

/**
 * Expressions evaluated as Elasticsearch evaluates scripts: values with null
 * propagation (three-valued logic), over one chosen value per field. The
 * predicate compiler (predicates.ts) decides when a condition runs this way
 * and tries every combination of field values.
 */
import type * as A from '../parser/ast.js';
import {
  type ScriptValue,
  type ValueKind,
  and3,
  arithmetic,
  arithmeticKind,
  asLong,
  compare3,
  isFloat,
  not3,
  or3,
} from './null-logic.js';
import type { BoundField, Scope } from './scope.js';
import { lookupFunction, paramType, ENDGAME_ONLY_FUNCTIONS, knownFunctionNames, type FunctionSignature } from './functions/registry.js';
import * as S from './functions/string.js';
import { concat, toNumber, toString } from './functions/conversion.js';
import { cidrMatch } from './functions/network.js';
import { parseCidr } from './types/ip.js';
import { WildcardPattern } from './wildcard.js';
import { foldUnicode } from './case-folding.js';
import { RE2JS } from 're2js';
import { compileLuceneRegex } from './regex.js';

/** A compiled script expression: slots hold one value per field of the leaf. */
export type ScriptFn = (slots: readonly ScriptValue[]) => ScriptValue;

export interface CompiledValue {
  readonly fn: ScriptFn;
  readonly kind: ValueKind;
  /** True when no field is involved: the value is known at compile time. */
  readonly constant: boolean;
}

/**
 * Hands out one slot per use of a field in a script leaf. Elasticsearch's
 * scripts read a field's values anew at each place the field is named, so
 * `concat(a, a)` over `a: ["x", "y"]` meets "xy" too: each use goes through
 * the values on its own.
 */
export class SlotTable {
  readonly fields: BoundField[] = [];
  private readonly index = new Map<A.Field, number>();

  slotOf(field: BoundField, use: A.Field): number {
    let i = this.index.get(use);
    if (i === undefined) {
      i = this.fields.length;
      this.fields.push(field);
      this.index.set(use, i);
    }
    return i;
  }
}

const NO_SLOTS: readonly ScriptValue[] = [];

/** A constant's value, computed now. */
export function fold(v: CompiledValue): ScriptValue {
  return v.fn(NO_SLOTS);
}

function constantValue(value: ScriptValue, kind: ValueKind): CompiledValue {
  return { fn: () => value, kind, constant: true };
}

/** Makes a value constant when all its inputs are, so folding happens once. */
function derive(inputs: readonly CompiledValue[], fn: ScriptFn, kind: ValueKind): CompiledValue {
  if (inputs.every((i) => i.constant)) {
    const value = fn(NO_SLOTS);
    return constantValue(value, kind);
  }
  return { fn, kind, constant: false };
}

export function literalKind(lit: A.Literal): ValueKind {
  switch (lit.type) {
    case 'String':
      return 'string';
    case 'Number':
      return lit.integer ? 'integer' : 'float';
    case 'Boolean':
      return 'boolean';
    case 'Null':
      return 'null';
  }
}

export function literalValue(lit: A.Literal): ScriptValue {
  return lit.type === 'Null' ? null : lit.value;
}

/** Elasticsearch's name for a kind, as its messages give it. */
export const typeNameOf = (kind: ValueKind): string => TYPE_NAMES[kind];

const TYPE_NAMES: Record<ValueKind, string> = {
  integer: 'integer',
  float: 'double',
  number: 'double',
  string: 'keyword',
  boolean: 'boolean',
  null: 'null',
  unknown: 'unknown',
};

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
const ordinal = (i: number): string => ORDINALS[i] ?? `${i + 1}th`;

export class ExpressionCompiler {
  constructor(
    private readonly scope: Scope,
    private readonly slots: SlotTable,
  ) {}

  private typeError(what: A.Expression, index: number, expected: string, arg: A.Expression, kind: ValueKind): never {
    throw this.scope.error(
      'EQL_TYPE',
      `${ordinal(index)} argument of [${this.scope.textOf(what.location)}] must be [${expected}], found value [${this.scope.textOf(arg.location)}] type [${typeNameOf(kind)}]`,
      arg.location,
    );
  }

  compile(e: A.Expression): CompiledValue {
    switch (e.type) {
      case 'String':
      case 'Number':
      case 'Boolean':
      case 'Null':
        return constantValue(literalValue(e), literalKind(e));
      case 'Field':
        return this.field(e);
      case 'Not': {
        const inner = this.compile(e.operand);
        return derive([inner], (s) => not3(inner.fn(s)), 'boolean');
      }
      case 'And':
      case 'Or': {
        const parts = e.operands.map((o) => this.compile(o));
        const fns = parts.map((p) => p.fn);
        const fn: ScriptFn = e.type === 'And' ? (s) => and3(fns, s) : (s) => or3(fns, s);
        return derive(parts, fn, 'boolean');
      }
      case 'Comparison':
        return this.comparison(e);
      case 'Match':
        return this.match(e);
      case 'In':
        return this.membership(e);
      case 'Arithmetic': {
        const l = this.compile(e.left);
        const r = this.compile(e.right);
        this.checkNumeric(e, 0, e.left, l.kind);
        this.checkNumeric(e, 1, e.right, r.kind);
        const op = e.operator;
        return derive([l, r], (s) => arithmetic(op, l.fn(s), r.fn(s), l.kind, r.kind), arithmeticKind(l.kind, r.kind));
      }
      case 'Unary': {
        const inner = this.compile(e.operand);
        this.checkNumeric(e, 0, e.operand, inner.kind);
        if (e.operator === '+') return inner;
        return derive(
          [inner],
          (s) => {
            const v = inner.fn(s);
            if (typeof v !== 'number') return null;
            return isFloat(v, inner.kind) ? -v : asLong(-v);
          },
          inner.kind,
        );
      }
      case 'FunctionCall':
        return this.functionCall(e);
    }
  }

  /**
   * String functions take keyword or text: an `ip`, `version` or date field
   * reads as text here but is none of those to Elasticsearch, which refuses it.
   */
  private checkTextField(call: A.FunctionCall, index: number): void {
    const arg = call.args[index]!;
    if (arg.type !== 'Field') return;
    const type = this.scope.bindField(arg)?.spec?.type;
    if (type !== 'ip' && type !== 'version' && type !== 'date' && type !== 'date_nanos') return;
    throw this.scope.error(
      'EQL_TYPE',
      `${ordinal(index)} argument of [${this.scope.textOf(call.location)}] must be [string], found value [${this.scope.textOf(arg.location)}] type [${type}]`,
      arg.location,
    );
  }

  private checkNumeric(node: A.Expression, index: number, arg: A.Expression, kind: ValueKind): void {
    if (!fitsParam(kind, 'numeric')) this.typeError(node, index, 'numeric', arg, kind);
  }

  private field(f: A.Field): CompiledValue {
    const bound = this.scope.bindField(f);
    if (!bound) return constantValue(null, 'null');
    const i = this.slots.slotOf(bound, f);
    return { fn: (s) => s[i] ?? null, kind: bound.kind, constant: false };
  }

  /** `x == null` and `x != null` are null tests (Elasticsearch's ReplaceNullChecks); other comparisons propagate null. */
  private comparison(e: A.Comparison): CompiledValue {
    const l = this.compile(e.left);
    const r = this.compile(e.right);
    const op = e.operator;
    if ((op === '==' || op === '!=') && (this.scope.isNullLiteral(e.right) || this.scope.isNullLiteral(e.left))) {
      const other = this.scope.isNullLiteral(e.right) ? l : r;
      const wantNull = op === '==';
      return derive([other], (s) => (other.fn(s) === null) === wantNull, 'boolean');
    }
    const test = COMPARATORS[op];
    return derive(
      [l, r],
      (s) => {
        const c = compare3(l.fn(s), r.fn(s));
        return c === null ? null : test(c);
      },
      'boolean',
    );
  }

  /** Script forms of `:`, `like`, `regex`: Java semantics on a computed string. */
  private match(e: A.Match): CompiledValue {
    const subject = this.compile(e.subject);
    const patterns = this.patternStrings(e);
    let test: (v: string) => boolean;
    switch (e.operator) {
      case ':': {
        // Plain patterns compare folded text: fold each value once, not once per pattern.
        const plain = new Set(patterns.filter((p) => !p.includes('*') && !p.includes('?')).map(foldUnicode));
        const wildcards = patterns.filter((p) => p.includes('*') || p.includes('?')).map((p) => new WildcardPattern(p, 'ascii').matches);
        test = (v) => (plain.size > 0 && plain.has(foldUnicode(v))) || wildcards.some((m) => m(v));
        break;
      }
      case 'like':
      case 'like~': {
        const matchers = patterns.map((p) => new WildcardPattern(p, e.operator === 'like~' ? 'ascii' : 'none').matches);
        test = (v) => matchers.some((m) => m(v));
        break;
      }
      case 'regex':
      case 'regex~': {
        test = this.javaRegex(e, patterns, e.operator === 'regex~');
        break;
      }
    }
    return derive(
      [subject],
      (s) => {
        const v = subject.fn(s);
        return typeof v === 'string' ? test(v) : null;
      },
      'boolean',
    );
  }

  /** The string patterns of `:`, `like` or `regex`; other literal types are errors, null never matches. */
  patternStrings(e: A.Match): string[] {
    const out: string[] = [];
    for (const p of e.patterns) {
      if (p.type === 'Null') continue;
      if (p.type !== 'String') {
        throw this.scope.error(
          'EQL_TYPE',
          `second argument of [${this.scope.textOf(e.location)}] must be [string], found value [${this.scope.textOf(p.location)}] type [${TYPE_NAMES[literalKind(p)]}]`,
          p.location,
        );
      }
      out.push(p.value);
    }
    return out;
  }

  /**
   * A regex on a computed value runs as a Java regex in Elasticsearch, but the
   * pattern must also be valid Lucene syntax; both are checked here, and
   * matching uses RE2.
   */
  private javaRegex(e: A.Match, patterns: string[], caseInsensitive: boolean): (v: string) => boolean {
    try {
      compileLuceneRegex(patterns, caseInsensitive);
      const re = RE2JS.compile(`(?:${patterns.join('|')})`, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
      return (v) => re.matches(v);
    } catch (err) {
      throw this.scope.error('EQL_INVALID_REGEX', `invalid regular expression in [${this.scope.textOf(e.location)}]: ${(err as Error).message}`, e.location);
    }
  }

  private membership(e: A.In): CompiledValue {
    const subject = this.compile(e.subject);
    const values = e.values.map((v) => this.compile(v));
    const ci = e.caseInsensitive;
    const fn: ScriptFn = (s) => {
      const x = subject.fn(s);
      if (x === null) return null;
      let sawNull = false;
      for (const v of values) {
        const y = v.fn(s);
        let eq: ScriptValue;
        if (ci) eq = typeof x === 'string' && typeof y === 'string' ? foldUnicode(x) === foldUnicode(y) : null;
        else {
          const c = compare3(x, y);
          eq = c === null ? null : c === 0;
        }
        if (eq === true) return true;
        if (eq === null) sawNull = true;
      }
      return sawNull ? null : false;
    };
    const result = derive([subject, ...values], fn, 'boolean');
    if (!e.negated) return result;
    return derive([result], (s) => not3(result.fn(s)), 'boolean');
  }

  private functionCall(e: A.FunctionCall): CompiledValue {
    const signature = this.signatureOf(e);
    const args = e.args.map((a) => this.compile(a));
    args.forEach((a, i) => {
      const param = paramType(signature, i);
      if (!fitsParam(a.kind, param)) this.typeError(e, i, param, e.args[i]!, a.kind);
      if (param === 'string') this.checkTextField(e, i);
    });
    const ci = e.caseInsensitive;
    const at = (i: number): ScriptFn => args[i]?.fn ?? (() => null);
    const a0 = at(0);
    const a1 = at(1);
    const a2 = at(2);
    const a3 = at(3);
    switch (signature.name) {
      case 'add':
      case 'subtract':
      case 'multiply':
      case 'divide':
      case 'modulo': {
        const op = ({ add: '+', subtract: '-', multiply: '*', divide: '/', modulo: '%' } as const)[signature.name];
        const [l, r] = args as [CompiledValue, CompiledValue];
        return derive(args, (s) => arithmetic(op, l.fn(s), r.fn(s), l.kind, r.kind), arithmeticKind(l.kind, r.kind));
      }
      case 'between':
        return derive(args, (s) => S.between(a0(s), a1(s), a2(s), args.length > 3 ? a3(s) : false, ci), 'string');
      case 'cidrMatch': {
        // Elasticsearch wants an ip-typed field here: text that is not a field (a literal, a computed string) is keyword.
        if (e.args[0]!.type !== 'Field' && args[0]!.kind === 'string') this.typeError(e, 0, 'ip', e.args[0]!, 'string');
        const blocks = args.slice(1).map((a, i) => {
          if (!a.constant) throw this.scope.error('EQL_TYPE', `${ordinal(i + 1)} argument of [${this.scope.textOf(e.location)}] must be a constant`, e.args[i + 1]!.location);
          const v = fold(a);
          if (v === null) return null;
          const block = typeof v === 'string' ? parseCidr(v) : null;
          if (!block) throw this.scope.error('EQL_INVALID_VALUE', `[${String(v)}] is not a valid CIDR block or IP address`, e.args[i + 1]!.location);
          return block;
        });
        return derive([args[0]!], (s) => cidrMatch(a0(s), blocks), 'boolean');
      }
      case 'concat': {
        const kinds = args.map((a) => a.kind);
        return derive(args, (s) => concat(args.map((a) => a.fn(s)), kinds), 'string');
      }
      case 'endsWith':
        return derive(args, (s) => S.endsWith(a0(s), a1(s), ci), 'boolean');
      case 'startsWith':
        return derive(args, (s) => S.startsWith(a0(s), a1(s), ci), 'boolean');
      case 'stringContains':
        return derive(args, (s) => S.stringContains(a0(s), a1(s), ci), 'boolean');
      case 'indexOf':
        return derive(args, (s) => S.indexOf(a0(s), a1(s), args.length > 2 ? a2(s) : null, ci), 'integer');
      case 'length':
        return derive(args, (s) => S.length(a0(s)), 'integer');
      case 'substring':
        return derive(args, (s) => S.substring(a0(s), a1(s), args.length > 2 ? a2(s) : null), 'string');
      case 'number': {
        const result = derive(args, (s) => toNumber(a0(s), args.length > 1 ? a1(s) : null), 'number');
        if (result.constant && args[0]!.kind !== 'null' && fold(args[0]!) !== null && fold(result) === null) {
          throw this.scope.error('EQL_INVALID_VALUE', `unable to convert [${String(fold(args[0]!))}] to a number`, e.location);
        }
        return result;
      }
      case 'string': {
        const kind = args[0]!.kind;
        return derive(args, (s) => toString(a0(s), kind), 'string');
      }
      default:
        throw this.scope.error('EQL_UNKNOWN_FUNCTION', `unknown function [${e.name}]`, e.location);
    }
  }

  /** Checks name, `~` and arity. */
  signatureOf(e: A.FunctionCall): FunctionSignature {
    const signature = lookupFunction(e.name);
    if (!signature) {
      const lower = e.name.toLowerCase();
      if (ENDGAME_ONLY_FUNCTIONS.has(lower)) {
        throw this.scope.error('EQL_UNKNOWN_FUNCTION', `unknown function [${e.name}]: it exists only in Endgame EQL, not in Elasticsearch`, e.location);
      }
      const close = knownFunctionNames().filter((n) => n.toLowerCase().startsWith(lower.slice(0, 3)));
      const hint = close.length > 0 ? `, did you mean ${close.length === 1 ? `[${close[0]}]` : `any of [${close.join(', ')}]`}?` : '';
      throw this.scope.error('EQL_UNKNOWN_FUNCTION', `unknown function [${e.name}]${hint}`, e.location);
    }
    if (e.caseInsensitive && !signature.caseInsensitiveVariant) {
      throw this.scope.error('EQL_UNSUPPORTED', `function [${signature.name}] has no case-insensitive variant '~'`, e.location);
    }
    const n = e.args.length;
    if (n < signature.minArgs || n > signature.maxArgs) {
      const expects =
        signature.minArgs === signature.maxArgs
          ? `exactly ${signature.minArgs}`
          : signature.maxArgs === Infinity
            ? `at least ${signature.minArgs}`
            : `${signature.minArgs} to ${signature.maxArgs}`;
      throw this.scope.error('EQL_ARITY', `function [${signature.name}] expects ${expects} argument${signature.maxArgs === 1 ? '' : 's'}, found ${n}`, e.location);
    }
    return signature;
  }
}

const COMPARATORS: Record<A.ComparisonOperator, (c: number) => boolean> = {
  '==': (c) => c === 0,
  '!=': (c) => c !== 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};


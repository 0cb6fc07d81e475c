/**
 * Expressions evaluated as Elasticsearch evaluates scripts: values with null
 * propagation (three-valued logic), over one chosen value per field. The
 * predicate compiler (predicates.ts) decides when a condition runs this way
 * and tries every combination of field values.
 */
import type * as A from '../parser/ast.js';
import { type ScriptValue, type ValueKind, COMPARISON_TESTS, and3, arithmetic, asLong, compare3, isFloat, not3, or3 } from '../semantics/null-logic.js';
import type { BoundField, Scope } from '../analyze/scope.js';
import type { Analysis } from '../analyze/analysis.js';
import type { ScriptArgument, ScriptContext, ScriptFn } from '../language/functions/index.js';
import { WildcardPattern } from '../text/wildcard.js';
import { foldUnicode } from '../semantics/case-folding.js';
import { RE2JS } from 're2js';
import { compileLuceneRegex } from '../text/regex.js';

export type { ScriptFn };

/** A compiled expression: its script, its static kind, and whether it is a constant (no field involved). */
export type CompiledValue = ScriptArgument;

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

export function literalValue(lit: A.Literal): ScriptValue {
  return lit.type === 'Null' ? null : lit.value;
}

/**
 * The patterns of `:`, `like` or `regex` as strings: analysis has checked
 * that each is a string or null, and a null never matches.
 */
export function patternStrings(e: A.Match): string[] {
  const out: string[] = [];
  for (const p of e.patterns) if (p.type === 'String') out.push(p.value);
  return out;
}

/**
 * Builds the script of a value expression. Kinds, constants and every type
 * check come from analysis (analyze/analysis.ts); what is left here is
 * turning each node into a closure, and folding constants.
 */
export class ExpressionCompiler {
  private readonly scope: Scope;

  constructor(
    private readonly analysis: Analysis,
    private readonly slots: SlotTable,
  ) {
    this.scope = analysis.scope;
  }

  compile(e: A.Expression): CompiledValue {
    const { kind } = this.analysis.value(e);
    switch (e.type) {
      case 'String':
      case 'Number':
      case 'Boolean':
      case 'Null':
        return constantValue(literalValue(e), kind);
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
        const op = e.operator;
        return derive([l, r], (s) => arithmetic(op, l.fn(s), r.fn(s), l.kind, r.kind), kind);
      }
      case 'Unary': {
        const inner = this.compile(e.operand);
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
        return this.functionCall(e, kind);
      case 'IsNull': {
        const inner = this.compile(e.operand);
        const negated = e.negated;
        return derive([inner], (s) => (inner.fn(s) === null) !== negated, 'boolean');
      }
    }
  }

  private field(f: A.Field): CompiledValue {
    const bound = this.analysis.field(f);
    if (!bound) return constantValue(null, 'null');
    const i = this.slots.slotOf(bound, f);
    return { fn: (s) => s[i] ?? null, kind: bound.kind, constant: false };
  }

  /** A comparison propagates null (a null test is an `IsNull` by now: the optimizer's ReplaceNullChecks). */
  private comparison(e: A.Comparison): CompiledValue {
    const l = this.compile(e.left);
    const r = this.compile(e.right);
    const test = COMPARISON_TESTS[e.operator];
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
    const patterns = patternStrings(e);
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

  /** A call, run by its definition's script implementation (analysis has checked it against the signature). */
  private functionCall(e: A.FunctionCall, kind: ValueKind): CompiledValue {
    const definition = this.analysis.definitionOf(e);
    const args = e.args.map((a) => this.compile(a));
    return derive(args, definition.script(args, this.scriptContext(e)), kind);
  }

  private scriptContext(call: A.FunctionCall): ScriptContext {
    return {
      call,
      fold: (fn) => fn(NO_SLOTS),
      fail: (code, reason, at = call.location) => {
        throw this.scope.error(code, reason, at);
      },
      textOf: (location) => this.scope.textOf(location),
    };
  }
}

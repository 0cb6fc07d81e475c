/**
 * Conditions → predicates, with Elasticsearch's two-valued filter logic.
 *
 * Elasticsearch turns `and`/`or`/`not` into bool queries and everything under
 * them into leaves. A leaf is true for an event when some combination of its
 * fields' values (an absent field counts as null) makes it true; null counts
 * as false. So `not (x > 1)` and `x != "a"` match events without `x`. Leaves
 * that compare a field with a literal run as index queries (leaves.ts); the
 * rest run as scripts (expression.ts), over every combination of values.
 */
import type * as A from '../parser/ast.js';
import type { Event } from '../semantics/fields.js';
import { type ScriptValue, isTrue } from '../semantics/null-logic.js';
import type { BoundField, Scope } from '../analyze/scope.js';
import { docValuesOf } from '../semantics/doc-values.js';
import type { Analysis } from '../analyze/analysis.js';
import { ExpressionCompiler, SlotTable, fold, patternStrings, type ScriptFn, type CompiledValue } from './expression.js';
import { LeafCompiler, keywordOf, type Predicate } from './leaves.js';
import { type ConditionNeed, NO_NEED, type TextTerm } from './requirements.js';
import { anchorOf } from '../text/wildcard-set.js';
import { regexNeedles } from '../text/regex.js';

export type { Predicate };

/** A cap on value combinations per script leaf, so a hostile event cannot explode the work. */
export const MAX_VALUE_COMBINATIONS = 4096;

const ALWAYS: Predicate = () => true;
const NEVER: Predicate = () => false;

export class PredicateCompiler {
  private readonly leaves: LeafCompiler;
  private readonly scope: Scope;

  constructor(private readonly analysis: Analysis) {
    this.scope = analysis.scope;
    this.leaves = new LeafCompiler(this.scope);
  }

  /**
   * Compiles a `where` condition, as the optimizer leaves it. Analysis checks
   * it first (a node the optimizer added has not been checked yet).
   */
  compile(e: A.Expression): CompiledCondition {
    this.analysis.checkCondition(e);
    return this.condition(e);
  }

  private condition(e: A.Expression): CompiledCondition {
    switch (e.type) {
      case 'And': {
        const compiled = e.operands.map((o) => this.condition(o));
        const need: ConditionNeed = { kind: 'and', parts: compiled.map((c) => c.need) };
        const parts = compiled.map((c) => c.predicate).filter((p) => p !== ALWAYS);
        if (parts.includes(NEVER)) return { predicate: NEVER, need };
        if (parts.length === 0) return { predicate: ALWAYS, need };
        if (parts.length === 1) return { predicate: parts[0]!, need };
        if (parts.length === 2) {
          const [a, b] = parts as [Predicate, Predicate];
          return { predicate: (ev) => a(ev) && b(ev), need };
        }
        return {
          predicate: (ev) => {
            for (let i = 0; i < parts.length; i++) if (!parts[i]!(ev)) return false;
            return true;
          },
          need,
        };
      }
      case 'Or': {
        const compiled = e.operands.map((o) => this.condition(o));
        const need: ConditionNeed = { kind: 'or', parts: compiled.map((c) => c.need) };
        const parts = compiled.map((c) => c.predicate).filter((p) => p !== NEVER);
        if (parts.includes(ALWAYS)) return { predicate: ALWAYS, need };
        if (parts.length === 0) return { predicate: NEVER, need };
        if (parts.length === 1) return { predicate: parts[0]!, need };
        return {
          predicate: (ev) => {
            for (let i = 0; i < parts.length; i++) if (parts[i]!(ev)) return true;
            return false;
          },
          need,
        };
      }
      case 'Not': {
        const operand = this.condition(e.operand).predicate;
        // `not null` is null, which drops every event too.
        return leaf(this.analysis.foldsToNull(e.operand) ? NEVER : negate(operand));
      }
      case 'Boolean':
        return leaf(e.value ? ALWAYS : NEVER);
      case 'Null':
        return leaf(NEVER);
      case 'Field': {
        const bound = this.analysis.field(e);
        return leaf(bound ? this.leaves.booleanField(bound) : NEVER);
      }
      case 'Comparison':
        return this.comparison(e);
      case 'IsNull': {
        // A field's null test (`x == null`, made one by the optimizer's ReplaceNullChecks) asks whether it
        // holds a value; a computed value's is a script, `!=` included.
        if (e.operand.type !== 'Field') return leaf(this.script(e));
        const bound = this.analysis.field(e.operand);
        const test = bound ? this.leaves.isNull(bound) : ALWAYS;
        return e.negated ? leaf(negate(test), bound ? this.presence(bound) : NO_NEED) : leaf(test);
      }
      case 'Match':
        return this.match(e);
      case 'In':
        return this.membership(e);
      case 'FunctionCall':
        return leaf(this.functionCall(e));
      case 'String':
      case 'Number':
      case 'Arithmetic':
      case 'Unary':
        // Analysis refuses a condition that is not boolean.
        throw new Error(`unreachable: a ${e.type} condition passed analysis`);
    }
  }

  /**
   * A leaf's requirement on a field's text, when the field's values reach the
   * event as the text they compare by: keyword or text (or any field without
   * a schema), not the timestamp (read as a date), without a `null_value`
   * (which the event spells `null`) or a `constant_keyword`'s value (which the
   * event need not hold at all).
   */
  private textNeed(field: BoundField, terms: () => readonly TextTerm[], caseInsensitive: boolean): ConditionNeed {
    if (field.isTimestamp) return NO_NEED;
    if (this.scope.options.schema) {
      const spec = field.spec;
      if (!spec || (spec.type !== 'keyword' && spec.type !== 'text') || spec.nullValue !== undefined || spec.constantValue !== undefined) return NO_NEED;
    }
    // Worked out when an index first asks: a query compiled on its own may never be indexed.
    let found: readonly TextTerm[] | undefined;
    return {
      kind: 'text',
      name: field.name,
      path: field.path,
      caseInsensitive,
      get terms() {
        found ??= terms();
        return found;
      },
    };
  }

  /** A leaf that holds only when the field has a value of the event's own. */
  private presence(field: BoundField): ConditionNeed {
    const spec = field.spec;
    return spec?.nullValue !== undefined || spec?.constantValue !== undefined ? NO_NEED : { kind: 'present', path: field.path };
  }

  /** Compiles a value expression for folding or scripting, with its own slots. */
  private value(e: A.Expression): { compiled: CompiledValue; slots: SlotTable } {
    const slots = new SlotTable();
    return { compiled: new ExpressionCompiler(this.analysis, slots).compile(e), slots };
  }

  private isConstant(e: A.Expression): boolean {
    return this.analysis.value(e).constant;
  }

  /**
   * A comparison, as the optimizer leaves it (optimize/): a null test is an
   * `IsNull` by now, a constant is on the right (LiteralsOnTheRight), and
   * arithmetic literals have moved across (SimplifyComparisonsArithmetics).
   */
  private comparison(e: A.Comparison): CompiledCondition {
    const { left, right, operator: op } = e;
    if (this.isConstant(left) && this.isConstant(right)) return leaf(this.script(e));
    // Elasticsearch translates a comparison only when its right side folds to a value.
    if (!this.isConstant(right)) {
      throw this.scope.error('EQL_FIELD_COMPARISON', `comparisons against fields are not supported; offender [${this.scope.textOf(right.location)}] in [${op}]`, right.location);
    }
    if (left.type !== 'Field') return leaf(this.script(e));
    const { compiled } = this.value(right);
    const literal = fold(compiled);
    const isFloat = compiled.kind === 'float';
    const bound = this.analysis.field(left);
    if (!bound) return leaf(this.script(e));
    const predicate = this.fieldComparison(bound, op, literal, isFloat, right.location);
    return leaf(predicate, op === '==' && literal !== null ? this.textNeed(bound, () => [equalTerm(literal, isFloat)], false) : NO_NEED);
  }

  private fieldComparison(bound: BoundField, op: A.ComparisonOperator, literal: ScriptValue, isFloat: boolean, location: A.Location): Predicate {
    if (op === '!=') return negate(this.leaves.comparison(bound, '==', literal, isFloat, location));
    return this.leaves.comparison(bound, op, literal, isFloat, location);
  }

  private match(e: A.Match): CompiledCondition {
    const bound = e.subject.type === 'Field' ? this.analysis.field(e.subject) : null;
    if (!bound) return leaf(this.script(e));
    const patterns = patternStrings(e);
    // A null pattern matches nothing: the leaf then requires nothing an index could use.
    const allText = patterns.length === e.patterns.length;
    if (e.operator === 'regex' || e.operator === 'regex~') {
      const caseInsensitive = e.operator === 'regex~';
      const predicate = this.leaves.regex(bound, patterns, caseInsensitive, e.location);
      return leaf(predicate, allText ? this.textNeed(bound, () => regexNeedles(patterns, caseInsensitive)?.map(containedTerm) ?? [], caseInsensitive) : NO_NEED);
    }
    const caseInsensitive = e.operator !== 'like';
    const predicate = this.leaves.wildcard(bound, patterns, caseInsensitive);
    if (!allText) return leaf(predicate);
    if (patterns.length > 0 && patterns.every((p) => p === '?*')) return leaf(predicate, this.presence(bound));
    return leaf(
      predicate,
      this.textNeed(bound, () => patterns.map(wildcardTerm), caseInsensitive),
    );
  }

  private membership(e: A.In): CompiledCondition {
    const values = e.values.map((v) => {
      const { compiled, slots } = this.value(v);
      if (!compiled.constant) {
        const offender = slots.fields[0]?.name ?? this.scope.textOf(v.location);
        throw this.scope.error('EQL_FIELD_COMPARISON', `comparisons against fields are not supported; offender [${offender}] in [${this.scope.textOf(e.location)}]`, v.location);
      }
      return { value: fold(compiled), isFloat: compiled.kind === 'float', location: v.location };
    });
    // A null filter drops every event (and so does `not` of it).
    if (this.analysis.foldsToNull(e)) return leaf(NEVER);
    const bound = e.subject.type === 'Field' ? this.analysis.field(e.subject) : null;
    if (bound) {
      const test = this.leaves.membership(bound, values, e.caseInsensitive);
      if (e.negated) return leaf(negate(test));
      return leaf(
        test,
        this.textNeed(bound, () => values.map((v) => equalTerm(v.value, v.isFloat)), e.caseInsensitive),
      );
    }
    if (e.subject.type === 'Field') return leaf(this.script(e));
    // Elasticsearch parses `a not in (…)` as `not (a in (…))`, and on a computed value the `not`
    // stays outside the script: an event where `a` is null, or where no value of it is in the
    // list, matches. A constant folds whole, null and all.
    if (!e.negated || this.isConstant(e.subject)) return leaf(this.script(e));
    return leaf(negate(this.script({ ...e, negated: false })));
  }

  /**
   * A call as a condition: the index query of its definition when it has one
   * and the call is a field followed by constants (the constants evaluated
   * now; a null among them matches nothing), otherwise a script.
   */
  private functionCall(e: A.FunctionCall): Predicate {
    const definition = this.analysis.definitionOf(e);
    const [first, ...rest] = e.args;
    const form = definition.indexQuery;
    const bound = form && first?.type === 'Field' ? this.analysis.field(first) : null;
    if (form && bound && rest.every((a) => this.isConstant(a))) {
      const literals: Exclude<ScriptValue, null>[] = [];
      for (const a of rest) {
        const v = fold(this.value(a).compiled);
        if (v === null) return NEVER;
        literals.push(v);
      }
      return this.leaves.indexQuery(e, form, bound, literals);
    }
    return this.script(e);
  }

  /** A leaf evaluated as a script over every combination of its fields' values. */
  private script(e: A.Expression): Predicate {
    const { compiled, slots } = this.value(e);
    if (compiled.constant) return isTrue(fold(compiled)) ? ALWAYS : NEVER;
    return scriptLeaf(slots.fields, compiled.fn);
  }
}

/** A condition as compiled: its predicate, and what it requires of any event it matches (requirements.ts). */
export interface CompiledCondition {
  readonly predicate: Predicate;
  readonly need: ConditionNeed;
}

function leaf(predicate: Predicate, need: ConditionNeed = NO_NEED): CompiledCondition {
  return { predicate, need };
}

/** A value equal to the literal, by its keyword text; a null literal gives a term no index can use. */
function equalTerm(literal: ScriptValue, isFloat: boolean): TextTerm {
  if (literal === null) return { text: '', contains: false, literal: null };
  if (typeof literal === 'string') return { text: literal, contains: false, literal: 'string' };
  if (typeof literal === 'boolean') return { text: String(literal), contains: false, literal: 'boolean' };
  const integer = !isFloat && Number.isSafeInteger(literal);
  return { text: keywordOf(literal, isFloat), contains: false, literal: integer ? 'integer' : 'number' };
}

/** A wildcard pattern without wildcards is a value; another needs its longest literal run somewhere in the value. */
function wildcardTerm(pattern: string): TextTerm {
  if (!pattern.includes('*') && !pattern.includes('?')) return { text: pattern, contains: false, literal: 'string' };
  return containedTerm(anchorOf(pattern));
}

function containedTerm(text: string): TextTerm {
  return { text, contains: true, literal: null };
}

export function negate(p: Predicate): Predicate {
  if (p === ALWAYS) return NEVER;
  if (p === NEVER) return ALWAYS;
  return (e) => !p(e);
}

function scriptLeaf(fields: readonly BoundField[], fn: ScriptFn): Predicate {
  if (fields.length === 1) {
    const f = fields[0]!;
    const slots: ScriptValue[] = [null];
    return (event: Event) => {
      const values = docValuesOf(f, f.read(event));
      if (values.length === 0) {
        slots[0] = null;
        return isTrue(fn(slots));
      }
      for (const v of values) {
        slots[0] = v;
        if (isTrue(fn(slots))) return true;
      }
      return false;
    };
  }
  // Built once: evaluation is synchronous, so one event at a time uses them.
  const slots: ScriptValue[] = new Array(fields.length).fill(null);
  const perField: ScriptValue[][] = new Array(fields.length);
  let budget = 0;
  const visit = (i: number): boolean => {
    if (i === perField.length) {
      budget--;
      return isTrue(fn(slots));
    }
    for (const v of perField[i]!) {
      if (budget <= 0) return false;
      slots[i] = v;
      if (visit(i + 1)) return true;
    }
    return false;
  };
  return (event: Event) => {
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      const values = docValuesOf(f, f.read(event));
      perField[i] = values.length === 0 ? [null] : values;
    }
    budget = MAX_VALUE_COMBINATIONS;
    return visit(0);
  };
}

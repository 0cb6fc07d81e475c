/**
 * The analyze stage: what is known of every node of a query before any code
 * is generated, and the checks Elasticsearch's analyzer and verifier make.
 * Fields are bound against the schema (an unknown field fails), calls are
 * resolved (an unknown function, a `~` without a variant, a wrong number of
 * arguments fail), each value gets its kind and whether it is a constant
 * (arguments of the wrong type fail), and each condition is checked to be
 * boolean, with string operators only on fields that hold text.
 *
 * Later stages read these facts instead of working them out again: the
 * optimizer's rules (optimizer-facts.ts), code generation (compile/), and
 * what is built on the compiled leaves. What depends on a literal's value
 * in the field's type (an invalid date, a regex that does not parse) and
 * what Elasticsearch refuses only when it translates a condition into a
 * query (comparing two fields) is left to code generation, which meets it
 * after the optimizer, as Elasticsearch does.
 *
 * Facts are kept per node, so a node the optimizer adds is analyzed when
 * code generation first asks about it.
 */
import type * as A from '../parser/ast.js';
import { eventFiltersOf, fieldName, isLiteral as isLiteralNode } from '../parser/ast.js';
import { type ScriptValue, type ValueKind, arithmeticKind } from '../semantics/null-logic.js';
import { type FunctionDefinition, type ArgumentFacts, fitsParam, ordinal, paramType, resolveCall, resultKind } from '../language/functions/index.js';
import type { BoundField, Scope } from './scope.js';

/** What analysis knows of a value expression. */
export interface ValueFacts {
  /** What is known statically of its values. */
  readonly kind: ValueKind;
  /** True when it reads no field: code generation folds it to one value. */
  readonly constant: boolean;
}

/** The value of a constant expression: code generation's folding, lent to analysis for the checks that need a value. */
export type ConstantEvaluator = (e: A.Expression) => ScriptValue;

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

const STRING_TYPES: ReadonlySet<string> = new Set(['keyword', 'text']);
const NUMERIC_TYPES: ReadonlySet<string> = new Set(['long', 'double', 'integer']);

/** Elasticsearch's compatibility of two types (ql's `DataTypes.areCompatible`): one type, both text, both numbers, or a null. */
function compatibleTypes(a: string, b: string): boolean {
  return a === b || a === 'null' || b === 'null' || (STRING_TYPES.has(a) && STRING_TYPES.has(b)) || (NUMERIC_TYPES.has(a) && NUMERIC_TYPES.has(b));
}

/** The field types whose `in` lists are checked against the field (see `checkMembershipTypes`). */
const LIST_CHECKED_TYPES: ReadonlySet<string> = new Set(['keyword', 'text', 'long', 'double', 'boolean']);

/** A literal's type as Elasticsearch names it. */
const LITERAL_TYPE_NAMES: Record<ValueKind, string> = {
  string: 'keyword',
  integer: 'integer',
  float: 'double',
  number: 'double',
  boolean: 'boolean',
  null: 'null',
  unknown: 'unknown',
};

/** 1st, 2nd, 3rd, 4th…, as Elasticsearch counts the values of a list. */
function countingOrdinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** Field types whose values are not text to Elasticsearch's string operators (others, such as `constant_keyword`, are keyword). */
const NOT_TEXT: ReadonlySet<string> = new Set(['long', 'double', 'boolean', 'date', 'date_nanos', 'ip', 'version']);

export class Analysis {
  // Plain maps, not weak ones: an analysis lives as long as one compilation, and weak maps cost the collector more.
  private readonly values = new Map<A.Expression, ValueFacts>();
  private readonly conditions = new Set<A.Expression>();
  private readonly definitions = new Map<A.FunctionCall, FunctionDefinition>();
  private readonly fields = new Map<A.Field, BoundField | null>();

  /**
   * @param evaluate the value of a constant expression: code generation
   * folds constants, and lends that to the few checks that need a value
   * (`in` a list of nulls) and to the optimizer's rules.
   */
  constructor(
    readonly scope: Scope,
    readonly evaluate: ConstantEvaluator,
  ) {}

  /**
   * Checks a whole query: every condition, in the order of the text, then
   * the join keys. The first problem is thrown.
   *
   * @throws EqlSemanticError
   */
  checkQuery(query: A.Query): void {
    // A join does not run: code generation says so before anything else.
    if (query.type === 'JoinQuery') return;
    for (const filter of eventFiltersOf(query)) this.checkCondition(filter.condition);
    if (query.type === 'EventQuery') return;
    const stages: readonly (A.SequenceStage | A.JoinStage)[] = query.stages;
    for (const s of stages) for (const k of s.by) this.field(k);
    if (query.type === 'SequenceQuery' && query.until) for (const k of query.until.by) this.field(k);
    for (const k of query.by) this.field(k);
    if (query.type === 'SequenceQuery') this.checkJoinKeyTypes(query);
  }

  /**
   * Elasticsearch's verifier compares each stage's join keys (the query's
   * `by` first, then the stage's), and the `until` stage's, with the first
   * stage's, position by position: they must be of one type, both text
   * (keyword, text), both numbers, or one of them null (an optional field the
   * schema lacks). Without a schema the types are not known.
   */
  private checkJoinKeyTypes(query: A.SequenceQuery): void {
    if (!this.scope.options.schema) return;
    const keysOf = (stage: { readonly by: readonly A.Field[] }): readonly A.Field[] => [...query.by, ...stage.by];
    const [first, ...rest] = query.stages;
    if (!first) return;
    const later = query.until ? [...rest, query.until] : rest;
    keysOf(first).forEach((expected, i) => {
      const expectedType = this.keyType(expected);
      for (const stage of later) {
        const current = keysOf(stage)[i];
        if (!current) continue;
        const currentType = this.keyType(current);
        if (expectedType === null || currentType === null || compatibleTypes(expectedType, currentType)) continue;
        throw this.scope.error('EQL_TYPE', `sequence key [${fieldName(current)}] type [${currentType}] is incompatible with key [${fieldName(expected)}] type [${expectedType}]`, current.location);
      }
    });
  }

  /** A key's mapped type; `null` (the type) for an optional field the schema lacks; null when no mapping says. */
  private keyType(f: A.Field): string | null {
    const bound = this.field(f);
    if (bound === null) return 'null';
    return bound.spec?.type ?? null;
  }

  /**
   * Elasticsearch's check of `in`: each literal in the list must be of a type
   * compatible with the field's. Checked for fields of text, number and
   * boolean types, whose literals cannot be mistaken.
   */
  private checkMembershipTypes(e: A.In): void {
    if (e.subject.type !== 'Field' || !this.scope.options.schema) return;
    const subjectType = this.field(e.subject)?.spec?.type;
    if (subjectType === undefined || !LIST_CHECKED_TYPES.has(subjectType)) return;
    e.values.forEach((v, i) => {
      if (!isLiteralNode(v) || v.type === 'Null') return;
      const valueType = LITERAL_TYPE_NAMES[literalKind(v)];
      if (compatibleTypes(subjectType, valueType)) return;
      throw this.scope.error(
        'EQL_TYPE',
        `${countingOrdinal(i + 1)} argument of [${this.scope.textOf(e.location)}] must be [${subjectType}], found value [${this.scope.textOf(v.location)}] type [${valueType}]`,
        e.location,
      );
    });
  }

  /**
   * A field as bound: where it is read and how it is typed; null for an
   * optional field that the schema lacks (every use of it is null).
   */
  field(f: A.Field): BoundField | null {
    let bound = this.fields.get(f);
    if (bound === undefined) {
      bound = this.scope.bindField(f);
      this.fields.set(f, bound);
    }
    return bound;
  }

  /** The definition of a call's function, once its name, `~` and arity are checked. */
  definitionOf(call: A.FunctionCall): FunctionDefinition {
    let definition = this.definitions.get(call);
    if (!definition) {
      definition = resolveCall(call, (code, reason) => {
        throw this.scope.error(code, reason, call.location);
      });
      this.definitions.set(call, definition);
    }
    return definition;
  }

  /** The facts of a value expression, checked as Elasticsearch checks a script's. */
  value(e: A.Expression): ValueFacts {
    let facts = this.values.get(e);
    if (!facts) {
      facts = this.valueOf(e);
      this.values.set(e, facts);
    }
    return facts;
  }

  private valueOf(e: A.Expression): ValueFacts {
    switch (e.type) {
      case 'String':
      case 'Number':
      case 'Boolean':
      case 'Null':
        return { kind: literalKind(e), constant: true };
      case 'Field': {
        const bound = this.field(e);
        return bound ? { kind: bound.kind, constant: false } : { kind: 'null', constant: true };
      }
      case 'Not':
      case 'IsNull':
        return { kind: 'boolean', constant: this.value(e.operand).constant };
      case 'And':
      case 'Or':
        return { kind: 'boolean', constant: this.allConstant(e.operands) };
      case 'Comparison':
        return { kind: 'boolean', constant: this.allConstant([e.left, e.right]) };
      case 'Match': {
        const subject = this.value(e.subject);
        this.checkPatterns(e);
        return { kind: 'boolean', constant: subject.constant };
      }
      case 'In': {
        const constant = this.allConstant([e.subject, ...e.values]);
        this.checkMembershipTypes(e);
        return { kind: 'boolean', constant };
      }
      case 'Arithmetic': {
        const l = this.value(e.left);
        const r = this.value(e.right);
        this.checkNumeric(e, 0, e.left, l.kind);
        this.checkNumeric(e, 1, e.right, r.kind);
        return { kind: arithmeticKind(l.kind, r.kind), constant: l.constant && r.constant };
      }
      case 'Unary': {
        const inner = this.value(e.operand);
        this.checkNumeric(e, 0, e.operand, inner.kind);
        return inner;
      }
      case 'FunctionCall':
        return this.call(e);
    }
  }

  /** Every operand analyzed (in order, so the first problem in the text is the one reported); whether all are constants. */
  private allConstant(operands: readonly A.Expression[]): boolean {
    let constant = true;
    for (const o of operands) constant = this.value(o).constant && constant;
    return constant;
  }

  /** A call: checked against its definition's signature, then by the definition's own checks. */
  private call(e: A.FunctionCall): ValueFacts {
    const definition = this.definitionOf(e);
    const signature = definition.signature;
    const args: ArgumentFacts[] = e.args.map((a) => this.value(a));
    args.forEach((a, i) => {
      const param = paramType(signature, i);
      if (!fitsParam(a.kind, param)) this.typeError(e, i, param, e.args[i]!, a.kind);
      if (param === 'string') this.checkTextField(e, i);
    });
    definition.check?.(args, {
      call: e,
      typeError: (index, expected, kind) => this.typeError(e, index, expected, e.args[index]!, kind),
      fail: (code, reason, at = e.location) => {
        throw this.scope.error(code, reason, at);
      },
      textOf: (location) => this.scope.textOf(location),
    });
    return { kind: resultKind(signature, args), constant: args.every((a) => a.constant) };
  }

  /**
   * String functions take keyword or text: an `ip`, `version` or date field
   * reads as text in a script but is none of those to Elasticsearch, which
   * refuses it.
   */
  private checkTextField(call: A.FunctionCall, index: number): void {
    const arg = call.args[index]!;
    if (arg.type !== 'Field') return;
    const type = this.field(arg)?.spec?.type;
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

  private typeError(what: A.Expression, index: number, expected: string, arg: A.Expression, kind: ValueKind): never {
    throw this.scope.error(
      'EQL_TYPE',
      `${ordinal(index)} argument of [${this.scope.textOf(what.location)}] must be [${expected}], found value [${this.scope.textOf(arg.location)}] type [${typeNameOf(kind)}]`,
      arg.location,
    );
  }

  /** The patterns of `:`, `like` or `regex` are strings (a null never matches). */
  private checkPatterns(e: A.Match): void {
    for (const p of e.patterns) {
      if (p.type === 'Null' || p.type === 'String') continue;
      throw this.scope.error(
        'EQL_TYPE',
        `second argument of [${this.scope.textOf(e.location)}] must be [string], found value [${this.scope.textOf(p.location)}] type [${typeNameOf(literalKind(p))}]`,
        p.location,
      );
    }
  }

  /**
   * Checks a `where` condition: boolean, with every value in it checked, and
   * string operators and string functions on a field only where the field
   * holds text.
   */
  checkCondition(e: A.Expression): void {
    if (this.conditions.has(e)) return;
    this.conditionOf(e);
    this.conditions.add(e);
  }

  private conditionOf(e: A.Expression): void {
    switch (e.type) {
      case 'And':
      case 'Or':
        for (const o of e.operands) this.checkCondition(o);
        return;
      case 'Not':
        this.checkCondition(e.operand);
        return;
      case 'Boolean':
      case 'Null':
        return;
      case 'String':
      case 'Number':
        throw this.notBoolean(e, e.type === 'String' ? 'keyword' : e.integer ? 'integer' : 'double');
      case 'Field': {
        const bound = this.field(e);
        if (bound?.spec && bound.spec.type !== 'boolean') throw this.notBoolean(e, bound.spec.type);
        return;
      }
      case 'Comparison':
      case 'IsNull':
        this.value(e);
        return;
      case 'Match': {
        const bound = e.subject.type === 'Field' ? this.field(e.subject) : null;
        this.value(e);
        if (bound) this.requireText(bound, e.operator, e.location);
        return;
      }
      case 'In': {
        this.value(e);
        if (!e.caseInsensitive || e.subject.type !== 'Field' || this.foldsToNull(e)) return;
        const bound = this.field(e.subject);
        if (bound && e.values.every((v) => this.value(v).constant)) this.requireText(bound, 'in~', e.location);
        return;
      }
      case 'FunctionCall':
        this.callCondition(e);
        return;
      case 'Arithmetic':
      case 'Unary': {
        const kind = this.value(e).kind;
        throw this.notBoolean(e, kind === 'unknown' ? 'number' : typeNameOf(kind));
      }
    }
  }

  /**
   * A call as a condition. Where it runs as its definition's index query (a
   * field, then constants none of which is null), the field must hold what
   * the query reads; otherwise the call is a script, which must be boolean.
   */
  private callCondition(e: A.FunctionCall): void {
    const definition = this.definitionOf(e);
    const facts = this.value(e);
    const form = definition.indexQuery;
    const bound = form && e.args[0]?.type === 'Field' ? this.field(e.args[0]) : null;
    const rest = e.args.slice(1);
    if (form && bound && rest.every((a) => this.value(a).constant)) {
      if (rest.some((a) => this.evaluate(a) === null)) return;
      if (form.on === 'keyword') this.requireText(bound, definition.name, e.location);
      else if (bound.spec && bound.spec.type !== 'ip') {
        throw this.scope.error('EQL_TYPE', `first argument of [${this.scope.textOf(e.location)}] must be [ip], found value [${bound.name}] type [${bound.spec.type}]`, e.args[0]!.location);
      }
      return;
    }
    if (facts.kind !== 'boolean' && facts.kind !== 'unknown' && facts.kind !== 'null') throw this.notBoolean(e, typeNameOf(facts.kind));
  }

  /**
   * Whether Elasticsearch folds the condition to null while planning (a null
   * literal, `in` a list of nulls only, `not` of either): it then drops every
   * event.
   */
  foldsToNull(e: A.Expression): boolean {
    switch (e.type) {
      case 'Null':
        return true;
      case 'Not':
        return this.foldsToNull(e.operand);
      case 'In':
        return e.values.length > 0 && e.values.every((v) => this.value(v).constant && this.evaluate(v) === null);
      default:
        return false;
    }
  }

  /** String operators need a string field: keyword or text, or any field without a schema. */
  private requireText(field: BoundField, operator: string, location: A.Location): void {
    const type = field.spec?.type;
    if (type === undefined || !NOT_TEXT.has(type)) return;
    const hint = operator === ':' ? '; consider using [==] instead' : operator === 'in~' ? '; consider using [in] instead' : '';
    throw this.scope.error('EQL_TYPE', `first argument of [${operator}] must be [string], found value [${field.name}] type [${type}]${hint}`, location);
  }

  private notBoolean(e: A.Expression, found: string): Error {
    return this.scope.error('EQL_NOT_BOOLEAN', `condition expression needs to be boolean, found [${found.toUpperCase()}]: ${this.scope.textOf(e.location)}`, e.location);
  }
}

/**
 * The value of an expression for given field values, to aim at: what
 * `concat(substring(user.name, 0, -1), ".")` is once `user.name` has a value,
 * so that another field can be made to start with it. It runs the language's
 * own function implementations (language/functions) and Java arithmetic
 * (semantics/null-logic); a field with several values is read as its first.
 * The engine has the last word on every event; this only guides the choice.
 */
import type * as A from '../parser/ast.js';
import { childNodes, fieldName } from '../parser/ast.js';
import { functionDefinition, type ScriptArgument, type ScriptContext } from '../language/functions/index.js';
import { arithmetic, asLong, COMPARISON_TESTS, compare3, isFloat, type ScriptValue, type ValueKind } from '../semantics/null-logic.js';
import type { Value } from './values.js';

/** A field's current value, or undefined when it has none. */
export type FieldRead = (name: string) => Value | undefined;

/** Thrown inside, caught at the top: the expression has a form this evaluator does not compute. */
class NotEvaluable extends Error {}

/** The first scalar of a field's value, as a script sees one value of it. */
function scalarOf(v: Value | undefined): ScriptValue {
  if (v === undefined || v === null) return null;
  if (Array.isArray(v)) {
    for (const x of v) {
      const s = scalarOf(x);
      if (s !== null) return s;
    }
    return null;
  }
  return v;
}

function kindOfValue(v: ScriptValue, literal?: A.Expression): ValueKind {
  if (literal?.type === 'Number') return literal.integer ? 'integer' : 'float';
  if (v === null) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'boolean';
  return 'unknown';
}

function computed(e: A.Expression, read: FieldRead): ScriptValue {
  switch (e.type) {
    case 'String':
    case 'Number':
    case 'Boolean':
      return e.value;
    case 'Null':
      return null;
    case 'Field':
      return scalarOf(read(fieldName(e)));
    case 'Unary': {
      const v = computed(e.operand, read);
      if (e.operator === '+' || v === null) return v;
      if (typeof v !== 'number') return null;
      return isFloat(v, kindOfValue(v, e.operand)) ? -v : asLong(-v);
    }
    case 'Arithmetic': {
      const l = computed(e.left, read);
      const r = computed(e.right, read);
      return arithmetic(e.operator, l, r, kindOfValue(l, e.left), kindOfValue(r, e.right));
    }
    case 'Comparison': {
      const c = compare3(computed(e.left, read), computed(e.right, read));
      return c === null ? null : COMPARISON_TESTS[e.operator](c);
    }
    case 'FunctionCall': {
      const definition = functionDefinition(e.name);
      if (!definition) throw new NotEvaluable();
      const args: ScriptArgument[] = e.args.map((a) => {
        const v = computed(a, read);
        return { fn: () => v, kind: kindOfValue(v, a), constant: true };
      });
      const fail = (): never => {
        throw new NotEvaluable();
      };
      const context: ScriptContext = { call: e, fold: (fn) => fn([]), fail, textOf: () => '' };
      return definition.script(args, context)([]);
    }
    default:
      throw new NotEvaluable();
  }
}

/** The expression's value for the fields' values; undefined when it cannot be computed here. */
export function evaluate(e: A.Expression, read: FieldRead): ScriptValue | undefined {
  try {
    return computed(e, read);
  } catch (err) {
    if (err instanceof NotEvaluable) return undefined;
    throw err;
  }
}

/** The fields an expression reads, by dotted name, in order of first use. */
export function fieldsOf(e: A.Node): string[] {
  const out: string[] = [];
  const visit = (n: A.Node): void => {
    if (n.type === 'Field') {
      const name = fieldName(n);
      if (!out.includes(name)) out.push(name);
      return;
    }
    // A match's patterns are literals: only its subject can name fields.
    for (const c of n.type === 'Match' ? [n.subject] : childNodes(n)) visit(c);
  };
  visit(e);
  return out;
}

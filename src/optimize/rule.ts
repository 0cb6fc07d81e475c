/**
 * The shape of an optimizer rule, and the walks the rules share. A rule is
 * pure: it returns the query it is given when nothing changes, and otherwise
 * a new one that shares every unchanged node (locations included, so that
 * errors still point at the user's text).
 */
import type * as A from '../parser/ast.js';
import { mapExpression } from '../parser/ast.js';
import type { OptimizerContext } from './context.js';

export interface OptimizerRule {
  /** The name of Elasticsearch's rule (its class in the EQL Optimizer or in ql's OptimizerRules). */
  readonly name: string;
  /** The query with the rule applied once over it. */
  apply(query: A.Query, context: OptimizerContext): A.Query;
}

/** A rule that rewrites each `where` condition on its own (stages and `until` alike). */
export function conditionRule(name: string, rewrite: (condition: A.Expression, context: OptimizerContext) => A.Expression): OptimizerRule {
  return { name, apply: (query, context) => mapConditions(query, (condition) => rewrite(condition, context)) };
}

/** The query with `f` applied to every event filter's condition; unchanged parts keep their identity. */
export function mapConditions(query: A.Query, f: (condition: A.Expression) => A.Expression): A.Query {
  const filter = (x: A.EventFilter): A.EventFilter => {
    const condition = f(x.condition);
    return condition === x.condition ? x : { ...x, condition };
  };
  const stage = <S extends A.SequenceStage | A.JoinStage>(s: S): S => {
    const x = filter(s.filter);
    return x === s.filter ? s : { ...s, filter: x };
  };
  const stages = <S extends A.SequenceStage | A.JoinStage>(list: readonly S[]): readonly S[] => {
    const out = list.map(stage);
    return out.every((s, i) => s === list[i]) ? list : out;
  };
  switch (query.type) {
    case 'EventQuery': {
      const x = filter(query.filter);
      return x === query.filter ? query : { ...query, filter: x };
    }
    case 'SequenceQuery': {
      const list = stages(query.stages);
      const until = query.until && stage(query.until);
      return list === query.stages && until === query.until ? query : { ...query, stages: list, until };
    }
    case 'JoinQuery': {
      const list = stages(query.stages);
      const until = query.until && stage(query.until);
      return list === query.stages && until === query.until ? query : { ...query, stages: list, until };
    }
    case 'SampleQuery': {
      const list = stages(query.stages);
      return list === query.stages ? query : { ...query, stages: list };
    }
  }
}

/**
 * A condition with `f` applied to each of its leaves: what `and`, `or` and
 * `not` combine, the places where code generation makes predicates of
 * comparisons (index queries or scripts). What `f` returns is not walked again.
 */
export function mapLeaves(e: A.Expression, f: (leaf: A.Expression) => A.Expression): A.Expression {
  switch (e.type) {
    case 'And':
    case 'Or': {
      let operands: A.Expression[] | undefined;
      for (let i = 0; i < e.operands.length; i++) {
        const o = e.operands[i]!;
        const x = mapLeaves(o, f);
        if (operands) operands.push(x);
        else if (x !== o) {
          operands = e.operands.slice(0, i);
          operands.push(x);
        }
      }
      return operands ? { ...e, operands } : e;
    }
    case 'Not': {
      const operand = mapLeaves(e.operand, f);
      return operand === e.operand ? e : { ...e, operand };
    }
    default:
      return f(e);
  }
}

/**
 * An expression rewritten bottom-up, as `mapExpression` rewrites it, with `f`
 * called on operations only: literals and fields, which the rules do not
 * replace on their own, are passed over.
 */
export function mapOperations(e: A.Expression, f: (node: A.Expression) => A.Expression): A.Expression {
  return mapExpression(e, f, false);
}

/**
 * Whether some node of an expression passes `test`, nodes taken depth first,
 * left to right (the reading order), a node before its children. A match's
 * patterns are literals, and are not looked at.
 */
export function someNode(e: A.Expression, test: (node: A.Expression) => boolean): boolean {
  if (test(e)) return true;
  switch (e.type) {
    case 'Not':
    case 'Unary':
    case 'IsNull':
      return someNode(e.operand, test);
    case 'And':
    case 'Or':
      return someOf(e.operands, test);
    case 'Comparison':
    case 'Arithmetic':
      return someNode(e.left, test) || someNode(e.right, test);
    case 'Match':
      return someNode(e.subject, test);
    case 'In':
      return someNode(e.subject, test) || someOf(e.values, test);
    case 'FunctionCall':
      return someOf(e.args, test);
    default:
      return false;
  }
}

function someOf(list: readonly A.Expression[], test: (node: A.Expression) => boolean): boolean {
  for (const x of list) if (someNode(x, test)) return true;
  return false;
}

/** The null literal as the optimizer sees it: `null`, or an optional field that the schema lacks. */
export function isNullLiteral(e: A.Expression, context: OptimizerContext): boolean {
  return e.type === 'Null' || (e.type === 'Field' && context.missing(e));
}

/**
 * Whether an expression reads no field that events hold (Elasticsearch's
 * `foldable`): literals, optional fields the schema lacks, and what is made
 * of them. A field that cannot be used counts as read.
 */
export function isConstant(e: A.Expression, context: OptimizerContext): boolean {
  switch (e.type) {
    case 'Field':
      return context.missing(e);
    case 'Not':
    case 'Unary':
    case 'IsNull':
      return isConstant(e.operand, context);
    case 'And':
    case 'Or':
      return allConstant(e.operands, context);
    case 'Comparison':
    case 'Arithmetic':
      return isConstant(e.left, context) && isConstant(e.right, context);
    case 'Match':
      return isConstant(e.subject, context);
    case 'In':
      return isConstant(e.subject, context) && allConstant(e.values, context);
    case 'FunctionCall':
      return allConstant(e.args, context);
    default:
      return true;
  }
}

function allConstant(list: readonly A.Expression[], context: OptimizerContext): boolean {
  for (const x of list) if (!isConstant(x, context)) return false;
  return true;
}

/**
 * The shape of an optimizer rule, and the walks the rules share. A rule is
 * pure: it returns the query it is given when nothing changes, and otherwise
 * a new one that shares every unchanged node (locations included, so that
 * errors still point at the user's text).
 */
import type * as A from '../parser/ast.js';
import { childNodes } from '../parser/ast.js';
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
      const operands = e.operands.map((o) => mapLeaves(o, f));
      return operands.every((o, i) => o === e.operands[i]) ? e : { ...e, operands };
    }
    case 'Not': {
      const operand = mapLeaves(e.operand, f);
      return operand === e.operand ? e : { ...e, operand };
    }
    default:
      return f(e);
  }
}

/** The null literal as the optimizer sees it: `null`, or an optional field that the schema lacks. */
export function isNullLiteral(e: A.Expression, context: OptimizerContext): boolean {
  return e.type === 'Null' || (e.type === 'Field' && context.field(e)?.missing === true);
}

/**
 * Whether an expression reads no field that events hold (Elasticsearch's
 * `foldable`): literals, optional fields the schema lacks, and what is made
 * of them. A field that cannot be used counts as read.
 */
export function isConstant(e: A.Expression, context: OptimizerContext): boolean {
  const stack: A.Node[] = [e];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.type === 'Field') {
      if (context.field(node)?.missing !== true) return false;
      continue;
    }
    for (const child of childNodes(node)) stack.push(child);
  }
  return true;
}

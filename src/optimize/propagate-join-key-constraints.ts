/**
 * PropagateJoinKeyConstraints (Elasticsearch's EQL Optimizer, batch "Infer
 * constraints"): conditions on a join key hold for every stage. A stage's
 * conjunct that tests one of its keys (`user == "alice"` in a sequence
 * `by user`) is copied to every other stage, with that stage's key in place
 * of the field. With single-valued keys this changes nothing (the keys must be
 * equal anyway); with multi-valued ones it does: an event whose `user` is
 * `["alice", "bob"]` can no longer join a later event of `bob`.
 *
 * As in Elasticsearch: a conjunct with an `or` anywhere in it is not copied;
 * one that reads a key is, with the first key it reads replaced and any other
 * field it reads left as it is (Elasticsearch expects no other, since fields
 * cannot be compared with fields, but a function can take two:
 * `stringContains(user, process.name)`). The conjuncts are the operands of
 * the condition's top `and`. Conjuncts of a missing stage (`![…]`) are not
 * copied to the others, though theirs are copied to it; `until` neither gives
 * nor takes. The copies are `and`-ed after the stage's own condition.
 *
 * Code generation drops a stage's copies when they do not compile against its
 * own fields (a key of another type there): see `beforeConstraints` in
 * index.ts.
 */
import type * as A from '../parser/ast.js';
import { fieldName, mapExpression } from '../parser/ast.js';
import { type OptimizerRule, someNode } from './rule.js';

/** A stage's condition and keys (the query's `by` first, then the stage's own). */
interface KeyedStage {
  readonly condition: A.Expression;
  readonly keys: readonly A.Field[];
  /** A missing stage takes constraints but gives none. */
  readonly missing: boolean;
}

interface Constraint {
  readonly from: number;
  readonly keyPosition: number;
  readonly condition: A.Expression;
}

function conjuncts(e: A.Expression): readonly A.Expression[] {
  return e.type === 'And' ? e.operands : [e];
}

/** The same expression with every read of `from` replaced by the field `to`. */
function replaceField(e: A.Expression, from: string, to: A.Field): A.Expression {
  return mapExpression(e, (node) => (node.type === 'Field' && fieldName(node) === from ? to : node));
}

/** The position of a field among the keys' names, or -1. */
function keyPositionOf(field: A.Field, keyNames: readonly string[]): number {
  // A name ends with the field's last segment: most fields are told apart without joining their path.
  const last = field.path[field.path.length - 1]!;
  return keyNames.some((k) => k.endsWith(last)) ? keyNames.indexOf(fieldName(field)) : -1;
}

function constraintsOf(stages: readonly KeyedStage[]): Constraint[] {
  const out: Constraint[] = [];
  stages.forEach((stage, from) => {
    if (stage.missing || stage.keys.length === 0) return;
    const keyNames = stage.keys.map(fieldName);
    for (const condition of conjuncts(stage.condition)) {
      // The first key read decides, as Elasticsearch's first match does; other fields stay as they are.
      let keyPosition = -1;
      const hasOr = someNode(condition, (node) => {
        if (node.type === 'Or') return true;
        if (keyPosition < 0 && node.type === 'Field') keyPosition = keyPositionOf(node, keyNames);
        return false;
      });
      if (!hasOr && keyPosition >= 0) out.push({ from, keyPosition, condition });
    }
  });
  return out;
}

/** Each stage's condition with the other stages' key constraints added, or the condition itself when there are none. */
function conditionsWithKeyConstraints(stages: readonly KeyedStage[]): A.Expression[] {
  const constraints = constraintsOf(stages);
  return stages.map((stage, i) => {
    const added: A.Expression[] = [];
    for (const c of constraints) {
      if (c.from === i) continue;
      const to = stage.keys[c.keyPosition];
      if (!to) continue;
      added.push(replaceField(c.condition, fieldName(stages[c.from]!.keys[c.keyPosition]!), to));
    }
    const own = stage.condition;
    if (added.length === 0) return own;
    return { type: 'And', operands: [...conjuncts(own), ...added], location: own.location };
  });
}

/** The stages with their new conditions; the same list when none changed. */
function withConditions<S extends A.SequenceStage | A.JoinStage>(by: readonly A.Field[], stages: readonly S[]): readonly S[] {
  const conditions = conditionsWithKeyConstraints(stages.map((s) => ({ condition: s.filter.condition, keys: [...by, ...s.by], missing: s.type === 'SequenceStage' && s.missing })));
  if (conditions.every((c, i) => c === stages[i]!.filter.condition)) return stages;
  return stages.map((s, i) => (conditions[i] === s.filter.condition ? s : { ...s, filter: { ...s.filter, condition: conditions[i]! } }));
}

export const propagateJoinKeyConstraints: OptimizerRule = {
  name: 'PropagateJoinKeyConstraints',
  apply(query) {
    switch (query.type) {
      case 'SequenceQuery': {
        const stages = withConditions(query.by, query.stages);
        return stages === query.stages ? query : { ...query, stages };
      }
      case 'SampleQuery': {
        const stages = withConditions(query.by, query.stages);
        return stages === query.stages ? query : { ...query, stages };
      }
      default:
        // Event queries have no keys; joins do not run (the compiler refuses them).
        return query;
    }
  },
};

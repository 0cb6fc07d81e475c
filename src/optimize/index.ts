/**
 * Elasticsearch's optimizer rules, run over the AST in Elasticsearch's batch
 * order (x-pack/plugin/eql/…/optimizer/Optimizer.java), between the parser
 * and code generation. Each rule that changes answers here has its file,
 * named after its Elasticsearch counterpart, so that an upstream change maps
 * to one file; docs/ARCHITECTURE.md says which rules have none and why, and
 * how to add or update one.
 *
 * Code generation compiles what this returns, and relies on it: `x == null`
 * is a null test only once ReplaceNullChecks has made it one, a field
 * comparison has its field on the left only once LiteralsOnTheRight has
 * turned it round.
 */
import type * as A from '../parser/ast.js';
import { booleanFunctionEqualsElimination } from './boolean-function-equals-elimination.js';
import type { OptimizerContext } from './context.js';
import { literalsOnTheRight } from './literals-on-the-right.js';
import { propagateJoinKeyConstraints } from './propagate-join-key-constraints.js';
import { pruneCast } from './prune-cast.js';
import { replaceNullChecks } from './replace-null-checks.js';
import type { OptimizerRule } from './rule.js';
import { simplifyComparisonsArithmetics } from './simplify-comparisons-arithmetics.js';

export type { ConstantValue, OptimizerContext } from './context.js';
export type { OptimizerRule } from './rule.js';

/** A batch of rules: run once, or over and over until the query stops changing (Elasticsearch's default limit, 100 runs). */
export interface Batch {
  /** Elasticsearch's name of the batch. */
  readonly name: string;
  readonly once: boolean;
  /** In the order Elasticsearch lists them. */
  readonly rules: readonly OptimizerRule[];
}

/** The most runs of a batch that repeats, as in Elasticsearch. */
export const BATCH_RUN_LIMIT = 100;

export const SUBSTITUTION: Batch = { name: 'Substitution', once: true, rules: [replaceNullChecks] };

export const OPERATOR_OPTIMIZATION: Batch = {
  name: 'Operator Optimization',
  once: false,
  rules: [literalsOnTheRight, booleanFunctionEqualsElimination, simplifyComparisonsArithmetics, pruneCast],
};

export const INFER_CONSTRAINTS: Batch = { name: 'Infer constraints', once: true, rules: [propagateJoinKeyConstraints] };

/** The batches in Elasticsearch's order; "Operator Optimization" runs again after the constraints are inferred. */
export const BATCHES: readonly Batch[] = [SUBSTITUTION, OPERATOR_OPTIMIZATION, INFER_CONSTRAINTS, OPERATOR_OPTIMIZATION];

export interface Optimized {
  /** The query with every batch run. */
  readonly query: A.Query;
  /**
   * The query as it stood before "Infer constraints": for each stage, its
   * condition without the other stages' key constraints, which code
   * generation falls back to when those do not compile against this stage's
   * own fields. Stages are in the same places in both queries.
   */
  readonly beforeConstraints: A.Query;
}

/** Runs one batch over a query. `onRule` sees each rule as it runs (for tests). */
export function runBatch(query: A.Query, batch: Batch, context: OptimizerContext, onRule?: (batch: Batch, rule: OptimizerRule) => void): A.Query {
  let current = query;
  for (let run = 0; run < (batch.once ? 1 : BATCH_RUN_LIMIT); run++) {
    const before = current;
    for (const rule of batch.rules) {
      onRule?.(batch, rule);
      current = rule.apply(current, context);
    }
    if (current === before) break;
  }
  return current;
}

/**
 * The query with Elasticsearch's optimizer rules applied, batch after batch.
 * Pure: the query given is not changed. A repeating batch is not run again
 * over the query it last ended with (nothing in between changed it): it would
 * change nothing.
 */
export function optimize(query: A.Query, context: OptimizerContext, onRule?: (batch: Batch, rule: OptimizerRule) => void): Optimized {
  let current = query;
  let beforeConstraints = query;
  const fixedPoints = new Map<Batch, A.Query>();
  for (const batch of BATCHES) {
    if (batch === INFER_CONSTRAINTS) beforeConstraints = current;
    if (!batch.once && fixedPoints.get(batch) === current) continue;
    current = runBatch(current, batch, context, onRule);
    if (!batch.once) fixedPoints.set(batch, current);
  }
  return { query: current, beforeConstraints };
}

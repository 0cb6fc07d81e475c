/**
 * A query's conditions as code generation compiles them, node by node, for
 * explaining a verdict: the plan, and beside it for each filter the condition
 * that was compiled (as the optimizer leaves it), whose nodes compile one at
 * a time with the same analysis the plan was built with. A node compiled
 * here gives what it gives inside the whole condition: `and`, `or` and `not`
 * only combine their operands' predicates (see predicates.ts).
 */
import type * as A from '../parser/ast.js';
import { parse } from '../parser/parse.js';
import { optimize } from '../optimize/index.js';
import { factsFromAnalysis } from '../optimize/facts-from-analysis.js';
import { type BoundField, Scope } from '../analyze/scope.js';
import { EqlSemanticError } from '../errors.js';
import { PredicateCompiler, type Predicate } from './predicates.js';
import { analysisOf, buildPlan, type CompileOptions, type QueryPlan, resolveOptions } from './plan.js';

/** One filter of a plan, as {@link filtersOf} orders them: its category and the condition its predicate was compiled from. */
export interface ExplainableFilter {
  readonly category: string | null;
  /** The optimized condition, or the stage's own when the key constraints copied into it did not compile there (as buildPlan decides). */
  readonly condition: A.Expression;
}

export interface ExplainableQuery {
  readonly plan: QueryPlan;
  /** The query text, when it was given as text. */
  readonly source: string | null;
  /** In the order of `filtersOf(plan)`: the stages, then a sequence's `until`. */
  readonly filters: readonly ExplainableFilter[];
  /** The predicate of one node of those conditions, compiled alone. */
  predicateOf(node: A.Expression): Predicate;
  /** Whether Elasticsearch folds the node to null: a `not` of it then drops every event, as the compiled `not` does. */
  foldsToNull(node: A.Expression): boolean;
  /** A field as the compiled conditions read it; null for an optional field that no schema knows. */
  field(field: A.Field): BoundField | null;
}

/**
 * Builds a query's plan and the conditions it was compiled from.
 *
 * @throws EqlSyntaxError when the text does not parse
 * @throws EqlSemanticError when the query parses but cannot run
 */
export function explainableQuery(query: string | A.Query, options: CompileOptions = {}): ExplainableQuery {
  const plan = buildPlan(query, options);
  const ast = typeof query === 'string' ? parse(query) : query;
  const source = typeof query === 'string' ? query : null;
  const resolved = resolveOptions(options);
  const scope = new Scope({ schema: resolved.schema, source, timestampField: resolved.timestampField });
  scope.collectOptionalFields(ast);
  const analysis = analysisOf(scope);
  const compiler = new PredicateCompiler(analysis);
  analysis.checkQuery(ast);
  const optimized = optimize(ast, factsFromAnalysis(analysis));
  const q = optimized.query;

  const own = (f: A.EventFilter): ExplainableFilter => ({ category: f.category, condition: f.condition });
  /** As buildPlan's keyed filters: a stage whose copied key constraints do not compile keeps its own condition. */
  const keyed = (f: A.EventFilter, before: A.EventFilter): ExplainableFilter => {
    if (f === before) return own(f);
    try {
      compiler.compile(f.condition);
      return own(f);
    } catch (e) {
      if (e instanceof EqlSemanticError) return own(before);
      throw e;
    }
  };
  let filters: ExplainableFilter[];
  switch (q.type) {
    case 'EventQuery':
      filters = [own(q.filter)];
      break;
    case 'SequenceQuery': {
      const before = optimized.beforeConstraints as A.SequenceQuery;
      filters = q.stages.map((s, i) => keyed(s.filter, before.stages[i]!.filter));
      if (q.until) filters.push(own(q.until.filter));
      break;
    }
    case 'SampleQuery': {
      const before = optimized.beforeConstraints as A.SampleQuery;
      filters = q.stages.map((s, i) => keyed(s.filter, before.stages[i]!.filter));
      break;
    }
    case 'JoinQuery':
      // buildPlan has refused it already.
      throw new Error('unreachable: a join has no plan');
  }

  const predicates = new WeakMap<A.Expression, Predicate>();
  return {
    plan,
    source,
    filters,
    predicateOf(node) {
      let p = predicates.get(node);
      if (!p) {
        p = compiler.compile(node).predicate;
        predicates.set(node, p);
      }
      return p;
    },
    foldsToNull: (node) => analysis.foldsToNull(node),
    field: (f) => analysis.field(f),
  };
}

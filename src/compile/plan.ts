/**
 * AST → query plan. All work that depends only on the query happens here:
 * fields are bound, literals converted, patterns compiled, and each condition
 * becomes one predicate closure. The engine only runs the plan.
 */
import type * as A from '../parser/ast.js';
import { eventFiltersOf, fieldName } from '../parser/ast.js';
import { parse } from '../parser/parse.js';
import { planPipes, type PipeInstance } from '../language/pipes/index.js';
import { optimize } from '../optimize/index.js';
import { compileFieldReader, someValueIs } from '../semantics/fields.js';
import type { FieldReader } from '../semantics/fields.js';
import type { Schema } from '../analyze/schema.js';
import { type BoundField, Scope } from '../analyze/scope.js';
import { Analysis } from '../analyze/analysis.js';
import { factsFromAnalysis } from '../optimize/facts-from-analysis.js';
import { PredicateCompiler, type Predicate } from './predicates.js';
import type { ConditionNeed } from './requirements.js';
import { ExpressionCompiler, fold, SlotTable } from './expression.js';
import { EqlSemanticError } from '../errors.js';

/** Options that shape how a query reads events. */
export interface CompileOptions {
  /** The field that orders events. Default `@timestamp`. */
  readonly timestampField?: string;
  /** A field that orders events with equal timestamps. None by default. */
  readonly tiebreakerField?: string;
  /** The field that holds an event's category. Default `event.category`. */
  readonly eventCategoryField?: string;
  /** Field types. Without one, every field may be used and values keep their JSON types. */
  readonly schema?: Schema;
}

export interface ResolvedOptions {
  readonly timestampField: string;
  readonly tiebreakerField: string | null;
  readonly eventCategoryField: string;
  readonly schema: Schema | undefined;
}

/** One `[category where condition]`: a predicate over single events. */
export interface FilterPlan {
  readonly category: string | null;
  /** Category and condition together. */
  readonly matches: Predicate;
  /** The condition alone, for callers that have checked the category already. */
  readonly condition: Predicate;
  /** What the condition requires of any event it matches, for the indexes that skip events (requirements.ts). */
  readonly need: ConditionNeed;
}

/** One `by` key: the field (null for an optional field no schema knows) and whether null is allowed. */
export interface KeyField {
  readonly name: string;
  readonly field: BoundField | null;
  readonly optional: boolean;
}

export interface StagePlan {
  readonly filter: FilterPlan;
  /** The stage's own `by` fields (the query-level ones are in the query plan). */
  readonly keys: readonly KeyField[];
  readonly runs: number;
  readonly missing: boolean;
}

interface PlanBase {
  readonly query: A.Query;
  readonly options: ResolvedOptions;
  /** The query's pipes, planned by their definitions (language/pipes), left to right. */
  readonly pipes: readonly PipeInstance[];
  readonly timestamp: FieldReader;
  /** The schema maps the timestamp as `date`, which Elasticsearch stores in whole milliseconds. */
  readonly timestampInMillis: boolean;
  readonly tiebreaker: FieldReader | null;
  /** Reads the event category field (for dispatching events to queries). */
  readonly categoryField: FieldReader;
}

export interface EventPlan extends PlanBase {
  readonly kind: 'event';
  readonly filter: FilterPlan;
}

export interface SequencePlan extends PlanBase {
  readonly kind: 'sequence';
  readonly keys: readonly KeyField[];
  readonly stages: readonly StagePlan[];
  readonly until: StagePlan | null;
  /** Maximum span in nanoseconds, or null. */
  readonly maxspanNs: bigint | null;
}

export interface SamplePlan extends PlanBase {
  readonly kind: 'sample';
  readonly keys: readonly KeyField[];
  readonly stages: readonly StagePlan[];
}

export type QueryPlan = EventPlan | SequencePlan | SamplePlan;

/** A plan's filters in the order of the text: the stages, then a sequence's `until`. */
export function filtersOf(plan: QueryPlan): FilterPlan[] {
  switch (plan.kind) {
    case 'event':
      return [plan.filter];
    case 'sequence':
      return [...plan.stages.map((s) => s.filter), ...(plan.until ? [plan.until.filter] : [])];
    case 'sample':
      return plan.stages.map((s) => s.filter);
  }
}

const UNIT_NS: Record<string, bigint> = {
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
};

export function resolveOptions(options: CompileOptions = {}): ResolvedOptions {
  return {
    timestampField: options.timestampField ?? '@timestamp',
    tiebreakerField: options.tiebreakerField ?? null,
    eventCategoryField: options.eventCategoryField ?? 'event.category',
    schema: options.schema,
  };
}

/**
 * A query as Elasticsearch's optimizer rules leave it (src/optimize/), with
 * the facts they need from the options' schema: what code generation
 * compiles. For tests and explanations; errors are not raised here.
 *
 * @throws EqlSyntaxError when the text does not parse
 */
export function optimizedQuery(query: string | A.Query, options: CompileOptions = {}): A.Query {
  const ast = typeof query === 'string' ? parse(query) : query;
  const resolved = resolveOptions(options);
  const scope = new Scope({ schema: resolved.schema, source: typeof query === 'string' ? query : null, timestampField: resolved.timestampField });
  scope.collectOptionalFields(ast);
  return optimize(ast, factsFromAnalysis(analysisOf(scope))).query;
}

/** The analysis of a query's nodes, with code generation's folding lent to it for the values of constants. */
export function analysisOf(scope: Scope): Analysis {
  const analysis: Analysis = new Analysis(scope, (e) => fold(new ExpressionCompiler(analysis, new SlotTable()).compile(e)));
  return analysis;
}

/**
 * Builds the plan of a query.
 *
 * @throws EqlSyntaxError when the text does not parse
 * @throws EqlSemanticError when the query parses but cannot run
 */
export function buildPlan(query: string | A.Query, options: CompileOptions = {}): QueryPlan {
  const ast = typeof query === 'string' ? parse(query) : query;
  const resolved = resolveOptions(options);
  const scope = new Scope({ schema: resolved.schema, source: typeof query === 'string' ? query : null, timestampField: resolved.timestampField });
  scope.collectOptionalFields(ast);
  const analysis = analysisOf(scope);
  const predicates = new PredicateCompiler(analysis);

  const pipes = planPipes(ast.pipes, (reason, at) => {
    throw scope.error('EQL_UNSUPPORTED', reason, at);
  });

  // As in Elasticsearch, a schema must have the timestamp field, which orders every query but a
  // sample, and the category field only when some filter names a category (`any where …` reads none).
  const needsCategory = eventFiltersOf(ast).some((f) => f.category !== null);
  const category = scope.bindName(resolved.eventCategoryField, !needsCategory, null) ?? { read: compileFieldReader(resolved.eventCategoryField) };
  const timestampField = scope.bindName(resolved.timestampField, true, null);
  if (resolved.schema && !timestampField && ast.type !== 'SampleQuery') {
    throw scope.error('EQL_UNKNOWN_FIELD', `the schema has no timestamp field [${resolved.timestampField}]; map it, or name another timestamp field (timestampField, --timestamp-field)`, null);
  }
  const timestamp = timestampField?.read ?? (() => undefined);
  const timestampInMillis = timestampField?.spec?.type === 'date';
  const tiebreaker = resolved.tiebreakerField ? (scope.bindName(resolved.tiebreakerField, true, null)?.read ?? null) : null;

  // Analysis checks the query as written; Elasticsearch's optimizer rules (src/optimize/) rewrite it
  // with the facts analysis gives. Code generation compiles the optimized query; the plan keeps the
  // query as written.
  analysis.checkQuery(ast);
  const optimized = optimize(ast, factsFromAnalysis(analysis));
  const q = optimized.query;

  const filter = (f: A.EventFilter): FilterPlan => {
    const { predicate: condition, need } = predicates.compile(f.condition);
    if (f.category === null) return { category: null, matches: condition, condition, need };
    const name = f.category;
    const read = category.read;
    return { category: name, matches: (e) => someValueIs(read(e), name) && condition(e), condition, need };
  };
  /**
   * The filters of a sequence's or a sample's stages. Should the key
   * constraints that the optimizer copied into a stage not compile there (a
   * key of another type in this stage), the stage keeps its own condition,
   * as it stood before the constraints were inferred.
   */
  const keyedFilters = (stages: readonly (A.SequenceStage | A.JoinStage)[], before: readonly (A.SequenceStage | A.JoinStage)[]): FilterPlan[] =>
    stages.map(({ filter: f }, i) => {
      const own = before[i]!.filter;
      if (own === f) return filter(f);
      try {
        return filter(f);
      } catch (e) {
        if (e instanceof EqlSemanticError) return filter(own);
        throw e;
      }
    });
  const keys = (by: readonly A.Field[]): KeyField[] => by.map((k) => ({ name: fieldName(k), field: analysis.field(k), optional: scope.isOptional(k) }));

  const base = { query: ast, options: resolved, pipes, timestamp, timestampInMillis, tiebreaker, categoryField: category.read };
  switch (q.type) {
    case 'EventQuery':
      return { ...base, kind: 'event', filter: filter(q.filter) };
    case 'SequenceQuery': {
      const before = optimized.beforeConstraints as A.SequenceQuery;
      const filters = keyedFilters(q.stages, before.stages);
      const stages = q.stages.map((s, i) => ({ filter: filters[i]!, keys: keys(s.by), runs: s.runs ?? 1, missing: s.missing }));
      const until = q.until ? { filter: filter(q.until.filter), keys: keys(q.until.by), runs: 1, missing: false } : null;
      const maxspanNs = q.maxspan ? BigInt(q.maxspan.value) * UNIT_NS[q.maxspan.unit ?? 's']! : null;
      return { ...base, kind: 'sequence', keys: keys(q.by), stages, until, maxspanNs };
    }
    case 'SampleQuery': {
      const before = optimized.beforeConstraints as A.SampleQuery;
      const filters = keyedFilters(q.stages, before.stages);
      const stages = q.stages.map((s, i) => ({ filter: filters[i]!, keys: keys(s.by), runs: 1, missing: false }));
      return { ...base, kind: 'sample', keys: keys(q.by), stages };
    }
    case 'JoinQuery':
      throw scope.error('EQL_UNSUPPORTED', 'join is not supported; Elasticsearch parses it but cannot run it (use a sequence)', q.location);
  }
}

export { fieldName };

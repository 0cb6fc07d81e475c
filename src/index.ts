/**
 * eqlkit: parse Elastic's Event Query Language and run it over events
 * with Elasticsearch's semantics.
 *
 * This module is the package's entry point in Node. Browsers get `browser.ts`
 * (the package's `browser` condition): the same, less what reads files.
 *
 * @example
 * ```ts
 * import { parse, format } from 'eqlkit';
 * const query = parse('process where process.name : "cmd.exe"');
 * format(query); // 'process where process.name : "cmd.exe"'
 * ```
 *
 * @packageDocumentation
 */

export { parse, MAX_NESTING_DEPTH, MAX_AST_DEPTH } from './parser/parse.js';
export { format, formatExpression } from './parser/format.js';
export type {
  Position,
  Location,
  Node,
  Query,
  EventQuery,
  SequenceQuery,
  SampleQuery,
  JoinQuery,
  EventFilter,
  SequenceStage,
  JoinStage,
  TimeSpan,
  Pipe,
  Expression,
  Literal,
  StringLiteral,
  NumberLiteral,
  BooleanLiteral,
  NullLiteral,
  Field,
  Not,
  And,
  Or,
  Comparison,
  ComparisonOperator,
  In,
  Arithmetic,
  ArithmeticOperator,
  Unary,
  FunctionCall,
  IsNull,
  MatchOperator,
  // `Match` is a query's result (below); the AST node of `x : "pattern"` is this.
  Match as MatchExpression,
} from './parser/ast.js';
export {
  isLiteral,
  isExpression,
  isQuery,
  isField,
  isStringLiteral,
  isNumberLiteral,
  isFunctionCall,
  isEventQuery,
  isSequenceQuery,
  isSampleQuery,
  isJoinQuery,
  fieldName,
  childNodes,
} from './parser/ast.js';
export { compile, CompiledQuery } from './engine/compiled-query.js';
export type { SearchOptions, SearchStats } from './engine/compiled-query.js';
export type { Match } from './engine/match.js';
export type { StreamOptions, StreamStats, StreamMatcher } from './engine/stream.js';
export { SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from './engine/snapshot.js';
export type { MatcherSnapshot, SnapshotOptions, SnapshotData } from './engine/snapshot.js';
export type { CompileOptions } from './compile/plan.js';
import type { LinePrefilter as LinePrefilterClass } from './compile/line-prefilter.js';
/** A test on raw NDJSON lines: false when no stage of the query (or of any rule) could match the line. */
export type LinePrefilter = Pick<LinePrefilterClass, 'mayMatch'>;
export { schemaFromMapping, withDynamicFields, mergeSchemas } from './analyze/schema.js';
export type { Schema, FieldType, FieldSpec, AliasSpec, ConflictSpec } from './analyze/schema.js';
export type { Event } from './semantics/fields.js';
export { EqlError, EqlSyntaxError, EqlSemanticError, EqlEventError, EqlInvalidArgumentError, EqlSnapshotError } from './errors.js';
export type { SyntaxErrorCode, EventErrorCode, SnapshotErrorCode } from './errors.js';
export type { SemanticErrorCode } from './analyze/scope.js';

export { Rule } from './rules/rule.js';
export type { Threat, ThreatItem, ThreatTechnique, RuleMetadata, LoadOptions, RunOptions } from './rules/rule.js';
export { loadRule, loadRules } from './rules/load.js';
export { parseRule } from './rules/parse-rule.js';
export type { LoadResult } from './rules/load.js';
export { bundledRules, bundledRulesDir } from './rules/bundled.js';
export { RuleSet } from './rules/ruleset.js';
export { selectRules, ruleFilter, severityOf, SEVERITIES } from './rules/select.js';
export type { RuleSelection, Severity } from './rules/select.js';
export type { RuleSetMatcher, RuleSetStats } from './rules/ruleset.js';
export { ALERT_SCHEMA } from './rules/alert.js';
export type { Alert, AlertRule } from './rules/alert.js';
export { RuleLoadError } from './errors.js';
export type { RuleLoadErrorCode } from './errors.js';

export { runRuleTests } from './testing/run.js';
export type {
  RuleTestOptions,
  RuleTestReport,
  RuleTestFileResult,
  RuleTestRule,
  RuleTestCaseResult,
  RuleTestAlert,
  RuleTestEvent,
  RuleTestEventError,
  RuleTestStage,
} from './testing/run.js';
export { RuleTestError } from './errors.js';
export type { RuleTestErrorCode } from './errors.js';
// Events from a rule or query: a witness that fires it, and near misses that each break one thing.
export { synthesize, SynthesisError } from './synth/index.js';
export type { Synthesis, SynthesisOptions, NearMiss, NearMissKind, SkippedNearMiss, SynthesisErrorCode } from './synth/index.js';
export { explain } from './explain/explain.js';
export type {
  ExplainOptions,
  Explanation,
  EventQueryExplanation,
  SequenceExplanation,
  SampleExplanation,
  EventVerdict,
  ExplainedEvent,
  ExplainedValue,
  ExplainedSource,
  ClauseTrace,
  CombinedClause,
  LeafClause,
  CategoryCheck,
  FilterTrace,
  UnusableEvent,
  StageSummary,
  FilledStage,
  Candidate,
  NextStage,
  SequenceDropReason,
  SequenceKeyTrace,
  SampleStageTrace,
  SampleDropReason,
  SampleKeyTrace,
} from './explain/types.js';

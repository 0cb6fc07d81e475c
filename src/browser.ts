/**
 * eqlkit for browsers (and any other JavaScript runtime without Node's
 * modules): the portable part of the package, which the Node entry
 * (`index.ts`) gives too, with what reads files.
 * Rules come from TOML text (`parseRule`) rather than from paths, and events
 * from the caller; nothing here imports a Node module, so bundlers for the
 * web take it as it is. Left out: `loadRule`, `loadRules`, `bundledRules`,
 * `bundledRulesDir` (the file system) and `runRuleTests` (rule test files).
 *
 * @example
 * ```ts
 * import { parseRule } from 'eqlkit'; // the package's `browser` condition
 * const rule = parseRule(tomlText);
 * const alerts = rule.run(events);
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
export { parseRule } from './rules/parse-rule.js';
export { RuleSet } from './rules/ruleset.js';
export { selectRules, ruleFilter, severityOf, SEVERITIES } from './rules/select.js';
export type { RuleSelection, Severity } from './rules/select.js';
export type { RuleSetMatcher, RuleSetStats } from './rules/ruleset.js';
export { ALERT_SCHEMA } from './rules/alert.js';
export type { Alert, AlertRule } from './rules/alert.js';
export { RuleLoadError } from './errors.js';
export type { RuleLoadErrorCode } from './errors.js';

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

/**
 * Why a rule or a query did or did not match: the engine's verdict, and
 * beside it each condition evaluated node by node, each join key's progress
 * through a sequence's stages, and the events that came closest to filling
 * a stage that was not filled.
 */
import type { Query } from '../parser/ast.js';
import { isQuery } from '../parser/ast.js';
import type { CompileOptions, ResolvedOptions } from '../compile/plan.js';
import { explainableQuery } from '../compile/explainable.js';
import { CompiledQuery } from '../engine/compiled-query.js';
import { applyPipes } from '../language/pipes/index.js';
import { DEFAULT_MAX_PENDING_SEQUENCES, orderBatch, orderSourceOf } from '../engine/stream.js';
import type { Match } from '../engine/match.js';
import type { RunnerLimits } from '../engine/runner.js';
import type { Event } from '../semantics/fields.js';
import { EqlInvalidArgumentError, type EqlEventError } from '../errors.js';
import { Rule } from '../rules/rule.js';
import { type Context, type ResolvedExplainOptions, runUnpiped } from './common.js';
import { FilterTracer } from './trace.js';
import { explainEventQuery } from './event-query.js';
import { explainSequence } from './sequence.js';
import { explainSample } from './sample.js';
import type { ExplainOptions, Explanation, UnusableEvent } from './types.js';

const DEFAULT_CANDIDATES = 3;
const DEFAULT_LIMIT = 100;

const compileOptionsOf = (o: ResolvedOptions): CompileOptions => ({
  timestampField: o.timestampField,
  tiebreakerField: o.tiebreakerField ?? undefined,
  eventCategoryField: o.eventCategoryField,
  schema: o.schema,
});

function count(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value !== Infinity && (!Number.isInteger(value) || value < 0)) throw new EqlInvalidArgumentError('explain', `options.${name}`, 'a whole number, 0 or more, or Infinity', value);
  return value;
}

function resolveOptions(options: ExplainOptions, events: number): ResolvedExplainOptions {
  const event = options.event;
  if (event !== undefined && (!Number.isInteger(event) || event < 0 || event >= events)) {
    throw new EqlInvalidArgumentError('explain', 'options.event', `the 0-based position of one of the ${events} events given`, event);
  }
  return {
    event,
    hasKey: options.key !== undefined,
    key: options.key,
    candidates: count('candidates', options.candidates, DEFAULT_CANDIDATES),
    limit: count('limit', options.limit, DEFAULT_LIMIT),
    stream: options.stream === true,
  };
}

/**
 * Explains why a rule or query did or did not match some events: the
 * engine's verdict (what `Rule.run` or `search` gives, or with `stream` what
 * `Rule.stream` and `eqlkit run` give), and why.
 *
 * - An event query: for each event (or only `options.event`), its filter's
 *   condition as the optimizer leaves it, each node with its place in the
 *   query text and its result, each leaf with the values it read; the root's
 *   result is the engine's.
 * - A sequence: for each join key (or only `options.key`), how many stages
 *   it filled in order (the furthest prefix of the stages the engine matches
 *   for it), the events that filled them, the closest candidates for the
 *   next stage with their failed clauses, and why the sequence was dropped
 *   (maxspan, an until event, a missing-event stage, state evicted, pipes).
 * - A sample: for each key, the events matching each stage, or the closest
 *   candidates of a stage none matches.
 *
 * The data is plain (events are referred to by 0-based position and carry
 * the event), for printing or rendering elsewhere; `eqlkit explain` prints it.
 *
 * @param ruleOrQuery a Rule, a compiled query, a query AST, or query text
 *   (compiled with `options`' fields and schema; a rule or a compiled query
 *   keeps its own)
 * @param events the events, as `Rule.run` or `search` takes them
 * @throws EqlInvalidArgumentError for a bad argument or option
 * @throws EqlSyntaxError or EqlSemanticError when query text does not compile
 * @throws RuleLoadError when the rule cannot run (not EQL, or unsupported)
 *
 * @example
 * ```ts
 * import { explain } from 'eqlkit';
 * const e = explain('process where process.name : "cmd.exe"', [{ '@timestamp': 1, event: { category: 'process' }, process: { name: 'bash' } }]);
 * if (e.kind === 'event') console.log(e.events[0].matched, e.events[0].filter.failed[0].text); // false 'process.name : "cmd.exe"'
 * ```
 */
export function explain(ruleOrQuery: Rule | CompiledQuery | Query | string, events: Iterable<Event>, options: ExplainOptions = {}): Explanation {
  if (events === null || typeof events !== 'object' || typeof (events as Iterable<Event>)[Symbol.iterator] !== 'function') {
    throw new EqlInvalidArgumentError('explain', 'events', 'an iterable of events (an array)', events);
  }
  const list = Array.from(events);
  const resolved = resolveOptions(options, list.length);

  let rule: Rule | null = null;
  let query: CompiledQuery;
  let explainable: ReturnType<typeof explainableQuery>;
  if (ruleOrQuery instanceof Rule) {
    rule = ruleOrQuery;
    query = rule.compiled;
    explainable = explainableQuery(rule.query!, compileOptionsOf(query.plan.options));
  } else if (ruleOrQuery instanceof CompiledQuery) {
    query = ruleOrQuery;
    explainable = explainableQuery(query.query, compileOptionsOf(query.plan.options));
  } else if (typeof ruleOrQuery === 'string' || (typeof ruleOrQuery === 'object' && ruleOrQuery !== null && isQuery(ruleOrQuery as Query))) {
    explainable = explainableQuery(ruleOrQuery, options);
    query = new CompiledQuery(explainable.plan);
  } else {
    throw new EqlInvalidArgumentError('explain', 'ruleOrQuery', 'a Rule, a compiled query, a query AST or query text', ruleOrQuery);
  }
  const plan = query.plan;
  if (plan.kind === 'event' && resolved.hasKey) {
    throw new EqlInvalidArgumentError('explain', 'options.key', 'left out for an event query, whose results have no join key (name one event with options.event)', resolved.key);
  }
  if (plan.kind !== 'event' && resolved.event !== undefined) {
    throw new EqlInvalidArgumentError('explain', 'options.event', `left out for a ${plan.kind}, whose results are per join key (name one key with options.key)`, resolved.event);
  }

  const unusable: UnusableEvent[] = [];
  let unusableCount = 0;
  const onError = (e: EqlEventError): void => {
    unusableCount++;
    if (unusable.length < resolved.limit) unusable.push({ index: e.index, reason: e.reason });
  };
  // The events in the engine's order: every run below, the verdict's included, takes them so.
  const { items } = orderBatch(list, orderSourceOf(plan), onError);

  // A stream keeps a sequence's state for a rule's look-back only, and a bounded number of partial sequences.
  const lookbackNs = rule?.lookbackNs ?? null;
  const limits: RunnerLimits = resolved.stream ? { windowNs: lookbackNs ?? undefined, maxPendingSequences: DEFAULT_MAX_PENDING_SEQUENCES } : {};
  let verdict: readonly Match[];
  if (resolved.stream) {
    verdict = applyPipes(runUnpiped(plan, items, limits), plan.pipes);
  } else if (rule) {
    // The rule's own run: its alerts are the verdict.
    verdict = rule.run(list).map((a) => ({ kind: a.kind, events: a.events, joinKeys: a.join_keys }));
  } else {
    verdict = query.search(list);
  }

  const ctx: Context = {
    rule,
    explainable,
    plan,
    tracer: new FilterTracer(explainable),
    events: list,
    items,
    verdict,
    limits,
    limited: resolved.stream && plan.kind === 'sequence',
    unusable,
    unusableCount,
    options: resolved,
  };
  switch (plan.kind) {
    case 'event':
      return explainEventQuery(ctx);
    case 'sequence':
      return explainSequence(ctx);
    case 'sample':
      return explainSample(ctx);
  }
}

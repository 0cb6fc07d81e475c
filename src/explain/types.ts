/**
 * What `explain` returns: plain data, for printing or for other tools to
 * render. Events are referred to by their 0-based position in the events
 * given (as `EqlEventError.index` counts them), and carry the event itself.
 */
import type { Location } from '../parser/ast.js';
import type { Event } from '../semantics/fields.js';
import type { CompileOptions } from '../compile/plan.js';

/** Options of `explain`. */
export interface ExplainOptions extends CompileOptions {
  /**
   * Explain only the event at this 0-based position (an event query). The
   * verdict still comes from a search over all the events, as pipes such
   * as `| tail` depend on them all.
   */
  readonly event?: number;
  /**
   * Explain only this join key (a sequence or a sample): a key's value, or
   * the list of its values, one per `by` field, as alerts give them in
   * `join_keys`. Text matches a value whose text it is (`"5"` matches 5).
   */
  readonly key?: unknown;
  /** The most candidate events listed for a stage that was not filled. Default 3. */
  readonly candidates?: number;
  /**
   * The most events (of an event query) or keys (of a sequence or a
   * sample) explained; the rest are counted in `omitted`. Default 100.
   */
  readonly limit?: number;
  /**
   * Explain the verdict of a stream (`Rule.stream`, `eqlkit run`) rather
   * than of a batch (`Rule.run`, `search`): a rule's sequence without
   * maxspan keeps its state only for the rule's look-back (`from`), and at
   * most 1,000,000 partial sequences are kept. State dropped for either
   * shows as `evicted`. Default false.
   */
  readonly stream?: boolean;
}

/** An event named in an explanation. */
export interface ExplainedEvent {
  /** Its 0-based position in the events given. */
  readonly index: number;
  /** Its time (ISO-8601, with nanoseconds when it has any), or null when it has no readable time. */
  readonly time: string | null;
  readonly event: Event;
}

/** A field's value as the condition reads it from one event. */
export interface ExplainedValue {
  /** The field as the query names it. */
  readonly field: string;
  /** True when the event holds no value there (absent, or an optional field that no schema knows). */
  readonly absent: boolean;
  /** What the event holds (after a schema's `null_value`, `ignore_above`, and type coercion); null when absent. */
  readonly value: unknown;
}

/** A test that combines others: `and`, `or` or `not`. */
export interface CombinedClause {
  readonly kind: 'and' | 'or' | 'not';
  /** The node in canonical EQL. */
  readonly text: string;
  /** Where it is in the query text (a rule's query, for a rule); a node the optimizer made has the place of what it replaced. */
  readonly location: Location;
  readonly result: boolean;
  readonly operands: readonly ClauseTrace[];
}

/** A test on values: a comparison, a match, `in`, a function, a null check, a boolean field or a constant. */
export interface LeafClause {
  readonly kind: 'leaf';
  readonly text: string;
  readonly location: Location;
  readonly result: boolean;
  /** What the values had to satisfy, such as `: "cmd.exe"` or `in ("a", "b")`; `true` for a function or a boolean field. */
  readonly expected: string;
  /** The values of the fields it reads, in the order the query names them. */
  readonly values: readonly ExplainedValue[];
}

/** A condition evaluated on one event, as the optimizer leaves it: each node with its result. */
export type ClauseTrace = CombinedClause | LeafClause;

/** The category test of a filter (absent for `any`). */
export interface CategoryCheck {
  readonly expected: string;
  /** The category field (`event.category` unless the rule or options name another). */
  readonly field: string;
  readonly value: unknown;
  readonly result: boolean;
}

/** One filter (`category where condition`) evaluated on one event. */
export interface FilterTrace {
  /** The filter as compiled, in canonical EQL. */
  readonly text: string;
  /** Category and condition together: what the engine decides for this event and filter. */
  readonly result: boolean;
  readonly category: CategoryCheck | null;
  readonly condition: ClauseTrace;
  /**
   * The clauses that made it false: the false leaves under `and` and `or`,
   * and each `not` whose operand held. Empty when the condition holds.
   */
  readonly failed: readonly ClauseTrace[];
}

/** Where the explanation comes from: a rule, or a query. */
export interface ExplainedSource {
  /**
   * The query as written (a rule's query, or the text given), which the
   * locations of clauses point into; in canonical EQL when it was given as
   * an AST or a compiled query.
   */
  readonly query: string;
  /** The rule's id, name and file, when a rule was explained. */
  readonly rule: { readonly ruleId: string; readonly name: string; readonly file: string | null } | null;
}

/** Events that could not be evaluated (not an object, no readable timestamp): the engine leaves them out too. */
export interface UnusableEvent {
  readonly index: number;
  readonly reason: string;
}

interface ExplanationBase {
  readonly source: ExplainedSource;
  /** How many events were given. */
  readonly eventCount: number;
  /** How many results the engine gives for these events (the rule's alerts). */
  readonly resultCount: number;
  /** The first unusable events (up to `limit`); `unusableCount` counts them all. */
  readonly unusable: readonly UnusableEvent[];
  readonly unusableCount: number;
  /** Events or keys left out by `limit`. */
  readonly omitted: number;
}

/** One event of an event query. */
export interface EventVerdict {
  readonly event: ExplainedEvent;
  /** Whether the engine gives this event as a result (the rule alerts on it). */
  readonly matched: boolean;
  /** Why an event whose filter holds is no result: it has no readable timestamp, or a pipe left it out. */
  readonly note: string | null;
  readonly filter: FilterTrace;
}

export interface EventQueryExplanation extends ExplanationBase {
  readonly kind: 'event';
  readonly events: readonly EventVerdict[];
}

/** A stage of a sequence or a sample, as written. */
export interface StageSummary {
  /** 0-based, in the order of the text. */
  readonly stage: number;
  readonly text: string;
  /** A sequence's missing-event stage `![…]`. */
  readonly missing: boolean;
  /** `with runs=N`; 1 without. */
  readonly runs: number;
}

/** An event that filled a stage. */
export interface FilledStage {
  /** The stage, 0-based as written. */
  readonly stage: number;
  /** Which of the stage's runs (0-based); 0 without `runs`. */
  readonly run: number;
  readonly event: ExplainedEvent;
}

/** An event with the key that might have filled a stage, and why it did not. */
export interface Candidate {
  readonly event: ExplainedEvent;
  readonly filter: FilterTrace;
}

/** A place where an event's join key differs from the key explained. */
export interface KeyDifference {
  /** 0-based, in the key's order: the query's `by` fields, then the stage's. */
  readonly position: number;
  /** The key field as the stage names it. */
  readonly field: string;
  /** Where that `by` field is in the query text. */
  readonly location: Location;
  /** The event's value there, as keys give it (null for an optional key without one). */
  readonly value: unknown;
  /** The value of the key explained. */
  readonly expected: unknown;
}

/**
 * An event that matches a stage's filter, or comes close to it, under
 * another join key: what would have filled the stage had its key been the
 * one explained.
 */
export interface OtherKeyCandidate extends Candidate {
  /** Its key for the stage; of several (a key field with several values), the one closest to the key explained. */
  readonly key: readonly unknown[];
  /** Where that key differs from the key explained. */
  readonly differs: readonly KeyDifference[];
}

/** The first stage a key did not fill, with its closest candidates. */
export interface NextStage {
  readonly stage: number;
  readonly run: number;
  readonly text: string;
  /**
   * Events with the key (after the last filled stage, in a sequence)
   * ordered by how few clauses failed, then by time; at most `candidates`.
   */
  readonly candidates: readonly Candidate[];
  /** How many events with the key were looked at. */
  readonly considered: number;
  /**
   * When no event with the key matches the stage (after the last filled
   * stage), and the key filled one at least: events under other keys, after
   * the last filled stage (and within maxspan of the first), that match the
   * stage's filter or come as close to it as any event with the key;
   * ordered by how few clauses failed, then by how few key fields differ,
   * then by time; at most `candidates`.
   */
  readonly otherKeyCandidates: readonly OtherKeyCandidate[];
  /** How many events were looked at for them (the first 1,000 after the last filled stage, within maxspan). */
  readonly otherKeyConsidered: number;
}

/**
 * An event with the key, before the last filled stage, that filled no stage
 * of the partial sequence, traced against the stage it would have filled in
 * its place (the one after the filled stages before it).
 */
export interface PassedOverEvent extends Candidate {
  readonly stage: number;
  readonly run: number;
  /** An until event with the key between it and the next filled stage, which ends a partial sequence it would be part of. */
  readonly until: ExplainedEvent | null;
  /** It matches the stage not filled (with the key), but comes before the last filled stage: too early to fill it. */
  readonly matchesNextStage: boolean;
}

/** An event left out of a stage because it has no value for one of the stage's join keys. */
export interface UnkeyedEvent extends Candidate {
  readonly stage: number;
  /** The key fields, as the stage names them, it has no value for. */
  readonly fields: readonly string[];
}

/**
 * The events that have no value for a (non-optional) join key of a stage,
 * and that match the stage's filter or fail it only for want of that value
 * (a clause such as `host.id != null` on the missing key): the engine leaves
 * them out of the stage, as Elasticsearch does (its AddMandatoryJoinKeyFilter).
 */
export interface UnkeyedStage {
  readonly stage: number;
  /** The first of them (up to `candidates`), in the engine's order. */
  readonly events: readonly UnkeyedEvent[];
  /** How many of them were found. */
  readonly count: number;
  /** How many events give the stage no key (no value for one of its key fields). */
  readonly withoutKey: number;
  /** How many of those were looked at (the first 1,000). */
  readonly considered: number;
}

/** Why a key's partial sequence did not become a match. */
export type SequenceDropReason =
  /** No event with the key, after the last filled stage, matched the next stage. */
  | { readonly kind: 'no-event' }
  /** The next stage's event came too late: `elapsed` after the first filled stage, more than `maxspan`. */
  | { readonly kind: 'maxspan'; readonly maxspan: string; readonly elapsed: string; readonly event: ExplainedEvent }
  /** An `until` event for the key came at or after the last filled stage. */
  | { readonly kind: 'until'; readonly event: ExplainedEvent }
  /** A missing-event stage `![…]` matched: its event, when found near the filled stages. */
  | { readonly kind: 'missing-event'; readonly stage: number; readonly event: ExplainedEvent | null }
  /** The key's state was dropped before the sequence completed (`stream`: the rule's look-back, or the cap on partial sequences). */
  | { readonly kind: 'evicted'; readonly window: string | null }
  /** The sequence matched, but the query's pipes (`head`, `tail`) left it out. */
  | { readonly kind: 'pipe'; readonly pipes: string };

/** One join key of a sequence. */
export interface SequenceKeyTrace {
  /** The key's values, one per `by` field, as alerts give them. */
  readonly key: readonly unknown[];
  /** Whether the engine gives a sequence with this key (the rule alerts). */
  readonly matched: boolean;
  /** How many sequences the engine gives with this key. */
  readonly matches: number;
  /** How many stages (counting runs, not missing-event stages) the key filled in order, within maxspan and before an until event. */
  readonly reached: number;
  /** How many there are to fill. */
  readonly of: number;
  /** The events of the key's last match, or of its last partial sequence that reached furthest. */
  readonly filled: readonly FilledStage[];
  /** The stage after the last filled one, when not all were filled. */
  readonly next: NextStage | null;
  /**
   * When no event with the key comes after the last filled stage: the
   * events with the key before it that filled none, and that failed the
   * stage they would have filled, were cut off from it by an until event,
   * or match the stage not filled but come too early for it; fewest failed
   * clauses first, then by time; at most `candidates`.
   */
  readonly passedOver: readonly PassedOverEvent[];
  /** Null when matched. */
  readonly reason: SequenceDropReason | null;
}

export interface SequenceExplanation extends ExplanationBase {
  readonly kind: 'sequence';
  readonly stages: readonly StageSummary[];
  readonly until: string | null;
  readonly maxspan: string | null;
  /** Per stage (those with any): events left out of it for want of a join key value. */
  readonly unkeyed: readonly UnkeyedStage[];
  readonly keys: readonly SequenceKeyTrace[];
}

/** One stage of a sample, for one key. */
export interface SampleStageTrace {
  readonly stage: number;
  /** The first events with the key that match the stage (up to `candidates`). */
  readonly events: readonly ExplainedEvent[];
  /** How many events with the key match it. */
  readonly matching: number;
  /**
   * When none does: the events with the key closest to matching it, fewest
   * failed clauses first, then those that fill no other stage, then by order.
   */
  readonly candidates: readonly Candidate[];
  /**
   * When none does, and the key matches another stage: events under other
   * keys that match the stage or come as close as any with the key (as a
   * sequence's `NextStage.otherKeyCandidates`).
   */
  readonly otherKeyCandidates: readonly OtherKeyCandidate[];
  /** How many events were looked at for them (the first 1,000). */
  readonly otherKeyConsidered: number;
}

/** Why a key gives no sample. */
export type SampleDropReason =
  /** No event with the key matches this stage. */
  | { readonly kind: 'no-event'; readonly stage: number }
  /** Every stage has events, but too few distinct ones to give each stage its own. */
  | { readonly kind: 'same-event' }
  | { readonly kind: 'pipe'; readonly pipes: string };

export interface SampleKeyTrace {
  readonly key: readonly unknown[];
  readonly matched: boolean;
  readonly stages: readonly SampleStageTrace[];
  readonly reason: SampleDropReason | null;
}

export interface SampleExplanation extends ExplanationBase {
  readonly kind: 'sample';
  readonly stages: readonly StageSummary[];
  /** Per stage (those with any): events left out of it for want of a join key value. */
  readonly unkeyed: readonly UnkeyedStage[];
  readonly keys: readonly SampleKeyTrace[];
}

/** Why a rule or query did or did not match some events. */
export type Explanation = EventQueryExplanation | SequenceExplanation | SampleExplanation;

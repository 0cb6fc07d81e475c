/**
 * Many rules, one pass over one stream. Each event is read for its time once
 * and dispatched only to the rules that could use it: those with a stage for
 * one of the event's categories (or `any`) and, where most rules pin a field
 * such as `host.os.type`, for the event's value of it, narrowed further by
 * the values or substrings a stage requires (rule-index.ts), and, for a
 * sequence found through a later stage, only while it waits for that stage.
 * Every rule keeps its own matching state and decides with its full condition.
 *
 * A rule's pipes apply to its own alerts as to one search over all the events
 * the set sees, so a batch gives what `rule.run` gives: after `| head N` the
 * rule has given its N alerts and is no longer run; from a `| tail N` on, its
 * alerts are held until `flush()`.
 */
import { type Event, EventContext, type FieldReader, fieldValues, hasValue, mayHaveFieldsUnder, someValue } from '../semantics/fields.js';
import { valueKey } from './literal-index.js';
import { keywordOf } from '../compile/leaves.js';
import { foldAscii } from '../semantics/case-folding.js';
import { LinePrefilter } from '../compile/line-prefilter.js';
import type { OrderedEvent } from '../engine/order.js';
import { type CategoryGroup, type CategoryIndex, type FieldIndex, type Guard, type Hook, type SplitIndex, buildRuleIndex, shapeOf } from './rule-index.js';
import { createRunner, type QueryRunner } from '../engine/runner.js';
import { DEFAULT_MAX_PENDING_SEQUENCES, EventOrderer, guardedProcess, orderBatch, orderSourceOf, type OrderSource, type StreamMatcher, type StreamOptions } from '../engine/stream.js';
import { durationToNanos } from '../engine/duration.js';
import { buildPlan, type QueryPlan } from '../compile/plan.js';
import { runPipeline, type PipelineRun } from '../language/pipes/index.js';
import type { Match } from '../engine/match.js';
import { type Alert, toAlert } from './alert.js';
import type { Rule } from './rule.js';
import {
  type MatcherSnapshot,
  type SnapshotData,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  SnapshotReader,
  SnapshotWriter,
  agrees,
  array,
  corrupt,
  digest,
  openSnapshot,
  planIdentityText,
  record,
  savedCounts,
  snapshotOptions,
} from '../engine/snapshot.js';
import type { RestoredState } from '../engine/runner.js';
import type { PipelineState } from '../language/pipes/index.js';

interface Entry {
  /** The rule's place in the set: alerts of one event come out in this order. */
  readonly position: number;
  readonly rule: Rule;
  readonly runner: QueryRunner;
  /** The last event index dispatched to this rule, so one event reaches a rule once. */
  lastIndex: number;
  /** The run of the rule's pipes over its matches; null for a rule without pipes. */
  pipes: PipelineRun<Match> | null;
}

/** Whether each of the fields has a value in the event. */
function allPresent(fields: readonly FieldReader[], event: Event): boolean {
  for (let i = 0; i < fields.length; i++) if (!hasValue(fields[i]!(event))) return false;
  return true;
}

/** Whether the event meets a guard; `test` is reused so that no closure is made per event. */
function meets(guard: Guard, event: Event, test: { values: ReadonlySet<string> | null; fn: (v: string | number | boolean) => boolean }): boolean {
  for (let i = 0; i < guard.length; i++) {
    const g = guard[i]!;
    const raw = g.read(event);
    if (raw === undefined || raw === null) continue;
    test.values = g.values;
    if (someValue(raw, test.fn)) return true;
  }
  return false;
}

export interface RuleSetStats {
  eventsSeen: number;
  /** Lines `pushLine` skipped unparsed (the `prefilter` option). */
  linesSkipped: number;
  errors: number;
  late: number;
  alerts: number;
  /** Rule evaluations made: the work that dispatch saves shows here. */
  dispatched: number;
  pendingSequences: number;
  evictions: number;
  /** Events whose join keys, in some rule, made more than MAX_KEY_COMBINATIONS (256) combinations: only the first 256 were used there (counted once per rule). */
  keyCutEvents: number;
}

/** A push-based RuleSet matcher. */
export interface RuleSetMatcher {
  push(event: Event): Alert[];
  /** Feeds one line of NDJSON, as {@link StreamMatcher.pushLine} does. */
  pushLine(line: string): Alert[];
  flush(): Alert[];
  stats(): RuleSetStats;
  /**
   * Every rule's state between two pushes, with the reorder buffer and each
   * rule's pipes (`| head`, `| tail`), as JSON data: what `restore` needs to
   * continue exactly (see {@link MatcherSnapshot}). Call it between pushes,
   * never from a callback.
   *
   * @throws EqlSnapshotError `EQL_SNAPSHOT_UNSERIALIZABLE` when an event the
   * state holds has a value that cannot be saved
   */
  snapshot(): MatcherSnapshot<RuleSetStats>;
  /**
   * Replaces the matcher's state with a snapshot's (the object or its JSON
   * text), taken from a matcher of a RuleSet of the same rules (ids, queries,
   * look-backs, compile options, in the same order) with the same options.
   *
   * @throws EqlSnapshotError `EQL_SNAPSHOT_MISMATCH`, `EQL_SNAPSHOT_VERSION`
   * or `EQL_SNAPSHOT_CORRUPT`, as {@link StreamMatcher.restore}; the matcher
   * is then left as it was
   */
  restore(snapshot: MatcherSnapshot<RuleSetStats> | string): void;
}

/** The counts of {@link RuleSetStats}, in the order a snapshot lists them. */
const RULE_SET_STATS = ['eventsSeen', 'linesSkipped', 'errors', 'late', 'alerts', 'dispatched', 'pendingSequences', 'evictions', 'keyCutEvents'] as const;

/**
 * Hands each event to the rules the index picks, without allocating per
 * event: the chosen list is reused and the callbacks are built once.
 */
class Dispatcher {
  dispatched = 0;
  private readonly chosen: Entry[] = [];
  private index = -1;

  constructor(
    private readonly groups: readonly CategoryGroup[],
    /** By the rule's place in the set, as hooks name them. */
    private readonly entries: readonly Entry[],
    private readonly orderer: EventOrderer,
  ) {}

  private visit(hook: Hook): void {
    const entry = this.entries[hook.rule]!;
    if (entry.lastIndex === this.index) return;
    if (hook.stage >= 0 && !entry.runner.wants(hook.stage)) return;
    if (hook.guard !== null && !meets(hook.guard, this.event!, this.guardTest)) return;
    if (hook.present !== null && !allPresent(hook.present, this.event!)) return;
    entry.lastIndex = this.index;
    this.chosen.push(entry);
  }

  /** The field whose substrings {@link anchorHit} reports. */
  private anchorField: FieldIndex | null = null;
  private readonly anchorHit = (id: number): void => {
    const hooks = this.anchorField!.anchorEntries[id]!;
    for (let i = 0; i < hooks.length; i++) this.visit(hooks[i]!);
  };

  private visitValue(byField: FieldIndex, v: string | number | boolean): void {
    // valueKey(v), taken in two steps: folding keeps lengths and ends, so a text
    // whose shape no indexed value has needs neither folding nor a lookup (which
    // hashes all of it).
    const text = keywordOf(v);
    const mayEqual = byField.shapes.has(shapeOf(text));
    if (!mayEqual && byField.anchorEntries.length === 0) return;
    const key = foldAscii(text);
    if (mayEqual) {
      const list = byField.byValue.get(key);
      if (list) for (let i = 0; i < list.length; i++) this.visit(list[i]!);
    }
    if (byField.anchorEntries.length > 0) {
      this.anchorField = byField;
      byField.anchors.scan(key, this.anchorHit);
    }
  }

  /** The event being dispatched, for guards. */
  private event: Event | null = null;
  private readonly guardTest = {
    values: null as ReadonlySet<string> | null,
    fn: (v: string | number | boolean): boolean => this.guardTest.values!.has(valueKey(v)),
  };

  /** The field whose values {@link visitEachValue} is visiting. */
  private field: FieldIndex | null = null;
  private readonly visitEachValue = (v: string | number | boolean): boolean => {
    this.visitValue(this.field!, v);
    return false;
  };

  private visitIndex(index: CategoryIndex, event: Event): void {
    if (index.kind === 'split') {
      this.visitSplit(index, event);
      return;
    }
    // Indexed loops throughout: this runs for every event, and for-of here showed up as iterator garbage.
    const scan = index.scan;
    for (let i = 0; i < scan.length; i++) this.visit(scan[i]!);
    const groups = index.fieldGroups;
    for (let g = 0; g < groups.length; g++) {
      const group = groups[g]!;
      if (!mayHaveFieldsUnder(event, group.segment)) continue;
      const fields = group.fields;
      for (let i = 0; i < fields.length; i++) {
        const byField = fields[i]!;
        const raw = byField.read(event);
        if (raw === undefined || raw === null) continue;
        const t = typeof raw;
        if (t === 'string' || t === 'number' || t === 'boolean') {
          this.visitValue(byField, raw as string);
        } else {
          this.field = byField;
          someValue(raw, this.visitEachValue);
        }
      }
    }
  }

  /** The indexes that a field's values pick, each once however often its value repeats (a hostile event may repeat one a million times). */
  private distinctParts(byValue: ReadonlyMap<string, CategoryIndex>, raw: unknown, key: (v: string | number | boolean) => string): CategoryIndex[] {
    const parts: CategoryIndex[] = [];
    if (raw === undefined || raw === null) return parts;
    for (const v of fieldValues(raw)) {
      const part = byValue.get(key(v));
      if (part && !parts.includes(part)) parts.push(part);
    }
    return parts;
  }

  private visitSplit(index: SplitIndex, event: Event): void {
    const raw = index.read(event);
    if (typeof raw === 'string') {
      this.visitIndex(index.byValue.get(valueKey(raw)) ?? index.rest, event);
      return;
    }
    // Several values (or one that is not text): each part, and one rule still meets the event once.
    const parts = this.distinctParts(index.byValue, raw, valueKey);
    if (parts.length === 0) this.visitIndex(index.rest, event);
    for (const part of parts) this.visitIndex(part, event);
  }

  dispatch(item: OrderedEvent<Event>, out: Alert[]): void {
    const chosen = this.chosen;
    chosen.length = 0;
    this.index = item.index;
    const event = item.event;
    this.event = event;
    for (let gi = 0; gi < this.groups.length; gi++) {
      const g = this.groups[gi]!;
      const raw = g.read(event);
      let index: CategoryIndex | undefined;
      if (typeof raw === 'string') {
        index = g.byCategory.get(raw);
      } else if (Array.isArray(raw) && raw.length === 1 && typeof raw[0] === 'string') {
        // The usual shape of a category: one value in an array.
        index = g.byCategory.get(raw[0]);
      } else {
        // Several categories: each index holds the `any` stages, and a rule gets an event once.
        const indexes = this.distinctParts(g.byCategory, raw, String);
        if (indexes.length > 0) {
          for (const each of indexes) this.visitIndex(each, event);
          continue;
        }
      }
      this.visitIndex(index ?? g.any, event);
    }
    this.dispatched += chosen.length;
    // Rules keep separate state, so the order they see the event in does not
    // matter; only their alerts must come in rule order, and alerts are rare.
    let alerts: Array<{ readonly position: number; readonly alert: Alert }> | null = null;
    for (let i = 0; i < chosen.length; i++) {
      const entry = chosen[i]!;
      const pipes = entry.pipes;
      // A rule whose pipes let nothing more through (`| head N` after N alerts) no longer runs.
      if (pipes?.done) continue;
      const matches = guardedProcess(entry.runner, this.orderer, item);
      if (matches.length === 0) continue;
      alerts ??= [];
      for (const m of matches) if (pipes === null || pipes.accept(m)) alerts.push({ position: entry.position, alert: toAlert(entry.rule, entry.rule.compiled, m) });
    }
    if (alerts === null) return;
    // Stable: one rule's alerts keep their order.
    if (alerts.length > 1) alerts.sort(byPosition);
    for (const a of alerts) out.push(a.alert);
  }
}

/** The plan whose time fields an empty set orders by, built on first need. */
let defaultOrderPlan: QueryPlan | undefined;

const byPosition = (a: { readonly position: number }, b: { readonly position: number }): number => a.position - b.position;

export class RuleSet {
  /** The rules that run. */
  readonly rules: readonly Rule[];
  /** Rules that cannot run (not EQL), with their reasons on `notExecutableReason`. */
  readonly skipped: readonly Rule[];

  constructor(rules: Iterable<Rule>) {
    const all = [...rules];
    this.rules = all.filter((r) => r.executable);
    this.skipped = all.filter((r) => !r.executable);
    // Events are ordered once for all rules, so the rules must agree on how.
    const orderOf = ({ options, timestampInMillis }: Rule['compiled']['plan']) => `${options.timestampField}\u0000${options.tiebreakerField ?? ''}\u0000${timestampInMillis}`;
    const order = new Set(this.rules.map((r) => orderOf(r.compiled.plan)));
    if (order.size > 1) throw new TypeError('RuleSet: all rules must share one timestamp field and tiebreaker field, mapped alike (date or date_nanos)');
  }

  /** The index of the rules, built on first use and shared by every matcher. */
  private index: CategoryGroup[] | undefined;

  /** What the matchers' state depends on, worked out at the first snapshot or restore (see {@link MatcherSnapshot.identity}). */
  private identity: string | undefined;

  private snapshotIdentity(): string {
    this.identity ??= digest(this.rules.flatMap((r) => [r.ruleId, planIdentityText(r.compiled.plan), String(r.lookbackNs)]));
    return this.identity;
  }

  /**
   * Each rule's matching state for one matcher, by its place in the set. In a
   * stream, a sequence without maxspan keeps state for the rule's look-back;
   * a batch keeps it all, as `rule.run` does.
   */
  private entries(options: StreamOptions, lookbackWindows: boolean): Entry[] {
    const window = options.window !== undefined ? durationToNanos(options.window, 'window') : undefined;
    return this.rules.map((rule, position) => ({
      position,
      rule,
      runner: createRunner(rule.compiled.plan, {
        windowNs: window ?? (lookbackWindows ? (rule.lookbackNs ?? undefined) : undefined),
        maxPendingSequences: options.maxPendingSequences ?? DEFAULT_MAX_PENDING_SEQUENCES,
        maxSamplesPerKey: options.maxSamplesPerKey ?? 1,
      }),
      lastIndex: -1,
      pipes: rule.compiled.plan.pipes.length === 0 ? null : runPipeline<Match>(rule.compiled.plan.pipes),
    }));
  }

  /**
   * A test on raw NDJSON lines that rules out, before parsing, those no rule
   * could match; null when some rule could match any line. See
   * {@link LinePrefilter}.
   */
  linePrefilter(): LinePrefilter | null {
    return LinePrefilter.forPlans(this.rules.map((r) => r.compiled.plan));
  }

  /** @internal How the set orders events; the command line orders file inputs by it. */
  orderSource(): OrderSource {
    // Rules of a set share their timestamp and tiebreaker fields (see the constructor).
    // A set with no rule to run reads time as a rule with the default fields would, so
    // that whether an event is usable does not depend on how many rules were loaded.
    const plan = this.rules[0]?.compiled.plan ?? (defaultOrderPlan ??= buildPlan('any where true'));
    // One order serves every rule: the sequences' (events without the tiebreaker last).
    return { ...orderSourceOf(plan), ordered: true, missingTiebreakerFirst: false };
  }

  /** A push-based matcher over all rules. */
  matcher(options: StreamOptions = {}): RuleSetMatcher {
    return this.createMatcher(options, true);
  }

  private createMatcher(options: StreamOptions, lookbackWindows: boolean): RuleSetMatcher {
    const entries = this.entries(options, lookbackWindows);
    this.index ??= buildRuleIndex(this.rules);
    const orderer = new EventOrderer(this.orderSource(), options);
    const dispatcher = new Dispatcher(this.index, entries, orderer);
    let alerts = 0;
    const dispatchAll = (items: OrderedEvent<Event>[]): Alert[] => {
      const out: Alert[] = [];
      for (const item of items) dispatcher.dispatch(item, out);
      alerts += out.length;
      return out;
    };
    const prefilter = options.prefilter === true ? this.linePrefilter() : null;
    // The matcher's per-event state, one for all its rules: in a span of its
    // work (a push, the flush), the index and every rule share each field read.
    const context = new EventContext();
    const saved = snapshotOptions(options, DEFAULT_MAX_PENDING_SEQUENCES);
    const stats = (): RuleSetStats => {
      let pendingSequences = 0;
      let evictions = 0;
      let keyCutEvents = 0;
      for (const e of entries) {
        const s = e.runner.stats();
        pendingSequences += s.pendingSequences;
        evictions += s.evictions;
        keyCutEvents += s.keyCutEvents;
      }
      return {
        eventsSeen: orderer.counters.eventsSeen,
        linesSkipped: orderer.counters.linesSkipped,
        errors: orderer.counters.errors,
        late: orderer.counters.late,
        alerts,
        dispatched: dispatcher.dispatched,
        pendingSequences,
        evictions,
        keyCutEvents,
      };
    };
    const push = (event: Event): Alert[] => {
      const outer = context.begin();
      // One way out and a catch that ends the span, rather than `finally`, as in a query's matcher.
      const out: Alert[] = [];
      try {
        if (!orderer.direct) {
          for (const item of orderer.accept(event)) dispatcher.dispatch(item, out);
        } else {
          const item = orderer.admit(event);
          if (item !== null) dispatcher.dispatch(item, out);
        }
      } catch (e) {
        context.end(outer);
        throw e;
      }
      context.end(outer);
      alerts += out.length;
      return out;
    };
    return {
      push,
      pushLine: (line) => {
        const event = orderer.parseLine(line, prefilter);
        return event === null ? [] : push(event);
      },
      flush: () => {
        const outer = context.begin();
        try {
          const out = dispatchAll(orderer.drain());
          for (const entry of entries) {
            const pipes = entry.pipes;
            const give = (m: Match): void => {
              out.push(toAlert(entry.rule, entry.rule.compiled, m));
              alerts++;
            };
            if (pipes === null || !pipes.done) for (const m of entry.runner.flush()) if (pipes === null || pipes.accept(m)) give(m);
            // What the pipes held for the end (`| tail N`), after the rule's last matches.
            if (pipes !== null) for (const m of pipes.end()) give(m);
          }
          return out;
        } finally {
          context.end(outer);
        }
      },
      stats,
      snapshot: () => {
        const w = new SnapshotWriter();
        const order = orderer.save(w);
        const rules = entries.map((entry): SnapshotData => {
          const runner = entry.runner.save(w);
          const pipes = entry.pipes === null ? null : (entry.pipes.save(w.match) as unknown as SnapshotData);
          return runner === null && pipes === null ? null : { runner, pipes };
        });
        return {
          format: SNAPSHOT_FORMAT,
          version: SNAPSHOT_VERSION,
          kind: 'ruleset',
          identity: this.snapshotIdentity(),
          options: saved,
          stats: stats(),
          events: w.events,
          state: { items: w.items, order, rules },
        };
      },
      restore: (snapshot) => {
        const s = openSnapshot(snapshot, 'ruleset', this.snapshotIdentity(), saved);
        const counts = savedCounts(s.stats, RULE_SET_STATS, '$.stats');
        const state = record(s.state, '$.state');
        const r = new SnapshotReader(s.events, state.items);
        const order = orderer.restore(r, state.order, { eventsSeen: counts.eventsSeen, linesSkipped: counts.linesSkipped, errors: counts.errors, late: counts.late }, '$.state.order');
        const rules = array(state.rules, '$.state.rules');
        if (rules.length !== entries.length) corrupt('$.state.rules', `the set has ${entries.length} rules`);
        let pendingSequences = 0;
        let evictions = 0;
        let keyCutEvents = 0;
        const restored = entries.map((entry, i): { runner: RestoredState; pipes: PipelineRun<Match> | null } => {
          const at = `$.state.rules[${i}]`;
          const saved = rules[i] === null ? { runner: null, pipes: null } : record(rules[i], at);
          const runner = entry.runner.restore(r, saved.runner, `${at}.runner`);
          pendingSequences += runner.stats.pendingSequences;
          evictions += runner.stats.evictions;
          keyCutEvents += runner.stats.keyCutEvents;
          const plan = entry.rule.compiled.plan;
          if (plan.pipes.length === 0) {
            if (saved.pipes !== null) corrupt(`${at}.pipes`, 'the rule has no pipes');
            return { runner, pipes: null };
          }
          if (saved.pipes === null) return { runner, pipes: runPipeline<Match>(plan.pipes) };
          try {
            const pipeState = record(saved.pipes, `${at}.pipes`) as unknown as PipelineState<unknown>;
            return { runner, pipes: runPipeline<Match>(plan.pipes, { state: pipeState, decode: (m) => r.match(m, `${at}.pipes.held`) }) };
          } catch (e) {
            if (e instanceof RangeError) corrupt(`${at}.pipes`, e.message);
            throw e;
          }
        });
        agrees('$.stats.pendingSequences', 'pending sequences', counts.pendingSequences, pendingSequences);
        agrees('$.stats.evictions', 'evictions', counts.evictions, evictions);
        agrees('$.stats.keyCutEvents', 'events with keys cut off', counts.keyCutEvents, keyCutEvents);
        order.commit();
        entries.forEach((entry, i) => {
          restored[i]!.runner.commit();
          entry.pipes = restored[i]!.pipes;
          entry.lastIndex = -1;
        });
        alerts = counts.alerts;
        dispatcher.dispatched = counts.dispatched;
      },
    };
  }

  /** Runs every rule over a batch of events, sorted first; alerts come in event order. */
  run(events: Iterable<Event>, options: Pick<StreamOptions, 'onError' | 'maxSamplesPerKey'> = {}): Alert[] {
    const m = this.createMatcher(options, false);
    const { items } = orderBatch(events, this.orderSource(), options.onError);
    // Already sorted: feed them as an in-order stream.
    const out: Alert[] = [];
    for (const item of items) for (const a of m.push(item.event)) out.push(a);
    for (const a of m.flush()) out.push(a);
    return out;
  }

  /** Runs every rule over a stream, yielding alerts as soon as they are final. */
  async *stream(source: Iterable<Event> | AsyncIterable<Event>, options: StreamOptions = {}): AsyncGenerator<Alert> {
    const m = this.matcher(options);
    for await (const event of source) yield* m.push(event);
    yield* m.flush();
  }
}

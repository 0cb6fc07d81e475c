/**
 * Many rules, one pass over one stream. Each event is read for its time once
 * and dispatched only to the rules that could use it: those with a stage for
 * one of the event's categories (or `any`), narrowed further by the values or
 * substrings a stage requires (literal-index.ts), and, for a sequence found
 * through a later stage, only while it waits for that stage. Every rule
 * keeps its own matching state and decides with its full condition.
 */
import { compileFieldReader, type Event, type FieldReader, fieldValues, mayHaveFieldsUnder, someValue } from '../compile/fields.js';
import { eventFiltersOf } from '../parser/ast.js';
import { type Requirement, RequirementFinder, valueKey } from './literal-index.js';
import { keywordOf } from '../compile/leaves.js';
import { foldAscii } from '../compile/case-folding.js';
import { SubstringIndex } from '../compile/substring-index.js';
import { LinePrefilter } from '../compile/line-prefilter.js';
import type { OrderedEvent } from '../engine/order.js';
import { createRunner, type QueryRunner } from '../engine/runner.js';
import { DEFAULT_MAX_PENDING_SEQUENCES, EventOrderer, guardedProcess, orderBatch, type OrderSource, type StreamOptions } from '../engine/stream.js';
import { durationToNanos } from '../engine/duration.js';
import { type Alert, toAlert } from './alert.js';
import type { Rule } from './rule.js';

interface Entry {
  /** The rule's place in the set: alerts of one event come out in this order. */
  readonly position: number;
  readonly rule: Rule;
  readonly runner: QueryRunner;
  /** The last event index dispatched to this rule, so one event reaches a rule once. */
  lastIndex: number;
}

/**
 * A rule reached through one of its stages. For sequences, `stage` is that
 * stage's place in the query: the rule is asked whether it wants an event for
 * that stage now (a later stage wants nothing while no sequence waits for it).
 * -1 for rules that always want what their stages match.
 */
interface Hook {
  readonly entry: Entry;
  readonly stage: number;
  /** A second requirement of the stage, checked before the rule gets the event; null for none. */
  readonly guard: Guard | null;
}

/** One of these fields has one of its values (ASCII-folded keyword text). */
type Guard = ReadonlyArray<{ readonly read: FieldReader; readonly values: ReadonlySet<string> }>;

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

/** One field of a category index: the stages that need one of its values, or a substring of one. */
interface FieldIndex {
  readonly read: FieldReader;
  /** Rules by an exact value they need. */
  readonly byValue: Map<string, Hook[]>;
  /** The {@link shapeOf} of every key of byValue. */
  readonly shapes: Set<number>;
  /** Rules by a substring they need; ids index `anchorEntries`. */
  readonly anchors: SubstringIndex;
  readonly anchorEntries: Hook[][];
  readonly anchorIds: Map<string, number>;
  /** Visits the rules of one anchor id; set by the Dispatcher that owns this index. */
  anchorHit: (id: number) => void;
}

/** The stages an event of one category may meet: its own and the `any` ones (`any` alone for other categories). */
interface CategoryIndex {
  readonly scan: Hook[];
  readonly fields: Map<string, FieldIndex>;
  /** The same fields grouped by their first name segment, for the per-event walk. */
  fieldGroups: FieldGroup[];
}

/** Indexed fields that share a first segment: an event without it has none of them. */
interface FieldGroup {
  readonly segment: string;
  readonly fields: FieldIndex[];
}

interface CategoryGroup {
  readonly read: (e: Event) => unknown;
  readonly byCategory: Map<string, CategoryIndex>;
  readonly any: CategoryIndex;
}

const newIndex = (): CategoryIndex => ({ scan: [], fields: new Map(), fieldGroups: [] });

const indexesOf = (group: CategoryGroup): CategoryIndex[] => [group.any, ...group.byCategory.values()];

/** A UTF-16 unit as ASCII folding leaves it. */
const foldUnit = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

/**
 * A small integer that is equal for texts equal once ASCII-folded, made of
 * their length and their first and last units, folded: three reads, not the
 * whole text. Different texts may share one (it only rules texts out), and it
 * stays within 30 bits, so no number is allocated for it.
 */
function shapeOf(text: string): number {
  const n = text.length;
  if (n === 0) return 0;
  return ((n << 16) ^ (foldUnit(text.charCodeAt(0)) << 8) ^ foldUnit(text.charCodeAt(n - 1))) & 0x3fffffff;
}

function groupByFirstSegment(fields: ReadonlyMap<string, FieldIndex>): FieldGroup[] {
  const groups = new Map<string, FieldIndex[]>();
  for (const [name, index] of fields) {
    const segment = name.split('.')[0]!;
    const list = groups.get(segment) ?? [];
    list.push(index);
    groups.set(segment, list);
  }
  return [...groups].map(([segment, list]) => ({ segment, fields: list }));
}

function addUnique(list: Hook[], hook: Hook): void {
  if (!list.some((h) => h.entry === hook.entry && h.stage === hook.stage)) list.push(hook);
}

/** Files a stage under its requirement: by value or substring of a field, or scanned for every event of the index. */
function addStage(index: CategoryIndex, hook: Hook, requirement: Requirement | null): void {
  if (!requirement) {
    addUnique(index.scan, hook);
    return;
  }
  for (const { field: name, values, anchors } of requirement) {
    let byField = index.fields.get(name);
    if (!byField) {
      byField = { read: compileFieldReader(name), byValue: new Map(), shapes: new Set(), anchors: new SubstringIndex(), anchorEntries: [], anchorIds: new Map(), anchorHit: () => {} };
      index.fields.set(name, byField);
    }
    for (const v of values) {
      byField.shapes.add(shapeOf(v));
      const list = byField.byValue.get(v) ?? [];
      addUnique(list, hook);
      byField.byValue.set(v, list);
    }
    for (const a of anchors) {
      let id = byField.anchorIds.get(a);
      if (id === undefined) {
        id = byField.anchorEntries.length;
        byField.anchorEntries.push([]);
        byField.anchorIds.set(a, id);
        byField.anchors.add(a, id);
      }
      addUnique(byField.anchorEntries[id]!, hook);
    }
  }
}

export interface RuleSetStats {
  eventsSeen: number;
  errors: number;
  late: number;
  alerts: number;
  /** Rule evaluations made: the work that dispatch saves shows here. */
  dispatched: number;
  pendingSequences: number;
  evictions: number;
}

/** A push-based RuleSet matcher. */
export interface RuleSetMatcher {
  push(event: Event): Alert[];
  flush(): Alert[];
  stats(): RuleSetStats;
}

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
    private readonly orderer: EventOrderer,
  ) {
    for (const index of groups.flatMap(indexesOf)) {
      for (const byField of index.fields.values()) {
        byField.anchorHit = (id) => {
          const hooks = byField.anchorEntries[id]!;
          for (let i = 0; i < hooks.length; i++) this.visit(hooks[i]!);
        };
      }
    }
  }

  private visit(hook: Hook): void {
    const entry = hook.entry;
    if (entry.lastIndex === this.index) return;
    if (hook.stage >= 0 && !entry.runner.wants(hook.stage)) return;
    if (hook.guard !== null && !meets(hook.guard, this.event!, this.guardTest)) return;
    entry.lastIndex = this.index;
    this.chosen.push(entry);
  }

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
    if (byField.anchorEntries.length > 0) byField.anchors.scan(key, byField.anchorHit);
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
        let found = false;
        for (const v of fieldValues(raw)) {
          const each = g.byCategory.get(String(v));
          if (!each) continue;
          this.visitIndex(each, event);
          found = true;
        }
        if (found) continue;
      }
      this.visitIndex(index ?? g.any, event);
    }
    this.dispatched += chosen.length;
    // Rules keep separate state, so the order they see the event in does not
    // matter; only their alerts must come in rule order, and alerts are rare.
    let alerts: Array<{ readonly position: number; readonly alert: Alert }> | null = null;
    for (let i = 0; i < chosen.length; i++) {
      const entry = chosen[i]!;
      const matches = guardedProcess(entry.runner, this.orderer, item);
      if (matches.length === 0) continue;
      alerts ??= [];
      for (const m of matches) alerts.push({ position: entry.position, alert: toAlert(entry.rule, entry.rule.compiled, m) });
    }
    if (alerts === null) return;
    // Stable: one rule's alerts keep their order.
    if (alerts.length > 1) alerts.sort(byPosition);
    for (const a of alerts) out.push(a.alert);
  }
}

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
    const fields = new Set(this.rules.map((r) => `${r.compiled.plan.options.timestampField}\u0000${r.compiled.plan.options.tiebreakerField ?? ''}`));
    if (fields.size > 1) throw new TypeError('RuleSet: all rules must share one timestamp field and tiebreaker field');
  }

  private build(options: StreamOptions): { groups: CategoryGroup[]; entries: Entry[] } {
    /** Per category field: each stage's hook with its category (null for `any`) and requirement. */
    const stagesByField = new Map<string, { read: FieldReader; stages: Array<{ category: string | null; hook: Hook; requirement: Requirement | null }> }>();
    const entries: Entry[] = [];
    const window = options.window !== undefined ? durationToNanos(options.window, 'window') : undefined;
    for (const [position, rule] of this.rules.entries()) {
      const plan = rule.compiled.plan;
      const windowNs = window ?? rule.lookbackNs ?? undefined;
      const entry: Entry = {
        position,
        rule,
        runner: createRunner(plan, {
          windowNs,
          maxPendingSequences: options.maxPendingSequences ?? DEFAULT_MAX_PENDING_SEQUENCES,
          maxSamplesPerKey: options.maxSamplesPerKey ?? 1,
        }),
        lastIndex: -1,
      };
      entries.push(entry);
      const field = plan.options.eventCategoryField;
      let byField = stagesByField.get(field);
      if (!byField) {
        byField = { read: plan.categoryField, stages: [] };
        stagesByField.set(field, byField);
      }
      const finder = new RequirementFinder(plan.options.schema, plan.options.timestampField);
      for (const [stage, filter] of eventFiltersOf(plan.query).entries()) {
        const requirement = finder.of(filter.condition);
        const guardRequirement = requirement && finder.guardOf(filter.condition, requirement);
        const guard = guardRequirement ? guardRequirement.map((r) => ({ read: compileFieldReader(r.field), values: new Set(r.values) })) : null;
        // Only a sequence's wish for an event changes as it runs.
        const hook: Hook = { entry, stage: plan.kind === 'sequence' ? stage : -1, guard };
        byField.stages.push({ category: filter.category, hook, requirement });
      }
    }
    // Each category's index holds the `any` stages too, so that an event of a
    // known category walks one index and reads each field there once.
    const groups: CategoryGroup[] = [];
    for (const { read, stages } of stagesByField.values()) {
      const group: CategoryGroup = { read, byCategory: new Map(), any: newIndex() };
      for (const { category } of stages) if (category !== null && !group.byCategory.has(category)) group.byCategory.set(category, newIndex());
      for (const { category, hook, requirement } of stages) {
        if (category !== null) {
          addStage(group.byCategory.get(category)!, hook, requirement);
          continue;
        }
        addStage(group.any, hook, requirement);
        for (const index of group.byCategory.values()) addStage(index, hook, requirement);
      }
      for (const index of indexesOf(group)) index.fieldGroups = groupByFirstSegment(index.fields);
      groups.push(group);
    }
    return { groups, entries };
  }

  /**
   * A test on raw NDJSON lines that rules out, before parsing, those no rule
   * could match; null when some rule could match any line. See
   * {@link LinePrefilter}.
   */
  linePrefilter(): LinePrefilter | null {
    return LinePrefilter.forPlans(this.rules.map((r) => r.compiled.plan));
  }

  private orderSource(): OrderSource {
    const plan = this.rules[0]?.compiled.plan;
    return {
      timestamp: plan?.timestamp ?? (() => undefined),
      tiebreaker: plan?.tiebreaker ?? null,
      timestampField: plan?.options.timestampField ?? '@timestamp',
      ordered: true,
    };
  }

  /** A push-based matcher over all rules. */
  matcher(options: StreamOptions = {}): RuleSetMatcher {
    const { groups, entries } = this.build(options);
    const orderer = new EventOrderer(this.orderSource(), options);
    const dispatcher = new Dispatcher(groups, orderer);
    let alerts = 0;
    const dispatchAll = (items: OrderedEvent<Event>[]): Alert[] => {
      const out: Alert[] = [];
      for (const item of items) dispatcher.dispatch(item, out);
      alerts += out.length;
      return out;
    };
    return {
      push: (event) => {
        if (!orderer.direct) return dispatchAll(orderer.accept(event));
        const item = orderer.admit(event);
        if (!item) return [];
        const out: Alert[] = [];
        dispatcher.dispatch(item, out);
        alerts += out.length;
        return out;
      },
      flush: () => {
        const out = dispatchAll(orderer.drain());
        for (const entry of entries) {
          for (const m of entry.runner.flush()) {
            out.push(toAlert(entry.rule, entry.rule.compiled, m));
            alerts++;
          }
        }
        return out;
      },
      stats: () => {
        let pendingSequences = 0;
        let evictions = 0;
        for (const e of entries) {
          const s = e.runner.stats();
          pendingSequences += s.pendingSequences;
          evictions += s.evictions;
        }
        return { eventsSeen: orderer.counters.eventsSeen, errors: orderer.counters.errors, late: orderer.counters.late, alerts, dispatched: dispatcher.dispatched, pendingSequences, evictions };
      },
    };
  }

  /** Runs every rule over a batch of events, sorted first; alerts come in event order. */
  run(events: Iterable<Event>, options: Pick<StreamOptions, 'onError' | 'maxSamplesPerKey'> = {}): Alert[] {
    const m = this.matcher(options);
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

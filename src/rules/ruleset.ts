/**
 * Many rules, one pass over one stream. Each event is read for its time once
 * and dispatched only to the rules that could use it: those with a stage for
 * one of the event's categories, and those with an `any` stage. Every rule
 * keeps its own matching state.
 */
import type { Event } from '../compile/fields.js';
import { someValue } from '../compile/fields.js';
import type { QueryPlan } from '../compile/plan.js';
import type { OrderedEvent } from '../engine/order.js';
import { createRunner, type QueryRunner } from '../engine/runner.js';
import { DEFAULT_MAX_PENDING_SEQUENCES, EventOrderer, guardedProcess, orderBatch, type OrderSource, type StreamOptions } from '../engine/stream.js';
import { durationToNanos } from '../engine/duration.js';
import { type Alert, toAlert } from './alert.js';
import type { Rule } from './rule.js';

interface Entry {
  readonly rule: Rule;
  readonly runner: QueryRunner;
  /** The last event index dispatched to this rule, so one event reaches a rule once. */
  lastIndex: number;
}

/** The categories a plan's stages name; null stands for `any`. */
function categoriesOf(plan: QueryPlan): Array<string | null> {
  switch (plan.kind) {
    case 'event':
      return [plan.filter.category];
    case 'sequence':
      return [...plan.stages.map((s) => s.filter.category), ...(plan.until ? [plan.until.filter.category] : [])];
    case 'sample':
      return plan.stages.map((s) => s.filter.category);
  }
}

interface CategoryGroup {
  readonly read: (e: Event) => unknown;
  readonly byCategory: Map<string, Entry[]>;
  readonly any: Entry[];
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
    const groups = new Map<string, CategoryGroup>();
    const entries: Entry[] = [];
    for (const rule of this.rules) {
      const plan = rule.compiled.plan;
      const windowNs = options.window !== undefined ? durationToNanos(options.window, 'window') : (rule.lookbackNs ?? undefined);
      const entry: Entry = {
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
      let group = groups.get(field);
      if (!group) {
        group = { read: plan.categoryField, byCategory: new Map(), any: [] };
        groups.set(field, group);
      }
      for (const c of new Set(categoriesOf(plan))) {
        if (c === null) group.any.push(entry);
        else {
          const list = group.byCategory.get(c) ?? [];
          if (!list.includes(entry)) list.push(entry);
          group.byCategory.set(c, list);
        }
      }
    }
    return { groups: [...groups.values()], entries };
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
    let alerts = 0;
    let dispatched = 0;

    const dispatch = (item: OrderedEvent<Event>): Alert[] => {
      const out: Alert[] = [];
      const visit = (entry: Entry): void => {
        if (entry.lastIndex === item.index) return;
        entry.lastIndex = item.index;
        dispatched++;
        for (const m of guardedProcess(entry.runner, orderer, item)) out.push(toAlert(entry.rule, entry.rule.compiled, m));
      };
      for (const g of groups) {
        for (const entry of g.any) visit(entry);
        someValue(g.read(item.event), (v) => {
          const list = g.byCategory.get(typeof v === 'string' ? v : String(v));
          if (list) for (const entry of list) visit(entry);
          return false;
        });
      }
      alerts += out.length;
      return out;
    };

    return {
      push: (event) => orderer.accept(event).flatMap(dispatch),
      flush: () => {
        const out = orderer.drain().flatMap(dispatch);
        for (const entry of entries) for (const m of entry.runner.flush()) out.push(toAlert(entry.rule, entry.rule.compiled, m));
        alerts += out.length - 0;
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
        return { eventsSeen: orderer.counters.eventsSeen, errors: orderer.counters.errors, late: orderer.counters.late, alerts, dispatched, pendingSequences, evictions };
      },
    };
  }

  /** Runs every rule over a batch of events, sorted first; alerts come in event order. */
  run(events: Iterable<Event>, options: Pick<StreamOptions, 'onError' | 'maxSamplesPerKey'> = {}): Alert[] {
    const m = this.matcher(options);
    const { items } = orderBatch(events, this.orderSource(), options.onError);
    // Already sorted: feed them as an in-order stream.
    const out: Alert[] = [];
    for (const item of items) out.push(...m.push(item.event));
    out.push(...m.flush());
    return out;
  }

  /** Runs every rule over a stream, yielding alerts as soon as they are final. */
  async *stream(source: Iterable<Event> | AsyncIterable<Event>, options: StreamOptions = {}): AsyncGenerator<Alert> {
    const m = this.matcher(options);
    for await (const event of source) yield* m.push(event);
    yield* m.flush();
  }
}

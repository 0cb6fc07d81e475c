/**
 * Why each join key of a sequence did or did not give a match.
 *
 * The verdict is the engine's. How far a key got is the engine's too: the
 * furthest stage reached is the longest prefix of the stages to fill (runs
 * counted, missing-event stages left out), with the same keys, maxspan and
 * until, whose sequence the engine matches for the key. Those prefixes are
 * plans made of the query's own compiled stages, run over the same ordered
 * events by the same runner.
 */
import type * as A from '../parser/ast.js';
import type { SequencePlan, StagePlan } from '../compile/plan.js';
import { nanosBetween } from '../engine/order.js';
import type { Match } from '../engine/match.js';
import type { RunnerLimits } from '../engine/runner.js';
import type { Event } from '../semantics/fields.js';
import {
  byKey,
  closestCandidates,
  type Context,
  distanceOf,
  eventOf,
  formatNanos,
  isWantedKey,
  type Item,
  KeyIndex,
  keyIdOf,
  MAX_CONSIDERED,
  otherKeyCandidates,
  pipesText,
  runUnpiped,
  sourceOf,
  type StageKeys,
  unkeyedStages,
} from './common.js';
import type { ExplainedEvent, FilledStage, NextStage, PassedOverEvent, SequenceDropReason, SequenceExplanation, SequenceKeyTrace, StageSummary } from './types.js';

/** A place in the expanded stages: a written stage and one of its runs. */
interface Slot {
  readonly stage: number;
  readonly run: number;
  readonly missing: boolean;
}

/** For each prefix length k (1 to n), the matches of each key, in the engine's order. */
type Prefixes = Array<Map<string, Match[]>>;

export function explainSequence(ctx: Context): SequenceExplanation {
  const plan = ctx.plan as SequencePlan;
  const query = plan.query as A.SequenceQuery;
  const { items, options, tracer } = ctx;
  const slots: Slot[] = plan.stages.flatMap((s, stage) => Array.from({ length: s.runs }, (_, run) => ({ stage, run, missing: s.missing })));
  const positives = slots.filter((s) => !s.missing);
  const n = positives.length;
  const keyIndex = new KeyIndex(items, 'sequence');

  const itemOf = new Map<Event, Item>();
  const orderOf = new Map<Item, number>();
  items.forEach((item, i) => {
    if (!itemOf.has(item.event)) itemOf.set(item.event, item);
    orderOf.set(item, i);
  });
  const ref = (item: Item): ExplainedEvent => eventOf(item, true);
  const refOf = (e: Event): ExplainedEvent => ref(itemOf.get(e)!);

  const unpipedPlan: SequencePlan = { ...plan, pipes: [] };
  const verdict = byKey(ctx.verdict);
  const unpiped = plan.pipes.length === 0 ? verdict : byKey(runUnpiped(unpipedPlan, items, ctx.limits));
  const prefixes = prefixMatches(plan, positives, items, ctx.limits);
  // Under a stream's limits, what the batch reaches tells state that was dropped.
  const unlimited = ctx.limited ? { full: byKey(runUnpiped(unpipedPlan, items, {})), prefixes: prefixMatches(plan, positives, items, {}) } : null;

  // Every key an event gives the first stage to fill, and those of the results; the furthest reached first.
  const first = plan.stages[positives[0]!.stage]!;
  const seen = new Map<string, readonly unknown[]>();
  for (const [id, ms] of verdict) seen.set(id, ms[0]!.joinKeys);
  for (const k of keyIndex.keys([...plan.keys, ...first.keys])) if (!seen.has(keyIdOf(k))) seen.set(keyIdOf(k), k);
  let keys = [...seen.values()];
  if (options.hasKey) {
    keys = keys.filter((k) => isWantedKey(k, options.key));
    if (keys.length === 0) keys = [Array.isArray(options.key) ? options.key : [options.key]];
  }
  const rank = (k: readonly unknown[]): number => (verdict.has(keyIdOf(k)) ? n + 1 : reachOf(prefixes, keyIdOf(k)));
  keys = keys
    .map((k, i) => ({ k, r: rank(k), i }))
    .sort((a, b) => b.r - a.r || a.i - b.i)
    .map((x) => x.k);

  /** A stage's key fields, and where each `by` field is written. */
  const keysOf = (stage: number): StageKeys => ({
    fields: [...plan.keys, ...plan.stages[stage]!.keys],
    locations: [...query.by, ...query.stages[stage]!.by].map((f) => f.location),
  });

  /**
   * The events with the key before a partial sequence's last event that are
   * none of its events: each traced against the stage it would have filled
   * in their place (the one after the partial's events before it), kept when
   * that stage's filter fails, when `untilBetween` finds an until event
   * between it and the partial's next event, or when it matches the stage
   * not filled (too early to fill it). The latest
   * {@link MAX_CONSIDERED} are looked at; the closest kept first.
   */
  const passedOverEvents = (
    partial: Match,
    key: readonly unknown[],
    untilBetween: (item: Item, beforeOrder: number) => ExplainedEvent | null,
    matchesNext: (item: Item) => boolean,
  ): PassedOverEvent[] => {
    const orders = partial.events.map((e) => orderOf.get(itemOf.get(e!)!)!);
    const last = orders[orders.length - 1]!;
    const taken = new Set(orders);
    const found = new Map<Item, number>();
    for (const stage of new Set(positives.slice(0, orders.length).map((p) => p.stage))) {
      for (const item of keyIndex.itemsWith(keysOf(stage).fields, key)) {
        const order = orderOf.get(item)!;
        if (order >= last) break;
        if (taken.has(order)) continue;
        // Its place: after the partial's events before it.
        let j = 0;
        while (j < orders.length && orders[j]! < order) j++;
        if (positives[j]!.stage === stage) found.set(item, j);
      }
    }
    const chosen = [...found].sort((a, b) => orderOf.get(a[0])! - orderOf.get(b[0])!).slice(-MAX_CONSIDERED);
    const ranked: Array<{ event: PassedOverEvent; distance: number; order: number }> = [];
    for (const [item, j] of chosen) {
      const filter = tracer.trace(positives[j]!.stage, item.event);
      const u = untilBetween(item, orders[j]!);
      const early = matchesNext(item);
      const distance = distanceOf(filter);
      if (distance === 0 && !u && !early) continue;
      ranked.push({ event: { event: ref(item), filter, stage: positives[j]!.stage, run: positives[j]!.run, until: u, matchesNextStage: early }, distance, order: orderOf.get(item)! });
    }
    ranked.sort((a, b) => a.distance - b.distance || a.order - b.order);
    return ranked.slice(0, options.candidates).map((r) => r.event);
  };

  const explainKey = (key: readonly unknown[]): SequenceKeyTrace => {
    const id = keyIdOf(key);
    const hits = verdict.get(id);
    if (hits) {
      const last = hits[hits.length - 1]!;
      const filled: FilledStage[] = [];
      last.events.forEach((e, j) => {
        if (e !== null) filled.push({ stage: slots[j]!.stage, run: slots[j]!.run, event: refOf(e) });
      });
      return { key, matched: true, matches: hits.length, reached: n, of: n, filled, next: null, passedOver: [], reason: null };
    }
    const reached = reachOf(prefixes, id);
    const partials = prefixes[reached]?.get(id) ?? [];
    const slot = reached < n ? positives[reached]! : null;
    const stagePlan: StagePlan | null = slot ? plan.stages[slot.stage]! : null;
    // The events with the key for the next stage, those of them that match it, and the until events with the key: in order.
    const keyed = slot ? keyIndex.itemsWith(keysOf(slot.stage).fields, key) : [];
    const extending = stagePlan ? keyed.filter((item) => stagePlan.filter.matches(item.event)) : [];
    const until = plan.until;
    const untils = until ? keyIndex.itemsWith([...plan.keys, ...until.keys], key).filter((item) => until.filter.matches(item.event)) : [];
    const lastOrderOf = (m: Match): number => orderOf.get(itemOf.get(m.events[m.events.length - 1]!)!)!;

    /** Why a partial sequence was not extended, when the next stage's event came too late or after an until event. */
    const blockOf = (m: Match): SequenceDropReason | null => {
      const lastOrder = lastOrderOf(m);
      const ext = extending[firstAfter(extending, lastOrder, false)];
      const u = untils[firstAfter(untils, lastOrder, true)];
      if (u && (!ext || orderOf.get(u)! < orderOf.get(ext)!)) return { kind: 'until', event: ref(u) };
      const elapsed = ext ? nanosBetween(itemOf.get(m.events[0]!)!.time, ext.time) : 0;
      if (ext && plan.maxspanNs !== null && elapsed > Number(plan.maxspanNs)) return { kind: 'maxspan', maxspan: maxspanText(query), elapsed: formatNanos(elapsed), event: ref(ext) };
      return null;
    };
    const firstAfter = (list: readonly Item[], order: number, inclusive: boolean): number => {
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        const o = orderOf.get(list[mid]!)!;
        if (o > order || (inclusive && o === order)) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };

    // The partial sequence shown: of those that reached furthest, the last whose next event came too late or
    // after an until event; else the last followed by events with the key (whose candidates can be shown); else the last.
    let partial: Match | undefined = partials[partials.length - 1];
    let blocked: SequenceDropReason | null = null;
    if (stagePlan && partials.length > 0) {
      for (let p = partials.length - 1; p >= 0 && !blocked; p--) {
        blocked = blockOf(partials[p]!);
        if (blocked) partial = partials[p];
      }
      if (!blocked) {
        for (let p = partials.length - 1; p >= 0; p--) {
          if (firstAfter(keyed, lastOrderOf(partials[p]!), false) < keyed.length) {
            partial = partials[p];
            break;
          }
        }
      }
    }
    const filled: FilledStage[] = (partial?.events ?? []).map((e, j) => ({ stage: positives[j]!.stage, run: positives[j]!.run, event: refOf(e!) }));
    const lastOrder = partial ? lastOrderOf(partial) : -1;

    let reason: SequenceDropReason;
    if (unpiped.has(id)) reason = { kind: 'pipe', pipes: pipesText(plan.query.pipes) };
    else if (unlimited && (unlimited.full.has(id) || reachOf(unlimited.prefixes, id) > reached)) reason = { kind: 'evicted', window: ctx.rule?.from ?? null };
    else if (reached === n) reason = missingEvent(plan, slots, partial!, key, keyIndex, itemOf, ref);
    else if (reached === 0 || !partial || !stagePlan) reason = { kind: 'no-event' };
    else reason = blocked ?? { kind: 'no-event' };

    let next: NextStage | null = null;
    let passedOver: PassedOverEvent[] = [];
    if (slot) {
      const after = keyed.slice(firstAfter(keyed, lastOrder, false));
      const { candidates, considered } = closestCandidates(ctx, slot.stage, after, options.candidates, ref);
      // When no event with the key fills the stage: the events that would, or come as close, under other keys.
      let others: ReturnType<typeof otherKeyCandidates> = { candidates: [], considered: 0 };
      if (reason.kind === 'no-event' && reached > 0) {
        const within = candidates.length > 0 ? distanceOf(candidates[0]!.filter) : null;
        // Within maxspan of the first filled stage (a later event could not fill the stage under any key), and no more than are looked at.
        const bound = Math.min(items.length, lastOrder + 1 + MAX_CONSIDERED);
        let end = bound;
        if (plan.maxspanNs !== null) {
          const first = itemOf.get(partial!.events[0]!)!.time;
          const span = Number(plan.maxspanNs);
          end = lastOrder + 1;
          while (end < bound && nanosBetween(first, items[end]!.time) <= span) end++;
        }
        others = otherKeyCandidates(ctx, slot.stage, keysOf(slot.stage), key, items.slice(lastOrder + 1, end), keyIndex, within, options.candidates, ref);
      }
      next = {
        stage: slot.stage,
        run: slot.run,
        text: tracer.textOf(ctx.explainable.filters[slot.stage]!),
        candidates,
        considered,
        otherKeyCandidates: others.candidates,
        otherKeyConsidered: others.considered,
      };
      // No event with the key comes after the partial sequence: the ones before it that it passed over.
      if (reason.kind === 'no-event' && partial && after.length === 0) {
        const keyedForNext = new Set(keyed);
        passedOver = passedOverEvents(
          partial,
          key,
          (item, before) => {
            const u = untils[firstAfter(untils, orderOf.get(item)!, false)];
            return u && orderOf.get(u)! < before ? ref(u) : null;
          },
          (item) => keyedForNext.has(item) && stagePlan!.filter.matches(item.event),
        );
      }
    }
    return { key, matched: false, matches: 0, reached, of: n, filled, next, passedOver, reason };
  };

  const chosen = keys.slice(0, options.limit);
  return {
    kind: 'sequence',
    source: sourceOf(ctx),
    eventCount: ctx.events.length,
    resultCount: ctx.verdict.length,
    unusable: ctx.unusable.slice(0, options.limit),
    unusableCount: ctx.unusableCount,
    omitted: keys.length - chosen.length,
    stages: plan.stages.map(
      (s, stage): StageSummary => ({
        stage,
        text: tracer.textOf(ctx.explainable.filters[stage]!),
        missing: s.missing,
        runs: s.runs,
      }),
    ),
    until: plan.until ? tracer.textOf(ctx.explainable.filters[plan.stages.length]!) : null,
    maxspan: query.maxspan ? maxspanText(query) : null,
    unkeyed: unkeyedStages(
      ctx,
      plan.stages.map((s, stage) => ({ stage, filter: stage, fields: [...plan.keys, ...s.keys] })),
      keyIndex,
      ref,
    ),
    keys: chosen.map(explainKey),
  };
}

const maxspanText = (q: A.SequenceQuery): string => (q.maxspan ? `${q.maxspan.text}${q.maxspan.unit ?? ''}` : '');

/** The furthest prefix with a match for the key. */
function reachOf(prefixes: Prefixes, id: string): number {
  for (let k = prefixes.length - 1; k >= 1; k--) if (prefixes[k]!.has(id)) return k;
  return 0;
}

/**
 * The matches per key of each prefix of the stages to fill: prefix k is
 * the query with its first k of them (runs counted, missing-event stages
 * left out) and no pipes. A prefix with no match ends the search: a longer
 * one cannot have one either.
 */
function prefixMatches(plan: SequencePlan, positives: readonly Slot[], items: readonly Item[], limits: RunnerLimits): Prefixes {
  // One stage per written stage, its runs as separate places that share it, as the engine expands runs.
  const once = new Map<StagePlan, StagePlan>();
  const single = (s: StagePlan): StagePlan => {
    let x = once.get(s);
    if (!x) {
      x = { ...s, runs: 1, missing: false };
      once.set(s, x);
    }
    return x;
  };
  const out: Prefixes = [new Map()];
  for (let k = 1; k <= positives.length; k++) {
    const stages = positives.slice(0, k).map((p) => single(plan.stages[p.stage]!));
    const matches = runUnpiped({ ...plan, pipes: [], stages }, items, limits);
    if (matches.length === 0) break;
    const grouped = new Map<string, Match[]>();
    for (const m of matches) {
      const id = keyIdOf(m.joinKeys);
      const list = grouped.get(id);
      if (list) list.push(m);
      else grouped.set(id, [m]);
    }
    out.push(grouped);
  }
  return out;
}

/**
 * All the stages to fill were filled, yet no match: a missing-event stage's
 * event dropped the sequence. Looked for as the engine checks them: between
 * two filled stages by millisecond, a leading or trailing one within maxspan.
 */
function missingEvent(
  plan: SequencePlan,
  slots: readonly Slot[],
  partial: Match,
  key: readonly unknown[],
  keyIndex: KeyIndex,
  itemOf: Map<Event, Item>,
  ref: (item: Item) => ExplainedEvent,
): SequenceDropReason {
  const times = partial.events.map((e) => itemOf.get(e!)!.time);
  const first = times[0]!;
  const last = times[times.length - 1]!;
  const span = plan.maxspanNs === null ? Infinity : Number(plan.maxspanNs);
  let missingStage = -1;
  let positivesBefore = 0;
  for (const slot of slots) {
    if (!slot.missing) {
      positivesBefore++;
      continue;
    }
    if (missingStage < 0) missingStage = slot.stage;
    const stage = plan.stages[slot.stage]!;
    const before = positivesBefore > 0 ? times[positivesBefore - 1]! : null;
    const after = positivesBefore < times.length ? times[positivesBefore]! : null;
    const found = keyIndex.itemsWith([...plan.keys, ...stage.keys], key).find((item) => {
      if (!stage.filter.matches(item.event)) return false;
      const t = item.time;
      if (before && after) return t.ms > before.ms && t.ms < after.ms;
      if (after) return t.ms < first.ms && nanosBetween(t, last) <= span;
      return before !== null && t.ms > last.ms && nanosBetween(first, t) <= span;
    });
    if (found) return { kind: 'missing-event', stage: slot.stage, event: ref(found) };
  }
  return { kind: 'missing-event', stage: missingStage, event: null };
}

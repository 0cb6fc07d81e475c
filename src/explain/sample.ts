/**
 * Why each join key of a sample did or did not give one. The verdict is the
 * engine's; which events fill which stage is read as the sample matcher
 * reads it: each stage's compiled filter, and the stage's key combinations.
 */
import type { SamplePlan } from '../compile/plan.js';
import type { SampleQuery } from '../parser/ast.js';
import {
  byKey,
  closestCandidates,
  type Context,
  distanceOf,
  isWantedKey,
  type Item,
  KeyIndex,
  keyIdOf,
  otherKeyCandidates,
  pipesText,
  runUnpiped,
  sampleEventOf,
  sourceOf,
  type StageKeys,
  unkeyedStages,
} from './common.js';
import type { SampleDropReason, SampleExplanation, SampleKeyTrace, SampleStageTrace } from './types.js';

export function explainSample(ctx: Context): SampleExplanation {
  const plan = ctx.plan as SamplePlan;
  const { items, options, tracer } = ctx;
  const keyIndex = new KeyIndex(items, 'sample');
  const ref = (item: Item) => sampleEventOf(item, plan);
  const fieldsOf = plan.stages.map((s) => [...plan.keys, ...s.keys]);
  const query = plan.query as SampleQuery;
  const keysOf: StageKeys[] = plan.stages.map((_, i) => ({ fields: fieldsOf[i]!, locations: [...query.by, ...query.stages[i]!.by].map((f) => f.location) }));

  const verdict = byKey(ctx.verdict);
  const unpiped = plan.pipes.length === 0 ? verdict : byKey(runUnpiped({ ...plan, pipes: [] }, items, ctx.limits));

  // Per stage, the events with each key that match it, in input order (a sample keeps it).
  const matching = plan.stages.map(() => new Map<string, Item[]>());
  const seen = new Map<string, readonly unknown[]>();
  plan.stages.forEach((stage, i) => {
    for (const key of keyIndex.keys(fieldsOf[i]!)) {
      const found = keyIndex.itemsWith(fieldsOf[i]!, key).filter((item) => stage.filter.matches(item.event));
      if (found.length === 0) continue;
      const id = keyIdOf(key);
      matching[i]!.set(id, found);
      if (!seen.has(id)) seen.set(id, key);
    }
  });
  for (const f of fieldsOf) for (const k of keyIndex.keys(f)) if (!seen.has(keyIdOf(k))) seen.set(keyIdOf(k), k);
  let keys = [...seen.values()];
  if (options.hasKey) {
    keys = keys.filter((k) => isWantedKey(k, options.key));
    if (keys.length === 0) keys = [Array.isArray(options.key) ? options.key : [options.key]];
  }
  // Samples first, then the keys that fill the most stages.
  const rank = (k: readonly unknown[]): number => (verdict.has(keyIdOf(k)) ? plan.stages.length + 1 : matching.filter((m) => m.has(keyIdOf(k))).length);
  keys = keys
    .map((k, i) => ({ k, r: rank(k), i }))
    .sort((a, b) => b.r - a.r || a.i - b.i)
    .map((x) => x.k);

  const explainKey = (key: readonly unknown[]): SampleKeyTrace => {
    const id = keyIdOf(key);
    // The key's events that fill a stage: a candidate for another stage among them comes after those that fill none.
    const filling = new Set<Item>();
    for (const m of matching) for (const item of m.get(id) ?? []) filling.add(item);
    const stages = plan.stages.map((_, stage): SampleStageTrace => {
      const found = matching[stage]!.get(id) ?? [];
      if (found.length > 0) {
        return { stage, events: found.slice(0, Math.max(1, options.candidates)).map(ref), matching: found.length, candidates: [], otherKeyCandidates: [], otherKeyConsidered: 0 };
      }
      const { candidates } = closestCandidates(ctx, stage, keyIndex.itemsWith(fieldsOf[stage]!, key), options.candidates, ref, (item) => filling.has(item));
      // When the key fills another stage: the events that would fill this one, or come as close, under other keys.
      let others: ReturnType<typeof otherKeyCandidates> = { candidates: [], considered: 0 };
      if (filling.size > 0) {
        const within = candidates.length > 0 ? distanceOf(candidates[0]!.filter) : null;
        others = otherKeyCandidates(ctx, stage, keysOf[stage]!, key, items, keyIndex, within, options.candidates, ref);
      }
      return { stage, events: [], matching: 0, candidates, otherKeyCandidates: others.candidates, otherKeyConsidered: others.considered };
    });
    const matched = verdict.has(id);
    let reason: SampleDropReason | null = null;
    if (!matched) {
      const empty = stages.find((s) => s.matching === 0);
      if (unpiped.has(id)) reason = { kind: 'pipe', pipes: pipesText(plan.query.pipes) };
      else if (empty) reason = { kind: 'no-event', stage: empty.stage };
      else reason = { kind: 'same-event' };
    }
    return { key, matched, stages, reason };
  };

  const chosen = keys.slice(0, options.limit);
  return {
    kind: 'sample',
    source: sourceOf(ctx),
    eventCount: ctx.events.length,
    resultCount: ctx.verdict.length,
    unusable: ctx.unusable.slice(0, options.limit),
    unusableCount: ctx.unusableCount,
    omitted: keys.length - chosen.length,
    stages: plan.stages.map((_, stage) => ({ stage, text: tracer.textOf(ctx.explainable.filters[stage]!), missing: false, runs: 1 })),
    unkeyed: unkeyedStages(
      ctx,
      plan.stages.map((_, stage) => ({ stage, filter: stage, fields: fieldsOf[stage]! })),
      keyIndex,
      ref,
    ),
    keys: chosen.map(explainKey),
  };
}

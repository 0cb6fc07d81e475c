/** Why each event of an event query is, or is not, a result. */
import type { Event } from '../semantics/fields.js';
import { type Context, eventOf, pipesText, sourceOf } from './common.js';
import type { EventQueryExplanation, EventVerdict } from './types.js';

export function explainEventQuery(ctx: Context): EventQueryExplanation {
  const { events, options } = ctx;
  // The engine's results are the events themselves: each result stands for one place where its object was given.
  const results = new Map<Event, number>();
  for (const m of ctx.verdict) {
    const e = m.events[0];
    if (e) results.set(e, (results.get(e) ?? 0) + 1);
  }
  const placed = new Map<number, (typeof ctx.items)[number]>();
  for (const item of ctx.items) placed.set(item.index, item);
  const unusable = new Map<number, string>();
  for (const u of ctx.unusable) unusable.set(u.index, u.reason);

  const out: EventVerdict[] = [];
  let explainable = 0;
  for (let index = 0; index < events.length; index++) {
    const event = events[index]!;
    const usable = event !== null && typeof event === 'object' && !Array.isArray(event);
    const left = usable ? (results.get(event) ?? 0) : 0;
    const matched = left > 0;
    if (matched) results.set(event, left - 1);
    if (!usable || (options.event !== undefined && index !== options.event)) continue;
    explainable++;
    if (out.length >= options.limit) continue;
    const filter = ctx.tracer.trace(0, event);
    const item = placed.get(index);
    let note: string | null = null;
    if (filter.result && !matched) {
      note = item
        ? `the filter holds, and the query's pipes (${pipesText(ctx.plan.query.pipes)}) leave the event out`
        : `the filter holds, but the event cannot be used: ${unusable.get(index) ?? 'no readable timestamp'}`;
    }
    out.push({ event: item ? eventOf(item, true) : { index, time: null, event }, matched, note, filter });
  }
  return {
    kind: 'event',
    source: sourceOf(ctx),
    eventCount: events.length,
    resultCount: ctx.verdict.length,
    unusable: ctx.unusable.slice(0, options.limit),
    unusableCount: ctx.unusableCount,
    omitted: explainable - out.length,
    events: out,
  };
}

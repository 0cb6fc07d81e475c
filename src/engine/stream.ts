/**
 * Running a compiled query over an unbounded stream of events.
 *
 * Events should arrive in timestamp order. A reorder window buffers arrivals
 * and releases them in order once the stream's time has moved past them by the
 * window; an event that arrives after events later than it were released is
 * late: it goes to `onLate` and is counted, never dropped in silence.
 */
import { EqlEventError } from '../errors.js';
import type { Event } from '../compile/fields.js';
import type { QueryPlan } from '../compile/plan.js';
import { type OrderedEvent, compareOrdered, readEventTime, readTiebreaker, nanosBetween } from './order.js';
import { SequenceMatcher } from './sequence.js';
import { SampleMatcher } from './sample.js';
import type { Match } from './match.js';
import { durationToNanos } from './duration.js';

export interface StreamOptions {
  /** Receives events that cannot be used (not an object, no readable timestamp, failed evaluation). */
  readonly onError?: (error: EqlEventError) => void;
  /** Receives events that arrive too late to be placed in order. */
  readonly onLate?: (error: EqlEventError) => void;
  /** How long to hold events to sort out-of-order arrivals: `"5s"`, `"250ms"`, or milliseconds. Default 0. */
  readonly reorderWindow?: string | number;
  /** For sequences without maxspan: state older than this is evicted (a rule's look-back), e.g. `"9m"`. */
  readonly window?: string | number;
  /** The most pending partial sequences kept; beyond it the oldest keys are evicted and counted. Default 1,000,000. */
  readonly maxPendingSequences?: number;
  /** For samples: how many samples each key may give. Default 1. */
  readonly maxSamplesPerKey?: number;
}

export interface StreamStats {
  /** Events pushed. */
  eventsSeen: number;
  /** Matches emitted. */
  matches: number;
  /** Events reported to onError. */
  errors: number;
  /** Events reported to onLate. */
  late: number;
  /** Events held in the reorder buffer. */
  buffered: number;
  /** Join-key values with live state. */
  liveKeys: number;
  /** Partial sequences waiting for their next stage. */
  pendingSequences: number;
  /** Partial sequences dropped by the maxPendingSequences limit. */
  evictions: number;
}

/** A push-based matcher, for embedding in other tools. */
export interface StreamMatcher {
  /** Feeds one event; returns the matches that became final. */
  push(event: Event): Match[];
  /** Ends the stream: releases buffered events and returns the remaining matches. */
  flush(): Match[];
  stats(): StreamStats;
}

export const DEFAULT_MAX_PENDING_SEQUENCES = 1_000_000;

/** A small binary heap of events in stream order. */
class EventHeap {
  private readonly items: OrderedEvent<Event>[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): OrderedEvent<Event> | undefined {
    return this.items[0];
  }
  push(e: OrderedEvent<Event>): void {
    const a = this.items;
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compareOrdered(a[i]!, a[parent]!) >= 0) break;
      [a[i], a[parent]] = [a[parent]!, a[i]!];
      i = parent;
    }
  }
  pop(): OrderedEvent<Event> | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && compareOrdered(a[l]!, a[m]!) < 0) m = l;
        if (r < a.length && compareOrdered(a[r]!, a[m]!) < 0) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

export function createStreamMatcher(plan: QueryPlan, options: StreamOptions = {}): StreamMatcher {
  const reorderNs = options.reorderWindow === undefined ? 0 : durationToNanos(options.reorderWindow, 'reorderWindow');
  const windowNs = options.window === undefined ? undefined : durationToNanos(options.window, 'window');
  const counters = { eventsSeen: 0, matches: 0, errors: 0, late: 0 };
  const heap = new EventHeap();
  let lastReleased: OrderedEvent<Event> | undefined;
  let latest: OrderedEvent<Event> | undefined;

  const sequences = plan.kind === 'sequence' ? new SequenceMatcher(plan, { windowNs, maxPendingSequences: options.maxPendingSequences ?? DEFAULT_MAX_PENDING_SEQUENCES }) : null;
  const samples = plan.kind === 'sample' ? new SampleMatcher(plan, options.maxSamplesPerKey ?? 1) : null;

  const error = (e: EqlEventError): void => {
    counters.errors++;
    options.onError?.(e);
  };

  /** Runs one in-order event through the query. */
  const process = (item: OrderedEvent<Event>): Match[] => {
    lastReleased = item;
    try {
      if (plan.kind === 'event') return plan.filter.matches(item.event) ? [{ kind: 'event', events: [item.event], joinKeys: [] }] : [];
      if (samples) {
        samples.push(item.event);
        return [];
      }
      return sequences!.push(item);
    } catch (e) {
      error(new EqlEventError('EQL_EVENT_EVALUATION', `evaluation failed: ${(e as Error).message}`, item.index, item.event));
      return [];
    }
  };

  const emitted = (ms: Match[]): Match[] => {
    counters.matches += ms.length;
    return ms;
  };

  return {
    push(event: Event): Match[] {
      const index = counters.eventsSeen++;
      if (event === null || typeof event !== 'object' || Array.isArray(event)) {
        error(new EqlEventError('EQL_EVENT_NOT_OBJECT', 'an event must be a JSON object', index, event));
        return [];
      }
      let time = readEventTime(plan.timestamp(event));
      if (!time) {
        // Samples ignore time; every other query needs it to order events.
        if (!samples) {
          error(new EqlEventError('EQL_EVENT_TIMESTAMP', `no readable timestamp in [${plan.options.timestampField}]`, index, event));
          return [];
        }
        time = { ms: 0, ns: 0 };
      }
      const item: OrderedEvent<Event> = { event, time, tiebreaker: plan.tiebreaker ? readTiebreaker(plan.tiebreaker(event)) : null, index };
      // Samples ignore time: candidates are taken in arrival order, as search() takes them in input order.
      if (samples) return emitted(process(item));
      if (lastReleased && compareOrdered(item, lastReleased) < 0) {
        counters.late++;
        options.onLate?.(new EqlEventError('EQL_EVENT_LATE', 'arrived after later events were already processed', index, event));
        return [];
      }
      if (reorderNs === 0) return emitted(process(item));
      heap.push(item);
      if (!latest || compareOrdered(item, latest) > 0) latest = item;
      const out: Match[] = [];
      while (heap.size > 0 && nanosBetween(heap.peek()!.time, latest.time) > reorderNs) out.push(...process(heap.pop()!));
      return emitted(out);
    },

    flush(): Match[] {
      const out: Match[] = [];
      while (heap.size > 0) out.push(...process(heap.pop()!));
      if (sequences) out.push(...sequences.flush());
      if (samples) out.push(...samples.flush());
      return emitted(out);
    },

    stats(): StreamStats {
      const seq = sequences?.stats();
      return {
        ...counters,
        buffered: heap.size,
        liveKeys: seq?.liveKeys ?? samples?.stats().liveKeys ?? 0,
        pendingSequences: seq?.pendingSequences ?? 0,
        evictions: seq?.evictions ?? 0,
      };
    },
  };
}

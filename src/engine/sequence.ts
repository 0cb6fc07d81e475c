/**
 * Sequences as a state machine per join key, fed events in order.
 *
 * For each key, each stage keeps at most one pending partial sequence: the
 * newest. An event matching stage 0 starts a new one; an event matching stage
 * i takes the pending sequence of stage i-1 (which is older than the event),
 * extends it, and replaces the pending one of stage i. An event is applied to
 * the later stages first, so it can finish one sequence and start another but
 * never fill two places of one. `until` cancels a key's pending sequences;
 * `maxspan` bounds first-to-last time. Completed sequences come out in the
 * order of their last event.
 *
 * Missing-event stages `![…]` are checked on each candidate built from the
 * positive stages: a matching event between two neighbouring positives drops
 * it; leading and trailing ones drop it when they fall within maxspan (see
 * docs/sequences.md). A candidate with trailing missing stages waits until
 * the stream's time shows no such event can come in time.
 */
import { type Event, someValueIs } from '../semantics/fields.js';
import type { SequencePlan, StagePlan, KeyField } from '../compile/plan.js';
import { type KeyCutCounter, type KeyValue, keyCombinations, keyId, datePositions, renderKeys, compareSequenceKeys } from './keys.js';
import { type EventTime, type OrderedEvent, nanosBetween } from './order.js';
import type { Match } from './match.js';
import { type SnapshotData, type SnapshotReader, type SnapshotWriter, array, corrupt, count, integer, keyValue, optionalTime, record, saveTime, saveValue, time } from './snapshot.js';

const NO_MATCHES: Match[] = Object.freeze([]) as unknown as Match[];

/** One event placed in a sequence. */
type Placed = OrderedEvent<Event>;

interface Partial {
  readonly events: readonly Placed[];
}

interface Candidate {
  readonly events: readonly Placed[];
  readonly key: readonly KeyValue[];
  /** undefined while waiting for the trailing check; then kept or dropped. */
  decision: 'keep' | 'drop' | undefined;
  /** For a waiting candidate: the stream time from which no trailing event can drop it. */
  deadline?: EventTime;
  /** The instant the trailing event is compared against (first positive, or L). */
  anchor?: EventTime;
  /** For a waiting candidate: the key whose `awaiting` list holds it. */
  waitingIn?: KeyState;
}

interface KeyState {
  readonly values: readonly KeyValue[];
  /** pending[i]: the newest partial sequence whose last filled positive stage is i. */
  readonly pending: (Partial | undefined)[];
  /** Times of recent events per missing stage. */
  readonly missing: EventTime[][];
  /** Candidates waiting on a trailing check, and how many of them (`settled`) a passed deadline has decided since the list was last compacted. */
  readonly awaiting: Candidate[];
  settled: number;
  /** The latest time this key's state changed; for eviction. */
  touched: EventTime;
  /** When the key was last moved to the young end of the map (ms). */
  placedMs: number;
}

interface MissingStage {
  readonly plan: StagePlan;
  /** Its place among the distinct stage filters. */
  readonly filter: number;
  readonly position: 'leading' | 'between' | 'trailing';
  /** Index (among positives) of the positive stage before it, or -1. */
  readonly before: number;
  /** Index of the positive stage after it, or -1. */
  readonly after: number;
}

/** Why a filter is evaluated: see SequenceMatcher.filterUses. */
type FilterUse = { readonly kind: 'always' } | { readonly kind: 'extends'; readonly stage: number } | { readonly kind: 'pending' } | { readonly kind: 'awaiting' };

export interface SequenceLimits {
  /** Evicts state older than this many nanoseconds when there is no maxspan (a rule's look-back). */
  readonly windowNs?: number;
  /** The most pending partial sequences kept; the oldest keys are evicted beyond it. */
  readonly maxPendingSequences?: number;
}

export interface SequenceStats {
  liveKeys: number;
  pendingSequences: number;
  evictions: number;
  awaitingTrailingCheck: number;
  /** Events whose join-key combinations were cut off at MAX_KEY_COMBINATIONS. */
  keyCutEvents: number;
}

export class SequenceMatcher {
  private readonly positives: StagePlan[] = [];
  /** Output layout: for each expanded stage, the positive index or the missing index. */
  private readonly layout: Array<{ missing: boolean; index: number }> = [];
  private readonly missingStages: MissingStage[] = [];
  /** The distinct stage filters (runs repeat a stage), each evaluated once per event. */
  private readonly filters: StagePlan[];
  /** Per positive stage: its place among the distinct filters. */
  private readonly positiveFilter: number[];
  /** Per stage of the query (as written, runs once): its place among the distinct filters. */
  private readonly stageFilter: number[];
  private readonly flags: boolean[];
  /** Per filter: the key combinations of the event being pushed, read on first use. */
  private readonly keyCache: (KeyValue[][] | undefined)[];
  /** Per filter: the ids of those combinations ({@link keyId}), made on first use. */
  private readonly keyIdCache: (string[] | undefined)[];
  /** Per filter: the query's keys followed by the stage's own. */
  private readonly keyFields: KeyField[][];
  private readonly untilKeyFields: KeyField[] | null;
  /** Per filter: its category; null for `any`. */
  private readonly categories: (string | null)[];
  /** When the next sweep of stale state is due. */
  private nextSweep: EventTime | null = null;
  private readonly states = new Map<string, KeyState>();
  private readonly queue: Candidate[] = [];
  /** Where the queue starts: candidates before it are given out (the array is compacted now and then, not shifted per candidate). */
  private queueHead = 0;
  private readonly maxspan: number | null;
  private readonly horizon: number | null;
  private readonly dates: boolean[];
  private readonly hasLeading: boolean;
  private readonly hasTrailing: boolean;
  private pendingCount = 0;
  /** pendingAt[i]: partial sequences, over all keys, whose last filled positive stage is i. */
  private readonly pendingAt: number[];
  /**
   * Per filter, what makes evaluating it worth while: always (a first or a
   * leading missing stage), or only while partial sequences (or candidates)
   * exist that it could extend or drop. Later stages of most sequences have
   * nothing to extend most of the time, and are then not evaluated at all.
   */
  private readonly filterUses: FilterUse[][];
  private evictions = 0;
  private readonly keyCut: KeyCutCounter = { count: 0 };
  private awaitingCount = 0;
  /** The waiting candidates by deadline, earliest first: each event settles only those whose deadline passed (decided ones are skipped when they surface). */
  private readonly deadlines = new DeadlineHeap();
  /** Keys with candidates waiting on a trailing check. */
  private readonly awaitingKeys = new Set<KeyState>();

  constructor(
    private readonly plan: SequencePlan,
    private readonly limits: SequenceLimits = {},
  ) {
    this.maxspan = plan.maxspanNs === null ? null : Number(plan.maxspanNs);
    const expanded: StagePlan[] = [];
    for (const s of plan.stages) for (let r = 0; r < s.runs; r++) expanded.push(s);
    this.filters = [...new Set(plan.stages)];
    const filterIndex = new Map(this.filters.map((f, i) => [f, i]));
    this.flags = this.filters.map(() => false);
    this.keyCache = this.filters.map(() => undefined);
    this.keyIdCache = this.filters.map(() => undefined);
    this.keyFields = this.filters.map((f) => [...plan.keys, ...f.keys]);
    this.untilKeyFields = plan.until ? [...plan.keys, ...plan.until.keys] : null;
    this.categories = this.filters.map(({ filter: { category } }) => category);
    const positiveAt: number[] = [];
    expanded.forEach((s) => {
      if (s.missing) {
        this.layout.push({ missing: true, index: -1 });
      } else {
        positiveAt.push(this.layout.length);
        this.layout.push({ missing: false, index: this.positives.length });
        this.positives.push(s);
      }
    });
    expanded.forEach((s, i) => {
      if (!s.missing) return;
      const before = positiveAt.filter((p) => p < i).length - 1;
      const after = before + 1 < this.positives.length ? before + 1 : -1;
      const position = before < 0 ? 'leading' : after < 0 ? 'trailing' : 'between';
      this.layout[i] = { missing: true, index: this.missingStages.length };
      this.missingStages.push({ plan: s, filter: filterIndex.get(s)!, position, before, after });
    });
    this.positiveFilter = this.positives.map((s) => filterIndex.get(s)!);
    this.stageFilter = plan.stages.map((s) => filterIndex.get(s)!);
    this.pendingAt = new Array(Math.max(0, this.positives.length - 1)).fill(0);
    this.filterUses = this.filters.map(() => []);
    this.positiveFilter.forEach((f, p) => {
      this.filterUses[f]!.push(p === 0 ? { kind: 'always' } : { kind: 'extends', stage: p - 1 });
    });
    for (const m of this.missingStages) {
      this.filterUses[m.filter]!.push(m.position === 'leading' ? { kind: 'always' } : m.position === 'between' ? { kind: 'pending' } : { kind: 'awaiting' });
    }
    this.hasLeading = this.missingStages.some((m) => m.position === 'leading');
    this.hasTrailing = this.missingStages.some((m) => m.position === 'trailing');
    this.horizon = this.maxspan ?? limits.windowNs ?? null;
    this.dates = datePositions([...plan.keys, ...(plan.stages[0]?.keys ?? [])]);
  }

  stats(): SequenceStats {
    return { liveKeys: this.states.size, pendingSequences: this.pendingCount, evictions: this.evictions, awaitingTrailingCheck: this.awaitingCount, keyCutEvents: this.keyCut.count };
  }

  /**
   * The state of a key, created when missing, and marked as active now. The
   * map is kept roughly in order of activity, oldest first, for sweeps and
   * evictions; moving a key to the young end costs a delete and an insert,
   * so within a quarter of the horizon it stays where it is (see expire()).
   */
  private state(values: readonly KeyValue[], now: EventTime, id = keyId(values)): KeyState {
    let s = this.states.get(id);
    if (!s) {
      s = { values, pending: new Array(Math.max(0, this.positives.length - 1)).fill(undefined), missing: this.missingStages.map(() => []), awaiting: [], settled: 0, touched: now, placedMs: now.ms };
      this.states.set(id, s);
      return s;
    }
    this.touch(id, s, now);
    return s;
  }

  private touch(id: string, s: KeyState, now: EventTime): void {
    s.touched = now;
    if (this.horizon !== null && (now.ms - s.placedMs) * 1e6 <= this.horizon / 4) return;
    this.states.delete(id);
    this.states.set(id, s);
    s.placedMs = now.ms;
  }

  /** The event's key combinations for one filter, read once per push. */
  private keysOf(filter: number, event: Event): KeyValue[][] {
    return (this.keyCache[filter] ??= keyCombinations(this.keyFields[filter]!, event, this.keyCut));
  }

  /** The ids of {@link keysOf}, made once per push: stages repeated by `runs` look them up again and again. */
  private keyIdsOf(filter: number, event: Event): string[] {
    return (this.keyIdCache[filter] ??= this.keysOf(filter, event).map(keyId));
  }

  private setPending(s: KeyState, i: number, p: Partial | undefined): void {
    if (s.pending[i]) {
      this.pendingCount--;
      this.pendingAt[i]!--;
    }
    if (p) {
      this.pendingCount++;
      this.pendingAt[i]!++;
    }
    s.pending[i] = p;
  }

  /** Forgets a key's state; returns how many partial sequences went with it. */
  private dropState(id: string, s: KeyState): number {
    let dropped = 0;
    for (let i = 0; i < s.pending.length; i++) {
      if (!s.pending[i]) continue;
      this.pendingAt[i]!--;
      dropped++;
    }
    this.pendingCount -= dropped;
    this.states.delete(id);
    return dropped;
  }

  /**
   * Forgets a key whose state holds nothing any more (no partial sequence,
   * no missing-stage event, no candidate waiting): a completed or cancelled
   * sequence must not keep its key for ever, as it would without maxspan,
   * where no sweep comes.
   */
  private releaseIfEmpty(id: string, s: KeyState): void {
    if (this.waits(s) || s.pending.some(Boolean) || s.missing.some((h) => h.length > 0)) return;
    this.states.delete(id);
  }

  /**
   * Whether an event that matches stage `stage` of the query (counted as
   * written; the until stage comes last) could change anything now. A RuleSet
   * asks before it hands an event over for the sake of that stage alone.
   */
  wants(stage: number): boolean {
    return stage < this.stageFilter.length ? this.worthEvaluating(this.stageFilter[stage]!) : this.pendingCount > 0;
  }

  /** Whether a filter could change anything for the next event (see filterUses). */
  private worthEvaluating(filter: number): boolean {
    for (const use of this.filterUses[filter]!) {
      if (use.kind === 'always') return true;
      if (use.kind === 'extends' ? this.pendingAt[use.stage]! > 0 : use.kind === 'pending' ? this.pendingCount > 0 : this.awaitingCount > 0) return true;
    }
    return false;
  }

  /**
   * Feeds the next event (events must come in order). Returns the sequences
   * that became final, in order.
   */
  push(item: Placed): Match[] {
    // Each distinct stage filter runs once, after one read of the category;
    // most events match none, and stop here.
    const event = item.event;
    const flags = this.flags;
    const categories = this.plan.categoryField(event);
    let any = false;
    for (let i = 0; i < this.filters.length; i++) {
      const f = this.filters[i]!.filter;
      const category = this.categories[i]!;
      const m = (category === null || someValueIs(categories, category)) && this.worthEvaluating(i) && f.condition(event);
      flags[i] = m;
      if (m) any = true;
    }
    const until = this.plan.until;
    // An until event only cancels: with nothing pending, and nothing this event starts, it has nothing to do.
    const untilMatched = until !== null && (this.pendingCount > 0 || any) && until.filter.matches(event);
    // An event that no stage wants leaves the state alone, and its time is not
    // even read, unless candidates wait for time to pass; sweeping old keys
    // can wait for an event that adds state.
    const acts = any || untilMatched;
    if (!acts && this.awaitingCount === 0) return this.queue.length === this.queueHead ? NO_MATCHES : this.drain(false);
    const now = item.time;
    if (this.awaitingCount > 0 || this.nextSweep === null || nanosBetween(this.nextSweep, now) >= 0) this.expire(now);
    if (!acts) return this.queue.length === this.queueHead ? NO_MATCHES : this.drain(false);

    this.keyCache.fill(undefined);
    this.keyIdCache.fill(undefined);
    let completed: Candidate[] | null = null;
    const n = this.positives.length;

    // Missing-stage events are remembered first; checks compare times strictly, so order does not matter.
    // Only a leading one can matter to a key without state yet: a between one needs a
    // partial sequence already under way, a trailing one a candidate waiting for it.
    for (let mi = 0; mi < this.missingStages.length; mi++) {
      const m = this.missingStages[mi]!;
      if (!flags[m.filter]) continue;
      const keys = this.keysOf(m.filter, event);
      const ids = this.keyIdsOf(m.filter, event);
      for (let k = 0; k < keys.length; k++) {
        if (m.position === 'trailing') {
          const s = this.states.get(ids[k]!);
          if (s && s.awaiting.length > 0) this.trailingEvent(s, now);
          continue;
        }
        const s = m.position === 'leading' ? this.state(keys[k]!, now, ids[k]!) : this.states.get(ids[k]!);
        if (!s) continue;
        const history = s.missing[mi]!;
        history.push(now);
        // Only events within maxspan of now can still drop a candidate.
        while (history.length > 0 && nanosBetween(history[0]!, now) > this.maxspan!) history.shift();
      }
    }

    for (let p = n - 1; p >= 0; p--) {
      const filter = this.positiveFilter[p]!;
      // No key waits for stage p: nothing to look up (a run of 60 stages has most of them empty).
      if (!flags[filter] || (p > 0 && this.pendingAt[p - 1] === 0)) continue;
      const keys = this.keysOf(filter, event);
      const ids = this.keyIdsOf(filter, event);
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k]!;
        if (p === 0) {
          const s = this.state(key, now, ids[k]!);
          if (n === 1) (completed ??= []).push({ events: [item], key, decision: undefined });
          else this.setPending(s, 0, { events: [item] });
          continue;
        }
        // A later stage only extends a partial sequence: keys without one are not looked at further.
        const id = ids[k]!;
        const s = this.states.get(id);
        const prev = s?.pending[p - 1];
        if (!s || !prev) continue;
        this.touch(id, s, now);
        this.setPending(s, p - 1, undefined);
        if (this.maxspan !== null && nanosBetween(prev.events[0]!.time, now) > this.maxspan) continue;
        const next: Partial = { events: [...prev.events, item] };
        if (p === n - 1) (completed ??= []).push({ events: next.events, key, decision: undefined });
        else this.setPending(s, p, next);
      }
    }

    // An until event cancels its key's pending sequences, including those it has just
    // extended or started: Elasticsearch drops a sequence when an until event lies at or
    // after its last event and strictly before the event that would extend it. A sequence
    // that this very event completed stays.
    if (untilMatched) {
      for (const key of keyCombinations(this.untilKeyFields!, event, this.keyCut)) {
        const id = keyId(key);
        const s = this.states.get(id);
        if (!s) continue;
        s.pending.forEach((partial, i) => {
          if (partial) this.setPending(s, i, undefined);
        });
        this.releaseIfEmpty(id, s);
      }
    }

    // Several keys completing on one event come out in key order.
    if (completed !== null) {
      if (completed.length > 1) completed.sort((a, b) => compareSequenceKeys(a.key, b.key));
      for (const c of completed) this.decide(c);
      for (const c of completed) {
        const id = keyId(c.key);
        const s = this.states.get(id);
        if (s) this.releaseIfEmpty(id, s);
      }
    }
    this.enforceLimits();
    return this.queue.length === this.queueHead ? NO_MATCHES : this.drain(false);
  }

  /**
   * Applies the missing-event rules that can be decided now; trailing ones may
   * have to wait. As in Elasticsearch, missing events are looked up with
   * millisecond bounds that exclude the neighbouring events' millisecond, and
   * a candidate survives a found missing event only when it lies more than
   * maxspan away.
   */
  private decide(c: Candidate): void {
    this.queue.push(c);
    if (this.missingStages.length === 0) {
      c.decision = 'keep';
      return;
    }
    const s = this.states.get(keyId(c.key))!;
    const times = c.events.map((e) => e.time);
    const first = times[0]!;
    const last = times[times.length - 1]!;
    let leading: EventTime | undefined;
    for (let mi = 0; mi < this.missingStages.length; mi++) {
      const m = this.missingStages[mi]!;
      const history = s.missing[mi]!;
      if (m.position === 'between') {
        const lo = times[m.before]!.ms;
        const hi = times[m.after]!.ms;
        if (history.some((t) => t.ms > lo && t.ms < hi)) {
          c.decision = 'drop';
          return;
        }
      } else if (m.position === 'leading') {
        for (const t of history) if (t.ms < first.ms && (!leading || nanosBetween(leading, t) > 0)) leading = t;
      }
    }
    const span = this.maxspan!;
    if (!this.hasTrailing) {
      c.decision = leading && nanosBetween(leading, last) <= span ? 'drop' : 'keep';
      return;
    }
    if (this.hasLeading && !leading) {
      c.decision = 'keep';
      return;
    }
    // Wait for the earliest trailing event T after the last positive: it drops the candidate when T − anchor ≤ maxspan.
    c.anchor = leading ?? first;
    c.deadline = { ms: c.anchor.ms + Math.floor(span / 1e6), ns: c.anchor.ns + (span % 1e6) };
    c.waitingIn = s;
    s.awaiting.push(c);
    this.deadlines.push(c);
    this.awaitingKeys.add(s);
    this.awaitingCount++;
  }

  /** A trailing-stage event arrived for a key: it settles the candidates that wait on that key. */
  private trailingEvent(s: KeyState, t: EventTime): void {
    if (s.awaiting.length === 0) return;
    const still: Candidate[] = [];
    for (const c of s.awaiting) {
      if (c.decision !== undefined) continue;
      if (t.ms <= c.events[c.events.length - 1]!.time.ms) {
        still.push(c);
        continue;
      }
      c.decision = nanosBetween(c.anchor!, t) <= this.maxspan! ? 'drop' : 'keep';
      this.awaitingCount--;
    }
    s.awaiting.length = 0;
    s.awaiting.push(...still);
    s.settled = 0;
    if (still.length === 0) this.awaitingKeys.delete(s);
  }

  /** Whether some candidate of the key still waits on a trailing check. */
  private waits(s: KeyState): boolean {
    return s.awaiting.length > s.settled;
  }

  /** Takes the decided candidates out of a key's waiting list. */
  private compact(s: KeyState): void {
    if (s.settled === 0) return;
    const still = s.awaiting.filter((c) => c.decision === undefined);
    s.awaiting.length = 0;
    s.awaiting.push(...still);
    s.settled = 0;
    if (still.length === 0) this.awaitingKeys.delete(s);
  }

  /** Drops state that can no longer matter and settles waiting candidates whose deadline passed. */
  private expire(now: EventTime): void {
    // No trailing event came for these within maxspan of their anchor: they are kept.
    for (let c = this.deadlines.peek(); c !== undefined; c = this.deadlines.peek()) {
      if (c.decision === undefined && !(nanosBetween(c.deadline!, now) > 0)) break;
      this.deadlines.pop();
      if (c.decision !== undefined) continue;
      c.decision = 'keep';
      this.awaitingCount--;
      const s = c.waitingIn!;
      s.settled++;
      // Compacting once half the list is decided keeps the work per candidate constant.
      if (s.settled * 2 >= s.awaiting.length) this.compact(s);
    }
    if (this.horizon === null) return;
    // Sweeping is cheap but not free: do it again after a quarter of the horizon.
    const step = Math.max(1e6, this.horizon / 4);
    this.nextSweep = { ms: now.ms + Math.floor(step / 1e6), ns: now.ns };
    for (const [id, s] of this.states) {
      // Keys are in order of placement, and each was active at or after its placement.
      if ((now.ms - s.placedMs) * 1e6 <= this.horizon) break;
      if (nanosBetween(s.touched, now) <= this.horizon || this.waits(s)) continue;
      this.dropState(id, s);
    }
  }

  private enforceLimits(): void {
    const max = this.limits.maxPendingSequences;
    if (max === undefined || this.pendingCount <= max) return;
    for (const [id, s] of this.states) {
      if (this.pendingCount <= max) break;
      if (this.waits(s) || !s.pending.some(Boolean)) continue;
      this.evictions += this.dropState(id, s);
    }
  }

  /** Emits the decided candidates at the front of the queue, in order. */
  private drain(all: boolean): Match[] {
    const out: Match[] = [];
    const queue = this.queue;
    let head = this.queueHead;
    while (head < queue.length) {
      const c = queue[head]!;
      if (c.decision === undefined) {
        if (!all) break;
        c.decision = 'keep';
      }
      head++;
      if (c.decision === 'keep') out.push(this.toMatch(c));
    }
    // Given-out candidates are cut off once they are half the array, so each costs a constant.
    if (head === queue.length) {
      queue.length = 0;
      head = 0;
    } else if (head * 2 >= queue.length) {
      queue.splice(0, head);
      head = 0;
    }
    this.queueHead = head;
    return out;
  }

  /** Takes the given-out candidates off the front of the queue. */
  private compactQueue(): void {
    if (this.queueHead === 0) return;
    this.queue.splice(0, this.queueHead);
    this.queueHead = 0;
  }

  /** Ends the stream: waiting candidates are kept, since no trailing event can come any more. */
  flush(): Match[] {
    this.awaitingCount = 0;
    for (const s of this.awaitingKeys) {
      s.awaiting.length = 0;
      s.settled = 0;
    }
    this.awaitingKeys.clear();
    this.deadlines.clear();
    return this.drain(true);
  }

  /**
   * The matcher's state for a snapshot, or null when it is as new: each key
   * with its values, its partial sequences (by the stage they last filled),
   * its missing-stage event times and its candidates waiting on a trailing
   * check; the candidates not yet given out, in order; when the next sweep
   * is due; the evictions so far. Keys are listed in the map's order, which
   * sweeps and evictions follow.
   */
  save(w: SnapshotWriter): SnapshotData {
    this.compactQueue();
    if (this.states.size === 0 && this.queue.length === 0 && this.nextSweep === null && this.evictions === 0 && this.keyCut.count === 0) return null;
    // A snapshot lists only the candidates that still wait.
    for (const s of [...this.awaitingKeys]) this.compact(s);
    const candidates = new Map<Candidate, number>();
    const queue = this.queue.map((c, i): SnapshotData => {
      candidates.set(c, i);
      return {
        events: c.events.map(w.item),
        key: c.key.map(saveValue),
        decision: c.decision ?? null,
        deadline: c.deadline ? saveTime(c.deadline) : null,
        anchor: c.anchor ? saveTime(c.anchor) : null,
      };
    });
    const keyPlaces = new Map<KeyState, number>();
    const keys: SnapshotData[] = [];
    for (const s of this.states.values()) {
      keyPlaces.set(s, keys.length);
      keys.push({
        key: s.values.map(saveValue),
        placed: s.placedMs,
        touched: saveTime(s.touched),
        pending: s.pending.map((p) => (p ? p.events.map(w.item) : null)),
        missing: s.missing.map((history) => history.flatMap((t) => [t.ms, t.ns])),
        awaiting: s.awaiting.map((c) => {
          const place = candidates.get(c);
          if (place === undefined) throw new Error('a candidate waits on a trailing check outside the queue');
          return place;
        }),
      });
    }
    return {
      keys,
      queue,
      awaitingKeys: [...this.awaitingKeys].map((s) => keyPlaces.get(s)!),
      nextSweep: this.nextSweep ? saveTime(this.nextSweep) : null,
      evictions: this.evictions,
      keyCutEvents: this.keyCut.count,
    };
  }

  /**
   * Reads a state {@link save} wrote (for this query), checking it, and
   * returns its stats and what puts it in place of the current state.
   */
  restore(r: SnapshotReader, data: unknown, at: string): { readonly stats: SequenceStats; commit(): void } {
    // Most rules of a large set have no state: nothing to read.
    if (data === null) return { stats: { liveKeys: 0, pendingSequences: 0, evictions: 0, awaitingTrailingCheck: 0, keyCutEvents: 0 }, commit: () => this.clear() };
    const positives = this.positives.length;
    const keyLength = this.keyFields[this.positiveFilter[0] ?? 0]?.length ?? 0;
    const keyOf = (x: unknown, where: string): KeyValue[] => {
      const values = array(x, where).map((v, i) => keyValue(v, `${where}[${i}]`));
      if (values.length !== keyLength) corrupt(where, `a key of this query has ${keyLength} values`);
      return values;
    };
    const eventsOf = (x: unknown, length: number, where: string): Placed[] => {
      const refs = array(x, where);
      if (refs.length !== length) corrupt(where, `expected ${length} events`);
      return refs.map((ref, i) => r.item(ref, `${where}[${i}]`));
    };
    const o = record(data, at);
    const queue = array(o.queue, `${at}.queue`).map((x, i): Candidate => {
      const where = `${at}.queue[${i}]`;
      const c = record(x, where);
      if (c.decision !== null && c.decision !== 'keep' && c.decision !== 'drop') corrupt(`${where}.decision`, 'a decision is "keep", "drop" or null');
      const deadline = optionalTime(c.deadline, `${where}.deadline`);
      const anchor = optionalTime(c.anchor, `${where}.anchor`);
      const candidate: Candidate = { events: eventsOf(c.events, positives, `${where}.events`), key: keyOf(c.key, `${where}.key`), decision: c.decision ?? undefined };
      if (deadline) candidate.deadline = deadline;
      if (anchor) candidate.anchor = anchor;
      return candidate;
    });
    const waiting = new Set<Candidate>();
    const states = new Map<string, KeyState>();
    const keyList: KeyState[] = [];
    for (const [i, x] of array(o.keys, `${at}.keys`).entries()) {
      const where = `${at}.keys[${i}]`;
      const k = record(x, where);
      const values = keyOf(k.key, `${where}.key`);
      const pending = array(k.pending, `${where}.pending`);
      if (pending.length !== Math.max(0, positives - 1)) corrupt(`${where}.pending`, `a key of this query has ${Math.max(0, positives - 1)} places for partial sequences`);
      const missing = array(k.missing, `${where}.missing`);
      if (missing.length !== this.missingStages.length) corrupt(`${where}.missing`, `this query has ${this.missingStages.length} missing stages`);
      const state: KeyState = {
        values,
        pending: pending.map((p, stage) => (p === null ? undefined : { events: eventsOf(p, stage + 1, `${where}.pending[${stage}]`) })),
        missing: missing.map((h, mi) => {
          const flat = array(h, `${where}.missing[${mi}]`);
          if (flat.length % 2 !== 0) corrupt(`${where}.missing[${mi}]`, 'times are pairs of milliseconds and nanoseconds');
          const times: EventTime[] = [];
          for (let j = 0; j < flat.length; j += 2) times.push(time([flat[j], flat[j + 1]], `${where}.missing[${mi}][${j}]`));
          return times;
        }),
        awaiting: array(k.awaiting, `${where}.awaiting`).map((ref, j) => {
          const c = queue[count(ref, `${where}.awaiting[${j}]`)];
          if (!c || c.decision !== undefined || !c.deadline || !c.anchor || waiting.has(c)) corrupt(`${where}.awaiting[${j}]`, 'not a candidate waiting on a trailing check');
          waiting.add(c);
          return c;
        }),
        settled: 0,
        touched: time(k.touched, `${where}.touched`),
        placedMs: integer(k.placed, `${where}.placed`),
      };
      const id = keyId(values);
      if (states.has(id)) corrupt(`${where}.key`, 'a key listed twice');
      states.set(id, state);
      keyList.push(state);
    }
    const awaitingKeys = new Set<KeyState>();
    for (const [j, ref] of array(o.awaitingKeys, `${at}.awaitingKeys`).entries()) {
      const s = keyList[count(ref, `${at}.awaitingKeys[${j}]`)];
      if (!s || s.awaiting.length === 0 || awaitingKeys.has(s)) corrupt(`${at}.awaitingKeys[${j}]`, 'not a key with candidates waiting');
      awaitingKeys.add(s);
    }
    if (awaitingKeys.size !== keyList.filter((s) => s.awaiting.length > 0).length) corrupt(`${at}.awaitingKeys`, 'a key with candidates waiting is not listed');
    const nextSweep = optionalTime(o.nextSweep, `${at}.nextSweep`);
    const evictions = count(o.evictions, `${at}.evictions`);
    const keyCutEvents = count(o.keyCutEvents, `${at}.keyCutEvents`);
    const pendingAt = new Array<number>(this.pendingAt.length).fill(0);
    for (const s of keyList) {
      for (let i = 0; i < s.pending.length; i++) if (s.pending[i]) pendingAt[i]!++;
    }
    const pendingCount = pendingAt.reduce((a, b) => a + b, 0);
    return {
      stats: { liveKeys: states.size, pendingSequences: pendingCount, evictions, awaitingTrailingCheck: waiting.size, keyCutEvents },
      commit: () => {
        this.states.clear();
        for (const [id, s] of states) this.states.set(id, s);
        this.queue.length = 0;
        this.queueHead = 0;
        for (const c of queue) this.queue.push(c);
        this.awaitingKeys.clear();
        this.deadlines.clear();
        for (const s of awaitingKeys) {
          this.awaitingKeys.add(s);
          for (const c of s.awaiting) {
            c.waitingIn = s;
            this.deadlines.push(c);
          }
        }
        this.awaitingCount = waiting.size;
        this.pendingAt.splice(0, this.pendingAt.length, ...pendingAt);
        this.pendingCount = pendingCount;
        this.nextSweep = nextSweep;
        this.evictions = evictions;
        this.keyCut.count = keyCutEvents;
      },
    };
  }

  /** Forgets all state, as a new matcher has none. */
  private clear(): void {
    this.states.clear();
    this.queue.length = 0;
    this.queueHead = 0;
    this.awaitingKeys.clear();
    this.deadlines.clear();
    this.awaitingCount = 0;
    this.pendingAt.fill(0);
    this.pendingCount = 0;
    this.nextSweep = null;
    this.evictions = 0;
    this.keyCut.count = 0;
  }

  private toMatch(c: Candidate): Match {
    const events: (Event | null)[] = this.layout.map((l) => (l.missing ? null : c.events[l.index]!.event));
    return { kind: 'sequence', events, joinKeys: renderKeys(c.key, this.dates, 'sequence') };
  }
}

/** Candidates waiting on a trailing check, as a binary heap by deadline. */
class DeadlineHeap {
  private readonly items: Candidate[] = [];

  private static before(a: Candidate, b: Candidate): boolean {
    const x = a.deadline!;
    const y = b.deadline!;
    return x.ms < y.ms || (x.ms === y.ms && x.ns < y.ns);
  }

  peek(): Candidate | undefined {
    return this.items[0];
  }

  push(c: Candidate): void {
    const items = this.items;
    let i = items.length;
    items.push(c);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!DeadlineHeap.before(c, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = c;
  }

  pop(): Candidate | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= items.length) break;
      const r = l + 1;
      const child = r < items.length && DeadlineHeap.before(items[r]!, items[l]!) ? r : l;
      if (!DeadlineHeap.before(items[child]!, last)) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}

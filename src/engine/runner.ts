/**
 * One query's matching over events that arrive in order: the single place
 * where a plan meets events. Batch search and streams both drive it.
 */
import type { Event } from '../semantics/fields.js';
import type { QueryPlan } from '../compile/plan.js';
import type { OrderedEvent } from './order.js';
import type { Match } from './match.js';
import { SequenceMatcher, type SequenceLimits } from './sequence.js';
import { SampleMatcher } from './sample.js';
import { type SnapshotData, type SnapshotReader, type SnapshotWriter, corrupt } from './snapshot.js';

export interface RunnerLimits extends SequenceLimits {
  readonly maxSamplesPerKey?: number;
}

export interface RunnerStats {
  liveKeys: number;
  pendingSequences: number;
  evictions: number;
  /** Events whose join-key combinations were cut off at MAX_KEY_COMBINATIONS (engine/keys.ts). */
  keyCutEvents: number;
}

export interface QueryRunner {
  /** Feeds the next event in order; returns the matches that became final. */
  process(item: OrderedEvent<Event>): Match[];
  /** No more events: returns what was held back. */
  flush(): Match[];
  /**
   * Whether an event matching stage `stage` (of the query's stages as
   * written, until last) could change anything now; false lets a caller that
   * knows the event can match no other stage skip it.
   */
  wants(stage: number): boolean;
  stats(): RunnerStats;
  /** The matching state, for a snapshot; null when there is none yet. */
  save(w: SnapshotWriter): SnapshotData;
  /**
   * Reads a state `save` wrote for this query, checking it: the stats it
   * gives the runner, and `commit` to put it in place of the current state.
   * Nothing changes until `commit`, so a refused snapshot leaves the runner
   * as it was.
   */
  restore(r: SnapshotReader, data: unknown, at: string): RestoredState;
}

/** A checked saved state, not yet in place. */
export interface RestoredState {
  readonly stats: RunnerStats;
  commit(): void;
}

const NO_STATS: RunnerStats = Object.freeze({ liveKeys: 0, pendingSequences: 0, evictions: 0, keyCutEvents: 0 });

/** Shared by every call that finds nothing: no allocation per event. */
const NONE: Match[] = Object.freeze([]) as unknown as Match[];

export function createRunner(plan: QueryPlan, limits: RunnerLimits = {}): QueryRunner {
  switch (plan.kind) {
    case 'event': {
      const matches = plan.filter.matches;
      return {
        process: (item) => {
          if (!matches(item.event)) return NONE;
          // A match needs a usable time in order: reading it checks both (and throws when not).
          void item.time;
          return [{ kind: 'event', events: [item.event], joinKeys: [] }];
        },
        flush: () => [],
        wants: () => true,
        stats: () => ({ ...NO_STATS }),
        // An event query remembers nothing between events.
        save: () => null,
        restore: (_r, data, at) => {
          if (data !== null) corrupt(at, 'an event query has no state');
          return { stats: NO_STATS, commit: () => {} };
        },
      };
    }
    case 'sequence': {
      const m = new SequenceMatcher(plan, limits);
      return {
        process: (item) => m.push(item),
        flush: () => m.flush(),
        wants: (stage) => m.wants(stage),
        stats: () => {
          const s = m.stats();
          return { liveKeys: s.liveKeys, pendingSequences: s.pendingSequences, evictions: s.evictions, keyCutEvents: s.keyCutEvents };
        },
        save: (w) => m.save(w),
        restore: (r, data, at) => {
          const restored = m.restore(r, data, at);
          const s = restored.stats;
          return { stats: { liveKeys: s.liveKeys, pendingSequences: s.pendingSequences, evictions: s.evictions, keyCutEvents: s.keyCutEvents }, commit: restored.commit };
        },
      };
    }
    case 'sample': {
      const m = new SampleMatcher(plan, limits.maxSamplesPerKey ?? 1);
      return {
        process: (item) => {
          m.push(item.event);
          return NONE;
        },
        flush: () => m.flush(),
        wants: () => true,
        stats: () => {
          const s = m.stats();
          return { liveKeys: s.liveKeys, pendingSequences: 0, evictions: 0, keyCutEvents: s.keyCutEvents };
        },
        save: (w) => m.save(w),
        restore: (r, data, at) => {
          const restored = m.restore(r, data, at);
          return { stats: { liveKeys: restored.stats.liveKeys, pendingSequences: 0, evictions: 0, keyCutEvents: restored.stats.keyCutEvents }, commit: restored.commit };
        },
      };
    }
  }
}

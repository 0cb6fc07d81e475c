/**
 * A query's shape as synthesis sees it: its stages with their filters (as
 * written, and as the engine compiled them), the join keys of each, runs,
 * missing stages, `until` and `maxspan`.
 */
import type * as A from '../parser/ast.js';
import { fieldName } from '../parser/ast.js';
import type { FilterPlan, QueryPlan } from '../compile/plan.js';

export interface StageModel {
  /** The stage's place as written (0-based), or null for an event query's one filter. */
  readonly index: number | null;
  readonly filter: A.EventFilter;
  /** The engine's compiled filter, to check each event built. */
  readonly plan: FilterPlan;
  /** The join keys, by position: the query's `by` fields, then the stage's. */
  readonly keys: readonly string[];
  /** The `by` fields as written, for labels. */
  readonly keyNodes: readonly A.Field[];
  readonly runs: number;
  readonly missing: boolean;
}

export interface QueryModel {
  readonly kind: QueryPlan['kind'];
  /** Every stage as written, missing ones included. */
  readonly stages: readonly StageModel[];
  readonly until: StageModel | null;
  readonly maxspanMs: number | null;
  /** The maxspan as written (`5m`), for labels. */
  readonly maxspanText: string | null;
}

/**
 * The model of a compiled query, from the query as the engine runs it: the
 * optimizer's output (`optimizedQuery`), where a stage also carries the
 * conditions other stages put on its join keys.
 */
export function modelOf(plan: QueryPlan, q: A.Query): QueryModel {
  switch (plan.kind) {
    case 'event': {
      const filter = (q as A.EventQuery).filter;
      return { kind: 'event', stages: [{ index: null, filter, plan: plan.filter, keys: [], keyNodes: [], runs: 1, missing: false }], until: null, maxspanMs: null, maxspanText: null };
    }
    case 'sequence': {
      const s = q as A.SequenceQuery;
      const stage = (written: A.SequenceStage | A.JoinStage, index: number | null, filterPlan: FilterPlan, runs: number, missing: boolean): StageModel => {
        const keyNodes = [...s.by, ...written.by];
        return { index, filter: written.filter, plan: filterPlan, keys: keyNodes.map(fieldName), keyNodes, runs, missing };
      };
      return {
        kind: 'sequence',
        stages: s.stages.map((written, i) => stage(written, i, plan.stages[i]!.filter, plan.stages[i]!.runs, written.missing)),
        until: s.until && plan.until ? stage(s.until, null, plan.until.filter, 1, false) : null,
        maxspanMs: plan.maxspanNs === null ? null : Number(plan.maxspanNs / 1_000_000n),
        maxspanText: s.maxspan ? `${s.maxspan.text}${s.maxspan.unit ?? ''}` : null,
      };
    }
    case 'sample': {
      const s = q as A.SampleQuery;
      return {
        kind: 'sample',
        stages: s.stages.map((written, i) => {
          const keyNodes = [...s.by, ...written.by];
          return { index: i, filter: written.filter, plan: plan.stages[i]!.filter, keys: keyNodes.map(fieldName), keyNodes, runs: 1, missing: false };
        }),
        until: null,
        maxspanMs: null,
        maxspanText: null,
      };
    }
  }
}

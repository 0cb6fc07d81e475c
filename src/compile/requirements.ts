/**
 * What a stage's condition requires of any event it matches, for the indexes
 * that skip work on events which cannot match (the RuleSet's literal index,
 * the NDJSON line prefilter). Each index decides what a leaf requires; the
 * and/or algebra and the ranking of fields are shared here.
 */
import type * as A from '../parser/ast.js';

export interface RequirementRules<R> {
  /** What a comparison, match or membership requires, or null when it requires nothing usable. */
  leaf(e: A.Expression): R | null;
  /** Whether `a` rules out more events than `b`. */
  better(a: R, b: R): boolean;
  /** One of several requirements, as a requirement. */
  union(parts: readonly R[]): R;
}

/**
 * A conjunction requires what any one conjunct requires (the most telling is
 * kept); a disjunction requires one of what each branch requires, and nothing
 * when some branch requires nothing. `not` and everything else require nothing.
 */
export function requirementOf<R>(e: A.Expression, rules: RequirementRules<R>): R | null {
  switch (e.type) {
    case 'And': {
      let best: R | null = null;
      for (const o of e.operands) {
        const r = requirementOf(o, rules);
        if (r !== null && (best === null || rules.better(r, best))) best = r;
      }
      return best;
    }
    case 'Or': {
      const parts: R[] = [];
      for (const o of e.operands) {
        const r = requirementOf(o, rules);
        if (r === null) return null;
        parts.push(r);
      }
      return rules.union(parts);
    }
    case 'Comparison':
    case 'Match':
    case 'In':
      return rules.leaf(e);
    default:
      return null;
  }
}

/**
 * Fields whose values say little about an event: a few values across all
 * events (tier 2), or a few dozen (tier 1). A requirement on them is kept
 * only when nothing more telling exists.
 */
const FIELD_TIERS = new Map<string, number>([
  ...[
    'event.category',
    'event.type',
    'event.kind',
    'event.outcome',
    'host.os.type',
    'host.os.family',
    'host.os.name',
    'host.os.platform',
    'network.direction',
    'network.transport',
    'agent.type',
    'data_stream.namespace',
    'data_stream.type',
    'user.domain',
  ].map((f) => [f, 2] as const),
  ...['event.action', 'event.module', 'event.dataset', 'event.provider', 'event.code', 'network.protocol', 'data_stream.dataset'].map((f) => [f, 1] as const),
]);

/** The fields with few distinct values, by name: the candidates for splitting rules by value (see rules/rule-index.ts). */
export const FEW_VALUE_FIELDS: readonly string[] = [...FIELD_TIERS.keys()];

/** 0 for telling fields; 1 or 2 for fields with few distinct values. */
export function fieldTier(name: string): number {
  return FIELD_TIERS.get(name) ?? 0;
}

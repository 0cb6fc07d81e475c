/**
 * What a condition requires of any event it matches, as code generation
 * finds it while it compiles each leaf: the indexes that skip work on events
 * which cannot match (the RuleSet's literal index, the NDJSON line
 * prefilter) are built from these, not from the AST, so the semantics of a
 * field (what text it compares by, what `null_value` and `constant_keyword`
 * do) are decided once, where the leaf is compiled.
 *
 * A condition's requirement is a tree that mirrors its `and` and `or`; a
 * leaf names a field and what one of its values must be (a text, or contain
 * one). Each index decides which leaves it can use; the and/or algebra and
 * the ranking of fields are shared here.
 */

/** One thing a value of the field may be, for the leaf to hold. */
export interface TextTerm {
  /** The text, as the field's keyword text holds it (not case-folded). */
  readonly text: string;
  /** Whether the value contains the text (a wildcard's or a regex's literal part) rather than equals it. */
  readonly contains: boolean;
  /** What the literal was, for an equal term: a text, a boolean, an integer numbers hold exactly, or another number. */
  readonly literal: 'string' | 'boolean' | 'integer' | 'number' | null;
}

/** A leaf that compares a field whose values reach the event as the text they compare by. */
export interface TextNeed {
  readonly kind: 'text';
  /** The field's name as written (which ranks it) and the path its values are read at. */
  readonly name: string;
  readonly path: string;
  /** Whether the leaf compares without regard to ASCII case. */
  readonly caseInsensitive: boolean;
  /** Some value of the field meets one of these; none: the leaf requires nothing an index can use. */
  readonly terms: readonly TextTerm[];
}

/** A leaf that holds only when the field has a value (`x != null`, `x like "?*"`). */
export interface PresenceNeed {
  readonly kind: 'present';
  readonly path: string;
}

export type ConditionNeed =
  | TextNeed
  | PresenceNeed
  | { readonly kind: 'and'; readonly parts: readonly ConditionNeed[] }
  | { readonly kind: 'or'; readonly parts: readonly ConditionNeed[] }
  /** A leaf (or a `not`) that requires nothing an index can use. */
  | { readonly kind: 'none' };

export const NO_NEED: ConditionNeed = { kind: 'none' };

export interface RequirementRules<R> {
  /** What a text leaf requires, or null when it requires nothing usable. */
  leaf(need: TextNeed): R | null;
  /** Whether `a` rules out more events than `b`. */
  better(a: R, b: R): boolean;
  /** One of several requirements, as a requirement. */
  union(parts: readonly R[]): R;
}

/**
 * A conjunction requires what any one conjunct requires (the most telling is
 * kept); a disjunction requires one of what each branch requires, and nothing
 * when some branch requires nothing. Everything else requires nothing.
 */
export function requirementOf<R>(need: ConditionNeed, rules: RequirementRules<R>): R | null {
  switch (need.kind) {
    case 'and': {
      let best: R | null = null;
      for (const p of need.parts) {
        const r = requirementOf(p, rules);
        if (r !== null && (best === null || rules.better(r, best))) best = r;
      }
      return best;
    }
    case 'or': {
      const parts: R[] = [];
      for (const p of need.parts) {
        const r = requirementOf(p, rules);
        if (r === null) return null;
        parts.push(r);
      }
      return rules.union(parts);
    }
    case 'text':
      return rules.leaf(need);
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

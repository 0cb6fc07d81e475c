/**
 * How much a field's value says about an event, for the indexes that pick
 * the most telling condition of a stage (RuleSet dispatch, line prefilter).
 */

/**
 * Fields whose values say little about an event: a few values across all
 * events (tier 2), or a few dozen (tier 1). A requirement on them is kept
 * only when nothing more telling exists.
 */
const FIELD_TIERS = new Map<string, number>([
  ...['event.category', 'event.type', 'event.kind', 'event.outcome', 'host.os.type', 'host.os.family', 'host.os.name', 'host.os.platform',
    'network.direction', 'network.transport', 'agent.type', 'data_stream.namespace', 'data_stream.type', 'user.domain'].map((f) => [f, 2] as const),
  ...['event.action', 'event.module', 'event.dataset', 'event.provider', 'event.code', 'network.protocol', 'data_stream.dataset'].map((f) => [f, 1] as const),
]);

/** 0 for telling fields; 1 or 2 for fields with few distinct values. */
export function fieldTier(name: string): number {
  return FIELD_TIERS.get(name) ?? 0;
}

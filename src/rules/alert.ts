/**
 * Alerts: what a rule reports for each match. Plain JSON, versioned, in the
 * spirit of Kibana's alert documents (rule identity, severity, risk and
 * threat mapping; the matched events; join keys; the time span).
 */
import { createHash } from 'node:crypto';
import type { Event } from '../semantics/fields.js';
import type { CompiledQuery } from '../engine/compiled-query.js';
import type { Match } from '../engine/match.js';
import { readEventTime, type EventTime } from '../engine/order.js';
import type { Rule, Threat } from './rule.js';

/** The alert format version; bumped on any incompatible change. */
export const ALERT_SCHEMA = 'eqlkit/alert@1';

export interface AlertRule {
  readonly rule_id: string;
  readonly name: string;
  readonly severity: string | null;
  readonly risk_score: number | null;
  readonly tags: readonly string[];
  readonly threat: readonly Threat[];
  readonly type: string;
  readonly building_block_type: string | null;
  readonly file: string | null;
}

export interface Alert {
  readonly schema: typeof ALERT_SCHEMA;
  /** A stable id: the same rule and events give the same id. */
  readonly id: string;
  readonly rule: AlertRule;
  readonly kind: Match['kind'];
  /** The matched events in order; `null` marks a missing-event stage. */
  readonly events: readonly (Event | null)[];
  readonly join_keys: readonly unknown[];
  /** ISO-8601 time of the first and last matched events (null for samples without times). */
  readonly first_event_time: string | null;
  readonly last_event_time: string | null;
}

/** ISO-8601 with nanoseconds when there are any. */
function formatTime(t: EventTime): string {
  const iso = new Date(t.ms).toISOString();
  return t.ns === 0 ? iso : `${iso.slice(0, -1)}${String(t.ns).padStart(6, '0')}Z`;
}

/** What makes a detection itself: its events and keys. An event too deep to serialise is named by its times. */
function identity(match: Match): string {
  try {
    return JSON.stringify([match.events, match.joinKeys]);
  } catch {
    return JSON.stringify([match.kind, match.events.length, String(match.joinKeys)]);
  }
}

export function toAlert(rule: Rule, query: CompiledQuery, match: Match): Alert {
  const present = match.events.filter((e): e is Event => e !== null);
  const timeOf = (e: Event | undefined) => (e ? readEventTime(query.plan.timestamp(e)) : null);
  const first = timeOf(present[0]);
  const last = timeOf(present[present.length - 1]);
  const id = createHash('sha256').update(rule.ruleId).update('\u0000').update(identity(match)).digest('hex').slice(0, 32);
  return {
    schema: ALERT_SCHEMA,
    id,
    rule: {
      rule_id: rule.ruleId,
      name: rule.name,
      severity: rule.severity,
      risk_score: rule.riskScore,
      tags: rule.tags,
      threat: rule.threat,
      type: rule.type,
      building_block_type: rule.buildingBlockType,
      file: rule.file,
    },
    kind: match.kind,
    events: match.events,
    join_keys: match.joinKeys,
    first_event_time: first ? formatTime(first) : null,
    last_event_time: last ? formatTime(last) : null,
  };
}

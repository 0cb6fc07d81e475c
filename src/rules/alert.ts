/**
 * Alerts: what a rule reports for each match. Plain JSON, versioned, in the
 * spirit of Kibana's alert documents (rule identity, severity, risk and
 * threat mapping; the matched events; join keys; the time span).
 */
import type { Event } from '../semantics/fields.js';
import type { CompiledQuery } from '../engine/compiled-query.js';
import type { Match } from '../engine/match.js';
import { readEventTime, type EventTime } from '../engine/order.js';
import type { Rule, Threat } from './rule.js';
import { sha256Hex } from '../sha256.js';

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
  const iso = isoTimeOfMillis(t.ms);
  return t.ns === 0 ? iso : `${iso.slice(0, -1)}${String(t.ns).padStart(6, '0')}Z`;
}

/** The most milliseconds from the epoch, either way, that a JavaScript Date holds. */
const DATE_LIMIT_MS = 8.64e15;
const MS_PER_DAY = 86_400_000n;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * Epoch milliseconds as ISO-8601 text in UTC, as `Date#toISOString` gives
 * it. An event's time may lie beyond the range of a Date (about 275,000 years
 * either way; Elasticsearch's dates go much further), where `toISOString`
 * throws: such a date is worked out here instead, exactly, in the proleptic
 * Gregorian calendar, with the expanded year `toISOString` uses beyond four
 * digits (a sign, then at least six digits: `+275760-09-13T00:00:00.001Z`).
 */
export function isoTimeOfMillis(ms: number): string {
  if (Math.abs(ms) <= DATE_LIMIT_MS) return new Date(ms).toISOString();
  const total = BigInt(Math.floor(ms));
  let days = total / MS_PER_DAY;
  let rest = total % MS_PER_DAY;
  if (rest < 0n) {
    rest += MS_PER_DAY;
    days -= 1n;
  }
  // Howard Hinnant's civil_from_days, in big integers.
  const z = days + 719_468n;
  const era = (z >= 0n ? z : z - 146_096n) / 146_097n;
  const doe = z - era * 146_097n;
  const yoe = (doe - doe / 1_460n + doe / 36_524n - doe / 146_096n) / 365n;
  const doy = doe - (365n * yoe + yoe / 4n - yoe / 100n);
  const mp = (5n * doy + 2n) / 153n;
  const day = Number(doy - (153n * mp + 2n) / 5n + 1n);
  const month = Number(mp < 10n ? mp + 3n : mp - 9n);
  const year = yoe + era * 400n + (month <= 2 ? 1n : 0n);
  const yearText = year < 0n ? `-${(-year).toString().padStart(6, '0')}` : `+${year.toString().padStart(6, '0')}`;
  const r = Number(rest);
  const time = `${pad(Math.floor(r / 3_600_000), 2)}:${pad(Math.floor(r / 60_000) % 60, 2)}:${pad(Math.floor(r / 1000) % 60, 2)}.${pad(r % 1000, 3)}`;
  return `${yearText}-${pad(month, 2)}-${pad(day, 2)}T${time}Z`;
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
  const id = sha256Hex(rule.ruleId, '\u0000', identity(match)).slice(0, 32);
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

/**
 * The summary on stderr at the end of a run, for people, as chainsaw and
 * hayabusa print one: for `run`, alerts by rule, by severity and by host
 * above the counts line; for `query`, the counts line alone.
 *
 * The counts line comes last and keeps its shape
 * (`43 read, 40 evaluated, 3 reported; 4 alerts in 0.01 s, …`), so that a
 * script can read it with `tail -1`.
 */
import type { Alert } from '../rules/alert.js';
import { distinctValues, escapeControls } from './columns.js';
import { plural } from './plural.js';

export interface SummaryCounts {
  /** Lines (or array elements) read, those --prefilter skipped unparsed included. */
  readonly read: number;
  /** Events given to the engine. */
  readonly evaluated: number;
  /** Lines --prefilter skipped without parsing them. */
  readonly skipped: number;
  /** Bad lines reported on stderr. */
  readonly reported: number;
  /** Results printed, when --size or `| tail` printed fewer than were found. */
  readonly printed?: number;
  readonly seconds: number;
}

/** What finish() needs of either summary. */
export interface Summary {
  add(item: unknown): void;
  /** Results added so far. */
  readonly found: number;
  render(counts: SummaryCounts): string;
}

/** The last line: what was read, what was found, how fast. The rate is of lines read, parsed or not: the speed of the input. */
export function countsLine(counts: SummaryCounts, found: number, word: string): string {
  const unparsed = counts.skipped > 0 ? `, ${counts.skipped} skipped by the prefilter` : '';
  const printed = counts.printed !== undefined && counts.printed < found ? ` (${counts.printed} printed)` : '';
  const rate = counts.seconds > 0 ? `, ${Math.round(counts.read / counts.seconds).toLocaleString('en')} events/s` : '';
  return `${counts.read} read, ${counts.evaluated} evaluated${unparsed}, ${counts.reported} reported; ${plural(found, word)}${printed} in ${counts.seconds.toFixed(2)} s${rate}\n`;
}

export class MatchSummary implements Summary {
  found = 0;

  add(_match?: unknown): void {
    this.found++;
  }

  render(counts: SummaryCounts): string {
    return countsLine(counts, this.found, 'match');
  }
}

/** Severities from the most to the least urgent, as Elastic rules name them. */
export const SEVERITY_ORDER: readonly string[] = ['critical', 'high', 'medium', 'low'];
const NO_SEVERITY = 'no severity';

export interface AlertSummaryOptions {
  /** Rules listed one a line, the most alerts first (default 10). */
  readonly topRules?: number;
  /** Hosts listed (default 5). */
  readonly topHosts?: number;
}

/** Keys by descending count, ties by name, so that the summary does not depend on arrival order. */
function ranked<K>(counts: Map<K, number>, name: (key: K) => string): [K, number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || (name(a[0]) < name(b[0]) ? -1 : name(a[0]) > name(b[0]) ? 1 : 0));
}

const bump = <K>(counts: Map<K, number>, key: K): void => {
  counts.set(key, (counts.get(key) ?? 0) + 1);
};

export class AlertSummary implements Summary {
  found = 0;
  /** By rule_id: rules with one name may differ. */
  private readonly rules = new Map<string, number>();
  private readonly ruleNames = new Map<string, string>();
  private readonly severities = new Map<string, number>();
  /** An alert counts once for each host among its events. */
  private readonly hosts = new Map<string, number>();

  constructor(private readonly options: AlertSummaryOptions = {}) {}

  add(item: unknown): void {
    const alert = item as Alert;
    this.found++;
    const id = alert.rule.rule_id;
    bump(this.rules, id);
    if (!this.ruleNames.has(id)) this.ruleNames.set(id, alert.rule.name);
    bump(this.severities, alert.rule.severity ?? NO_SEVERITY);
    for (const host of distinctValues(alert.events, 'host.name')) bump(this.hosts, host);
  }

  render(counts: SummaryCounts): string {
    return this.breakdown() + countsLine(counts, this.found, 'alert');
  }

  private breakdown(): string {
    if (this.found === 0) return '';
    const top = this.options.topRules ?? 10;
    const rules = ranked(this.rules, (id) => this.ruleNames.get(id)!);
    const shown = rules.slice(0, top);
    const width = String(shown[0]![1]).length;
    const lines = ['Alerts by rule:'];
    for (const [id, n] of shown) lines.push(`  ${String(n).padStart(width)}  ${this.ruleNames.get(id)}`);
    const rest = rules.slice(top);
    if (rest.length > 0) {
      const alerts = rest.reduce((sum, [, n]) => sum + n, 0);
      lines.push(`  ${'…'.padStart(width)}  ${plural(rest.length, 'more rule')} with ${plural(alerts, 'alert')}`);
    }
    const severity = [...this.severities.keys()].sort((a, b) => severityRank(a) - severityRank(b) || (a < b ? -1 : a > b ? 1 : 0));
    lines.push(`Alerts by severity: ${severity.map((s) => `${this.severities.get(s)} ${s}`).join(', ')}`);
    if (this.hosts.size > 0) {
      const topHosts = this.options.topHosts ?? 5;
      const hosts = ranked(this.hosts, (h) => h);
      const more = hosts.length > topHosts ? `, ${plural(hosts.length - topHosts, 'more host')}` : '';
      lines.push(
        `Alerts by host: ${hosts
          .slice(0, topHosts)
          .map(([h, n]) => `${escapeControls(h)} ${n}`)
          .join(', ')}${more}`,
      );
    }
    return `${lines.join('\n')}\n`;
  }
}

/** Known severities in their order; others after them by name, alerts without one last. */
function severityRank(severity: string): number {
  const known = SEVERITY_ORDER.indexOf(severity);
  if (known >= 0) return known;
  return severity === NO_SEVERITY ? SEVERITY_ORDER.length + 1 : SEVERITY_ORDER.length;
}

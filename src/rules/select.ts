/**
 * Choosing which loaded rules to run: by severity, by tag, and whether
 * building blocks (rules whose alerts Kibana hides, made to feed other rules)
 * take part.
 */
import { EqlInvalidArgumentError } from '../errors.js';
import type { Rule } from './rule.js';

/** Kibana's rule severities, lowest first. */
export type Severity = 'low' | 'medium' | 'high' | 'critical';

export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];

const RANK: ReadonlyMap<string, number> = new Map(SEVERITIES.map((s, i) => [s, i]));

/** A severity written in any case (`High`), or null when the value is none of the four. */
export function severityOf(value: unknown): Severity | null {
  if (typeof value !== 'string') return null;
  const folded = value.replace(/[A-Z]+/g, (c) => c.toLowerCase());
  return RANK.has(folded) ? (folded as Severity) : null;
}

export interface RuleSelection {
  /**
   * Keep rules of this severity or a higher one. A rule whose severity is
   * missing or none of the four is left out: it is not known to reach it.
   */
  readonly minSeverity?: Severity;
  /**
   * Keep rules with at least one of these tags, compared whole and without
   * regard to case (`os: windows` is `OS: Windows`). An empty list selects
   * by no tag, as when it is absent.
   */
  readonly tags?: readonly string[];
  /** Leave out building-block rules: those with `building_block_type` set. */
  readonly excludeBuildingBlocks?: boolean;
}

const foldTag = (tag: string): string => tag.toLowerCase();

/**
 * The test {@link selectRules} applies to each rule.
 *
 * @throws EqlInvalidArgumentError when `minSeverity` is not a severity or a tag is not text
 */
export function ruleFilter(selection: RuleSelection = {}): (rule: Rule) => boolean {
  const { minSeverity, tags, excludeBuildingBlocks = false } = selection;
  let floor = 0;
  if (minSeverity !== undefined) {
    const rank = RANK.get(minSeverity);
    if (rank === undefined) throw new EqlInvalidArgumentError('selectRules', 'selection.minSeverity', `one of ${SEVERITIES.join(', ')}`, minSeverity);
    floor = rank;
  }
  let wanted: ReadonlySet<string> | null = null;
  if (tags !== undefined && tags.length > 0) {
    const bad = tags.find((t) => typeof t !== 'string');
    if (bad !== undefined) throw new EqlInvalidArgumentError('selectRules', 'selection.tags', 'a list of texts', bad);
    wanted = new Set(tags.map(foldTag));
  }
  return (rule) => {
    if (excludeBuildingBlocks && rule.buildingBlockType !== null) return false;
    if (minSeverity !== undefined) {
      const severity = severityOf(rule.severity);
      if (severity === null || RANK.get(severity)! < floor) return false;
    }
    return wanted === null || rule.tags.some((t) => wanted.has(foldTag(t)));
  };
}

/**
 * The rules that meet every condition of the selection, in their order. With
 * no condition, all of them.
 *
 * @throws EqlInvalidArgumentError when `minSeverity` is not a severity or a tag is not text
 */
export function selectRules(rules: Iterable<Rule>, selection: RuleSelection = {}): Rule[] {
  return [...rules].filter(ruleFilter(selection));
}

/**
 * A test on the raw text of an NDJSON line that rules out, before any
 * JSON.parse, lines that no stage of a query could match.
 *
 * Most stages hold a conjunct such as `process.name : "svchost.exe"`: an event
 * can match only if one of its string values contains that text, and a JSON
 * line spells its string values out. So each stage gives a set of needles of
 * which the line must contain one; a query's needles are the union over all
 * its stages, `until` and missing stages included; a regex gives the text
 * every match contains, when there is one. A stage without needles (a range,
 * a function, most regexes, `any where true`) turns the prefilter off.
 *
 * The test must never drop a line that could matter, so it is conservative:
 * - needles are written as JSON writes them (quotes and backslashes escaped),
 *   and a line with a `\u` or `\/` escape, which could hide a needle, is kept;
 * - a case-insensitive needle is searched in the lower-cased line, and a line
 *   with non-ASCII text is kept when such needles exist, since Unicode case
 *   rules (final sigma, the Kelvin sign) are not substring-preserving;
 * - a needle made only of characters a number can print (`4`, `1e2`, `-0.5`)
 *   is not used: the number 100 may be written `1e2` in JSON.
 */
import type * as A from '../parser/ast.js';
import { eventFiltersOf, fieldName } from '../parser/ast.js';
import { fieldTier, requirementOf, type RequirementRules } from './requirements.js';
import type { QueryPlan } from './plan.js';
import { resolveField, type Schema } from '../analyze/schema.js';
import { SubstringIndex } from '../text/substring-index.js';
import { anchorOf } from '../text/wildcard-set.js';
import { regexNeedles } from '../text/regex.js';

/** Text that a matching event's JSON must contain. */
export interface Needle {
  readonly text: string;
  /** Whether the query compares this text without regard to ASCII case. */
  readonly foldCase: boolean;
}

/** One of these needles must occur; the field they came from ranks them. */
interface Requirement {
  readonly needles: readonly Needle[];
  /** The least telling field among those the needles came from. */
  readonly tier: number;
}

const NUMBER_TEXT = /^[-+.0-9eE]*$/;

/** The text as it appears between the quotes of a JSON string. */
function jsonText(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}

class NeedleFinder {
  constructor(
    private readonly schema: Schema | undefined,
    private readonly timestampField: string,
  ) {}

  /** Whether values of the field reach the event as the JSON strings they compare with. */
  private usable(field: A.Expression): field is A.Field {
    if (field.type !== 'Field') return false;
    const name = fieldName(field);
    if (name === this.timestampField) return false;
    if (!this.schema) return true;
    const spec = resolveField(this.schema, name)?.spec;
    // A null_value stands in for an explicit null, which the text spells `null`; a constant_keyword's value need not be in the text at all.
    return spec !== undefined && spec !== null && (spec.type === 'keyword' || spec.type === 'text') && spec.nullValue === undefined && spec.constantValue === undefined;
  }

  private requirement(field: A.Field, texts: readonly string[], foldCase: boolean): Requirement | null {
    const needles: Needle[] = [];
    for (const t of texts) {
      if (t === '' || NUMBER_TEXT.test(t)) return null;
      const text = jsonText(t);
      // A lone surrogate is escaped alone, but may stand paired in the line.
      if (text.includes('\\u')) return null;
      needles.push({ text: foldCase ? text.toLowerCase() : text, foldCase });
    }
    return needles.length > 0 ? { needles, tier: fieldTier(fieldName(field)) } : null;
  }

  private readonly rules: RequirementRules<Requirement> = {
    leaf: (e) => this.leaf(e),
    better,
    union: (parts) => ({ needles: parts.flatMap((p) => p.needles), tier: Math.max(...parts.map((p) => p.tier)) }),
  };

  /** What a condition needs of the text, or null when it might match without any. */
  of(e: A.Expression): Requirement | null {
    return requirementOf(e, this.rules);
  }

  private leaf(e: A.Expression): Requirement | null {
    switch (e.type) {
      case 'Comparison': {
        if (e.operator !== '==') return null;
        const [field, value] = e.left.type === 'Field' ? [e.left, e.right] : [e.right, e.left];
        if (!this.usable(field) || value.type !== 'String') return null;
        return this.requirement(field, [value.value], false);
      }
      case 'Match': {
        if (!this.usable(e.subject)) return null;
        if (!e.patterns.every((p) => p.type === 'String')) return null;
        if (e.operator === 'regex' || e.operator === 'regex~') {
          // A case-insensitive regex gives ASCII-folded texts, found in the folded value.
          const caseInsensitive = e.operator === 'regex~';
          const texts = regexNeedles(
            e.patterns.map((p) => (p as A.StringLiteral).value),
            caseInsensitive,
          );
          return texts ? this.requirement(e.subject, texts, caseInsensitive) : null;
        }
        // A wildcard pattern needs its longest literal run somewhere in the value.
        const texts = e.patterns.map((p) => anchorOf((p as A.StringLiteral).value));
        return this.requirement(e.subject, texts, e.operator !== 'like');
      }
      case 'In': {
        if (e.negated || !this.usable(e.subject)) return null;
        if (!e.values.every((v) => v.type === 'String')) return null;
        return this.requirement(
          e.subject,
          e.values.map((v) => (v as A.StringLiteral).value),
          e.caseInsensitive,
        );
      }
      default:
        return null;
    }
  }
}

/** Telling fields first, then long needles (rare in text), then few of them. */
function better(a: Requirement, b: Requirement): boolean {
  if (a.tier !== b.tier) return a.tier < b.tier;
  const shortest = (r: Requirement) => Math.min(...r.needles.map((n) => n.text.length));
  const sa = shortest(a);
  const sb = shortest(b);
  if (sa !== sb) return sa > sb;
  return a.needles.length < b.needles.length;
}

/** The needles of a query, one of which every line it could use contains; null when there are none. */
export function queryNeedles(plan: QueryPlan): Needle[] | null {
  const finder = new NeedleFinder(plan.options.schema, plan.options.timestampField);
  const out: Needle[] = [];
  for (const filter of eventFiltersOf(plan.query)) {
    const r = finder.of(filter.condition);
    if (!r) return null;
    out.push(...r.needles);
  }
  return out;
}

/** Above this many needles, one Aho-Corasick pass beats a search per needle. */
const INDEX_THRESHOLD = 8;

/** A set of needles to look for in text, by one of two strategies. */
class NeedleSearch {
  private readonly list: string[];
  private readonly index: SubstringIndex | null = null;

  constructor(texts: readonly string[]) {
    this.list = [...new Set(texts)];
    if (this.list.length > INDEX_THRESHOLD) {
      this.index = new SubstringIndex();
      this.list.forEach((t, i) => {
        this.index!.add(t, i);
      });
    }
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  foundIn(text: string): boolean {
    if (this.index) {
      let found = false;
      this.index.scan(text, () => (found = true));
      return found;
    }
    for (const t of this.list) if (text.includes(t)) return true;
    return false;
  }
}

const ESCAPE_THAT_HIDES = /\\[u/]/;
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Decides from the raw text of an NDJSON line whether it could hold an event
 * that matters to the queries it was built for. It only ever answers "no"
 * when no stage of any of them could match the line's event.
 */
export class LinePrefilter {
  private readonly exact: NeedleSearch;
  private readonly folded: NeedleSearch;

  private constructor(needles: readonly Needle[]) {
    this.exact = new NeedleSearch(needles.filter((n) => !n.foldCase).map((n) => n.text));
    this.folded = new NeedleSearch(needles.filter((n) => n.foldCase).map((n) => n.text));
  }

  /** A prefilter for all these queries together, or null when one of them could match any line. */
  static forPlans(plans: Iterable<QueryPlan>): LinePrefilter | null {
    const all: Needle[] = [];
    for (const plan of plans) {
      const needles = queryNeedles(plan);
      if (!needles) return null;
      all.push(...needles);
    }
    return all.length > 0 ? new LinePrefilter(all) : null;
  }

  /** False only when the line's event cannot match: it may be skipped unparsed. */
  mayMatch(line: string): boolean {
    if (!this.exact.empty && this.exact.foundIn(line)) return true;
    if (!this.folded.empty && this.folded.foundIn(line.toLowerCase())) return true;
    if (ESCAPE_THAT_HIDES.test(line)) return true;
    return !this.folded.empty && NON_ASCII.test(line);
  }
}

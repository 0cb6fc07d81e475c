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
import { type ConditionNeed, fieldTier, requirementOf, type RequirementRules, type TextNeed } from './requirements.js';
import { filtersOf, type QueryPlan } from './plan.js';
import { SubstringIndex } from '../text/substring-index.js';

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
  private requirement(name: string, texts: readonly string[], foldCase: boolean): Requirement | null {
    const needles: Needle[] = [];
    for (const t of texts) {
      if (t === '' || NUMBER_TEXT.test(t)) return null;
      const text = jsonText(t);
      // A lone surrogate is escaped alone, but may stand paired in the line.
      if (text.includes('\\u')) return null;
      needles.push({ text: foldCase ? text.toLowerCase() : text, foldCase });
    }
    return needles.length > 0 ? { needles, tier: fieldTier(name) } : null;
  }

  private readonly rules: RequirementRules<Requirement> = {
    leaf: (need) => this.leaf(need),
    better,
    union: (parts) => ({ needles: parts.flatMap((p) => p.needles), tier: Math.max(...parts.map((p) => p.tier)) }),
  };

  /** What a condition needs of the text, or null when it might match without any. */
  of(need: ConditionNeed): Requirement | null {
    return requirementOf(need, this.rules);
  }

  /**
   * A JSON line spells a string value out: a value equal to a text literal,
   * or containing a text, has that text in the line. Numbers and booleans
   * have other spellings.
   */
  private leaf(need: TextNeed): Requirement | null {
    const texts: string[] = [];
    for (const t of need.terms) {
      if (!t.contains && t.literal !== 'string') return null;
      texts.push(t.text);
    }
    return this.requirement(need.name, texts, need.caseInsensitive);
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
  const finder = new NeedleFinder();
  const out: Needle[] = [];
  for (const filter of filtersOf(plan)) {
    const r = finder.of(filter.need);
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

  /**
   * A prefilter for all these queries together, or null when one of them could match any line.
   * @internal
   */
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

/**
 * Many wildcard patterns against one value, in one pass. Rules often list
 * dozens (sometimes thousands) of patterns: `x : ("*a*", "b*", …)`. Each
 * pattern contributes its longest literal run; a substring index finds every
 * run present in the text in time linear in the text, and only the patterns
 * whose run was found are checked in full. Patterns without a literal run
 * (`*`, `?`) are always checked.
 */
import { type CaseFolding, folder } from '../semantics/case-folding.js';
import { SubstringIndex } from './substring-index.js';
import { WildcardPattern } from './wildcard.js';

/** The longest run of literal characters in a (folded) EQL wildcard pattern, or ''. */
export function anchorOf(pattern: string): string {
  let best = '';
  for (const run of pattern.split(/[*?]/)) if (run.length > best.length) best = run;
  return best;
}

export class WildcardSet {
  private readonly index = new SubstringIndex();
  private readonly patterns: WildcardPattern[];
  private readonly always: number[] = [];
  private readonly fold: (s: string) => string;
  /** Stamps to check each candidate pattern at most once per text. */
  private readonly seen: Uint32Array;
  private stamp = 0;

  constructor(patterns: readonly string[], caseFolding: CaseFolding) {
    this.fold = folder(caseFolding);
    this.patterns = patterns.map((p) => new WildcardPattern(p, caseFolding));
    this.seen = new Uint32Array(patterns.length);
    patterns.forEach((p, i) => {
      const anchor = anchorOf(this.fold(p));
      if (anchor === '') this.always.push(i);
      else this.index.add(anchor, i);
    });
  }

  /** Whether any pattern matches the text. */
  matches(text: string): boolean {
    for (const i of this.always) if (this.patterns[i]!.matches(text)) return true;
    if (++this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    let hit = false;
    this.index.scan(this.fold(text), (i) => {
      if (this.seen[i] === stamp) return false;
      this.seen[i] = stamp;
      hit = this.patterns[i]!.matches(text);
      return hit;
    });
    return hit;
  }
}

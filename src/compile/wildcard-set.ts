/**
 * Many wildcard patterns against one value, in one pass. Rules often list
 * dozens (sometimes thousands) of patterns: `x : ("*a*", "b*", …)`. Each
 * pattern contributes its longest literal run; an Aho-Corasick automaton
 * finds every run present in the text in time linear in the text, and only
 * the patterns whose run was found are checked in full. Patterns without a
 * literal run (`*`, `?`) are always checked.
 */
import { type CaseFolding, folder } from './case-folding.js';
import { WildcardPattern } from './wildcard.js';

interface Node {
  readonly next: Map<number, Node>;
  fail: Node | null;
  /** Patterns whose anchor ends here, including those reached through fail links. */
  out: number[];
}

const newNode = (): Node => ({ next: new Map(), fail: null, out: [] });

/** The longest run of literal characters in a pattern (after folding), or ''. */
function anchorOf(pattern: string): string {
  let best = '';
  for (const run of pattern.split(/[*?]/)) if (run.length > best.length) best = run;
  return best;
}

export class WildcardSet {
  private readonly root: Node = newNode();
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
      if (anchor === '') {
        this.always.push(i);
        return;
      }
      let node = this.root;
      for (let k = 0; k < anchor.length; k++) {
        const c = anchor.charCodeAt(k);
        let child = node.next.get(c);
        if (!child) {
          child = newNode();
          node.next.set(c, child);
        }
        node = child;
      }
      node.out.push(i);
    });
    this.link();
  }

  /** Breadth-first failure links, with outputs merged along them. */
  private link(): void {
    const queue: Node[] = [];
    for (const child of this.root.next.values()) {
      child.fail = this.root;
      queue.push(child);
    }
    for (let q = 0; q < queue.length; q++) {
      const node = queue[q]!;
      for (const [c, child] of node.next) {
        let f = node.fail;
        while (f && !f.next.has(c)) f = f.fail;
        child.fail = f ? f.next.get(c)! : this.root;
        if (child.fail.out.length > 0) child.out = [...child.out, ...child.fail.out];
        queue.push(child);
      }
    }
  }

  /** Whether any pattern matches the text. */
  matches(text: string): boolean {
    for (const i of this.always) if (this.patterns[i]!.matches(text)) return true;
    const folded = this.fold(text);
    if (++this.stamp === 0xffffffff) {
      this.seen.fill(0);
      this.stamp = 1;
    }
    const stamp = this.stamp;
    let node = this.root;
    for (let k = 0; k < folded.length; k++) {
      const c = folded.charCodeAt(k);
      while (node !== this.root && !node.next.has(c)) node = node.fail!;
      node = node.next.get(c) ?? this.root;
      for (const i of node.out) {
        if (this.seen[i] === stamp) continue;
        this.seen[i] = stamp;
        if (this.patterns[i]!.matches(text)) return true;
      }
    }
    return false;
  }
}

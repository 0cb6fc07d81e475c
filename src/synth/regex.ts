/**
 * Text that a Lucene regular expression matches, for `regex` and `regex~`.
 *
 * The pattern goes through the engine's own translation (`luceneToRe2` in
 * text/regex.ts), so Lucene's quirks (`"…"` quoting, `@`, `#`, literal `]`)
 * are read once, there. What comes out is a small, regular subset of RE2
 * syntax, read here into a tree to draw strings from. A drawn string is
 * checked with the engine's matcher before it is used.
 */
import { compileLuceneRegex, luceneToRe2, RegexSyntaxError } from '../text/regex.js';
import type { Random } from './random.js';

type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'class'; readonly ranges: readonly (readonly [number, number])[]; readonly negated: boolean }
  | { readonly kind: 'any' }
  | { readonly kind: 'concat'; readonly parts: readonly Node[] }
  | { readonly kind: 'union'; readonly options: readonly Node[] }
  | { readonly kind: 'repeat'; readonly node: Node; readonly min: number; readonly max: number };

const CLASS_ESCAPES: Record<string, number> = { t: 9, n: 10, f: 12, r: 13 };

/** Reads the RE2 text that luceneToRe2 writes. */
class Re2Reader {
  private pos = 0;
  private readonly chars: string[];

  constructor(source: string) {
    this.chars = Array.from(source);
  }

  read(): Node {
    const node = this.union();
    if (this.pos < this.chars.length) throw new RegexSyntaxError(`unexpected '${this.chars[this.pos]}'`, this.pos);
    return node;
  }

  private peek(offset = 0): string | undefined {
    return this.chars[this.pos + offset];
  }

  private union(): Node {
    const options = [this.concat()];
    while (this.peek() === '|') {
      this.pos++;
      options.push(this.concat());
    }
    return options.length === 1 ? options[0]! : { kind: 'union', options };
  }

  private concat(): Node {
    const parts: Node[] = [];
    while (this.pos < this.chars.length && this.peek() !== '|' && this.peek() !== ')') parts.push(this.repeat());
    return parts.length === 1 ? parts[0]! : { kind: 'concat', parts };
  }

  private repeat(): Node {
    let node = this.atom();
    for (;;) {
      const ch = this.peek();
      if (ch === '*' || ch === '+' || ch === '?') {
        this.pos++;
        node = { kind: 'repeat', node, min: ch === '+' ? 1 : 0, max: ch === '?' ? 1 : Infinity };
      } else if (ch === '{') {
        const rest = this.chars.slice(this.pos).join('');
        const m = /^\{(\d+)(,?)(\d*)\}/.exec(rest)!;
        this.pos += m[0].length;
        const min = Number(m[1]);
        node = { kind: 'repeat', node, min, max: m[2] === '' ? min : m[3] === '' ? Infinity : Number(m[3]) };
      } else return node;
    }
  }

  private atom(): Node {
    const ch = this.chars[this.pos++]!;
    switch (ch) {
      case '(': {
        if (this.peek() === '?' && this.peek(1) === ':') this.pos += 2;
        const inner = this.peek() === ')' ? ({ kind: 'text', text: '' } as const) : this.union();
        this.pos++;
        return inner;
      }
      case '[':
        return this.characterClass();
      case '.':
        return { kind: 'any' };
      case '\\':
        return { kind: 'text', text: this.chars[this.pos++]! };
      default:
        return { kind: 'text', text: ch };
    }
  }

  private characterClass(): Node {
    let negated = false;
    if (this.peek() === '^') {
      negated = true;
      this.pos++;
    }
    const ranges: [number, number][] = [];
    while (this.peek() !== ']') {
      const lo = this.classChar();
      if (this.peek() === '-' && this.peek(1) !== ']') {
        this.pos++;
        ranges.push([lo, this.classChar()]);
      } else ranges.push([lo, lo]);
    }
    this.pos++;
    return { kind: 'class', ranges, negated };
  }

  private classChar(): number {
    const ch = this.chars[this.pos++]!;
    if (ch !== '\\') return ch.codePointAt(0)!;
    const next = this.chars[this.pos++]!;
    if (next === 'x') {
      if (this.peek() === '{') {
        const end = this.chars.indexOf('}', this.pos);
        const hex = this.chars.slice(this.pos + 1, end).join('');
        this.pos = end + 1;
        return parseInt(hex, 16);
      }
      const hex = this.chars.slice(this.pos, this.pos + 2).join('');
      this.pos += 2;
      return parseInt(hex, 16);
    }
    return CLASS_ESCAPES[next] ?? next.codePointAt(0)!;
  }
}

/** Characters tried, in order of preference, for `.` and negated classes. */
const PLAIN = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.';

const inRanges = (code: number, ranges: readonly (readonly [number, number])[]): boolean => ranges.some(([lo, hi]) => code >= lo && code <= hi);

/** A string drawn from a node; null when the node matches nothing (Lucene's `#`). */
function draw(node: Node, rng: Random, budget: { chars: number }): string | null {
  switch (node.kind) {
    case 'text':
      return node.text;
    case 'any':
      return rng.pick([...PLAIN.slice(0, 36)]);
    case 'class': {
      if (node.negated) {
        const allowed = [...PLAIN].filter((c) => !inRanges(c.codePointAt(0)!, node.ranges));
        return allowed.length > 0 ? rng.pick(allowed.slice(0, 20)) : null;
      }
      // Plain characters first, so that `[\w\-]` gives letters rather than `-`.
      const plain = [...PLAIN].filter((c) => inRanges(c.codePointAt(0)!, node.ranges));
      if (plain.length > 0) return rng.pick(plain);
      const [lo, hi] = rng.pick(node.ranges);
      return lo > hi ? null : String.fromCodePoint(rng.int(lo, hi));
    }
    case 'concat': {
      let out = '';
      for (const part of node.parts) {
        const s = draw(part, rng, budget);
        if (s === null) return null;
        out += s;
      }
      return out;
    }
    case 'union': {
      for (const option of rng.shuffled(node.options)) {
        const s = draw(option, rng, budget);
        if (s !== null) return s;
      }
      return null;
    }
    case 'repeat': {
      const spare = budget.chars > 0 ? rng.int(0, 2) : 0;
      const times = node.max === Infinity ? node.min + (node.min === 0 ? Math.max(1, spare) : spare) : rng.int(node.min, Math.min(node.max, node.min + 3));
      let out = '';
      for (let i = 0; i < times; i++) {
        const s = draw(node.node, rng, budget);
        if (s === null) return i < node.min ? null : out;
        out += s;
        budget.chars -= s.length;
      }
      return out;
    }
  }
}

/**
 * Strings that one of the Lucene patterns matches (as `regex`, or `regex~`
 * when `caseInsensitive`), each confirmed by the engine's matcher; fewer than
 * `count`, or none, when drawing keeps failing.
 */
export function stringsMatchingRegex(patterns: readonly string[], caseInsensitive: boolean, rng: Random, count: number): string[] {
  let matcher: (text: string) => boolean;
  const trees: Node[] = [];
  try {
    matcher = compileLuceneRegex(patterns, caseInsensitive).matches;
    for (const p of patterns) trees.push(new Re2Reader(luceneToRe2(p)).read());
  } catch (e) {
    if (e instanceof RegexSyntaxError) return [];
    throw e;
  }
  const out: string[] = [];
  for (let attempt = 0; attempt < count * 8 && out.length < count; attempt++) {
    const s = draw(rng.pick(trees), rng, { chars: 64 });
    if (s !== null && !out.includes(s) && matcher(s)) out.push(s);
  }
  return out;
}

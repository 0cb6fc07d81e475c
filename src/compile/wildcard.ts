/**
 * EQL wildcard patterns: `*` matches any run of characters (none included) and
 * `?` exactly one character; every other character, backslash included, is
 * literal. Matching is linear in the text for a given pattern: the pattern is
 * cut at each `*` into segments, the first and last segments are anchored, and
 * each segment between them is placed at its leftmost possible position, which
 * is never wrong when a `*` follows it. No input can make it backtrack.
 */
import { type CaseFolding, folder } from './case-folding.js';

/** One piece of a segment: a literal code point, or `null` for `?`. */
type Unit = string | null;
type Token = Unit | typeof STAR;
const STAR = Symbol('*');

/** Counts basic steps, so tests can show linear behaviour without timing. */
export interface StepCounter {
  steps: number;
}

/** EQL syntax: only `*` and `?` are special; there is no escape. */
function tokensOfEql(pattern: string): Token[] {
  return Array.from(pattern, (ch) => (ch === '*' ? STAR : ch === '?' ? null : ch));
}

/**
 * Lucene syntax, where `\` makes the next character literal. Elasticsearch
 * builds the field queries of `endsWith` and `stringContains` from the raw
 * argument, so those patterns are read this way.
 */
function tokensOfLucene(pattern: string): Token[] {
  const chars = Array.from(pattern);
  const out: Token[] = [];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '\\' && i + 1 < chars.length) out.push(chars[++i]!);
    else out.push(ch === '*' ? STAR : ch === '?' ? null : ch);
  }
  return out;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** Matches `seg` at `pos`; returns the end position or -1. `?` takes one code point. */
function matchAt(text: string, pos: number, seg: readonly Unit[], counter?: StepCounter): number {
  let p = pos;
  for (const u of seg) {
    if (counter) counter.steps++;
    if (p >= text.length) return -1;
    if (u === null) p += isHighSurrogate(text.charCodeAt(p)) && p + 1 < text.length ? 2 : 1;
    else if (text.startsWith(u, p)) p += u.length;
    else return -1;
  }
  return p;
}

/** A compiled wildcard pattern. */
export class WildcardPattern {
  /** Segments between stars. */
  private readonly segments: Unit[][] = [[]];
  private readonly leadingStar: boolean;
  private readonly trailingStar: boolean;
  private readonly fold: (s: string) => string;
  /** Folding that keeps the length of every text (none, or ASCII), so lengths can rule texts out before folding. */
  private readonly keepsLength: boolean;
  /** Whether the text must fold before matching. */
  readonly matches: (text: string, counter?: StepCounter) => boolean;

  /**
   * @param pattern the pattern text
   * @param caseFolding how to fold case on both sides (`none` = case-sensitive)
   * @param syntax `eql` for `:` and `like`; `lucene` for patterns with `\` escapes
   */
  constructor(
    readonly pattern: string,
    caseFolding: CaseFolding = 'none',
    syntax: 'eql' | 'lucene' = 'eql',
  ) {
    this.fold = folder(caseFolding);
    this.keepsLength = caseFolding !== 'unicode';
    const tokens = (syntax === 'eql' ? tokensOfEql : tokensOfLucene)(this.fold(pattern));
    this.leadingStar = tokens[0] === STAR;
    this.trailingStar = tokens.length > 0 && tokens[tokens.length - 1] === STAR;
    for (const t of tokens) {
      if (t === STAR) {
        if (this.segments[this.segments.length - 1]!.length > 0) this.segments.push([]);
      } else this.segments[this.segments.length - 1]!.push(t);
    }
    if (this.segments[this.segments.length - 1]!.length === 0 && this.segments.length > 1) this.segments.pop();
    this.matches = this.compileMatcher();
  }

  /** True when the pattern has no wildcard: it is an exact comparison. */
  get isExact(): boolean {
    return !this.leadingStar && !this.trailingStar && this.segments.length === 1 && !this.segments[0]!.includes(null);
  }

  /** Specialised matchers for the common shapes: exact, prefix*, *suffix, *infix*, and only stars. */
  private compileMatcher(): (text: string, counter?: StepCounter) => boolean {
    const fold = this.fold;
    const segs = this.segments;
    const onlyStars = segs.length === 1 && segs[0]!.length === 0 && this.leadingStar;
    if (onlyStars) return () => true;
    if (segs.length === 1 && !segs[0]!.includes(null)) {
      const t = segs[0]!.join('');
      // The shortest text that can match; with length-keeping folding, shorter texts are ruled out unfolded.
      const min = this.keepsLength ? t.length : 0;
      if (!this.leadingStar && !this.trailingStar) return (text) => text.length >= min && fold(text) === t;
      if (!this.leadingStar) return (text) => text.length >= min && fold(text).startsWith(t);
      if (!this.trailingStar) return (text) => text.length >= min && fold(text).endsWith(t);
      return (text) => text.length >= min && fold(text).includes(t);
    }
    return (text, counter) => this.general(fold(text), counter);
  }

  private general(text: string, counter?: StepCounter): boolean {
    const segs = this.segments;
    const last = segs.length - 1;
    let pos = 0;
    let i = 0;
    if (!this.leadingStar) {
      pos = matchAt(text, 0, segs[0]!, counter);
      if (pos < 0) return false;
      if (last === 0) return this.trailingStar || pos === text.length;
      i = 1;
    }
    const lastFloating = this.trailingStar ? last : last - 1;
    for (; i <= lastFloating; i++) {
      pos = find(text, pos, segs[i]!, counter);
      if (pos < 0) return false;
    }
    if (this.trailingStar) return true;
    // The last segment ends at the end of the text. Each unit takes one or two
    // UTF-16 units, so only a few start positions are possible.
    const seg = segs[last]!;
    const earliest = Math.max(pos, text.length - 2 * seg.length);
    for (let start = text.length - seg.length; start >= earliest; start--) {
      if (matchAt(text, start, seg, counter) === text.length) return true;
    }
    return false;
  }
}

/** Leftmost match of `seg` at or after `from`; returns its end, or -1. */
function find(text: string, from: number, seg: readonly Unit[], counter?: StepCounter): number {
  if (!seg.includes(null)) {
    const t = seg.join('');
    const at = text.indexOf(t, from);
    // indexOf scans the text once: count the characters it passed.
    if (counter) counter.steps += at < 0 ? text.length - from : at - from + t.length;
    return at < 0 ? -1 : at + t.length;
  }
  for (let p = from; p + seg.length <= text.length; p++) {
    const end = matchAt(text, p, seg, counter);
    if (end >= 0) return end;
  }
  return -1;
}

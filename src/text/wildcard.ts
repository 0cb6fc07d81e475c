/**
 * EQL wildcard patterns: `*` matches any run of characters (none included) and
 * `?` exactly one character; every other character, backslash included, is
 * literal. Matching is linear in the text for a given pattern: the pattern is
 * cut at each `*` into segments, the first and last segments are anchored, and
 * each segment between them is placed at its leftmost possible position, which
 * is never wrong when a `*` follows it. No input can make it backtrack.
 */
import { type CaseFolding, folder } from '../semantics/case-folding.js';

/** One piece of a segment: a run of literal text, or `null` for `?`. */
type Unit = string | null;

/** Counts basic steps, so tests can show linear behaviour without timing. */
export interface StepCounter {
  steps: number;
}

/** The pieces between stars, and how much text each can take. */
interface Parsed {
  readonly segments: Unit[][];
  readonly leadingStar: boolean;
  readonly trailingStar: boolean;
}

/**
 * Cuts a pattern at its stars. In EQL syntax only `*` and `?` are special and
 * there is no escape; in Lucene syntax `\` makes the next character literal
 * (Elasticsearch builds the field queries of `endsWith` and `stringContains`
 * from the raw argument, so those patterns are read this way). Literal
 * characters are kept together in runs: compiling the corpus made an array
 * of one-character strings per pattern, and the rules held them.
 */
function parsePattern(pattern: string, lucene: boolean): Parsed {
  const segments: Unit[][] = [[]];
  let segment = segments[0]!;
  // The current literal run is `before` (text ahead of escapes) and then pattern[runStart..].
  let before = '';
  let runStart = 0;
  let leadingStar = false;
  let lastWasStar = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern.charCodeAt(i);
    lastWasStar = c === 0x2a;
    if (lucene && c === 0x5c && i + 1 < pattern.length) {
      // The escape goes; the character after it, whatever it is, stays in the run.
      before += pattern.slice(runStart, i);
      runStart = i + 1;
      i++;
      lastWasStar = false;
      continue;
    }
    if (c !== 0x2a && c !== 0x3f) continue;
    const run = before + pattern.slice(runStart, i);
    before = '';
    runStart = i + 1;
    if (run !== '') segment.push(run);
    if (c === 0x3f) segment.push(null);
    else if (i === 0) leadingStar = true;
    if (c === 0x2a && segment.length > 0) segments.push((segment = []));
  }
  const run = before + pattern.slice(runStart);
  if (run !== '') segment.push(run);
  if (segment.length === 0 && segments.length > 1) segments.pop();
  return { segments, leadingStar, trailingStar: lastWasStar };
}

/** The shortest and longest text, in UTF-16 units, that a segment can match: `?` takes one code point. */
function shortest(seg: readonly Unit[]): number {
  let n = 0;
  for (const u of seg) n += u === null ? 1 : u.length;
  return n;
}

function longest(seg: readonly Unit[]): number {
  let n = 0;
  for (const u of seg) n += u === null ? 2 : u.length;
  return n;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** Matches `seg` at `pos`; returns the end position or -1. `?` takes one code point. */
function matchAt(text: string, pos: number, seg: readonly Unit[], counter?: StepCounter): number {
  let p = pos;
  for (const u of seg) {
    if (u === null) {
      if (counter) counter.steps++;
      if (p >= text.length) return -1;
      p += isHighSurrogate(text.charCodeAt(p)) && p + 1 < text.length ? 2 : 1;
    } else {
      if (counter) counter.steps += u.length;
      if (!text.startsWith(u, p)) return -1;
      p += u.length;
    }
  }
  return p;
}

/** A compiled wildcard pattern. */
export class WildcardPattern {
  /** Segments between stars. */
  private readonly segments: Unit[][];
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
    const parsed = parsePattern(this.fold(pattern), syntax === 'lucene');
    this.segments = parsed.segments;
    this.leadingStar = parsed.leadingStar;
    this.trailingStar = parsed.trailingStar;
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
    // The last segment ends at the end of the text. Each `?` takes one or two
    // UTF-16 units, so only a few start positions are possible.
    const seg = segs[last]!;
    const earliest = Math.max(pos, text.length - longest(seg));
    for (let start = text.length - shortest(seg); start >= earliest; start--) {
      if (matchAt(text, start, seg, counter) === text.length) return true;
    }
    return false;
  }
}

/** Leftmost match of `seg` at or after `from`; returns its end, or -1. */
function find(text: string, from: number, seg: readonly Unit[], counter?: StepCounter): number {
  if (seg.length === 1 && seg[0] !== null) {
    const t = seg[0]!;
    const at = text.indexOf(t, from);
    // indexOf scans the text once: count the characters it passed.
    if (counter) counter.steps += at < 0 ? text.length - from : at - from + t.length;
    return at < 0 ? -1 : at + t.length;
  }
  const min = shortest(seg);
  for (let p = from; p + min <= text.length; p++) {
    const end = matchAt(text, p, seg, counter);
    if (end >= 0) return end;
  }
  return -1;
}

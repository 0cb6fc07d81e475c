/**
 * `regex` patterns. Elasticsearch runs them as Lucene regular expressions
 * (on fields) and always anchors them at both ends. We translate Lucene's
 * syntax into RE2 syntax and run it with re2js, which matches in linear time:
 * no pattern from a query ever reaches JavaScript's backtracking RegExp.
 *
 * Lucene syntax differs from the usual: `^` and `$` are ordinary characters,
 * `"…"` quotes a literal string, `.` matches any character including a line
 * break, `@` is any string and `#` the empty language. Intersection (`&`),
 * complement (`~`), numeric intervals (`<1-5>`) and named automata have no
 * linear-time equivalent here and are rejected.
 */
import { RE2JS } from 're2js';
import { foldAscii } from '../semantics/case-folding.js';

/** A Lucene pattern that cannot be translated, with the offset of the problem. */
export class RegexSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'RegexSyntaxError';
  }
}

const RE2_META = new Set(['\\', '.', '+', '*', '?', '(', ')', '|', '[', ']', '{', '}', '^', '$']);
const CLASS_META = new Set(['\\', ']', '[', '^', '-']);

function quoteChar(ch: string): string {
  return RE2_META.has(ch) ? `\\${ch}` : ch;
}

function quoteClassChar(ch: string): string {
  return CLASS_META.has(ch) ? `\\${ch}` : ch;
}

const SHORTHAND: Record<string, string> = {
  d: '[0-9]',
  D: '[^0-9]',
  s: '[ \\t\\n\\x0B\\f\\r]',
  S: '[^ \\t\\n\\x0B\\f\\r]',
  w: '[a-zA-Z_0-9]',
  W: '[^a-zA-Z_0-9]',
};
const SHORTHAND_IN_CLASS: Record<string, string> = {
  d: '0-9',
  s: ' \\t\\n\\x0B\\f\\r',
  w: 'a-zA-Z_0-9',
};

/**
 * What is known of the texts a piece of pattern matches: the one text it
 * matches, if it matches only one, and a text that every match contains
 * ('' when nothing is known). A regex can only match a value that contains
 * the required text of the whole pattern, which is far cheaper to test.
 */
interface Literal {
  readonly exact: string | null;
  readonly required: string;
}

/** Required texts are cut to this length: any part of a required text is required too. */
const MAX_REQUIRED = 256;
const UNKNOWN: Literal = { exact: null, required: '' };
const exactly = (text: string): Literal => (text.length > MAX_REQUIRED ? { exact: null, required: text.slice(0, MAX_REQUIRED) } : { exact: text, required: text });
const longer = (a: string, b: string): string => (b.length > a.length ? b : a);

/**
 * A translated piece: RE2 syntax, and what is known of its matches: their
 * literal text, and their shortest and longest length in UTF-16 units
 * (`max` may be Infinity). Lengths hold under case-insensitive matching too:
 * Unicode simple case folding never pairs a character inside the Basic
 * Multilingual Plane with one outside it.
 */
interface Piece {
  readonly re: string;
  readonly literal: Literal;
  readonly min: number;
  readonly max: number;
}

/** One character that may lie outside the BMP (two units). */
const ANY_CHAR = { min: 1, max: 2 };
const ANY_TEXT = { min: 0, max: Infinity };

/** Recursive-descent translation of Lucene RegExp syntax (flags ALL) into RE2 syntax. */
class LuceneTranslator {
  private pos = 0;
  private readonly chars: string[];
  private depth = 0;

  constructor(source: string) {
    this.chars = Array.from(source);
  }

  translate(): Piece {
    const out = this.union();
    if (this.pos < this.chars.length) this.fail(`unexpected '${this.chars[this.pos]}'`);
    return out;
  }

  private fail(message: string): never {
    throw new RegexSyntaxError(message, this.chars.slice(0, this.pos).join('').length);
  }

  private peek(): string | undefined {
    return this.chars[this.pos];
  }

  private union(): Piece {
    const parts = [this.intersection()];
    while (this.peek() === '|') {
      this.pos++;
      parts.push(this.intersection());
    }
    const re = parts.map((p) => p.re).join('|');
    if (parts.length === 1) return { ...parts[0]!, re };
    const min = Math.min(...parts.map((p) => p.min));
    const max = Math.max(...parts.map((p) => p.max));
    // Every match holds the required text of one alternative: what they all share is required.
    return { re, literal: { exact: null, required: commonText(parts.map((p) => p.literal.required)) }, min, max };
  }

  private intersection(): Piece {
    const out = this.concat();
    if (this.peek() === '&') this.fail("the intersection operator '&' is not supported");
    return out;
  }

  private concat(): Piece {
    let re = '';
    // Adjacent exact pieces join into one run of required text.
    let run = '';
    let best = '';
    let allExact = true;
    let min = 0;
    let max = 0;
    while (this.pos < this.chars.length && this.peek() !== '|' && this.peek() !== ')' && this.peek() !== '&') {
      const piece = this.repeat();
      re += piece.re;
      min += piece.min;
      max += piece.max;
      if (piece.literal.exact !== null) {
        run += piece.literal.exact;
        continue;
      }
      allExact = false;
      best = longer(longer(best, run.slice(0, MAX_REQUIRED)), piece.literal.required);
      run = '';
    }
    return { re, literal: allExact ? exactly(run) : { exact: null, required: longer(best, run.slice(0, MAX_REQUIRED)) }, min, max };
  }

  private repeat(): Piece {
    let atom = this.complement();
    for (;;) {
      const ch = this.peek();
      if (ch === '?' || ch === '*' || ch === '+') {
        this.pos++;
        atom = { re: `(?:${atom.re})${ch}`, literal: ch === '+' ? { exact: null, required: atom.literal.required } : UNKNOWN, ...repeatedLength(atom, ch === '+' ? 1 : 0, ch === '?' ? 1 : undefined) };
      } else if (ch === '{') {
        const rest = this.chars.slice(this.pos).join('');
        const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(rest);
        if (!m) this.fail("a '{' must start a repetition such as {2} or {1,3}");
        this.pos += Array.from(m[0]).length;
        const min = Number(m[1]);
        const max = m[3] ? Number(m[3]) : undefined;
        if (min > 1000 || (max !== undefined && max > 1000)) this.fail('repetition counts above 1000 are not supported');
        if (max !== undefined && max < min) this.fail(`invalid repetition {${m[1]},${m[3]}}`);
        const upTo = m[2] === undefined ? min : max;
        atom = { re: `(?:${atom.re}){${m[1]}${m[2] ?? ''}${m[3] ?? ''}}`, literal: repeated(atom.literal, min, upTo), ...repeatedLength(atom, min, upTo) };
      } else return atom;
    }
  }

  private complement(): Piece {
    if (this.peek() === '~') this.fail("the complement operator '~' is not supported");
    return this.charClass();
  }

  private charClass(): Piece {
    if (this.peek() !== '[') return this.simple();
    this.pos++;
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.pos++;
    }
    let body = '';
    let first = true;
    // A class of one plain character, `[ ]`, matches just that character.
    let members = 0;
    let only = '';
    let astral = negate;
    while (this.peek() !== ']' || first) {
      if (this.pos >= this.chars.length) this.fail("unterminated character class: missing ']'");
      first = false;
      const lo = this.classChar();
      members++;
      if (lo.shorthand !== undefined) {
        body += lo.shorthand;
        members++;
        astral = true;
        continue;
      }
      if (this.peek() === '-' && this.chars[this.pos + 1] !== ']' && this.pos + 1 < this.chars.length) {
        this.pos++;
        const hi = this.classChar();
        if (hi.shorthand !== undefined) this.fail('a range cannot end with a character class');
        if (lo.ch.codePointAt(0)! > hi.ch.codePointAt(0)!) this.fail(`invalid range ${lo.ch}-${hi.ch}`);
        body += `${quoteClassChar(lo.ch)}-${quoteClassChar(hi.ch)}`;
        members++;
        if (hi.ch.length > 1) astral = true;
      } else {
        body += quoteClassChar(lo.ch);
        only = lo.ch;
        if (lo.ch.length > 1) astral = true;
      }
    }
    this.pos++;
    return { re: `[${negate ? '^' : ''}${body}]`, literal: !negate && members === 1 ? exactly(only) : UNKNOWN, min: 1, max: astral ? 2 : 1 };
  }

  private classChar(): { ch: string; shorthand?: string } {
    const ch = this.chars[this.pos++]!;
    if (ch !== '\\') return { ch };
    const next = this.chars[this.pos++];
    if (next === undefined) this.fail('a pattern cannot end with a backslash');
    const short = SHORTHAND_IN_CLASS[next];
    if (short !== undefined) return { ch: next, shorthand: short };
    if (next === 'D' || next === 'S' || next === 'W') this.fail(`\\${next} is not supported inside a character class`);
    return { ch: next };
  }

  private simple(): Piece {
    const ch = this.chars[this.pos];
    if (ch === undefined) this.fail('unexpected end of pattern');
    switch (ch) {
      case '.':
        this.pos++;
        return { re: '.', literal: UNKNOWN, ...ANY_CHAR };
      case '#':
        // The empty language: no length is ruled out, which is never wrong.
        this.pos++;
        return { re: '[^\\x{0}-\\x{10FFFF}]', literal: UNKNOWN, ...ANY_TEXT };
      case '@':
        this.pos++;
        return { re: '.*', literal: UNKNOWN, ...ANY_TEXT };
      case '"': {
        const end = this.chars.indexOf('"', this.pos + 1);
        if (end < 0) this.fail("unterminated quoted string: missing '\"'");
        const literal = this.chars.slice(this.pos + 1, end);
        this.pos = end + 1;
        const text = literal.join('');
        return { re: literal.length === 0 ? '(?:)' : `(?:${literal.map(quoteChar).join('')})`, literal: exactly(text), min: text.length, max: text.length };
      }
      case '(': {
        this.pos++;
        if (++this.depth > 100) this.fail('groups nest too deeply');
        const inner = this.peek() === ')' ? { re: '', literal: exactly(''), min: 0, max: 0 } : this.union();
        this.depth--;
        if (this.peek() !== ')') this.fail("missing ')'");
        this.pos++;
        return { ...inner, re: `(?:${inner.re})` };
      }
      case '<':
        this.fail("numeric intervals '<n-m>' and named automata '<name>' are not supported");
        break;
      case '\\': {
        const next = this.chars[this.pos + 1];
        if (next === undefined) this.fail('a pattern cannot end with a backslash');
        this.pos += 2;
        const short = SHORTHAND[next];
        return short !== undefined ? { re: short, literal: UNKNOWN, ...ANY_CHAR } : { re: quoteChar(next), literal: exactly(next), min: next.length, max: next.length };
      }
      case '*':
      case '+':
      case '?':
      case '{':
        this.fail(`'${ch}' has nothing to repeat`);
        break;
      case ']':
      case '}':
        // Lucene reads these as literal characters outside a class.
        this.pos++;
        return { re: quoteChar(ch), literal: exactly(ch), min: 1, max: 1 };
      default:
        this.pos++;
        return { re: quoteChar(ch), literal: exactly(ch), min: ch.length, max: ch.length };
    }
    return { re: '', literal: UNKNOWN, ...ANY_TEXT };
  }
}

/**
 * The longest text that occurs in every one of `texts` (a few short ones; ''
 * past the limits, which only loses a needle).
 */
function commonText(texts: readonly string[]): string {
  if (texts.length > 16 || texts.some((t) => t === '')) return '';
  const shortest = texts.reduce((a, b) => (b.length < a.length ? b : a)).slice(0, 64);
  for (let length = shortest.length; length > 0; length--) {
    for (let start = 0; start + length <= shortest.length; start++) {
      const candidate = shortest.slice(start, start + length);
      if (texts.every((t) => t.includes(candidate))) return candidate;
    }
  }
  return '';
}

/** What `min` to `max` repetitions of a piece are known to match (`max` undefined: no bound). */
function repeated(literal: Literal, min: number, max: number | undefined): Literal {
  if (min === 0) return max === 0 ? exactly('') : UNKNOWN;
  if (literal.exact === null) return { exact: null, required: literal.required };
  // Cut before repeating: only the first MAX_REQUIRED characters can be kept anyway.
  const times = literal.exact.length === 0 ? 1 : Math.min(min, Math.ceil((MAX_REQUIRED + 1) / literal.exact.length));
  const text = literal.exact.repeat(times);
  return max === min && times === min ? exactly(text) : { exact: null, required: text.slice(0, MAX_REQUIRED) };
}

/** The lengths of `min` to `max` repetitions of a piece (`max` undefined: no bound). */
function repeatedLength(piece: Piece, min: number, max: number | undefined): { min: number; max: number } {
  if (max === 0 || piece.max === 0) return { min: 0, max: 0 };
  return { min: piece.min * min, max: max === undefined ? Infinity : piece.max * max };
}

/** Translates a Lucene regular expression into RE2 syntax. */
export function luceneToRe2(pattern: string): string {
  return new LuceneTranslator(pattern).translate().re;
}

/** A compiled, anchored, linear-time pattern. */
export interface RegexMatcher {
  readonly matches: (text: string) => boolean;
  /**
   * Texts one of which every matching value contains, or null when none is
   * known. For case-insensitive patterns they are ASCII-folded, and a value
   * contains one once ASCII-folded too.
   */
  readonly needles: readonly string[] | null;
}

/**
 * Under Unicode simple case folding, as RE2 matches case-insensitively, the
 * only characters outside ASCII that match ASCII ones are the Kelvin sign
 * (k) and the long s (s). A needle of other ASCII characters is therefore
 * found in any matching value once both are ASCII-folded.
 */
const FOLDS_WITHIN_ASCII = /^[\x00-\x7f]*$/;
const FOLDS_OUTSIDE_ASCII = /[ksKS]/;

/**
 * For each pattern, a text that every value it matches contains (ASCII-folded,
 * for a case-insensitive pattern, and then to be looked for in the folded
 * value); null unless every pattern has one. A pattern we cannot translate
 * has none (compiling it reports the error).
 */
export function regexNeedles(patterns: readonly string[], caseInsensitive: boolean): string[] | null {
  const pieces: Piece[] = [];
  for (const p of patterns) {
    try {
      pieces.push(new LuceneTranslator(p).translate());
    } catch (e) {
      if (e instanceof RegexSyntaxError) return null;
      throw e;
    }
  }
  return needlesOf(pieces, caseInsensitive);
}

/** {@link regexNeedles} of patterns already translated. */
function needlesOf(pieces: readonly Piece[], caseInsensitive: boolean): string[] | null {
  const needles: string[] = [];
  for (const { literal } of pieces) {
    const needle = literal.required;
    if (needle === '') return null;
    if (!caseInsensitive) {
      needles.push(needle);
      continue;
    }
    if (!FOLDS_WITHIN_ASCII.test(needle) || FOLDS_OUTSIDE_ASCII.test(needle)) return null;
    needles.push(foldAscii(needle));
  }
  return needles;
}

/**
 * Compiles Lucene patterns into one anchored matcher (Elasticsearch joins a
 * list of patterns with `|`). Values of a length no pattern can match, or
 * without any of the patterns' required texts, are ruled out before the
 * regex runs.
 *
 * @throws RegexSyntaxError when a pattern uses syntax we cannot translate
 */
export function compileLuceneRegex(patterns: readonly string[], caseInsensitive: boolean): RegexMatcher {
  const pieces = patterns.map((p) => new LuceneTranslator(p).translate());
  const body = pieces.map((p) => `(?:${p.re})`).join('|');
  let re: RE2JS;
  try {
    re = RE2JS.compile(`^(?:${body})$`, RE2JS.DOTALL | (caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0));
  } catch (e) {
    throw new RegexSyntaxError(`invalid regular expression: ${(e as Error).message}`, 0);
  }
  const shortest = Math.min(...pieces.map((p) => p.min));
  const longest = Math.max(...pieces.map((p) => p.max));
  const needles = needlesOf(pieces, caseInsensitive);
  const fold = caseInsensitive ? foldAscii : (text: string) => text;
  const hasNeedle =
    needles === null
      ? () => true
      : (text: string): boolean => {
          const folded = fold(text);
          for (let i = 0; i < needles.length; i++) if (folded.includes(needles[i]!)) return true;
          return false;
        };
  return { matches: (text) => text.length >= shortest && text.length <= longest && hasNeedle(text) && re.matches(text), needles };
}

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

/** Recursive-descent translation of Lucene RegExp syntax (flags ALL) into RE2 syntax. */
class LuceneTranslator {
  private pos = 0;
  private readonly chars: string[];
  private depth = 0;

  constructor(source: string) {
    this.chars = Array.from(source);
  }

  translate(): string {
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

  private union(): string {
    const parts = [this.intersection()];
    while (this.peek() === '|') {
      this.pos++;
      parts.push(this.intersection());
    }
    return parts.join('|');
  }

  private intersection(): string {
    const out = this.concat();
    if (this.peek() === '&') this.fail("the intersection operator '&' is not supported");
    return out;
  }

  private concat(): string {
    let out = '';
    while (this.pos < this.chars.length && this.peek() !== '|' && this.peek() !== ')' && this.peek() !== '&') {
      out += this.repeat();
    }
    return out;
  }

  private repeat(): string {
    let atom = this.complement();
    for (;;) {
      const ch = this.peek();
      if (ch === '?' || ch === '*' || ch === '+') {
        this.pos++;
        atom = `(?:${atom})${ch}`;
      } else if (ch === '{') {
        const rest = this.chars.slice(this.pos).join('');
        const m = /^\{(\d+)(?:(,)(\d*))?\}/.exec(rest);
        if (!m) this.fail("a '{' must start a repetition such as {2} or {1,3}");
        this.pos += Array.from(m[0]).length;
        const min = Number(m[1]);
        const max = m[3] ? Number(m[3]) : undefined;
        if (min > 1000 || (max !== undefined && max > 1000)) this.fail('repetition counts above 1000 are not supported');
        if (max !== undefined && max < min) this.fail(`invalid repetition {${m[1]},${m[3]}}`);
        atom = `(?:${atom}){${m[1]}${m[2] ?? ''}${m[3] ?? ''}}`;
      } else return atom;
    }
  }

  private complement(): string {
    if (this.peek() === '~') this.fail("the complement operator '~' is not supported");
    return this.charClass();
  }

  private charClass(): string {
    if (this.peek() !== '[') return this.simple();
    this.pos++;
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.pos++;
    }
    let body = '';
    let first = true;
    while (this.peek() !== ']' || first) {
      if (this.pos >= this.chars.length) this.fail("unterminated character class: missing ']'");
      first = false;
      const lo = this.classChar();
      if (lo.shorthand !== undefined) {
        body += lo.shorthand;
        continue;
      }
      if (this.peek() === '-' && this.chars[this.pos + 1] !== ']' && this.pos + 1 < this.chars.length) {
        this.pos++;
        const hi = this.classChar();
        if (hi.shorthand !== undefined) this.fail('a range cannot end with a character class');
        if (lo.ch.codePointAt(0)! > hi.ch.codePointAt(0)!) this.fail(`invalid range ${lo.ch}-${hi.ch}`);
        body += `${quoteClassChar(lo.ch)}-${quoteClassChar(hi.ch)}`;
      } else body += quoteClassChar(lo.ch);
    }
    this.pos++;
    return `[${negate ? '^' : ''}${body}]`;
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

  private simple(): string {
    const ch = this.chars[this.pos];
    if (ch === undefined) this.fail('unexpected end of pattern');
    switch (ch) {
      case '.':
        this.pos++;
        return '.';
      case '#':
        this.pos++;
        return '[^\\x{0}-\\x{10FFFF}]';
      case '@':
        this.pos++;
        return '.*';
      case '"': {
        const end = this.chars.indexOf('"', this.pos + 1);
        if (end < 0) this.fail('unterminated quoted string: missing \'"\'');
        const literal = this.chars.slice(this.pos + 1, end);
        this.pos = end + 1;
        return literal.length === 0 ? '(?:)' : `(?:${literal.map(quoteChar).join('')})`;
      }
      case '(': {
        this.pos++;
        if (++this.depth > 100) this.fail('groups nest too deeply');
        const inner = this.peek() === ')' ? '' : this.union();
        this.depth--;
        if (this.peek() !== ')') this.fail("missing ')'");
        this.pos++;
        return `(?:${inner})`;
      }
      case '<':
        this.fail("numeric intervals '<n-m>' and named automata '<name>' are not supported");
        break;
      case '\\': {
        const next = this.chars[this.pos + 1];
        if (next === undefined) this.fail('a pattern cannot end with a backslash');
        this.pos += 2;
        return SHORTHAND[next] ?? quoteChar(next);
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
        return quoteChar(ch);
      default:
        this.pos++;
        return quoteChar(ch);
    }
    return '';
  }
}

/** Translates a Lucene regular expression into RE2 syntax. */
export function luceneToRe2(pattern: string): string {
  return new LuceneTranslator(pattern).translate();
}

/** A compiled, anchored, linear-time pattern. */
export interface RegexMatcher {
  readonly matches: (text: string) => boolean;
}

/**
 * Compiles Lucene patterns into one anchored matcher (Elasticsearch joins a
 * list of patterns with `|`).
 *
 * @throws RegexSyntaxError when a pattern uses syntax we cannot translate
 */
export function compileLuceneRegex(patterns: readonly string[], caseInsensitive: boolean): RegexMatcher {
  const body = patterns.map((p) => `(?:${luceneToRe2(p)})`).join('|');
  let re;
  try {
    re = RE2JS.compile(`^(?:${body})$`, RE2JS.DOTALL | (caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0));
  } catch (e) {
    throw new RegexSyntaxError(`invalid regular expression: ${(e as Error).message}`, 0);
  }
  return { matches: (text) => re.matches(text) };
}

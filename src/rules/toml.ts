/**
 * The only module that touches the TOML parser, so that it can be swapped or
 * patched in one place.
 */
import TOMLParser from '@iarna/toml/lib/toml-parser.js';

/** A TOML syntax error with the position @iarna/toml reports (1-based). */
export class TomlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
    readonly column: number | null,
  ) {
    super(message);
    this.name = 'TomlSyntaxError';
  }
}

// Plain text in each kind of string: not its closing quote, nor a backslash
// where escapes are read, nor a control character other than tab (and line
// breaks in multi-line strings), nor DEL. These are the characters the
// original takes one by one without a state change.
const BASIC_RUN = /[^"\\\x00-\x08\x0a-\x1f\x7f]*/y;
const LITERAL_RUN = /[^'\x00-\x08\x0a-\x1f\x7f]*/y;
const MULTI_BASIC_RUN = /[^"\\\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*/y;
const MULTI_LITERAL_RUN = /[^'\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*/y;

/**
 * @iarna/toml's parser, with string contents taken in runs instead of one
 * character at a time. The original steps a state machine and appends to
 * the string for every character; rule files are mostly long strings
 * (descriptions, notes, queries), so that was most of the parse, and it left
 * each string as a rope of one 32-byte cell per character, which every
 * garbage collection had to walk (about 195 MB over the corpus).
 *
 * A run stops before any character the original treats specially (the
 * closing quote, a backslash, a line break in a one-line string, a control
 * character, the end of the text); the original method then goes on from
 * there, so errors and their positions stay as the original reports them.
 */
class RunParser extends TOMLParser {
  /**
   * Appends the characters from the current one up to the first that is not
   * plain text in this kind of string (`run` matches them), moving the
   * position past them as the original's per-character step does. Returns
   * true when the text ended inside the run (the original's loop then
   * returns, waiting for more text).
   */
  private takeRun(run: RegExp): boolean {
    const text = this._buf;
    const start = this.ii;
    // Once the text is done (in finish()) the parser drops it and sets `char` to a sentinel.
    if (text === null || start >= text.length) return false;
    run.lastIndex = start;
    run.test(text);
    const end = run.lastIndex;
    if (end === start) return false;
    // Lines and columns as the original counts them: a line starts after each LF.
    let lastLf = -1;
    for (let i = text.indexOf('\n', start); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) {
      this.line++;
      lastLf = i;
    }
    this.col = lastLf >= 0 ? end - lastLf - 1 : this.col + (end - start);
    this.state.buf += text.slice(start, end);
    this.pos += end - start;
    this.ii = end;
    this.char = text.codePointAt(end);
    return end >= text.length;
  }

  override parseBasicString(): unknown {
    if (this.takeRun(BASIC_RUN)) return undefined;
    return super.parseBasicString();
  }

  override parseLiteralString(): unknown {
    if (this.takeRun(LITERAL_RUN)) return undefined;
    return super.parseLiteralString();
  }

  override parseMultiStringContent(): unknown {
    if (this.takeRun(MULTI_BASIC_RUN)) return undefined;
    return super.parseMultiStringContent();
  }

  override parseLiteralMultiStringContent(): unknown {
    if (this.takeRun(MULTI_LITERAL_RUN)) return undefined;
    return super.parseLiteralMultiStringContent();
  }
}

/** Parses TOML text into plain objects. A leading UTF-8 byte-order mark is ignored. */
export function parseToml(text: string): Record<string, unknown> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    const parser = new RunParser();
    parser.parse(body);
    return flattenStrings(parser.finish()) as Record<string, unknown>;
  } catch (e) {
    const err = e as { message?: string; line?: number; col?: number; fromTOML?: boolean };
    if (err?.fromTOML) {
      const line = typeof err.line === 'number' ? err.line + 1 : null;
      // At the end of the text the parser reports one column past the line's end.
      const lineLength = line === null ? 0 : (body.split(/\r?\n/)[line - 1] ?? '').length;
      const column = typeof err.col === 'number' ? Math.min(err.col + 1, lineLength + 1) : null;
      const reason = String(err.message ?? 'invalid TOML').split('\n')[0]!;
      throw new TomlSyntaxError(reason, line, column);
    }
    throw e;
  }
}

/**
 * Strings still built from several pieces (around escapes and quotes) are
 * ropes in V8 until something reads them; rules keep their strings for
 * their whole life, so they are made flat here, while they are young.
 * Reading a character flattens a rope in place.
 */
function flattenStrings(value: unknown): unknown {
  if (typeof value === 'string') {
    value.charCodeAt(0);
  } else if (Array.isArray(value)) {
    for (const item of value) flattenStrings(item);
  } else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const key of Object.keys(value)) flattenStrings((value as Record<string, unknown>)[key]);
  }
  return value;
}

/**
 * Where things are in a rule's TOML text: the line of a key inside a table,
 * and where the `query` string's content starts, so that errors inside a
 * query can point into the file. A light line scanner that knows tables and
 * multi-line strings is enough for this; values come from the real parser.
 */
import { positionOf } from '../errors.js';

export interface KeyPosition {
  /** 1-based line of the key. */
  readonly line: number;
  /** 1-based column of the key. */
  readonly column: number;
  /** 1-based line and column where the string value's content starts, for string values. */
  readonly valueLine: number;
  readonly valueColumn: number;
  /** Whether the content starts on the line after the opening delimiter (a multi-line string). */
  readonly multiline: boolean;
  /** The delimiter of a string value: `'''`, `"""`, `'`, `"`, or null for other values. */
  readonly delimiter: string | null;
}

const TABLE = /^\s*\[\[?\s*([A-Za-z0-9_.\s"-]+?)\s*\]\]?\s*(?:#.*)?$/;
const KEY = /^(\s*)([A-Za-z0-9_-]+|"[^"]*")\s*=\s*/;

/** Finds `key` directly inside `[table]` (for example `rule` and `query`). */
export function locateKey(text: string, table: string, key: string): KeyPosition | null {
  const lines = text.split(/\r?\n/);
  let current = '';
  let openDelimiter: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (openDelimiter) {
      // Inside a multi-line string: only its closing delimiter matters.
      if (line.includes(openDelimiter)) openDelimiter = null;
      continue;
    }
    const t = TABLE.exec(line);
    if (t) {
      current = t[1]!.replace(/[\s"]+/g, '');
      continue;
    }
    const k = KEY.exec(line);
    if (!k) continue;
    const name = k[2]!.replace(/^"|"$/g, '');
    const rest = line.slice(k[0].length);
    const delimiter = rest.startsWith("'''") ? "'''" : rest.startsWith('"""') ? '"""' : rest.startsWith("'") ? "'" : rest.startsWith('"') ? '"' : null;
    const afterOpen = delimiter ? rest.slice(delimiter.length) : '';
    const multiline = (delimiter === "'''" || delimiter === '"""') && !afterOpen.includes(delimiter);
    if (current === table && name === key) {
      const column = k[1]!.length + 1;
      if (multiline && afterOpen.trim() === '') {
        // TOML drops a newline right after the opening delimiter.
        return { line: i + 1, column, valueLine: i + 2, valueColumn: 1, multiline: true, delimiter };
      }
      return { line: i + 1, column, valueLine: i + 1, valueColumn: k[0].length + (delimiter?.length ?? 0) + 1, multiline, delimiter };
    }
    if (multiline) openDelimiter = delimiter;
  }
  return null;
}

/** 0-based offset of a 1-based line and column. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset + column - 1;
}

const isBlank = (c: string | undefined) => c === ' ' || c === '\t';
const isLineEnd = (c: string | undefined) => c === '\n' || c === '\r';

/**
 * How many characters of the file the next character(s) of the value take,
 * reading from `raw`: an escape takes 2 to 10, a line-ending backslash with
 * the blank space after it takes all of that and stands for nothing, CRLF
 * stands for one or two. Returns [file characters, value characters].
 */
function stepOf(raw: string, r: number, basic: boolean, multiline: boolean): [number, number] {
  const c = raw[r];
  if (basic && c === '\\') {
    const e = raw[r + 1];
    if (e === 'u') return [6, 1];
    if (e === 'U') return [10, Number.parseInt(raw.slice(r + 2, r + 10), 16) > 0xffff ? 2 : 1];
    if (multiline && (isBlank(e) || isLineEnd(e))) {
      let end = r + 1;
      while (end < raw.length && (isBlank(raw[end]) || isLineEnd(raw[end]))) end++;
      return [end - r, 0];
    }
    return [2, 1];
  }
  return [1, 1];
}

/**
 * Maps an offset inside the decoded `query` string to a 1-based line and
 * column of the file. Escapes (`\"`, `\u0041`), a line-ending backslash in
 * a `"""` string and CRLF line ends make the file's text longer than the
 * value, so the two are walked side by side.
 */
export function positionInFile(text: string, at: KeyPosition, value: string, valueOffset: number): { line: number; column: number } {
  const start = offsetOf(text, at.valueLine, at.valueColumn);
  const basic = at.delimiter === '"' || at.delimiter === '"""';
  let r = start;
  let d = 0;
  while (d < valueOffset && r < text.length) {
    // A CRLF in the file may be one newline in the value (parsers may normalise it).
    if (text[r] === '\r' && text[r + 1] === '\n' && value[d] === '\n') {
      r += 2;
      d += 1;
      continue;
    }
    const [fileChars, valueChars] = stepOf(text, r, basic, at.multiline);
    r += fileChars;
    d += valueChars;
  }
  const { line, column } = positionOf(text, r);
  return { line, column };
}

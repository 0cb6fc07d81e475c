/**
 * Where things are in a rule's TOML text: the line of a key inside a table,
 * and where the `query` string's content starts, so that errors inside a
 * query can point into the file. A light line scanner that knows tables and
 * multi-line strings is enough for this; values come from the real parser.
 */

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

/** Maps a position inside a string value (1-based line and column of the value) to the file. */
export function positionInFile(at: KeyPosition, line: number, column: number): { line: number; column: number } {
  return { line: at.valueLine + line - 1, column: line === 1 ? at.valueColumn + column - 1 : column };
}

/**
 * Where things are in a rule test file, so that its errors can name a line
 * and a column: its top-level keys, each `[[case]]` with its keys and its
 * `[[case.events]]` tables, and any text within a case. A line scanner that
 * knows table headers and multi-line strings is enough: values come from the
 * TOML parser, and only positions from here. A file written otherwise (cases
 * as inline tables, say) still runs; its errors then have fewer positions.
 */

/** A 1-based line and column. */
export interface Spot {
  readonly line: number;
  readonly column: number;
}

export interface EventTableLayout {
  /** The line of its `[[case.events]]` header. */
  readonly line: number;
  readonly keys: ReadonlyMap<string, Spot>;
}

export interface CaseLayout {
  /** The line of its `[[case]]` header. */
  readonly line: number;
  /** The line after its last: the next `[[case]]`'s header, or past the end. */
  readonly end: number;
  /** Its own keys (before any sub-table), by their first segment. */
  readonly keys: ReadonlyMap<string, Spot>;
  readonly eventTables: readonly EventTableLayout[];
  /** Where each inline table of its `events = [...]` opens. */
  readonly inlineEvents: readonly Spot[];
}

const HEADER = /^\s*(\[\[?)\s*([^\]]*?)\s*\]\]?\s*(?:#.*)?$/;
const KEY = /^(\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*[.=]/;

/** The name of a table header, with quotes and blanks around segments dropped: `[[ case . events ]]` is `case.events`. */
function headerName(raw: string): string {
  return raw
    .split('.')
    .map((s) => s.trim().replace(/^"(.*)"$|^'(.*)'$/, '$1$2'))
    .join('.');
}

export class TestFileLayout {
  readonly lines: readonly string[];
  readonly top = new Map<string, Spot>();
  readonly cases: CaseLayout[] = [];

  constructor(readonly text: string) {
    this.lines = text.split(/\r\n|\r|\n/);
    let table: 'top' | 'case' | 'events' | 'other' = 'top';
    let current: { line: number; keys: Map<string, Spot>; eventTables: EventTableLayout[]; inlineEvents: Spot[] } | null = null;
    let eventKeys: Map<string, Spot> | null = null;
    const state: ValueState = { open: null, depth: 0, items: null };
    const starts: number[] = [];
    for (let i = 0; i < this.lines.length; i++) {
      const line = this.lines[i]!;
      // Inside a value that spans lines (a multi-line string, an array, an inline table): no keys or headers here.
      if (state.open !== null || state.depth > 0) {
        scanValue(line, i + 1, 0, state);
        continue;
      }
      const h = HEADER.exec(line);
      if (h) {
        const name = headerName(h[2]!);
        const array = h[1] === '[[';
        if (array && name === 'case') {
          current = { line: i + 1, keys: new Map(), eventTables: [], inlineEvents: [] };
          this.cases.push({ ...current, end: 0 });
          starts.push(i + 1);
          table = 'case';
        } else if (array && name === 'case.events' && current !== null) {
          eventKeys = new Map();
          current.eventTables.push({ line: i + 1, keys: eventKeys });
          table = 'events';
        } else {
          table = 'other';
        }
        continue;
      }
      const k = KEY.exec(line);
      if (!k) continue;
      const name = k[2]!.replace(/^"(.*)"$|^'(.*)'$/, '$1$2');
      const spot = { line: i + 1, column: k[1]!.length + 1 };
      const keys = table === 'top' ? this.top : table === 'case' ? current!.keys : table === 'events' ? eventKeys! : null;
      if (keys !== null && !keys.has(name)) keys.set(name, spot);
      const equals = line.indexOf('=', k[0].length - 1);
      state.items = table === 'case' && name === 'events' ? current!.inlineEvents : null;
      if (equals >= 0) scanValue(line, i + 1, equals + 1, state);
    }
    // Each case ends where the next begins. The objects were pushed before their ends were known.
    for (let c = 0; c < this.cases.length; c++) {
      const layout = this.cases[c]!;
      this.cases[c] = { ...layout, end: starts[c + 1] ?? this.lines.length + 1 };
    }
  }

  /** The first place at or after `from` and before `to` (lines) where `needle` is written. */
  find(needle: string, from: Spot, to: number): Spot | null {
    for (let line = from.line; line < to && line <= this.lines.length; line++) {
      const text = this.lines[line - 1]!;
      const at = text.indexOf(needle, line === from.line ? from.column - 1 : 0);
      if (at >= 0) return { line, column: at + 1 };
    }
    return null;
  }

  /** Where a string value is written at or after `from` (in either kind of quotes). */
  findString(value: string, from: Spot, to: number): Spot | null {
    const quoted = [JSON.stringify(value), `'${value}'`];
    let best: Spot | null = null;
    for (const q of quoted) {
      const at = this.find(q, from, to);
      if (at && (!best || at.line < best.line || (at.line === best.line && at.column < best.column))) best = at;
    }
    return best;
  }
}

/** Where a value that spans lines stands at the end of a line: inside a multi-line string (its delimiter), or brackets deep. */
interface ValueState {
  open: string | null;
  depth: number;
  /** Where the value's inline tables open, when they are wanted (the items of `events = [...]`). */
  items: Spot[] | null;
}

/** Follows a value's text (line `lineNumber`) from `from` to the end of the line: strings, brackets, a comment. */
function scanValue(line: string, lineNumber: number, from: number, state: ValueState): void {
  let i = from;
  while (i < line.length) {
    if (state.open !== null) {
      const close = line.indexOf(state.open, i);
      if (close < 0) return;
      i = close + 3;
      state.open = null;
      continue;
    }
    const c = line[i]!;
    if (c === '#') return;
    if (c === '"' || c === "'") {
      if (line.startsWith(c.repeat(3), i)) {
        state.open = c.repeat(3);
        i += 3;
        continue;
      }
      // A one-line string: to its closing quote (a basic string's backslash escapes the next character).
      i++;
      while (i < line.length && line[i] !== c) i += c === '"' && line[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '{' && state.depth === 1) state.items?.push({ line: lineNumber, column: i + 1 });
    if (c === '[' || c === '{') state.depth++;
    else if (c === ']' || c === '}') state.depth = Math.max(0, state.depth - 1);
    i++;
  }
}

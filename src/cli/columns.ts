/**
 * Columns for the formats that print one line per result (table, csv): what
 * each column is called and how its text is read from an alert (from `run`)
 * or a match (from `query`).
 *
 * A result holds several events, so an event field shows the distinct values
 * across them, in order of first appearance ("a, b"); the `null` placeholders
 * of missing-event stages are skipped.
 */
import type { Event } from '../semantics/fields.js';
import { compileFieldReader } from '../semantics/fields.js';
import { UsageError } from './output.js';

/** What a command prints: alerts (`run`) or matches (`query`). */
export type ItemKind = 'alert' | 'match';

export interface Column {
  /** The name given to --fields (or the default's). */
  readonly name: string;
  /**
   * A column that a table may leave out when it is empty in every buffered
   * row, or when the terminal is too narrow for it.
   */
  readonly optional: boolean;
  /**
   * Whether a table may narrow it to fit a terminal. Short fixed forms (a
   * time, a severity, a count) stay whole: cut, they would mean nothing.
   */
  readonly narrows: boolean;
  /** The cell's text for one result: never undefined, '' when there is nothing to show. */
  cell(item: unknown): string;
}

export interface ColumnOptions {
  /** The field `time` reads from a match's events (alerts carry their own time). Default `@timestamp`. */
  readonly timestampField?: string;
}

/** The columns shown when --fields is not given. */
export const DEFAULT_FIELDS: Readonly<Record<ItemKind, readonly string[]>> = {
  alert: ['rule', 'severity', 'time', 'host', 'user', 'process', 'keys'],
  match: ['time', 'kind', 'keys', 'host', 'user', 'process'],
};

/** Short names for the ECS fields people look at first. */
const SHORT_NAMES: Readonly<Record<string, string>> = {
  host: 'host.name',
  user: 'user.name',
  process: 'process.name',
};

interface ItemShape {
  readonly kind?: unknown;
  readonly rule?: { readonly name?: unknown; readonly severity?: unknown };
  readonly join_keys?: readonly unknown[];
  readonly events?: readonly (Event | null)[];
  readonly last_event_time?: unknown;
}

const shape = (item: unknown): ItemShape => (typeof item === 'object' && item !== null ? (item as ItemShape) : {});

function presentEvents(item: unknown): Event[] {
  const events = shape(item).events;
  return Array.isArray(events) ? events.filter((e): e is Event => typeof e === 'object' && e !== null) : [];
}

/** One value as text; an object (a field that is a whole subtree) as its JSON. */
function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return String(value);
  }
}

/** Adds the values of a raw field read (one value, or arrays of them at any depth) to `out`, without nulls. */
function collectValues(raw: unknown, out: Set<string>): void {
  if (raw === undefined || raw === null) return;
  if (!Array.isArray(raw)) {
    out.add(valueText(raw));
    return;
  }
  // Explicit stack: arrays from code may nest deeply.
  const stack: unknown[] = [raw];
  while (stack.length > 0) {
    const next = stack.pop();
    if (Array.isArray(next)) {
      for (let i = next.length - 1; i >= 0; i--) stack.push(next[i]);
    } else if (next !== undefined && next !== null) {
      out.add(valueText(next));
    }
  }
}

/**
 * A subtree at a plain nested path. The engine's reader gives an object no
 * value, as Elasticsearch does; a column naming one (`process.parent`) shows
 * it as JSON rather than nothing.
 */
function subtree(event: Event, segments: readonly string[]): object | undefined {
  let node: unknown = event;
  for (const segment of segments) {
    if (typeof node !== 'object' || node === null || Array.isArray(node) || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return typeof node === 'object' && node !== null && !Array.isArray(node) ? node : undefined;
}

/**
 * The distinct values of an event field (dotted path) across events, in order
 * of first appearance, read as the engine reads fields (nested objects,
 * dotted keys, arrays of objects).
 */
export function distinctValues(events: readonly (Event | null)[], path: string): string[] {
  const read = compileFieldReader(path);
  const segments = path.split('.');
  const out = new Set<string>();
  for (const event of events) {
    if (event === null || typeof event !== 'object') continue;
    const raw = read(event);
    collectValues(raw === undefined ? subtree(event, segments) : raw, out);
  }
  return [...out];
}

function fieldColumn(name: string, path: string, optional: boolean): Column {
  return { name, optional, narrows: true, cell: (item) => distinctValues(presentEvents(item), path).join(', ') };
}

function ownColumn(name: string, options: ColumnOptions, optional: boolean): Column | undefined {
  switch (name) {
    case 'rule':
      return { name, optional, narrows: true, cell: (item) => textOrEmpty(shape(item).rule?.name) };
    case 'severity':
      return { name, optional, narrows: false, cell: (item) => textOrEmpty(shape(item).rule?.severity) };
    case 'kind':
      return { name, optional, narrows: false, cell: (item) => textOrEmpty(shape(item).kind) };
    case 'keys':
      return { name, optional, narrows: true, cell: (item) => (shape(item).join_keys ?? []).map(valueText).join(', ') };
    case 'events':
      return { name, optional, narrows: false, cell: (item) => String(presentEvents(item).length) };
    case 'time': {
      // An alert's time is when its detection completed: its last event. A match is given the same.
      const field = options.timestampField ?? '@timestamp';
      return {
        name,
        optional,
        narrows: false,
        cell: (item) => {
          const own = shape(item).last_event_time;
          if (typeof own === 'string') return own;
          const events = presentEvents(item);
          const last = events[events.length - 1];
          return last ? distinctValues([last], field).join(', ') : '';
        },
      };
    }
    default:
      return undefined;
  }
}

function textOrEmpty(value: unknown): string {
  return value === undefined || value === null ? '' : valueText(value);
}

/**
 * Columns from names: `rule`, `severity`, `time`, `kind`, `keys` and `events`
 * (the count of events) are the result's own; `host`, `user` and `process`
 * stand for `host.name`, `user.name` and `process.name`; any other name is
 * an event field path.
 */
export function columnsFor(names: readonly string[], options: ColumnOptions = {}): Column[] {
  return names.map((name) => ownColumn(name, options, false) ?? fieldColumn(name, SHORT_NAMES[name] ?? name, false));
}

/**
 * The default columns for alerts or matches. Join keys are optional: a table
 * leaves them out when no result has any (event queries) or when they do not
 * fit the terminal.
 */
export function defaultColumns(kind: ItemKind, options: ColumnOptions = {}): Column[] {
  return columnsFor(DEFAULT_FIELDS[kind], options).map((c) => (c.name === 'keys' ? { ...c, optional: true } : c));
}

/** Whether a result is an alert (it names its rule) rather than a query's match. */
export function itemKind(item: unknown): ItemKind {
  const rule = shape(item).rule;
  return typeof rule === 'object' && rule !== null ? 'alert' : 'match';
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text from events made safe for a terminal: control characters escaped
 * (\n, \t, \u001b), so that a value can neither break a line nor send the
 * terminal an escape sequence.
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** The names in a `--fields a,b,c` value; an empty name is a usage error. */
export function parseFields(text: string): string[] {
  const names = text.split(',').map((n) => n.trim());
  if (names.some((n) => n === '')) {
    throw new UsageError(`--fields takes field names separated by commas, with none empty, not ${JSON.stringify(text)}`);
  }
  return names;
}

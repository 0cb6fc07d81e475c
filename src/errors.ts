/**
 * Error classes shared by every stage. Each carries a stable `code` and
 * structured fields for programs, plus a code frame for people.
 */
import type { Location, Position } from './parser/ast.js';

/** The 1-based line and column of a 0-based offset, with line breaks as {@link codeFrame} counts them (LF, CRLF, CR). */
export function positionOf(source: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, column: offset - lineStart + 1 };
}

/** Renders the source line(s) around a position with a caret under the column. */
export function codeFrame(source: string, line: number, column: number, length = 1): string {
  const lines = source.split(/\r\n|\r|\n/);
  const first = Math.max(1, line - 1);
  const last = Math.min(lines.length, line);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    const text = lines[n - 1] ?? '';
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${text}`);
    if (n === line) {
      const pad = text.slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, ' ');
      out.push(`  ${' '.repeat(width)} | ${pad}${'^'.repeat(Math.max(1, length))}`);
    }
  }
  return out.join('\n');
}

/** Base class of every error this library throws on purpose. */
export class EqlError extends Error {
  /** A stable, machine-readable code such as `EQL_SYNTAX`. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

export type SyntaxErrorCode = 'EQL_SYNTAX' | 'EQL_UNSUPPORTED_SYNTAX' | 'EQL_INVALID_STRING' | 'EQL_INVALID_NUMBER' | 'EQL_TOO_DEEP';

/** The query text cannot be parsed. `line` and `column` are 1-based, `offset` 0-based. */
export class EqlSyntaxError extends EqlError {
  declare readonly code: SyntaxErrorCode;
  /** The message without the position prefix and code frame. */
  readonly reason: string;
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly length: number;
  readonly source: string;
  readonly frame: string;

  constructor(reason: string, source: string, position: Position, options: { code?: SyntaxErrorCode; length?: number } = {}) {
    const frame = codeFrame(source, position.line, position.column, options.length ?? 1);
    super(options.code ?? 'EQL_SYNTAX', `line ${position.line}:${position.column}: ${reason}\n${frame}`);
    this.reason = reason;
    this.line = position.line;
    this.column = position.column;
    this.offset = position.offset;
    this.length = options.length ?? 1;
    this.source = source;
    this.frame = frame;
  }
}

/** The query parses but means nothing Elasticsearch would run: unknown field or function, wrong types or arity. */
export class EqlSemanticError extends EqlError {
  readonly reason: string;
  readonly location: Location | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly frame: string | null;

  constructor(code: string, reason: string, location: Location | null = null, source: string | null = null) {
    const frame = location && source !== null ? codeFrame(source, location.start.line, location.start.column, Math.max(1, location.end.offset - location.start.offset)) : null;
    const where = location ? `line ${location.start.line}:${location.start.column}: ` : '';
    super(code, `${where}${reason}${frame ? `\n${frame}` : ''}`);
    this.reason = reason;
    this.location = location;
    this.line = location?.start.line ?? null;
    this.column = location?.start.column ?? null;
    this.frame = frame;
  }
}

export type EventErrorCode = 'EQL_EVENT_NOT_JSON' | 'EQL_EVENT_TIMESTAMP' | 'EQL_EVENT_NOT_OBJECT' | 'EQL_EVENT_EVALUATION' | 'EQL_EVENT_LATE';

/**
 * One event could not be used. Streams report it through `onError` and go on
 * with the next event; nothing is thrown.
 */
export class EqlEventError extends EqlError {
  declare readonly code: EventErrorCode;
  /** 0-based position of the event in its input. */
  readonly index: number;
  readonly reason: string;
  readonly event: unknown;

  constructor(code: EventErrorCode, reason: string, index: number, event: unknown) {
    super(code, `event ${index}: ${reason}`);
    this.index = index;
    this.reason = reason;
    this.event = event;
  }
}

export type RuleLoadErrorCode = 'RULE_READ' | 'RULE_TOML' | 'RULE_SCHEMA' | 'RULE_QUERY' | 'RULE_NOT_EQL' | 'RULE_NOT_SUPPORTED';

/**
 * A rule file that cannot be used: unreadable, not TOML, missing or mistyped
 * keys, or a query that does not compile. `line` and `column` point into the
 * file (1-based) when the position is known; `key` names the offending key.
 */
export class RuleLoadError extends EqlError {
  declare readonly code: RuleLoadErrorCode;
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly key: string | null;
  readonly reason: string;
  /** The file's lines around the position, with a caret, when the error is the query's (RULE_QUERY); null otherwise. */
  readonly frame: string | null;
  /** The query error behind a RULE_QUERY error. */
  override readonly cause: EqlError | undefined;

  constructor(
    code: RuleLoadErrorCode,
    reason: string,
    where: { file?: string | null; line?: number | null; column?: number | null; key?: string | null; cause?: EqlError; frame?: string | null } = {},
  ) {
    const file = where.file ?? null;
    const position = where.line != null ? `:${where.line}${where.column != null ? `:${where.column}` : ''}` : '';
    const key = where.key ? ` [${where.key}]` : '';
    super(code, `${file ?? '<rule>'}${position}${key}: ${reason}${where.frame ? `\n${where.frame}` : ''}`);
    this.file = file;
    this.line = where.line ?? null;
    this.column = where.column ?? null;
    this.key = where.key ?? null;
    this.reason = reason;
    this.frame = where.frame ?? null;
    this.cause = where.cause;
  }
}

export type SnapshotErrorCode = 'EQL_SNAPSHOT_MISMATCH' | 'EQL_SNAPSHOT_VERSION' | 'EQL_SNAPSHOT_CORRUPT' | 'EQL_SNAPSHOT_UNSERIALIZABLE';

/**
 * A matcher's state snapshot cannot be taken or restored:
 *
 * - `EQL_SNAPSHOT_MISMATCH`: taken from other rules or another query, or with
 *   other matcher options, than the matcher it is restored into;
 * - `EQL_SNAPSHOT_VERSION`: written in another version of the snapshot format;
 * - `EQL_SNAPSHOT_CORRUPT`: not a snapshot, or damaged (`path` says where);
 * - `EQL_SNAPSHOT_UNSERIALIZABLE`: at `snapshot()`, an event the state holds
 *   has a value that cannot be saved exactly (a Map, a function, a cycle).
 *
 * A refused restore leaves the matcher as it was.
 */
export class EqlSnapshotError extends EqlError {
  declare readonly code: SnapshotErrorCode;
  readonly reason: string;
  /** Where in the snapshot (or in the event) the problem is, as a JSON path such as `$.state.keys[3]`; null when it is the whole. */
  readonly path: string | null;

  constructor(code: SnapshotErrorCode, reason: string, path: string | null = null) {
    super(code, path === null ? `snapshot: ${reason}` : `snapshot: ${reason} (at ${path})`);
    this.reason = reason;
    this.path = path;
  }
}

/** What a value is, for messages: `null`, `an array`, `a number (42)`, `an object`, … */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'number':
    case 'bigint':
    case 'boolean':
      return `a ${typeof value} (${String(value)})`;
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/**
 * A function was given an argument of the wrong kind: `compile(42)`,
 * `parse(null)`, `schemaFromMapping('[]')`. It is a programming mistake rather
 * than a bad query, so, like JavaScript's own argument errors, it is a
 * `TypeError` (and therefore not an {@link EqlError}); it has the same `code`
 * and structured fields.
 */
export class EqlInvalidArgumentError extends TypeError {
  readonly code = 'EQL_INVALID_ARGUMENT' as const;
  /** The function called, such as `compile`. */
  readonly functionName: string;
  /** The parameter at fault, such as `query`. */
  readonly argument: string;
  /** What the parameter must be. */
  readonly expected: string;
  /** What was given: `null`, `a number (42)`, `an object`, … */
  readonly received: string;

  constructor(functionName: string, argument: string, expected: string, value: unknown) {
    const received = describeValue(value);
    super(`${functionName}(): ${argument} must be ${expected}; got ${received}`);
    this.name = new.target.name;
    this.functionName = functionName;
    this.argument = argument;
    this.expected = expected;
    this.received = received;
  }
}

export type RuleTestErrorCode = 'RULE_TEST_READ' | 'RULE_TEST_TOML' | 'RULE_TEST_SCHEMA' | 'RULE_TEST_EVENTS' | 'RULE_TEST_RULE';

/**
 * A rule test file (`*.test.toml`) that cannot be run: unreadable, not TOML,
 * a missing, mistyped or unknown key, an event or an expected alert that
 * means nothing, or a rule that does not load. `line` and `column` point into
 * `file` (1-based) when the position is known; `key` names the offending
 * key, such as `case[2].alerts`.
 */
export class RuleTestError extends EqlError {
  declare readonly code: RuleTestErrorCode;
  readonly file: string | null;
  readonly line: number | null;
  readonly column: number | null;
  readonly key: string | null;
  readonly reason: string;
  /** The source lines around the position, with a caret, when the text is at hand. */
  readonly frame: string | null;
  /** The rule's own load error behind a RULE_TEST_RULE error. */
  override readonly cause: EqlError | undefined;

  constructor(
    code: RuleTestErrorCode,
    reason: string,
    where: { file?: string | null; line?: number | null; column?: number | null; key?: string | null; source?: string | null; cause?: EqlError } = {},
  ) {
    const file = where.file ?? null;
    const line = where.line ?? null;
    const column = line === null ? null : (where.column ?? null);
    const frame = line !== null && where.source != null ? codeFrame(where.source, line, column ?? 1) : null;
    const position = line !== null ? `:${line}${column !== null ? `:${column}` : ''}` : '';
    const key = where.key ? ` [${where.key}]` : '';
    super(code, `${file ?? '<rule test>'}${position}${key}: ${reason}${frame ? `\n${frame}` : ''}`);
    this.file = file;
    this.line = line;
    this.column = column;
    this.key = where.key ?? null;
    this.reason = reason;
    this.frame = frame;
    this.cause = where.cause;
  }
}

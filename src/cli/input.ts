/**
 * Event input for the command line: NDJSON or one JSON array, either one
 * possibly gzip-compressed, from files or stdin. Everything is streamed, so
 * memory does not grow with the input. Each record knows its file and line.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import { Readable } from 'node:stream';
import { isBlankLine, parseJsonLine, parseJsonText } from '../engine/json-line.js';

export interface EventRecord {
  readonly ok: true;
  readonly event: unknown;
  readonly file: string;
  readonly line: number;
  /** The JSON text the event was parsed from, so that it can be written out again exactly (a sort's spilled runs). */
  readonly raw: string;
}

export interface BadRecord {
  readonly ok: false;
  readonly reason: string;
  readonly file: string;
  readonly line: number;
}

export type InputRecord = EventRecord | BadRecord;

/** Byte counts, for progress, and the lines the prefilter left unparsed. */
export interface InputProgress {
  bytesRead: number;
  /** Total size when known (files), else 0. */
  bytesTotal: number;
  /** NDJSON lines skipped unparsed because no query could match them. */
  linesPrefiltered: number;
}

/** Reading options. */
export interface ReadOptions {
  /** Lines for which this says false are counted and skipped without JSON.parse (NDJSON only). */
  readonly mayMatch?: (line: string) => boolean;
  /** What `-` reads: the process's stdin unless the caller gives another stream. */
  readonly stdin?: NodeJS.ReadableStream;
  /** Reads NDJSON even when the first line starts with `[` (a line that is an array). */
  readonly ndjson?: boolean;
}

const GZIP_MAGIC_0 = 0x1f;
const GZIP_MAGIC_1 = 0x8b;

/** Opens a file or stdin (`-`) as a byte stream, gunzipping when the name or the first bytes say gzip. */
async function* bytesOf(name: string, progress: InputProgress, stdin: NodeJS.ReadableStream = process.stdin): AsyncGenerator<Buffer> {
  const source = (name === '-' ? stdin : createReadStream(name)) as AsyncIterable<Buffer | string>;
  const chunks = source[Symbol.asyncIterator]();
  const first = await chunks.next();
  if (first.done) return;
  const head = toBuffer(first.value as Buffer | string);
  async function* counted(): AsyncGenerator<Buffer> {
    progress.bytesRead += head.length;
    yield head;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      const buf = toBuffer(next.value as Buffer | string);
      progress.bytesRead += buf.length;
      yield buf;
    }
  }
  if (!name.endsWith('.gz') && !(head[0] === GZIP_MAGIC_0 && head[1] === GZIP_MAGIC_1)) {
    yield* counted();
    return;
  }
  const gunzipped = Readable.from(counted()).pipe(createGunzip());
  for await (const chunk of gunzipped) yield chunk as Buffer;
}

/** A stream given strings (an in-process caller's stdin) yields them as UTF-8 bytes. */
const toBuffer = (chunk: Buffer | string): Buffer => (typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);

/**
 * The records of one input, a batch per chunk read (one promise per chunk,
 * not per event). The format is decided by the first non-blank character:
 * `[` starts a JSON array, anything else is NDJSON. A leading byte-order mark
 * is dropped.
 */
export async function* readRecordBatches(name: string, progress: InputProgress, options: ReadOptions = {}): AsyncGenerator<InputRecord[]> {
  const mayMatch = options.mayMatch;
  const file = name === '-' ? '<stdin>' : name;
  const decoder = new StringDecoder('utf8');
  let mode: 'unknown' | 'ndjson' | 'array' = 'unknown';
  let pending = '';
  let line = 1;
  const array = new JsonArraySplitter(file);

  for await (const chunk of bytesOf(name, progress, options.stdin)) {
    let text = decoder.write(chunk);
    if (mode === 'unknown') {
      pending += text;
      const m = /\S/.exec(pending);
      if (!m) continue;
      mode = m[0] === '[' && options.ndjson !== true ? 'array' : 'ndjson';
      // A byte-order mark counts as blank above, but JSON.parse would reject the first line for it.
      text = pending.charCodeAt(0) === 0xfeff ? pending.slice(1) : pending;
      pending = '';
    }
    if (mode === 'array') {
      yield [...array.push(text)];
      continue;
    }
    const batch: InputRecord[] = [];
    const buffer = pending + text;
    let from = 0;
    let nl: number;
    while ((nl = buffer.indexOf('\n', from)) >= 0) {
      const text = buffer.slice(from, nl);
      from = nl + 1;
      if (mayMatch && !mayMatch(text)) {
        line++;
        if (!isBlankLine(text)) progress.linesPrefiltered++;
        continue;
      }
      const record = parseLine(text, file, line++);
      if (record) batch.push(record);
    }
    pending = buffer.slice(from);
    if (batch.length > 0) yield batch;
  }
  const rest = pending + decoder.end();
  if (mode === 'array') {
    yield [...array.push(rest), ...array.end()];
  } else if (rest.trim() !== '') {
    if (mayMatch && !mayMatch(rest)) {
      progress.linesPrefiltered++;
      return;
    }
    const record = parseLine(rest, file, line);
    if (record) yield [record];
  }
}

function parseLine(raw: string, file: string, line: number): InputRecord | null {
  const parsed = parseJsonLine(raw);
  if (parsed === null) return null;
  return parsed.ok ? { ok: true, event: parsed.value, file, line, raw } : { ok: false, reason: parsed.reason, file, line };
}

/**
 * Splits a top-level JSON array into its elements as text arrives, tracking
 * strings and nesting, and parses each element on its own.
 */
class JsonArraySplitter {
  private started = false;
  private ended = false;
  private depth = 0;
  private inString = false;
  private escape = false;
  private element = '';
  private elementLine = 1;
  private line = 1;

  constructor(private readonly file: string) {}

  *push(text: string): Generator<InputRecord> {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      if (ch === '\n') this.line++;
      if (this.ended) {
        if (!/\s/.test(ch)) {
          this.ended = false;
          yield { ok: false, reason: 'unexpected text after the JSON array', file: this.file, line: this.line };
          this.ended = true;
          return;
        }
        continue;
      }
      if (!this.started) {
        if (ch === '[') this.started = true;
        continue;
      }
      if (this.inString) {
        this.element += ch;
        if (this.escape) this.escape = false;
        else if (ch === '\\') this.escape = true;
        else if (ch === '"') this.inString = false;
        continue;
      }
      if (this.depth === 0 && (ch === ',' || ch === ']')) {
        if (this.element !== '') yield this.parse();
        if (ch === ']') this.ended = true;
        continue;
      }
      // Whitespace before an element is never kept, so an element is empty or starts with text.
      if (this.element === '' && /\s/.test(ch)) continue;
      if (this.element === '') this.elementLine = this.line;
      this.element += ch;
      if (ch === '"') this.inString = true;
      else if (ch === '{' || ch === '[') this.depth++;
      else if (ch === '}' || ch === ']') this.depth--;
    }
  }

  *end(): Generator<InputRecord> {
    if (this.element !== '') yield this.parse();
    if (this.started && !this.ended) yield { ok: false, reason: 'the JSON array is not closed', file: this.file, line: this.line };
  }

  private parse(): InputRecord {
    const text = this.element;
    const line = this.elementLine;
    this.element = '';
    this.depth = 0;
    const parsed = parseJsonText(text);
    return parsed.ok ? { ok: true, event: parsed.value, file: this.file, line, raw: text } : { ok: false, reason: parsed.reason, file: this.file, line };
  }
}

/**
 * {@link readRecordBatches}, stepped by hand so that a failure of the input
 * itself (missing, broken compression) is told apart from one of the code
 * that consumes its records: the former becomes `unreadable(cause)`.
 */
export async function* recordBatchesOf(name: string, progress: InputProgress, options: ReadOptions, unreadable: (cause: unknown) => Error): AsyncGenerator<InputRecord[]> {
  const batches = readRecordBatches(name, progress, options)[Symbol.asyncIterator]();
  try {
    for (;;) {
      let step: IteratorResult<InputRecord[]>;
      try {
        step = await batches.next();
      } catch (e) {
        throw unreadable(e);
      }
      if (step.done) return;
      yield step.value;
    }
  } finally {
    await batches.return(undefined);
  }
}

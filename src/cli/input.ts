/**
 * Event input for the command line: NDJSON or one JSON array, either one
 * possibly gzip-compressed, from files or stdin. Everything is streamed, so
 * memory does not grow with the input, nor with one line of it: records have
 * a size limit and a nesting limit. Each record knows its file and line.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import { Readable } from 'node:stream';
import { isBlankLine, parseJsonLine, parseJsonText } from '../engine/json-line.js';

/** The longest line or array element read by default, in characters: `--max-line-size`. */
export const DEFAULT_MAX_LINE_SIZE = 16 * 1024 * 1024;

/**
 * The deepest nesting of objects and arrays in an event (the event itself is
 * the first level). Elasticsearch's JSON parser (Jackson's default
 * `maxNestingDepth`) refuses deeper documents, so no index holds one; and
 * printing an event serialises it recursively, which this keeps far from the
 * stack's end.
 */
export const MAX_EVENT_DEPTH = 1000;

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
  /** The longest line or array element, in characters; longer ones are reported, not read. Default {@link DEFAULT_MAX_LINE_SIZE}. */
  readonly maxLineSize?: number;
  /** The deepest nesting of an event; deeper ones are reported, not evaluated. Default {@link MAX_EVENT_DEPTH}. */
  readonly maxDepth?: number;
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
 * not per event). The format is decided by the first character that is not
 * JSON whitespace: `[` starts a JSON array, anything else is NDJSON. A
 * leading byte-order mark is dropped.
 *
 * Memory stays flat whatever the input: a line or an array element longer
 * than the limit is not kept but reported, and reading goes on after it; so
 * is an event nested deeper than {@link MAX_EVENT_DEPTH}.
 */
export async function* readRecordBatches(name: string, progress: InputProgress, options: ReadOptions = {}): AsyncGenerator<InputRecord[]> {
  const file = name === '-' ? '<stdin>' : name;
  const limits: RecordLimits = { maxChars: options.maxLineSize ?? DEFAULT_MAX_LINE_SIZE, maxDepth: options.maxDepth ?? MAX_EVENT_DEPTH };
  const decoder = new StringDecoder('utf8');
  let reader: RecordReader | null = null;
  // Blank text before the first record: only its line breaks are kept (counted), so that a
  // stream of nothing but blanks cannot fill memory while the format is still unknown.
  let leadingLines = 0;
  let atStart = true;
  /** Text read before the format is known: the reader for it once it holds a record, or null while it is blank. */
  const start = (text: string): { reader: RecordReader; text: string } | null => {
    if (atStart && text.charCodeAt(0) === BYTE_ORDER_MARK) text = text.slice(1);
    if (text !== '') atStart = false;
    const first = firstNonBlank(text);
    if (first < 0) {
      leadingLines += countLineBreaks(text, 0, text.length);
      return null;
    }
    // The blanks of a first line that holds a record stay with it, as they were read.
    const lineStart = text.lastIndexOf('\n', first) + 1;
    leadingLines += countLineBreaks(text, 0, lineStart);
    const array = text.charCodeAt(first) === OPEN_BRACKET && options.ndjson !== true;
    return {
      reader: array ? new JsonArrayReader(file, leadingLines + 1, limits) : new NdjsonReader(file, leadingLines + 1, limits, progress, options.mayMatch),
      text: text.slice(lineStart),
    };
  };

  for await (const chunk of bytesOf(name, progress, options.stdin)) {
    let text = decoder.write(chunk);
    if (reader === null) {
      const started = start(text);
      if (started === null) continue;
      ({ reader, text } = started);
    }
    const batch: InputRecord[] = [];
    reader.push(text, batch);
    if (batch.length > 0) yield batch;
  }
  let rest = decoder.end();
  if (reader === null) {
    const started = start(rest);
    if (started === null) return;
    ({ reader, text: rest } = started);
  }
  const batch: InputRecord[] = [];
  if (rest !== '') reader.push(rest, batch);
  reader.end(batch);
  if (batch.length > 0) yield batch;
}

/** The caps on one record: its text, in characters, and how deep its objects and arrays nest. */
interface RecordLimits {
  readonly maxChars: number;
  readonly maxDepth: number;
}

interface RecordReader {
  /** Takes the next text of the input; the records it completes go into `batch`. */
  push(text: string, batch: InputRecord[]): void;
  /** The input ended: what was still open goes into `batch`. */
  end(batch: InputRecord[]): void;
}

const BYTE_ORDER_MARK = 0xfeff;
const LINE_FEED = 10;
const CARRIAGE_RETURN = 13;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

const isJsonSpace = (c: number): boolean => c === SPACE || c === LINE_FEED || c === CARRIAGE_RETURN || c === TAB;

/** The index of the first character that is not JSON whitespace, or -1. */
function firstNonBlank(text: string): number {
  for (let i = 0; i < text.length; i++) if (!isJsonSpace(text.charCodeAt(i))) return i;
  return -1;
}

function countLineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** A size as people write it to --max-line-size: `16MB`, `64KB`, or characters. */
function sizeText(chars: number): string {
  if (chars >= 1 << 20 && chars % (1 << 20) === 0) return `${chars / (1 << 20)}MB`;
  if (chars >= 1 << 10 && chars % (1 << 10) === 0) return `${chars / (1 << 10)}KB`;
  return `${chars.toLocaleString('en')} characters`;
}

const tooDeep = (maxDepth: number): string => `objects and arrays nested more than ${maxDepth.toLocaleString('en')} levels deep: not evaluated`;

/**
 * Whether a parsed value nests objects and arrays more than `max` levels deep
 * (the value itself is the first level). Text that is too short to hold that
 * many brackets, or holds too few of them, is answered without a walk; the
 * walk uses a stack of its own, so no depth overflows the call stack.
 */
function nestedDeeperThan(value: unknown, text: string, max: number): boolean {
  if (text.length < 2 * (max + 1)) return false;
  let brackets = 0;
  for (let i = text.indexOf('{'); i >= 0 && brackets <= max; i = text.indexOf('{', i + 1)) brackets++;
  for (let i = text.indexOf('['); i >= 0 && brackets <= max; i = text.indexOf('[', i + 1)) brackets++;
  if (brackets <= max) return false;
  const values: unknown[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop();
    const depth = depths.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const child of children) {
      if (typeof child !== 'object' || child === null) continue;
      values.push(child);
      depths.push(depth + 1);
    }
  }
  return false;
}

/**
 * The text of a record that runs on across chunks, kept as its pieces and
 * only up to a limit: past it the pieces are let go and the record is marked
 * too long, so that memory never holds more than the limit for one record.
 */
class CappedText {
  private pieces: string[] = [];
  /** Characters kept so far. */
  length = 0;
  /** The record is already longer than the limit: its text is not kept. */
  overLong = false;

  constructor(private readonly maxChars: number) {}

  /** Adds text, unless that makes the record too long. */
  keep(text: string): void {
    if (this.overLong) return;
    if (this.length + text.length > this.maxChars) {
      this.overLong = true;
      this.pieces = [];
      this.length = 0;
      return;
    }
    this.pieces.push(text);
    this.length += text.length;
  }

  /** The text kept, with `tail` after it; empties the buffer and forgets that it was too long. */
  take(tail = ''): string {
    const whole = this.pieces.length === 0 ? tail : this.pieces.join('') + tail;
    this.pieces = [];
    this.length = 0;
    this.overLong = false;
    return whole;
  }
}

/**
 * NDJSON: a record per line. A line that runs on across chunks is kept as
 * its pieces, joined once it ends, and only up to the limit: beyond it the
 * pieces are let go, the rest of the line is passed over, and the line is
 * reported as too long.
 */
class NdjsonReader implements RecordReader {
  /** The line under way, from earlier chunks. */
  private readonly pending: CappedText;

  constructor(
    private readonly file: string,
    private line: number,
    private readonly limits: RecordLimits,
    private readonly progress: InputProgress,
    private readonly mayMatch: ((line: string) => boolean) | undefined,
  ) {
    this.pending = new CappedText(limits.maxChars);
  }

  push(text: string, batch: InputRecord[]): void {
    let from = 0;
    let nl = text.indexOf('\n');
    const pending = this.pending;
    if (pending.length > 0 || pending.overLong) {
      if (nl < 0) {
        pending.keep(text);
        return;
      }
      pending.keep(text.slice(0, nl));
      if (pending.overLong) {
        pending.take();
        batch.push(this.tooLong(this.line++));
      } else {
        this.take(pending.take(), batch);
      }
      from = nl + 1;
      nl = text.indexOf('\n', from);
    }
    const max = this.limits.maxChars;
    while (nl >= 0) {
      if (nl - from > max) batch.push(this.tooLong(this.line++));
      else this.take(text.slice(from, nl), batch);
      from = nl + 1;
      nl = text.indexOf('\n', from);
    }
    if (from < text.length) pending.keep(from === 0 ? text : text.slice(from));
  }

  end(batch: InputRecord[]): void {
    if (this.pending.overLong) {
      batch.push(this.tooLong(this.line));
      return;
    }
    const rest = this.pending.take();
    if (rest.trim() !== '') this.take(rest, batch);
  }

  /** One whole line: skipped by the prefilter, blank, or parsed. */
  private take(text: string, batch: InputRecord[]): void {
    const line = this.line++;
    if (this.mayMatch && !this.mayMatch(text)) {
      if (!isBlankLine(text)) this.progress.linesPrefiltered++;
      return;
    }
    const parsed = parseJsonLine(text);
    if (parsed === null) return;
    if (!parsed.ok) batch.push({ ok: false, reason: parsed.reason, file: this.file, line });
    else if (nestedDeeperThan(parsed.value, text, this.limits.maxDepth)) batch.push({ ok: false, reason: tooDeep(this.limits.maxDepth), file: this.file, line });
    else batch.push({ ok: true, event: parsed.value, file: this.file, line, raw: text });
  }

  private tooLong(line: number): BadRecord {
    return { ok: false, reason: `the line is longer than ${sizeText(this.limits.maxChars)} (--max-line-size): not read`, file: this.file, line };
  }
}

/**
 * A top-level JSON array: its elements are cut out as text arrives, by
 * tracking strings and nesting, and each is parsed on its own. An element is
 * kept as slices of the chunks it spans, and only up to the limit: beyond
 * it, the slices are let go and the element is passed over to its end, then
 * reported. The nesting it tracks gives each element's depth without a walk.
 */
class JsonArrayReader implements RecordReader {
  private started = false;
  private ended = false;
  /** Text after the closing bracket was reported: the rest of the input is ignored. */
  private trailingReported = false;
  private depth = 0;
  private inString = false;
  private escape = false;
  private inElement = false;
  /** The element under way: its slices from earlier chunks, and how deep it has nested so far. */
  private readonly pending: CappedText;
  private elementDepth = 0;
  private elementLine = 0;
  /** Elements begun so far: the number of the one under way. */
  private elements = 0;

  constructor(
    private readonly file: string,
    private line: number,
    private readonly limits: RecordLimits,
  ) {
    this.pending = new CappedText(limits.maxChars);
  }

  push(text: string, batch: InputRecord[]): void {
    if (this.trailingReported) return;
    const n = text.length;
    let start = this.inElement ? 0 : -1;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === LINE_FEED) this.line++;
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === BACKSLASH) this.escape = true;
        else if (c === QUOTE) this.inString = false;
        continue;
      }
      if (this.ended) {
        if (isJsonSpace(c)) continue;
        this.trailingReported = true;
        batch.push({ ok: false, reason: 'unexpected text after the JSON array', file: this.file, line: this.line });
        return;
      }
      if (!this.started) {
        if (c === OPEN_BRACKET) this.started = true;
        continue;
      }
      if (this.depth === 0 && (c === COMMA || c === CLOSE_BRACKET)) {
        if (this.inElement) batch.push(this.finish(text, start, i));
        start = -1;
        if (c === CLOSE_BRACKET) this.ended = true;
        continue;
      }
      if (!this.inElement) {
        // Whitespace before an element is not part of it.
        if (isJsonSpace(c)) continue;
        this.inElement = true;
        this.elements++;
        this.elementLine = this.line;
        this.elementDepth = 0;
        start = i;
      }
      if (c === QUOTE) {
        this.inString = true;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (++this.depth > this.elementDepth) this.elementDepth = this.depth;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.depth--;
      }
    }
    if (this.inElement) this.pending.keep(start === 0 ? text : text.slice(start));
  }

  end(batch: InputRecord[]): void {
    if (this.inElement) batch.push(this.finish('', 0, 0));
    if (this.started && !this.ended) batch.push({ ok: false, reason: 'the JSON array is not closed', file: this.file, line: this.line });
  }

  /** The element that ends at `to` in `text` (it began at `from`, or in an earlier chunk), as a record. */
  private finish(text: string, from: number, to: number): InputRecord {
    const { file, elementLine: line, elements: element } = this;
    const overLong = this.pending.overLong || this.pending.length + (to - from) > this.limits.maxChars;
    const whole = this.pending.take(overLong ? '' : text.slice(from, to));
    const depth = this.elementDepth;
    this.inElement = false;
    this.depth = 0;
    if (overLong) return { ok: false, reason: `array element ${element} is longer than ${sizeText(this.limits.maxChars)} (--max-line-size): not read`, file, line };
    if (depth > this.limits.maxDepth) return { ok: false, reason: `array element ${element}: ${tooDeep(this.limits.maxDepth)}`, file, line };
    const parsed = parseJsonText(whole);
    return parsed.ok ? { ok: true, event: parsed.value, file, line, raw: whole } : { ok: false, reason: `array element ${element}: ${parsed.reason}`, file, line };
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

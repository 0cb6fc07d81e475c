/**
 * The events of several files in the engine's order, whatever the order of
 * lines in each file and however the events are split across files: the
 * order `search()` gives their union (time, tiebreaker, then position in the
 * files' concatenation).
 *
 * Two passes. The first reads every file once, reports its bad lines and
 * unusable events, and cuts it into sorted runs: a file that is sorted stays
 * one run; a file that is not is sorted in pieces. Runs are held in memory up
 * to a budget of event text; beyond it, a sorted stretch of a file that can be
 * read again is left on disk as it is (and read again), and anything else is
 * written, sorted, to a temporary folder. The second pass merges the runs.
 * The temporary folder is removed when the merge ends, however it ends.
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Event } from '../semantics/fields.js';
import type { EqlEventError } from '../errors.js';
import { comparatorOf, EventOrderer, type OrderSource } from '../engine/stream.js';
import type { EventTime } from '../engine/order.js';
import { type InputProgress, type InputRecord, readRecordBatches, recordBatchesOf } from './input.js';

/** One event with its place in the merged order. */
export interface SortedEvent {
  readonly event: Event;
  readonly time: EventTime;
  readonly tiebreaker: number | string | null;
  /** Position in the concatenation of the files: breaks ties as the input order would. */
  readonly index: number;
  readonly file: string;
  readonly line: number;
}

/** An event held for a run, with its original text in case the run is written out. */
interface HeldEvent extends SortedEvent {
  readonly raw: string;
}

export interface SortOptions {
  /** How events are ordered (a query's or a rule set's). */
  readonly source: OrderSource;
  /** The most event text (in characters) held in memory at once, over all runs. */
  readonly memoryBudget: number;
  /** Where the temporary folder for spilled runs is made (the OS temp folder). */
  readonly tempParent: string;
  /** Byte counts for the progress display. */
  readonly progress: InputProgress;
  /** The NDJSON line prefilter: lines it rules out are never parsed, in either pass. */
  readonly mayMatch?: (line: string) => boolean;
  /** What `-` reads. */
  readonly stdin?: NodeJS.ReadableStream;
  /** The longest line or array element read, in characters (the reader's default when absent). */
  readonly maxLineSize?: number;
  /** Each record of the first pass, in file order, before it is placed: for counts and bad-line reports. */
  readonly onRecord?: (record: InputRecord) => void;
  /** An event whose time cannot be read (or that is no object), with where it came from. */
  readonly onUnusable: (error: EqlEventError, file: string, line: number) => void;
  /** Turns a failure of a file itself (missing, broken compression) into the error to throw. */
  readonly onUnreadable: (file: string, cause: unknown) => Error;
  /** The most runs read from disk at once; more are merged in rounds through the temporary folder. */
  readonly fanIn?: number;
}

/** What the sort did, for the closing summary and tests. */
export interface SortStats {
  /** Runs held in memory until the merge. */
  memoryRuns: number;
  /** Sorted stretches of files left where they are and read again. */
  fileRuns: number;
  /** Runs written to the temporary folder, the events in them, and the characters written. */
  spilledRuns: number;
  spilledEvents: number;
  spilledChars: number;
}

/** A stretch of a file, by record ordinals (end exclusive), that can be read again. */
interface Stretch {
  readonly fileNo: number;
  readonly from: number;
  readonly to: number;
}

type Run =
  | { readonly kind: 'memory'; readonly events: HeldEvent[]; readonly stretch: Stretch | null }
  | { readonly kind: 'file'; readonly stretch: Stretch }
  | { readonly kind: 'spill'; readonly path: string };

/** The run being filled while a file is read in the first pass. */
interface OpenRun {
  readonly fileNo: number;
  /** Whether the file can be read a second time (stdin cannot). */
  readonly readAgain: boolean;
  /** Ordinal of the run's first record in its file. */
  readonly from: number;
  events: HeldEvent[];
  /** Whether its events arrived in order so far. */
  sorted: boolean;
  /** A sorted stretch too large to hold, left in its file up to the current record. */
  onDisk: boolean;
  last: SortedEvent | null;
}

const BATCH = 1024;

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
const DEFAULT_FAN_IN = 64;

/**
 * A spilled event is one JSON array on a line: the sort key and origin, then
 * the event's own text, so that one JSON.parse gives both and the event is the
 * value its original text gave (a -0 stays -0).
 */
function spillLine(e: HeldEvent): string {
  // A JSON array element may span lines; outside strings a line break is only whitespace.
  const raw = e.raw.includes('\n') || e.raw.includes('\r') ? e.raw.replace(/[\r\n]/g, ' ') : e.raw;
  return `${spillHead(e.time.ms, e.time.ns, e.tiebreaker, e.index, e.file, e.line)}${raw}]\n`;
}

/** The start of a spilled line, up to the event's text; the same values always give the same text. */
const spillHead = (ms: number, ns: number, tiebreaker: number | string | null, index: number, file: string, line: number): string =>
  `${JSON.stringify([ms, ns, tiebreaker, index, file, line]).slice(0, -1)},`;

/** Writes one sorted run to the temporary folder, a megabyte at a time. */
class SpillWriter {
  private readonly fd: number;
  private chunk = '';
  chars = 0;
  events = 0;
  constructor(readonly path: string) {
    this.fd = openSync(path, 'w');
  }
  write(e: HeldEvent): void {
    const line = spillLine(e);
    this.chars += line.length;
    this.events++;
    this.chunk += line;
    if (this.chunk.length > 1 << 20) {
      writeSync(this.fd, this.chunk);
      this.chunk = '';
    }
  }
  end(): void {
    if (this.chunk !== '') writeSync(this.fd, this.chunk);
    closeSync(this.fd);
  }
}

export class SortedInput {
  readonly stats: SortStats = { memoryRuns: 0, fileRuns: 0, spilledRuns: 0, spilledEvents: 0, spilledChars: 0 };
  private readonly compare: (a: SortedEvent, b: SortedEvent) => number;
  private readonly keyReader: EventOrderer;
  private readonly runs: Run[] = [];
  private held = 0;
  private tempDir: string | null = null;
  private spills = 0;
  /** Index of each file's first record, so that a second read numbers records as the first did. */
  private readonly bases: number[] = [];
  /** Where the key reader's errors go: the first pass reports them; a second read has nothing new to say. */
  private unusable: ((e: EqlEventError) => void) | null = null;

  constructor(
    private readonly files: readonly string[],
    private readonly options: SortOptions,
  ) {
    this.compare = comparatorOf(options.source);
    this.keyReader = new EventOrderer(options.source, { onError: (e) => this.unusable?.(e) }, true);
  }

  /** The events in order, in batches; the temporary folder is gone when this ends, however it ends. */
  async *events(): AsyncGenerator<SortedEvent[]> {
    try {
      await this.firstPass();
      const fanIn = this.options.fanIn ?? DEFAULT_FAN_IN;
      for (const run of this.runs) if (run.kind === 'file') this.options.progress.bytesTotal += fileSize(this.files[run.stretch.fileNo]!);
      // Runs in memory take no file handle; only those read from disk are limited.
      while (this.runs.filter((r) => r.kind !== 'memory').length > fanIn) await this.mergeRound(fanIn);
      yield* this.merge(this.runs.splice(0));
    } finally {
      if (this.tempDir !== null) rmSync(this.tempDir, { recursive: true, force: true });
      this.tempDir = null;
    }
  }

  private key(event: unknown, index: number, file: string, line: number, raw: string): HeldEvent | null {
    const item = this.keyReader.admit(event as Event);
    if (!item) return null;
    return { event: item.event, time: item.time, tiebreaker: item.tiebreaker, index, file, line, raw };
  }

  private async firstPass(): Promise<void> {
    let index = 0;
    for (let fileNo = 0; fileNo < this.files.length; fileNo++) {
      const name = this.files[fileNo]!;
      const readAgain = name !== '-';
      const base = index;
      this.bases.push(base);
      let ordinal = 0;
      let run: OpenRun = { fileNo, readAgain, from: 0, events: [], sorted: true, onDisk: false, last: null };
      let where = { file: name, line: 0 };
      this.unusable = (e) => this.options.onUnusable(e, where.file, where.line);
      for await (const batch of this.read(name, this.options.progress)) {
        for (const record of batch) {
          this.options.onRecord?.(record);
          const position = ordinal++;
          index++;
          if (!record.ok) continue;
          where = record;
          const item = this.key(record.event, base + position, record.file, record.line, record.raw);
          if (!item) continue;
          if (run.sorted && run.last && this.compare(item, run.last) < 0) {
            // The sorted stretch ends here; the rest of the file is sorted in pieces.
            this.close(run, position);
            run = { fileNo, readAgain, from: position, events: [], sorted: false, onDisk: false, last: null };
          }
          run.last = item;
          if (run.onDisk) continue;
          run.events.push(item);
          this.held += record.raw.length;
          if (this.held > this.options.memoryBudget) this.evict(run);
        }
      }
      this.close(run, ordinal);
    }
    this.unusable = null;
  }

  /** Reads one file's records; a failure of the file itself goes through `onUnreadable`. */
  private read(name: string, progress: InputProgress): AsyncGenerator<InputRecord[]> {
    const { mayMatch, stdin, maxLineSize, onUnreadable } = this.options;
    return recordBatchesOf(name, progress, { mayMatch, stdin, maxLineSize }, (cause) => onUnreadable(name, cause));
  }

  /** Ends a run at the record `end` (exclusive) of its file. */
  private close(run: OpenRun, end: number): void {
    const stretch = run.sorted && run.readAgain ? { fileNo: run.fileNo, from: run.from, to: end } : null;
    if (run.onDisk) {
      this.runs.push({ kind: 'file', stretch: stretch! });
      this.stats.fileRuns++;
      return;
    }
    if (run.events.length === 0) return;
    if (!run.sorted) run.events.sort(this.compare);
    this.runs.push({ kind: 'memory', events: run.events, stretch });
    this.stats.memoryRuns++;
  }

  /**
   * Over budget, every run held in memory leaves it: a sorted stretch of a
   * file stays in the file, anything else is written out sorted. The open run
   * goes on, in its file or afresh in memory.
   */
  private evict(open: OpenRun): void {
    for (let i = 0; i < this.runs.length; i++) {
      const run = this.runs[i]!;
      if (run.kind !== 'memory') continue;
      this.stats.memoryRuns--;
      if (run.stretch) {
        this.runs[i] = { kind: 'file', stretch: run.stretch };
        this.stats.fileRuns++;
      } else {
        this.runs[i] = this.spill(run.events);
      }
    }
    if (open.sorted && open.readAgain) {
      open.onDisk = true;
    } else {
      if (!open.sorted) open.events.sort(this.compare);
      this.runs.push(this.spill(open.events));
    }
    open.events = [];
    this.held = 0;
  }

  private writer(): SpillWriter {
    this.tempDir ??= mkdtempSync(join(this.options.tempParent, 'eqlkit-sort-'));
    return new SpillWriter(join(this.tempDir, `run-${this.spills++}.ndjson`));
  }

  private finishSpill(w: SpillWriter): Run {
    w.end();
    this.stats.spilledRuns++;
    this.stats.spilledChars += w.chars;
    this.stats.spilledEvents += w.events;
    return { kind: 'spill', path: w.path };
  }

  private spill(events: readonly HeldEvent[]): Run {
    const w = this.writer();
    for (const e of events) w.write(e);
    return this.finishSpill(w);
  }

  /** Merges `fanIn` of the runs on disk into one, when there are too many to read at once. */
  private async mergeRound(fanIn: number): Promise<void> {
    const group: Run[] = [];
    for (let i = 0; i < this.runs.length && group.length < fanIn; ) {
      if (this.runs[i]!.kind === 'memory') i++;
      else group.push(...this.runs.splice(i, 1));
    }
    const w = this.writer();
    for await (const batch of this.merge(group)) for (const e of batch) w.write(e);
    for (const run of group) if (run.kind === 'spill') rmSync(run.path, { force: true });
    this.runs.push(this.finishSpill(w));
  }

  /** Batches of one run's events in order. */
  private async *runEvents(run: Run): AsyncGenerator<HeldEvent[]> {
    if (run.kind === 'memory') {
      for (let i = 0; i < run.events.length; i += BATCH) yield run.events.slice(i, i + BATCH);
      return;
    }
    // A second read: its bytes and prefiltered lines were counted by the first.
    const scratch: InputProgress = { bytesRead: 0, bytesTotal: 0, linesPrefiltered: 0 };
    if (run.kind === 'file') {
      const { fileNo, from, to } = run.stretch;
      const base = this.bases[fileNo]!;
      let ordinal = 0;
      // The progress display counts the bytes read again, which the merge added to its total.
      let counted = 0;
      for await (const batch of this.read(this.files[fileNo]!, scratch)) {
        this.options.progress.bytesRead += scratch.bytesRead - counted;
        counted = scratch.bytesRead;
        const out: HeldEvent[] = [];
        for (const record of batch) {
          const position = ordinal++;
          if (position < from || !record.ok) continue;
          if (position >= to) break;
          // An unusable event gives null again, and was reported by the first pass.
          const item = this.key(record.event, base + position, record.file, record.line, record.raw);
          if (item) out.push(item);
        }
        if (out.length > 0) yield out;
        if (ordinal >= to) return;
      }
      return;
    }
    // Its lines hold events the first pass read within the limits, with their sort key around them.
    for await (const batch of readRecordBatches(run.path, scratch, { ndjson: true, maxLineSize: Infinity, maxDepth: Infinity })) {
      const out: HeldEvent[] = [];
      for (const record of batch) {
        if (!record.ok) throw new Error(`the sort's temporary file ${run.path} is damaged at line ${record.line}: ${record.reason}`);
        const [ms, ns, tiebreaker, index, file, line, event] = record.event as [number, number, number | string | null, number, string, number, Event];
        const raw = record.raw.slice(spillHead(ms, ns, tiebreaker, index, file, line).length, -1);
        out.push({ event, time: { ms, ns }, tiebreaker, index, file, line, raw });
      }
      yield out;
    }
  }

  /** A k-way merge of sorted runs, in batches. */
  private async *merge(runs: readonly Run[]): AsyncGenerator<HeldEvent[]> {
    const cursors: Cursor[] = [];
    try {
      for (const run of runs) {
        const c = new Cursor(this.runEvents(run));
        cursors.push(c);
      }
      const live: Cursor[] = [];
      for (const c of cursors) if (await c.fill()) live.push(c);
      const heap = new CursorHeap(live, this.compare);
      let out: HeldEvent[] = [];
      while (heap.size > 0) {
        const c = heap.top;
        out.push(c.batch[c.pos++]!);
        if (c.pos === c.batch.length && !(await c.fill())) heap.removeTop();
        else heap.settleTop();
        if (out.length >= BATCH) {
          yield out;
          out = [];
        }
      }
      if (out.length > 0) yield out;
    } finally {
      for (const c of cursors) await c.close();
    }
  }
}

/** A position in one run's stream of batches. */
class Cursor {
  batch: HeldEvent[] = [];
  pos = 0;
  constructor(private readonly source: AsyncGenerator<HeldEvent[]>) {}

  get head(): HeldEvent {
    return this.batch[this.pos]!;
  }

  /** Loads the next non-empty batch; false at the end. */
  async fill(): Promise<boolean> {
    for (;;) {
      const step = await this.source.next();
      if (step.done) return false;
      if (step.value.length > 0) {
        this.batch = step.value;
        this.pos = 0;
        return true;
      }
    }
  }

  async close(): Promise<void> {
    await this.source.return(undefined);
  }
}

/** A binary heap of cursors by their head event. */
class CursorHeap {
  private readonly items: Cursor[];
  constructor(
    items: Cursor[],
    private readonly compare: (a: SortedEvent, b: SortedEvent) => number,
  ) {
    this.items = [...items];
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  get size(): number {
    return this.items.length;
  }

  get top(): Cursor {
    return this.items[0]!;
  }

  removeTop(): void {
    const last = this.items.pop()!;
    if (this.items.length > 0) {
      this.items[0] = last;
      this.down(0);
    }
  }

  /** The top cursor's head changed: move it to its place. */
  settleTop(): void {
    this.down(0);
  }

  private down(i: number): void {
    const a = this.items;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && this.compare(a[l]!.head, a[m]!.head) < 0) m = l;
      if (r < a.length && this.compare(a[r]!.head, a[m]!.head) < 0) m = r;
      if (m === i) return;
      [a[i], a[m]] = [a[m]!, a[i]!];
      i = m;
    }
  }
}

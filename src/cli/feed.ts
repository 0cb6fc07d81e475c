/**
 * Hands the events of the command's inputs to the engine, in the order the
 * engine needs, and accounts for every one: each record read is evaluated,
 * skipped by the exact line prefilter, or reported (with its file and line).
 *
 * Files are read as a whole: their events are merged, or sorted within a
 * memory budget (sorted-input.ts), so that any layout of lines and files
 * gives the answer of one search over their union. stdin alone is a live
 * stream: events go straight to the engine, whose reorder window places late
 * arrivals; those later than it are counted and reported, never dropped in
 * silence. Diagnostics are capped; the counts are not.
 */
import { tmpdir } from 'node:os';
import { statSync } from 'node:fs';
import type { EqlEventError } from '../errors.js';
import type { OrderSource } from '../engine/stream.js';
import { type InputProgress, type InputRecord, recordBatchesOf } from './input.js';
import type { LinePrefilter } from '../compile/line-prefilter.js';
import type { ParsedOptions } from './common.js';
import { UsageError } from './output.js';
import { SortedInput, type SortStats } from './sorted-input.js';

export interface FeedCounts {
  /** Records read: lines or array elements, the prefilter's skipped lines included. */
  read: number;
  /** Lines the prefilter skipped unparsed: no stage could match them. */
  prefiltered: number;
  /** Events handed to the engine. */
  events: number;
  /** Records reported and not evaluated: bad JSON, not an object, no readable timestamp, a failed evaluation. */
  reported: number;
  /** Of those handed to the engine, the events that arrived later than the reorder window allows (stdin). */
  late: number;
  matches: number;
}

export class StrictInputError extends Error {}

/** An event file that cannot be read at all: missing, a folder, or broken compression. */
export class UnreadableInputError extends Error {
  constructor(file: string, cause: unknown) {
    super(`${file}: cannot read: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

export interface Feeder {
  readonly counts: FeedCounts;
  readonly progress: InputProgress;
  /** What the sort of file inputs did; null for a live stream or an unordered query. */
  sortStats: SortStats | null;
  /** Diagnostics not printed because of the cap. */
  readonly unshown: number;
  /** Report an engine error (unusable, late, failed) for the event being pushed. */
  onEngineError(e: EqlEventError): void;
  /**
   * Feeds the events of `files` (`-` is stdin; none means stdin) in `order`.
   * `push` returns false to stop reading.
   */
  run(files: readonly string[], order: OrderSource, push: (event: unknown) => Promise<boolean | void> | boolean | void): Promise<void>;
}

/** Where the event being pushed came from, so engine errors can name the line. */
interface Location {
  readonly file: string;
  readonly line: number;
}

export interface FeederOptions {
  readonly strict: boolean;
  readonly quiet: boolean;
  readonly stderr: NodeJS.WritableStream;
  /** Where `-` reads from. */
  readonly stdin?: NodeJS.ReadableStream;
  /** A line prefilter; lines it rules out are counted, not parsed (and so not checked). */
  readonly mayMatch?: (line: string) => boolean;
  /** The most diagnostics printed; the rest are counted. Default 20. */
  readonly maxErrors?: number;
  /** The most event text held in memory to order file inputs; beyond it, runs go to the temporary folder. */
  readonly sortMemory?: number;
  /** The longest line or array element read, in characters; longer ones are reported. Default: the reader's, 16MB. */
  readonly maxLineSize?: number;
  /** Where the sort's temporary folder is made. Default: the OS temp folder. */
  readonly tempParent?: string;
  /** Called before a diagnostic is written, so that a progress line can be cleared first. */
  readonly beforeDiagnostic?: () => void;
}

export const DEFAULT_MAX_ERRORS = 20;
/** 256 MB of event text: parsed ECS events take about 1.25 times their text, and the text is kept beside them. */
export const DEFAULT_SORT_MEMORY = 256 * 1024 * 1024;

export function createFeeder(options: FeederOptions): Feeder {
  const counts: FeedCounts = { read: 0, prefiltered: 0, events: 0, reported: 0, late: 0, matches: 0 };
  const progress: InputProgress = { bytesRead: 0, bytesTotal: 0, linesPrefiltered: 0 };
  const maxErrors = options.maxErrors ?? DEFAULT_MAX_ERRORS;
  let shown = 0;
  let unshown = 0;
  let current: Location | null = null;
  const diagnose = (where: string, reason: string): void => {
    if (options.strict) throw new StrictInputError(`${where}: ${reason}`);
    if (options.quiet) return;
    if (shown >= maxErrors) {
      unshown++;
      return;
    }
    shown++;
    options.beforeDiagnostic?.();
    options.stderr.write(`${where}: ${reason}\n`);
  };
  const report = (where: string, reason: string): void => {
    counts.reported++;
    diagnose(where, reason);
  };
  const onRecord = (record: InputRecord): void => {
    counts.read++;
    if (!record.ok) report(`${record.file}:${record.line}`, record.reason);
  };
  const readOptions = { mayMatch: options.mayMatch, stdin: options.stdin, maxLineSize: options.maxLineSize };
  const recordsOf = (name: string): AsyncGenerator<InputRecord[]> => recordBatchesOf(name, progress, readOptions, (cause) => new UnreadableInputError(name === '-' ? '<stdin>' : name, cause));

  const feeder: Feeder = {
    counts,
    progress,
    sortStats: null,
    get unshown() {
      return unshown;
    },
    onEngineError(e) {
      const where = current ? `${current.file}:${current.line}` : `event ${e.index}`;
      if (e.code === 'EQL_EVENT_LATE') counts.late++;
      report(where, e.reason);
    },
    async run(files, order, push) {
      const inputs = files.length === 0 ? ['-'] : files;
      for (const name of inputs) {
        if (name === '-') continue;
        try {
          progress.bytesTotal += statSync(name).size;
        } catch (e) {
          throw new UnreadableInputError(name, e);
        }
      }
      try {
        // One stdin is a live stream; samples take events in input order, so files need no sort either.
        if ((inputs.length === 1 && inputs[0] === '-') || !order.ordered) {
          for (const name of inputs) {
            for await (const batch of recordsOf(name)) {
              for (const record of batch) {
                onRecord(record);
                if (!record.ok) continue;
                if (!(await give(push, record.event, record))) return;
              }
            }
          }
          return;
        }
        const sorted = new SortedInput(inputs, {
          source: order,
          memoryBudget: options.sortMemory ?? DEFAULT_SORT_MEMORY,
          tempParent: options.tempParent ?? tmpdir(),
          progress,
          ...readOptions,
          onRecord,
          onUnusable: (e, file, line) => report(`${file}:${line}`, e.reason),
          onUnreadable: (file, cause) => new UnreadableInputError(file, cause),
        });
        feeder.sortStats = sorted.stats;
        for await (const batch of sorted.events()) {
          for (const item of batch) if (!(await give(push, item.event, item))) return;
        }
      } finally {
        counts.prefiltered = progress.linesPrefiltered;
        counts.read += progress.linesPrefiltered;
      }
    },
  };

  async function give(push: (event: unknown) => Promise<boolean | void> | boolean | void, event: unknown, from: Location): Promise<boolean> {
    current = from;
    counts.events++;
    const more = await push(event);
    current = null;
    return more !== false;
  }

  return feeder;
}

/** A size such as `512MB`, `2GB` or a number of bytes. */
export function parseByteSize(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(value.trim());
  if (!m) throw new UsageError(`--${name} must be a size such as 64MB or 2GB, not ${JSON.stringify(value)}`);
  const unit = (m[2] ?? 'b').toLowerCase();
  const scale = unit.startsWith('g') ? 1024 ** 3 : unit.startsWith('m') ? 1024 ** 2 : unit.startsWith('k') ? 1024 : 1;
  const bytes = Math.floor(Number(m[1]) * scale);
  if (bytes < 1) throw new UsageError(`--${name} must be at least one byte`);
  return bytes;
}

/** A whole number of diagnostics to print. */
function parseMaxErrors(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--max-errors must be a whole number, not ${JSON.stringify(value)}`);
  return Number(value);
}

/**
 * The feeder that the event options ask for. `--prefilter` is opt-in because a
 * skipped line is never checked, while by default every bad line is reported.
 */
export function feederFor(
  values: ParsedOptions['values'],
  io: { readonly stderr: NodeJS.WritableStream; readonly stdin?: NodeJS.ReadableStream },
  prefilter: () => LinePrefilter | null,
  beforeDiagnostic?: () => void,
): Feeder {
  const strict = values.strict === true;
  if (strict && values.prefilter === true) throw new UsageError('--prefilter skips lines unchecked, which --strict forbids: use one or the other');
  const lines = values.prefilter === true ? prefilter() : null;
  return createFeeder({
    strict,
    quiet: values.quiet === true,
    stderr: io.stderr,
    stdin: io.stdin,
    mayMatch: lines ? (line) => lines.mayMatch(line) : undefined,
    maxErrors: parseMaxErrors(values['max-errors'] as string | undefined),
    sortMemory: parseByteSize('sort-memory', values['sort-memory'] as string | undefined),
    maxLineSize: parseByteSize('max-line-size', values['max-line-size'] as string | undefined),
    beforeDiagnostic,
  });
}

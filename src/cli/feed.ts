/**
 * Reads event files one after the other and feeds each event to a consumer,
 * reporting bad lines (with file and line) on stderr and counting them. One
 * bad line never stops the run, unless --strict.
 */
import { statSync } from 'node:fs';
import { EqlEventError } from '../errors.js';
import { type InputProgress, type InputRecord, readRecordBatches } from './input.js';
import type { LinePrefilter } from '../compile/line-prefilter.js';
import type { ParsedOptions } from './common.js';
import { UsageError } from './output.js';

export interface FeedCounts {
  /** Lines (or array elements) read. */
  read: number;
  /** Events handed to the engine. */
  events: number;
  /** Lines reported as unusable. */
  skipped: number;
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
  /** Report an engine error for the event being pushed. */
  onEngineError(e: EqlEventError): void;
  run(files: readonly string[], push: (event: unknown) => Promise<boolean | void> | boolean | void): Promise<void>;
}

/** Where the event being pushed came from, so engine errors can name the line. */
interface Location {
  file: string;
  line: number;
}

export interface FeederOptions {
  readonly strict: boolean;
  readonly quiet: boolean;
  readonly stderr: NodeJS.WritableStream;
  /** A line prefilter; lines it rules out are counted, not parsed (and so not checked). */
  readonly mayMatch?: (line: string) => boolean;
}

export function createFeeder(options: FeederOptions): Feeder {
  const counts: FeedCounts = { read: 0, events: 0, skipped: 0, matches: 0 };
  const progress: InputProgress = { bytesRead: 0, bytesTotal: 0, linesPrefiltered: 0 };
  let current: Location | null = null;
  // On a terminal, clear the progress line before a diagnostic.
  const clear = (options.stderr as { isTTY?: boolean }).isTTY ? '\r\u001b[K' : '';
  const report = (where: string, reason: string): void => {
    counts.skipped++;
    if (options.strict) throw new StrictInputError(`${where}: ${reason}`);
    if (!options.quiet) options.stderr.write(`${clear}${where}: ${reason}\n`);
  };
  return {
    counts,
    progress,
    onEngineError(e) {
      const where = current ? `${current.file}:${current.line}` : `event ${e.index}`;
      report(where, e.reason);
    },
    async run(files, push) {
      const inputs = files.length === 0 ? ['-'] : files;
      for (const name of inputs) {
        if (name !== '-') {
          try {
            progress.bytesTotal += statSync(name).size;
          } catch (e) {
            throw new UnreadableInputError(name, e);
          }
        }
      }
      for (const name of inputs) {
        // Stepped by hand so that a failure of the file itself, not of the consumer, is told apart.
        const batches = readRecordBatches(name, progress, { mayMatch: options.mayMatch })[Symbol.asyncIterator]();
        try {
          for (;;) {
            let step: IteratorResult<InputRecord[]>;
            try {
              step = await batches.next();
            } catch (e) {
              throw new UnreadableInputError(name, e);
            }
            if (step.done) break;
            for (const record of step.value) {
              counts.read++;
              if (!record.ok) {
                report(`${record.file}:${record.line}`, record.reason);
                continue;
              }
              current = record;
              counts.events++;
              const more = await push(record.event);
              current = null;
              if (more === false) return;
            }
          }
        } finally {
          await batches.return(undefined);
        }
      }
    },
  };
}

/**
 * The feeder that the event options ask for. `--prefilter` is opt-in because a
 * skipped line is never checked, while by default every bad line is reported.
 */
export function feederFor(values: ParsedOptions['values'], stderr: NodeJS.WritableStream, prefilter: () => LinePrefilter | null): Feeder {
  const strict = values.strict === true;
  if (strict && values.prefilter === true) throw new UsageError('--prefilter skips lines unchecked, which --strict forbids: use one or the other');
  const lines = values.prefilter === true ? prefilter() : null;
  return createFeeder({ strict, quiet: values.quiet === true, stderr, mayMatch: lines ? (line) => lines.mayMatch(line) : undefined });
}

/**
 * What `query` and `run` share once their engine is built: the output, the
 * progress line, the feeding loop, then the closing summary on stderr and
 * the exit code, which says whether every event read was evaluated.
 */
import { closeSync, createWriteStream, openSync } from 'node:fs';
import type { Io, ParsedOptions } from '../common.js';
import { type Feeder, feederFor, StrictInputError, UnreadableInputError } from '../feed.js';
import { Progress } from '../progress.js';
import { Output, parseFormat, UsageError } from '../output.js';
import { columnsFor, type ItemKind, parseFields } from '../columns.js';
import type { Summary } from '../summary.js';
import type { LinePrefilter } from '../../compile/line-prefilter.js';
import { plural } from '../plural.js';

export const EXIT_EVENTS_NOT_EVALUATED = 5;
export const EXIT_EVENTS_LATE = 6;

export interface Session {
  readonly feeder: Feeder;
  readonly output: Output;
  readonly progress: Progress;
  readonly quiet: boolean;
}

/** Output, feeder and progress line from the event options. */
export function openSession(io: Io, values: ParsedOptions['values'], kind: ItemKind, prefilter: () => LinePrefilter | null, columnOptions: { readonly timestampField?: string } = {}): Session {
  const quiet = values.quiet === true;
  const target = values.output as string | undefined;
  const stream = target === undefined ? io.stdout : openOutputFile(target);
  const fields = values.fields as string | undefined;
  let progress: Progress | null = null;
  const output = new Output(stream, {
    format: parseFormat(values.format as string | undefined, stream),
    kind,
    columns: fields === undefined ? undefined : columnsFor(parseFields(fields), columnOptions),
    columnOptions,
    endStream: target !== undefined,
    beforeWrite: () => progress?.clear(),
  });
  const feeder = feederFor(values, io, prefilter, () => progress?.clear());
  progress = new Progress({ stream: io.stderr, results: stream, input: feeder.progress, counts: feeder.counts, word: kind, quiet });
  return { feeder, output, progress, quiet };
}

function openOutputFile(path: string): NodeJS.WritableStream & { isTTY?: boolean } {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw new UsageError(`-o: cannot write ${path}: ${(e as Error).message}`);
  }
  try {
    return createWriteStream('', { fd });
  } catch (e) {
    closeSync(fd);
    throw e;
  }
}

/** What the engine cut short while it evaluated: said at the end, since it may change what was found. */
export interface EngineCuts {
  /** Partial sequences dropped by the cap on pending sequences. */
  readonly evictions: number;
  /** Events whose join keys made more than 256 combinations: only the first 256 were used. */
  readonly keyCutEvents: number;
}

export async function finish(io: Io, session: Session, summary: Summary, failOnMatch: boolean, body: () => Promise<void>, cuts?: () => EngineCuts): Promise<number> {
  const { feeder, output, progress, quiet } = session;
  const started = Date.now();
  progress.start();
  try {
    await body();
    await output.end();
  } catch (e) {
    progress.stop();
    if (e instanceof StrictInputError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 3;
    }
    if (e instanceof UnreadableInputError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  progress.stop();
  const c = feeder.counts;
  if (!quiet && feeder.unshown > 0) io.stderr.write(`… and ${plural(feeder.unshown, 'more problem')} not shown (--max-errors N shows more)\n`);
  if (!quiet) {
    const printed = output.count < summary.found ? output.count : undefined;
    io.stderr.write(summary.render({ read: c.read, evaluated: c.read - c.prefiltered - c.reported, skipped: c.prefiltered, reported: c.reported, printed, seconds: (Date.now() - started) / 1000 }));
  }
  // Said even with --quiet, as what follows: the answer may lack what these cut.
  const cut = cuts?.();
  if (cut && cut.evictions > 0) io.stderr.write(`${plural(cut.evictions, 'partial sequence')} dropped by the cap on pending sequences\n`);
  if (cut && cut.keyCutEvents > 0) io.stderr.write(`${plural(cut.keyCutEvents, 'event')} had join keys of more than 256 combinations: only the first 256 were used\n`);
  // Said even with --quiet: the run did not see all of its input.
  const unusable = c.reported - c.late;
  if (unusable > 0) io.stderr.write(`${plural(unusable, 'event')} could not be evaluated${quiet ? '' : ' (reported above)'}\n`);
  if (c.late > 0) {
    io.stderr.write(`${plural(c.late, 'event')} arrived out of order and ${c.late === 1 ? 'was' : 'were'} not evaluated; sort the input or widen --reorder-window\n`);
    return EXIT_EVENTS_LATE;
  }
  if (unusable > 0) return EXIT_EVENTS_NOT_EVALUATED;
  return failOnMatch && summary.found > 0 ? 1 : 0;
}

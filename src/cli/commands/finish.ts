/** Running a command's main loop, then the summary on stderr and the exit code. */
import type { Io } from '../common.js';
import { type Feeder, StrictInputError, UnreadableInputError } from '../feed.js';
import type { Progress } from '../progress.js';
import type { Output } from '../output.js';

export async function finish(
  io: Io,
  feeder: Feeder,
  progress: Progress,
  output: Output,
  quiet: boolean,
  failOnMatch: boolean,
  label: string,
  body: () => Promise<void>,
): Promise<number> {
  const started = Date.now();
  try {
    await body();
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
  if (!quiet) {
    const seconds = ((Date.now() - started) / 1000).toFixed(2);
    // Lines the prefilter ruled out were read but never parsed.
    const unparsed = feeder.progress.linesPrefiltered;
    const prefiltered = unparsed > 0 ? `, ${unparsed} skipped unparsed` : '';
    // A tail or --size prints fewer than were found.
    const printed = output.count < c.matches ? ` (${output.count} printed)` : '';
    io.stderr.write(`${c.read + unparsed} read, ${c.read - c.skipped} processed${prefiltered}, ${c.skipped} reported; ${c.matches} ${label}${printed} in ${seconds} s\n`);
  }
  return failOnMatch && c.matches > 0 ? 1 : 0;
}

/** Running a command's main loop, then the summary on stderr and the exit code. */
import type { Io } from '../common.js';
import { type Feeder, StrictInputError } from '../feed.js';
import type { Progress } from '../progress.js';

export async function finish(io: Io, feeder: Feeder, progress: Progress, quiet: boolean, failOnMatch: boolean, label: string, body: () => Promise<void>): Promise<number> {
  const started = Date.now();
  try {
    await body();
  } catch (e) {
    progress.stop();
    if (e instanceof StrictInputError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 3;
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
    io.stderr.write(`${c.read + unparsed} read, ${c.read - c.skipped} processed${prefiltered}, ${c.skipped} reported; ${c.matches} ${label} in ${seconds} s\n`);
  }
  return failOnMatch && c.matches > 0 ? 1 : 0;
}

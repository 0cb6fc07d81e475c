/**
 * A one-line display while rules load: "loading rules: 512/1081 files".
 * Loading is synchronous, so no timer can draw it: the loader's progress
 * callback does, and only once loading has taken longer than a second, so
 * that the usual small load never flashes a line. Drawn only on a terminal,
 * and taken away again when loading ends, so that nothing stays of it.
 */
import type { Io } from './common.js';

const CLEAR_LINE = '\r\u001b[K';

export interface LoadingLineOptions {
  /** What is loading, for the line: 'rules'. */
  readonly what?: string;
  readonly quiet?: boolean;
  /** No line before this much time has passed. */
  readonly afterMs?: number;
  /** The most often the line is redrawn. */
  readonly everyMs?: number;
  /** The clock, for tests. */
  readonly now?: () => number;
}

export interface LoadingLine {
  /** Pass as `onProgress` to loadRules. */
  readonly update: (done: number, total: number) => void;
  /** Takes the line away if it was drawn; call when loading ends, before writing results. */
  readonly end: () => void;
}

/** A loading line on `stream` (the command's `io.stderr`). */
export function loadingLine(stream: Io['stderr'], options: LoadingLineOptions = {}): LoadingLine {
  const enabled = stream.isTTY === true && options.quiet !== true;
  const now = options.now ?? Date.now;
  const started = now();
  const afterMs = options.afterMs ?? 1000;
  const everyMs = options.everyMs ?? 100;
  let drawnAt = -Infinity;
  let drawn = false;
  return {
    update(done, total) {
      if (!enabled) return;
      const t = now();
      if (t - started < afterMs || t - drawnAt < everyMs) return;
      stream.write(`\rloading ${options.what ?? 'rules'}: ${done}/${total} files\u001b[K`);
      drawnAt = t;
      drawn = true;
    },
    end() {
      if (drawn) stream.write(CLEAR_LINE);
      drawn = false;
    },
  };
}

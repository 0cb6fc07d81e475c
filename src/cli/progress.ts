/**
 * A one-line progress display for long inputs: bytes read, events per second
 * and results so far. Shown only when its stream is a terminal, only for
 * inputs of a few megabytes, never with --quiet.
 *
 * When results go to the same screen (stdout and stderr both terminals), a
 * result row written under the line would be glued to it; the Output calls
 * clear() before each write, and the line comes back at the next tick.
 */
import type { InputProgress } from './input.js';
import { plural } from './plural.js';

const MIN_BYTES = 4 * 1024 * 1024;
const EVERY_MS = 250;
const CLEAR_LINE = '\r\u001b[K';

export interface ProgressOptions {
  /** Where the line is drawn: the command's stderr. */
  readonly stream: NodeJS.WritableStream & { isTTY?: boolean };
  /** Where results go (stdout, or a file); when it is a terminal too, clear() takes the line away. */
  readonly results?: { isTTY?: boolean };
  readonly input: InputProgress;
  readonly counts: { readonly events: number; readonly matches: number };
  /** What the results are called, in the singular: 'alert', 'match'. */
  readonly word: string;
  readonly quiet?: boolean;
  /** Inputs smaller than this show no line. */
  readonly minBytes?: number;
  readonly everyMs?: number;
}

function mb(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

export class Progress {
  private timer: NodeJS.Timeout | null = null;
  /** Rates count from start(), not from construction: setting up may take a while. */
  private started = Date.now();
  private readonly enabled: boolean;
  /** The input is big enough for a line. */
  private shown = false;
  /** The line is on the screen now. */
  private drawn = false;

  constructor(private readonly options: ProgressOptions) {
    this.enabled = options.stream.isTTY === true && options.quiet !== true;
  }

  start(): void {
    if (!this.enabled || this.timer) return;
    this.started = Date.now();
    this.timer = setInterval(() => this.draw(), this.options.everyMs ?? EVERY_MS);
    this.timer.unref();
  }

  private draw(): void {
    const { bytesRead, bytesTotal } = this.options.input;
    const min = this.options.minBytes ?? MIN_BYTES;
    if (!this.shown && bytesRead < min && bytesTotal < min) return;
    this.shown = true;
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000);
    const { events, matches } = this.options.counts;
    const rate = Math.round(events / seconds);
    const width = 24;
    const fraction = bytesTotal > 0 ? Math.min(1, bytesRead / bytesTotal) : 0;
    const bar = bytesTotal > 0 ? `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ${(fraction * 100).toFixed(0).padStart(3)}% ` : '';
    const size = bytesTotal > 0 ? `${mb(bytesRead)} / ${mb(bytesTotal)}` : mb(bytesRead);
    this.options.stream.write(`\r${bar}${size}  ${rate.toLocaleString('en')} events/s  ${plural(matches, this.options.word)}\u001b[K`);
    this.drawn = true;
  }

  /** Takes the line off the screen before a result is written there; the next tick draws it again. */
  clear(): void {
    if (!this.drawn || this.options.results?.isTTY !== true) return;
    this.options.stream.write(CLEAR_LINE);
    this.drawn = false;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.drawn) this.options.stream.write(CLEAR_LINE);
    this.drawn = false;
  }
}

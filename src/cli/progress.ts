/**
 * A one-line progress display on stderr for long inputs: bytes read, events
 * per second and matches so far. Shown only on a terminal, only for inputs of
 * a few megabytes, never with --quiet.
 */
import type { InputProgress } from './input.js';

const MIN_BYTES = 4 * 1024 * 1024;
const EVERY_MS = 250;

function mb(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

export class Progress {
  private timer: NodeJS.Timeout | null = null;
  private readonly started = Date.now();
  private shown = false;

  constructor(
    private readonly input: InputProgress,
    private readonly counts: { readonly events: number; readonly matches: number },
    private readonly enabled: boolean,
    private readonly label: string,
  ) {}

  start(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => this.draw(), EVERY_MS);
    this.timer.unref();
  }

  private draw(): void {
    const { bytesRead, bytesTotal } = this.input;
    if (!this.shown && bytesRead < MIN_BYTES && bytesTotal < MIN_BYTES) return;
    this.shown = true;
    const seconds = Math.max(0.001, (Date.now() - this.started) / 1000);
    const rate = Math.round(this.counts.events / seconds);
    const width = 24;
    const fraction = bytesTotal > 0 ? Math.min(1, bytesRead / bytesTotal) : 0;
    const bar = bytesTotal > 0 ? `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] ${(fraction * 100).toFixed(0).padStart(3)}% ` : '';
    const size = bytesTotal > 0 ? `${mb(bytesRead)} / ${mb(bytesTotal)}` : mb(bytesRead);
    process.stderr.write(`\r${bar}${size}  ${rate.toLocaleString('en')} events/s  ${this.counts.matches} ${this.label}\u001b[K`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.shown) process.stderr.write('\r\u001b[K');
  }
}

/**
 * Writing results in one of the formats of ./formats/ to stdout or a file,
 * with back-pressure. A closed pipe (as `| head`) ends the output quietly.
 */
import { type Column, type ColumnOptions, defaultColumns, type ItemKind, itemKind } from './columns.js';
import { findFormat, type Formatter, formatNames, type OutputFormat } from './formats/index.js';

/** Where results go: stdout, or a file for -o. */
export type OutputStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface OutputOptions {
  /** A name from the format registry; an unknown one is a UsageError. */
  readonly format: string;
  /** The columns of table and csv (from --fields); without them, the defaults for `kind`. */
  readonly columns?: readonly Column[];
  /** What is printed, for the default columns; without it, guessed from the first result (a csv of no result then gets a match's header). */
  readonly kind?: ItemKind;
  /** For the default columns: how to read a match's time. */
  readonly columnOptions?: ColumnOptions;
  /** Called before each write, so that a progress line can be cleared off the terminal first. */
  readonly beforeWrite?: () => void;
  /** End the stream itself at end() and wait until it is flushed (a file from -o; never stdout). */
  readonly endStream?: boolean;
  /** Table tuning, for tests. */
  readonly bufferRows?: number;
  readonly maxCellWidth?: number;
}

export class Output {
  readonly format: OutputFormat;
  /** Set when the reader went away (EPIPE); writing stops, and callers may stop reading. */
  closed = false;
  /** Results given so far (held rows included). */
  count = 0;
  private formatter: Formatter | null = null;
  private failure: Error | null = null;

  constructor(
    private readonly stream: OutputStream,
    private readonly options: OutputOptions,
  ) {
    this.format = lookupFormat(options.format);
    stream.on('error', (e: NodeJS.ErrnoException) => {
      this.closed = true;
      if (e.code !== 'EPIPE') this.failure = e;
    });
  }

  private formatterFor(item: unknown): Formatter {
    if (!this.formatter) {
      const { columns, kind, columnOptions, bufferRows, maxCellWidth } = this.options;
      this.formatter = this.format.create({
        columns: columns ?? defaultColumns(kind ?? (item === undefined ? 'match' : itemKind(item)), columnOptions),
        width: this.stream.isTTY ? this.stream.columns : undefined,
        bufferRows,
        maxCellWidth,
      });
    }
    return this.formatter;
  }

  private async write(text: string): Promise<void> {
    this.throwFailure();
    if (this.closed || text === '') return;
    this.options.beforeWrite?.();
    if (this.stream.write(text)) return;
    // Wait for room; an error or a close while waiting ends the wait too.
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off('drain', done);
        this.stream.off('error', done);
        this.stream.off('close', done);
        resolve();
      };
      this.stream.on('drain', done);
      this.stream.on('error', done);
      this.stream.on('close', done);
    });
    this.throwFailure();
  }

  private throwFailure(): void {
    if (this.failure) throw this.failure;
  }

  async item(item: unknown): Promise<void> {
    this.count++;
    await this.write(this.formatterFor(item).item(item));
  }

  /** Writes what the format still holds (a closing bracket, the rows a table held), then ends a file. */
  async end(): Promise<void> {
    await this.write(this.formatterFor(undefined).end());
    if (this.options.endStream && !this.closed) {
      await new Promise<void>((resolve, reject) => {
        this.stream.once('error', reject);
        this.stream.end(() => resolve());
      });
    }
    this.throwFailure();
  }
}

function lookupFormat(name: string): OutputFormat {
  const format = findFormat(name);
  if (!format) throw new UsageError(`--format must be one of ${formatNames().join(', ')}, not ${JSON.stringify(name)}`);
  return format;
}

/** Whether output should be a table: a terminal gets one unless a format is asked for. */
export function defaultFormat(stream: { isTTY?: boolean }): string {
  return stream.isTTY ? 'table' : 'ndjson';
}

/** The --format value, checked against the registry (a UsageError naming the formats), or the default for the stream. */
export function parseFormat(value: string | undefined, stream: { isTTY?: boolean }): string {
  if (value === undefined) return defaultFormat(stream);
  return lookupFormat(value).name;
}

/** A mistake in the command line: exit code 2, with help. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

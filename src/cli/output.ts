/** Writing results: NDJSON, one JSON array, or a table for people. */

export type Format = 'ndjson' | 'json' | 'table';

/** Writes text with back-pressure; a closed pipe (as `| head`) ends quietly. */
export class Output {
  private first = true;
  closed = false;
  /** Items written so far. */
  count = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    readonly format: Format,
    private readonly row: (item: unknown) => string,
  ) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') this.closed = true;
      else throw e;
    });
  }

  private async write(text: string): Promise<void> {
    if (this.closed) return;
    if (!this.stream.write(text)) await new Promise<void>((resolve) => this.stream.once('drain', () => resolve()));
  }

  async item(item: unknown): Promise<void> {
    this.count++;
    switch (this.format) {
      case 'ndjson':
        return this.write(`${JSON.stringify(item)}\n`);
      case 'json': {
        const prefix = this.first ? '[\n' : ',\n';
        this.first = false;
        return this.write(prefix + JSON.stringify(item));
      }
      case 'table':
        return this.write(`${this.row(item)}\n`);
    }
  }

  async end(): Promise<void> {
    if (this.format === 'json') await this.write(this.first ? '[]\n' : '\n]\n');
  }
}

/** Whether output should be a table: a terminal gets one unless a format is asked for. */
export function defaultFormat(stream: { isTTY?: boolean }): Format {
  return stream.isTTY ? 'table' : 'ndjson';
}

export function parseFormat(value: string | undefined, stream: { isTTY?: boolean }): Format {
  if (value === undefined) return defaultFormat(stream);
  if (value === 'ndjson' || value === 'json' || value === 'table') return value;
  throw new UsageError(`--format must be ndjson, json or table, not ${JSON.stringify(value)}`);
}

/** A mistake in the command line: exit code 2, with help. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

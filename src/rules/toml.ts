/**
 * The only module that touches the TOML parser, so that it can be swapped or
 * patched in one place.
 */
import TOML from '@iarna/toml';

/** A TOML syntax error with the position @iarna/toml reports (1-based). */
export class TomlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
    readonly column: number | null,
  ) {
    super(message);
    this.name = 'TomlSyntaxError';
  }
}

/** Parses TOML text into plain objects. A leading UTF-8 byte-order mark is ignored. */
export function parseToml(text: string): Record<string, unknown> {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return TOML.parse(body) as Record<string, unknown>;
  } catch (e) {
    const err = e as { message?: string; line?: number; col?: number; fromTOML?: boolean };
    if (err && err.fromTOML) {
      const line = typeof err.line === 'number' ? err.line + 1 : null;
      // At the end of the text the parser reports one column past the line's end.
      const lineLength = line === null ? 0 : (body.split(/\r?\n/)[line - 1] ?? '').length;
      const column = typeof err.col === 'number' ? Math.min(err.col + 1, lineLength + 1) : null;
      // Its message ends with the position (and a frame), which the error gives in its own fields.
      const reason = String(err.message ?? 'invalid TOML')
        .split('\n')[0]!
        .replace(/ at row \d+, col \d+, pos \d+:?$/, '');
      throw new TomlSyntaxError(reason, line, column);
    }
    throw e;
  }
}

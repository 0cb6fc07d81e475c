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
      const column = typeof err.col === 'number' ? err.col + 1 : null;
      throw new TomlSyntaxError(String(err.message ?? 'invalid TOML').split('\n')[0]!, line, column);
    }
    throw e;
  }
}

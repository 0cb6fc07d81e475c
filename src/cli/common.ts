/** What the commands share: option parsing, schemas, errors on stderr. */
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EqlSemanticError, EqlSyntaxError } from '../errors.js';
import { schemaFromMapping, type Schema } from '../analyze/schema.js';
import { UsageError } from './output.js';
import { durationToNanos } from '../engine/duration.js';

/** The streams a command uses: the process's, or a caller's (tests run the command line in-process). */
export interface Io {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** What `-` reads; the process's stdin when absent. */
  readonly stdin?: NodeJS.ReadableStream;
}

export const EVENT_OPTIONS = {
  'timestamp-field': { type: 'string' },
  'tiebreaker-field': { type: 'string' },
  'category-field': { type: 'string' },
  mapping: { type: 'string' },
  size: { type: 'string', short: 'n' },
  'reorder-window': { type: 'string' },
  'sort-memory': { type: 'string' },
  'max-line-size': { type: 'string' },
  format: { type: 'string', short: 'F' },
  fields: { type: 'string' },
  output: { type: 'string', short: 'o' },
  strict: { type: 'boolean' },
  prefilter: { type: 'boolean' },
  'fail-on-match': { type: 'boolean' },
  'max-errors': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

export interface ParsedOptions {
  readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  readonly positionals: string[];
}

export function parseOptions(args: string[], options: NonNullable<ParseArgsConfig['options']>): ParsedOptions {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true }) as ParsedOptions;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export function readSchema(file: string | undefined): Schema | undefined {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`--mapping: cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return schemaFromMapping(text);
  } catch (e) {
    throw new UsageError(`--mapping: ${file} is not an Elasticsearch mapping: ${(e as Error).message}`);
  }
}

export function parseSize(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--size must be a whole number, not ${JSON.stringify(value)}`);
  return Number(value);
}

/** A `--reorder-window`-like option: checked here, so that a bad one is a usage error. */
export function parseDurationOption(name: string, value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    durationToNanos(value, name);
  } catch {
    throw new UsageError(`--${name} must be a duration such as 500ms, 5s or 2m, not ${JSON.stringify(value)}`);
  }
  return value;
}

/** Prints a query error with its code frame; the caller exits 2. */
export function reportQueryError(e: unknown, io: Io): boolean {
  if (e instanceof EqlSyntaxError || e instanceof EqlSemanticError) {
    io.stderr.write(`error: invalid query: ${e.message}\n`);
    return true;
  }
  return false;
}

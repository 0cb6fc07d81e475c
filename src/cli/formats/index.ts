/**
 * The output formats, by name. A format turns results into text; the Output
 * (../output.ts) writes that text. A new format is one file here and one line
 * in FORMATS.
 */
import type { Column } from '../columns.js';
import { csv } from './csv.js';
import { json } from './json.js';
import { ndjson } from './ndjson.js';
import { table } from './table.js';

export interface FormatContext {
  /** The columns of a columnar format (table, csv); the others print whole results. */
  readonly columns: readonly Column[];
  /** The terminal's width in characters when writing to one. */
  readonly width?: number;
  /** Table tuning (tests use small values): rows held to size the columns, and the widest cell. */
  readonly bufferRows?: number;
  readonly maxCellWidth?: number;
}

/** One run's formatting state. It returns text rather than writing, so that the Output owns back-pressure. */
export interface Formatter {
  /** The text for one result: '' when the format holds it back for now. */
  item(item: unknown): string;
  /** The text still owed at the end (a closing bracket, held rows). */
  end(): string;
}

export interface OutputFormat {
  readonly name: string;
  /** One line for help texts. */
  readonly description: string;
  /** Whether it prints columns, so that --fields applies to it. */
  readonly columnar: boolean;
  create(context: FormatContext): Formatter;
}

export const FORMATS: readonly OutputFormat[] = [ndjson, json, table, csv];

export function formatNames(): string[] {
  return FORMATS.map((f) => f.name);
}

export function findFormat(name: string): OutputFormat | undefined {
  return FORMATS.find((f) => f.name === name);
}

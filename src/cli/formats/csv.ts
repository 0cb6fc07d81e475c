/**
 * Comma-separated values as RFC 4180 writes them: a header row of the column
 * names, CRLF line ends, and a cell quoted (its quotes doubled) when it holds
 * a comma, a quote or a line break. Cells are never cut.
 */
import type { OutputFormat } from './index.js';

const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const row = (cells: readonly string[]): string => `${cells.map(csvCell).join(',')}\r\n`;

export const csv: OutputFormat = {
  name: 'csv',
  description: 'comma-separated values with a header row (RFC 4180)',
  columnar: true,
  create: ({ columns }) => {
    // The header goes with the first row, or alone at the end, so that an empty result is still a valid file.
    let headed = false;
    const header = (): string => {
      if (headed) return '';
      headed = true;
      return row(columns.map((c) => c.name));
    };
    return {
      item: (item) => header() + row(columns.map((c) => c.cell(item))),
      end: () => header(),
    };
  },
};

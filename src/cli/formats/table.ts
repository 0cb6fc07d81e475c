/**
 * An aligned table for people: a header row, then one row per result.
 *
 * Output streams, so widths cannot wait for the last row. The table holds the
 * first rows (BUFFER_ROWS, or all of them if the input ends sooner), sizes
 * each column to its widest cell there, up to MAX_CELL_WIDTH, and prints
 * them; later rows keep those widths. A longer cell, then or later, is cut
 * with "…". On a terminal the table is also fitted to its width: optional
 * columns (join keys) go first, then the widest of the columns that may be
 * narrowed (text, not times or counts) lose a character at a time, down to a
 * few; a terminal narrower still gets lines that wrap.
 *
 * Control characters in values are printed escaped (\n, \t, \u001b), so that
 * an event's text cannot break a row or drive the terminal.
 */
import { type Column, escapeControls } from '../columns.js';
import type { OutputFormat } from './index.js';

export const BUFFER_ROWS = 500;
export const MAX_CELL_WIDTH = 50;
/** Narrowing to fit a terminal stops at this width (or at the column's own, if smaller). */
const MIN_CELL_WIDTH = 8;
const GAP = '  ';

/** Widths count code points: close enough for the text of events, without a table of wide characters. */
const widthOf = (text: string): number => [...text].length;

function fit(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text + ' '.repeat(width - chars.length);
  return width <= 0 ? '' : `${chars.slice(0, width - 1).join('')}…`;
}

interface Layout {
  /** Indexes of the columns shown. */
  readonly shown: number[];
  readonly widths: number[];
}

function layout(columns: readonly Column[], rows: readonly string[][], maxCell: number, terminal: number | undefined): Layout {
  const natural = columns.map((c, i) => Math.min(maxCell, Math.max(widthOf(c.name), ...rows.map((r) => widthOf(r[i]!)))));
  let shown = columns.map((_, i) => i).filter((i) => !columns[i]!.optional || rows.some((r) => r[i] !== ''));
  const total = () => shown.reduce((sum, i) => sum + natural[i]!, 0) + GAP.length * Math.max(0, shown.length - 1);
  if (terminal !== undefined) {
    for (let i = shown.length - 1; i >= 0 && total() > terminal; i--) {
      if (columns[shown[i]!]!.optional) shown = shown.filter((_, j) => j !== i);
    }
    const floor = natural.map((w, i) => (columns[i]!.narrows ? Math.min(w, MIN_CELL_WIDTH) : w));
    while (total() > terminal) {
      let widest = -1;
      for (const i of shown) if (natural[i]! > floor[i]! && (widest < 0 || natural[i]! > natural[widest]!)) widest = i;
      if (widest < 0) break;
      natural[widest]!--;
    }
  }
  return { shown, widths: natural };
}

export const table: OutputFormat = {
  name: 'table',
  description: 'aligned columns for people (the default on a terminal)',
  columnar: true,
  create: ({ columns, width, bufferRows = BUFFER_ROWS, maxCellWidth = MAX_CELL_WIDTH }) => {
    let held: string[][] = [];
    let fixed: Layout | null = null;
    const line = (cells: readonly string[], { shown, widths }: Layout): string =>
      `${shown
        .map((i) => fit(cells[i]!, widths[i]!))
        .join(GAP)
        .trimEnd()}\n`;
    const release = (): string => {
      if (held.length === 0) return '';
      const l = layout(columns, held, maxCellWidth, width);
      fixed = l;
      const text =
        line(
          columns.map((c) => c.name.toUpperCase()),
          l,
        ) + held.map((r) => line(r, l)).join('');
      held = [];
      return text;
    };
    return {
      item: (item) => {
        const cells = columns.map((c) => escapeControls(c.cell(item)));
        if (fixed) return line(cells, fixed);
        held.push(cells);
        return held.length >= bufferRows ? release() : '';
      },
      end: () => release(),
    };
  },
};

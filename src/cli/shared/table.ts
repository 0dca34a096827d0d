/**
 * A small text-table renderer for every listing: upper-case headers, columns separated by three
 * spaces, long cells cut with `…`. Colour is applied after layout (`style`), so escape codes never
 * count towards a column's width.
 */
import { stripAnsi } from './format';

export interface Column<R> {
  header: string;
  /** The plain text of the cell. */
  cell(row: R): string;
  /** Right-align (numbers, percentages, durations). @default 'left' */
  align?: 'left' | 'right';
  /** Cells longer than this are cut (unless truncation is off). @default 40 */
  maxWidth?: number;
  /** Decorates the laid-out text (colour); must not change its visible width. */
  style?(text: string, row: R): string;
}

export interface TableOptions {
  /** Cut cells longer than their column's maxWidth. @default true */
  truncate?: boolean;
  /** Print the header line. @default true */
  header?: boolean;
  /** Prefix of every line (indentation inside a section). @default '' */
  indent?: string;
}

const GAP = '   ';
const DEFAULT_MAX_WIDTH = 40;

/** Cuts `text` to `width` visible characters, the last being `…`. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) return text;
  if (width <= 1) return chars.slice(0, width).join('');
  return `${chars.slice(0, width - 1).join('')}…`;
}

function visibleLength(text: string): number {
  return [...stripAnsi(text)].length;
}

/**
 * The table as lines, without trailing spaces. Cells are taken on one line: line breaks inside a
 * cell are shown as spaces, since a wrapped row would break the columns.
 */
export function renderTable<R>(columns: readonly Column<R>[], rows: readonly R[], options: TableOptions = {}): string[] {
  const cut = options.truncate ?? true;
  const indent = options.indent ?? '';
  const cells = rows.map((row) =>
    columns.map((c) => {
      const text = c.cell(row).replace(/\s*[\r\n]+\s*/g, ' ');
      return cut ? truncate(text, c.maxWidth ?? DEFAULT_MAX_WIDTH) : text;
    }),
  );
  const headers = columns.map((c) => c.header.toUpperCase());
  const showHeader = options.header ?? true;
  const widths = columns.map((_, i) =>
    Math.max(showHeader ? visibleLength(headers[i]) : 0, ...cells.map((r) => visibleLength(r[i]))),
  );
  const pad = (text: string, i: number): string => {
    const fill = ' '.repeat(Math.max(0, widths[i] - visibleLength(text)));
    return columns[i].align === 'right' ? fill + text : text + fill;
  };
  const line = (parts: string[]): string => (indent + parts.join(GAP)).replace(/\s+$/, '');
  const out: string[] = [];
  if (showHeader) out.push(line(headers.map(pad)));
  cells.forEach((r, ri) => {
    out.push(line(r.map((text, i) => {
      const padded = pad(text, i);
      const style = columns[i].style;
      if (!style) return padded;
      // Style the text only, not the padding, so that underlines or backgrounds stay tight.
      const styled = style(text, rows[ri]);
      return columns[i].align === 'right' ? padded.slice(0, padded.length - text.length) + styled : styled + padded.slice(text.length);
    })));
  });
  return out;
}

/** `key: value` lines with the keys aligned, for detail views; entries with an undefined value are skipped. */
export function renderFields(fields: readonly [string, string | undefined][], indent = ''): string[] {
  const shown = fields.filter((f): f is [string, string] => f[1] !== undefined);
  const width = Math.max(0, ...shown.map(([k]) => k.length + 1));
  return shown.map(([k, v]) => `${indent}${`${k}:`.padEnd(width)}  ${v}`.replace(/\s+$/, ''));
}

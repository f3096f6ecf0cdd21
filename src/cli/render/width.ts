/**
 * How wide output may be: the terminal's width (stdout's columns on a TTY, or `COLUMNS`), or a
 * sane default when output goes to a file or a pipe; and the helpers that fit tables and lines to it.
 */
import type Table from 'cli-table3';
import { lazyRequire } from '../../core/runtime/lazy.js';

/** cli-table3 loads when a table is rendered, not when polybus is imported. */
const loadTable = lazyRequire<typeof Table>('cli-table3');

/** Width when neither a terminal nor `COLUMNS` says (a log, a pipe, CI). */
export const DEFAULT_WIDTH = 100;
/** Narrower than this, tables stop shrinking (they wrap instead of becoming unreadable). */
export const MIN_WIDTH = 60;

/** What decides the width (injectable for tests). */
export interface WidthSource {
  columns?: number | undefined;
  isTTY?: boolean | undefined;
}

/**
 * The width to print to: `COLUMNS` when it is a positive integer (the shell's, or the user's
 * choice), else the terminal's columns when stdout is one, else {@link DEFAULT_WIDTH}; never below
 * {@link MIN_WIDTH}.
 */
export function outputWidth(
  stream: WidthSource = process.stdout,
  env: Record<string, string | undefined> = process.env,
): number {
  const fromEnv = /^\d+$/.test(env.COLUMNS?.trim() ?? '') ? Number(env.COLUMNS) : 0;
  const fromTty = stream.isTTY && stream.columns && stream.columns > 0 ? stream.columns : 0;
  return Math.max(MIN_WIDTH, fromEnv || fromTty || DEFAULT_WIDTH);
}

/**
 * Column widths (cli-table3 `colWidths`, padding included) for a table of `rows` (the header
 * first) at most `width` wide: each column as wide as its longest line, then the widest column
 * shrunk, one character at a time (never below `min[i]`, default 8), until the table fits. Cells then wrap (`wordWrap`).
 */
export function fitColumns(rows: string[][], width: number, min: number[] = []): number[] {
  const n = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: n }, (_, i) =>
    Math.max(
      3,
      ...rows.map(
        (r) =>
          Math.max(
            ...String(r[i] ?? '')
              .split('\n')
              .map((l) => l.length),
          ) + 2,
      ),
    ),
  );
  // A table's borders take one character per column plus one.
  const inner = width - (n + 1);
  const floor = (i: number) => Math.min(widths[i]!, min[i] ?? 8);
  for (let excess = widths.reduce((a, b) => a + b, 0) - inner; excess > 0; excess--) {
    let widest = -1;
    for (let i = 0; i < n; i++)
      if (widths[i]! > floor(i) && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    if (widest < 0) break;
    widths[widest]!--;
  }
  return widths;
}

/**
 * Wraps one line of text at word boundaries to `width`; continuation lines are indented by
 * `indent` (default: the line's own indentation plus four spaces). A word longer than a line is
 * cut, never lost.
 */
export function wrapLine(text: string, width: number, indent?: string): string {
  if (text.length <= width) return text;
  const lead = /^ */.exec(text)![0];
  const pad = indent ?? `${lead}    `;
  const lines: string[] = [];
  let line = lead;
  let empty = true; // nothing but indentation on `line` yet
  for (const word of text.slice(lead.length).split(' ')) {
    if (empty || `${line} ${word}`.length <= width) line = empty ? `${line}${word}` : `${line} ${word}`;
    else {
      lines.push(line);
      line = `${pad}${word}`;
    }
    empty = false;
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = `${pad}${line.slice(width)}`;
    }
  }
  lines.push(line);
  return lines.join('\n');
}

/** {@link wrapLine} for every line of a block of text. */
export function wrapText(text: string, width: number, indent?: string): string {
  return text
    .split('\n')
    .map((l) => wrapLine(l, width, indent))
    .join('\n');
}

/** Options of {@link fittedTable}. */
export interface FittedTableOptions {
  /** Each column's narrowest width (padding included; default 8). */
  min?: number[];
  /** Draw no line between rows (a compact list). */
  compact?: boolean;
}

/**
 * A boxed table at most `width` columns wide: columns fitted with {@link fitColumns}, every cell
 * wrapped at word boundaries to its column (a word longer than the column is split, never cut
 * off), so nothing is lost and no line is wider than `width`.
 */
export function fittedTable(
  head: string[],
  rows: string[][],
  width: number,
  options: FittedTableOptions = {},
): string {
  const widths = fitColumns([head, ...rows], width, options.min);
  // A no-break space (U+00A0) holds two words together when wrapping; it prints as a space.
  const wrap = (cells: string[]) =>
    cells.map((c, i) => wrapText(String(c ?? ''), widths[i]! - 2, '').replace(/\u00a0/g, ' '));
  const table = new (loadTable())({
    head: wrap(head),
    style: { head: [], border: [] },
    colWidths: widths,
    ...(options.compact ? { chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' } } : {}),
  });
  table.push(...rows.map(wrap));
  return table.toString();
}

/**
 * CLI output: JSON on stdout for machines, tables and lines for people, and one error format.
 * Everything printed passes redaction; a secret never reaches the terminal.
 */
import { InvalidArgumentError } from 'commander';
import { open } from 'node:fs/promises';
import { invalidArgument, isPolybusError, PolybusError } from '../../core/model/errors.js';
import { redactText, redactValue } from '../../core/runtime/redact.js';
import { fittedTable, outputWidth } from './width.js';

/** Where output goes (injectable for tests). */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  isTTY: boolean;
}

/** The process's stdout/stderr. */
export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
  isTTY: Boolean(process.stdout.isTTY),
};

/** Prints a value as redacted JSON. */
export function printJson(io: Io, value: unknown): void {
  io.out(JSON.stringify(redactValue(value), null, 2));
}

/** Prints resources as a table (people), fitted to the output's width. */
export function printTable(io: Io, rows: Record<string, unknown>[], columns: string[]): void {
  const cells = rows.map((row) => columns.map((c) => redactText(formatCell(row[c]))));
  io.out(rows.length ? fittedTable(columns, cells, outputWidth(), { compact: true }) : '(none)');
}

/** Rows shown as a boxed table; a longer list streams plain aligned rows instead. */
export const SCREENFUL = 40;

/**
 * Prints resources for people as they arrive: up to a screenful as a table; beyond that, plain
 * rows aligned to the widths of the first screenful (cells cut to fit), each printed as soon as
 * its page arrives, so the first row shows before the last page is fetched and 100,000 rows take
 * seconds, not a table layout of the whole list.
 */
export async function printRows(
  io: Io,
  rows: AsyncIterable<Record<string, unknown>>,
  columns: string[],
): Promise<void> {
  const first: Record<string, unknown>[] = [];
  const iterator = rows[Symbol.asyncIterator]();
  for (let next = await iterator.next(); ; next = await iterator.next()) {
    if (next.done) return printTable(io, first, columns);
    first.push(next.value);
    if (first.length > SCREENFUL) break;
  }
  const cell = (row: Record<string, unknown>, c: string) =>
    redactText(formatCell(row[c])).replace(/\s+/g, ' ');
  // Widths from the first screenful (plus slack for growing ids); an id or name is never cut
  // (a longer one shifts its row), only the last column is cut to fit.
  const widths = columns.map((c) =>
    Math.min(48, Math.max(c.length, ...first.map((r) => cell(r, c).length)) + 4),
  );
  const last = columns.length - 1;
  const line = (values: string[]) =>
    values
      .map((v, i) =>
        i === last && v.length > widths[i]! ? `${v.slice(0, widths[i]! - 1)}~` : v.padEnd(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  io.out([line(columns), ...first.map((r) => line(columns.map((c) => cell(r, c))))].join('\n'));
  let batch: string[] = [];
  let count = first.length;
  for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
    batch.push(line(columns.map((c) => cell(next.value, c))));
    count++;
    if (batch.length >= 500) {
      io.out(batch.join('\n'));
      batch = [];
    }
  }
  if (batch.length) io.out(batch.join('\n'));
  io.out(`(${count} rows)`);
}

/** Prints one resource as aligned `key: value` lines (people). */
export function printRecord(io: Io, value: Record<string, unknown>): void {
  const safe = redactValue(value) as Record<string, unknown>;
  const width = Math.max(...Object.keys(safe).map((k) => k.length));
  io.out(
    Object.entries(safe)
      .map(([k, v]) => `${k.padEnd(width)}  ${formatCell(v)}`)
      .join('\n'),
  );
}

function formatCell(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** Normalizes anything thrown into a PolybusError. */
export function toPolybusError(err: unknown): PolybusError {
  if (isPolybusError(err)) return err;
  return new PolybusError({
    code: 'Internal',
    provider: 'polybus',
    operation: 'cli',
    message: (err as Error)?.message ?? String(err),
    cause: err,
  });
}

/** Prints an error: `{"error": ...}` on stdout with --json, a readable line on stderr otherwise. */
export function printError(io: Io, err: unknown, json: boolean): void {
  const e = toPolybusError(err);
  if (json) {
    io.out(JSON.stringify({ error: e.toJSON() }, null, 2));
    return;
  }
  const details = [
    e.providerCode,
    e.httpStatus && `HTTP ${e.httpStatus}`,
    e.requestId && `request ${e.requestId}`,
  ]
    .filter(Boolean)
    .join(', ');
  // An InvalidArgument's message already lists its issues: say each once (one on the error
  // line, several as a list under it).
  const issues = e.issues ?? [];
  const listed = issues.length > 0 && e.message.startsWith('invalid input: ');
  const issue = (i: (typeof issues)[number]) => `${i.location ? `${i.location}: ` : ''}${i.field}: ${i.rule}`;
  const head = !listed
    ? e.message
    : issues.length === 1
      ? `invalid input: ${issue(issues[0]!)}`
      : `invalid input (${issues.length} problems):`;
  io.err(redactText(`error: ${e.code}: ${head}${details ? ` (${details})` : ''}`));
  if (!listed || issues.length > 1) for (const i of issues) io.err(redactText(`  - ${issue(i)}`));
}

/** A commander argument parser for flags that take a positive integer (a usage error otherwise). */
export function positiveInt(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1)
      throw new InvalidArgumentError(`${flag} must be a positive integer, got ${JSON.stringify(value)}`);
    return n;
  };
}

/**
 * True for errors in what the user typed (exit 2): polybus's own validation, or a provider
 * adapter's checks of the input made before any request (they carry the failed rules).
 */
export function isUsageError(err: unknown): boolean {
  return (
    isPolybusError(err) &&
    err.code === 'InvalidArgument' &&
    (err.provider === 'polybus' || (err.issues !== undefined && err.httpStatus === undefined))
  );
}

const UNREADABLE: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'is a directory',
};

/**
 * A usage error (exit 2, as `grep` does for a missing file) when `file` cannot be read, instead of
 * an `Internal` error from the stream that reads it later.
 */
export async function checkReadable(file: string, command: string, field = 'file'): Promise<void> {
  try {
    const handle = await open(file, 'r');
    try {
      if ((await handle.stat()).isDirectory())
        throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    } finally {
      await handle.close();
    }
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    throw invalidArgument('polybus', command, [
      { field, rule: `cannot read ${file}: ${UNREADABLE[code] ?? (err as Error).message}` },
    ]);
  }
}

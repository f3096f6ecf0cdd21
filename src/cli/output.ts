/**
 * CLI output: JSON on stdout for machines, tables and lines for people, and one error format.
 * Everything printed passes redaction; a secret never reaches the terminal.
 */
import Table from 'cli-table3';
import { InvalidArgumentError } from 'commander';
import { isPolybusError, PolybusError } from '../core/errors.js';
import { redactText, redactValue } from '../core/redact.js';

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

/** Prints resources as a table (people). */
export function printTable(io: Io, rows: Record<string, unknown>[], columns: string[]): void {
  const table = new Table({
    head: columns,
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  for (const row of rows) table.push(columns.map((c) => redactText(formatCell(row[c]))));
  io.out(rows.length ? table.toString() : '(none)');
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
  io.err(`error: ${e.code}: ${e.message}${details ? ` (${details})` : ''}`);
  for (const issue of e.issues ?? []) io.err(`  - ${issue.field}: ${issue.rule}`);
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

/**
 * What `publish` and `trace` print for people: one result line per input event, the counter and
 * its output policy on a terminal, and a trace report.
 */
import { redactText } from '../../core/runtime/redact.js';
import { type TraceReport } from '../../core/contract/publish.js';
import type { Io } from './output.js';
import { outputWidth, wrapText } from './width.js';

/** One printed result line. */
export interface ResultLine {
  where: string;
  ok: boolean;
  id?: string;
  providerId?: string;
  generated?: string[];
  field?: string;
  code?: string;
  message?: string;
  notes?: string[];
  /** The answer was lost: the event may have been published (see PublishFailure.outcomeUnknown). */
  outcomeUnknown?: true;
}

/** A result line for people (redacted). */
export function humanLine(r: ResultLine): string {
  if (r.ok)
    return redactText(
      `ok    ${r.where}  id=${r.id}${r.providerId ? ` provider id=${r.providerId}` : ''}${r.generated?.length ? `  (generated ${r.generated.join(', ')})` : ''}`,
    );
  if (r.outcomeUnknown)
    return redactText(
      `MAYBE ${r.where}${r.id ? `  id=${r.id}` : ''}  the answer was lost: it may have been published (trace it before resending)  ${r.message ?? ''}${r.code ? ` [${r.code}]` : ''}`,
    );
  return redactText(
    `FAIL  ${r.where}${r.id ? `  id=${r.id}` : ''}  ${r.field ? `${r.field}: ` : ''}${r.message ?? ''}${r.code ? ` [${r.code}]` : ''}`,
  );
}

/** Prints a trace report for people. */
export function renderTrace(t: TraceReport, width = outputWidth()): string {
  const out = [
    `trace ${t.eventId} on ${t.provider}: ${t.found ? (t.exact ? 'found (exact record)' : 'found') : 'not found'}`,
  ];
  for (const m of t.matches)
    out.push(
      `  ${m.matched ? 'matched    ' : 'not matched'} ${m.name ?? m.integration} (${m.integration}): ${m.reason}`,
    );
  for (const d of t.deliveries) {
    // A destination that already names the target (`Amazon Connect instances ...`) is not
    // prefixed with it again.
    const where = !d.destination
      ? d.target
      : d.destination.startsWith(d.target)
        ? d.destination
        : `${d.target} ${d.destination}`;
    out.push(
      `  -> ${where}: ${d.status}, ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}${d.note ? ` (${d.note})` : ''}`,
    );
  }
  for (const n of t.notes) out.push(`  note: ${n}`);
  return wrapText(redactText(out.join('\n')), width);
}

/** Ok lines printed on a terminal before only failures are (every line is printed off a TTY). */
export const TTY_OK_LINES = 100;
/** Redraws of the counter at most this often. */
const PROGRESS_REDRAW_MS = 100;

/** Where the counter is drawn and what switches it off (injectable for tests). */
export interface PublishProgressOptions {
  /** `NO_PROGRESS` set (to anything but empty) switches the counter off. Default process.env. */
  env?: Record<string, string | undefined>;
  /** Where the counter is drawn (default stderr): only when it is a terminal (redrawn in place). */
  stream?: { write(s: string): unknown; columns?: number; isTTY?: boolean };
  /** Milliseconds clock for the rate (default Date.now). */
  now?: () => number;
}

/** Prints result lines per the output policy and keeps the counter of a publish run. */
export interface PublishProgress {
  /** One event's result: counted, and its line printed unless held back (ok lines on a TTY). */
  result(ok: boolean, line: string, outcomeUnknown?: boolean): void;
  /** Prints a line for people on stderr (the counter is cleared first and redrawn later). */
  note(text: string): void;
  /** Clears the counter for good. */
  stop(): void;
  /** Results so far. */
  readonly sent: number;
  readonly failed: number;
  /** Of those not ok, the ones whose answer was lost: they may have been published. */
  readonly unknown: number;
  /** Ok lines not printed (on a TTY, past {@link TTY_OK_LINES}). */
  readonly heldBack: number;
}

/**
 * The result-line policy and the counter of `publish`. `--json`: every line, no counter.
 * Not a TTY: every line, no counter (scripts and tests read them). A TTY: every failure, the
 * first {@link TTY_OK_LINES} ok lines (then a note once, and a count at the end), and a counter
 * (events, failed, events/s) on stderr redrawn in place and cleared at the end, unless
 * `NO_PROGRESS` is set or stderr is not a terminal. The input's total is unknown (it is
 * streamed), so a counter, not a bar.
 */
export function publishProgress(
  io: Io,
  json: boolean,
  options: PublishProgressOptions = {},
): PublishProgress {
  const env = options.env ?? process.env;
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const tty = io.isTTY && !json;
  const counter = tty && !env.NO_PROGRESS && stream.isTTY === true;
  const started = now();
  let sent = 0;
  let failed = 0;
  let unknown = 0;
  let okShown = 0;
  let heldBack = 0;
  let drawn = false;
  let lastDraw = -Infinity;
  const clear = () => {
    if (drawn) stream.write('\r\x1b[K');
    drawn = false;
  };
  const draw = (force = false) => {
    const t = now();
    if (!counter || (!force && t - lastDraw < PROGRESS_REDRAW_MS)) return;
    lastDraw = t;
    const seconds = (t - started) / 1000;
    const rate = seconds > 0 ? Math.round(sent / seconds) : 0;
    const text = `publishing: ${sent} sent, ${failed - unknown} failed${unknown ? `, ${unknown} outcome unknown` : ''}, ${rate} events/s`;
    const width = (stream.columns ?? 80) - 1;
    stream.write(`\r${text.length > width ? text.slice(0, width) : text}\x1b[K`);
    drawn = true;
  };
  const note = (text: string) => {
    clear();
    io.err(text);
    draw(true);
  };
  return {
    result(ok, line, outcomeUnknown) {
      sent++;
      if (!ok) failed++;
      if (!ok && outcomeUnknown) unknown++;
      const show = !tty || !ok || okShown < TTY_OK_LINES;
      if (show) {
        clear();
        io.out(line);
        if (ok) okShown++;
        draw(true);
      } else {
        if (heldBack++ === 0)
          note(
            `(more than ${TTY_OK_LINES} events: ok lines are no longer shown on the terminal, failures still are; redirect stdout or use --json for every line)`,
          );
        draw();
      }
    },
    note,
    stop() {
      clear();
    },
    get sent() {
      return sent;
    },
    get failed() {
      return failed;
    },
    get unknown() {
      return unknown;
    },
    get heldBack() {
      return heldBack;
    },
  };
}

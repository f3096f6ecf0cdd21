/**
 * `polybus publish` and `polybus trace`: streams CloudEvents (one JSON event, a JSON array, or
 * NDJSON) from a file or stdin to a provider's bus, one result line per event (a counter on a
 * TTY), optionally the trace of what was published, and shows what a provider recorded of one
 * event. It must never hold an NDJSON input in memory whole, nor wait without a bound.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { type Command, InvalidArgumentError } from 'commander';
import { invalidArgument, unsupported } from '../../core/model/errors.js';
import type { EventProvider } from '../../core/contract/provider.js';
import {
  type CloudEvent,
  prepareEvent,
  PublishEventSchema,
  type PublishResult,
} from '../../core/model/events.js';
import { type TraceReport } from '../../core/contract/publish.js';
import { redactText, redactValue } from '../../core/runtime/redact.js';
import { type Io, positiveInt, printJson, toPolybusError } from '../render/output.js';
import { openOneTarget, type TargetFlags } from '../target.js';

/** Events handed to the provider at a time (the adapter batches them to its own limit). */
const CHUNK = 500;

/** One input item: the parsed value or why it is not JSON, and where it came from. */
interface InputItem {
  /** `line 3` for NDJSON, `event 2` for an array, `event 1` for one object. */
  where: string;
  value?: unknown;
  parseError?: string;
}

/** Reads one JSON event, a JSON array, or NDJSON; NDJSON is streamed line by line. */
export async function* readEvents(input: Readable): AsyncGenerator<InputItem> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  const it = lines[Symbol.asyncIterator]();
  let lineNo = 0;
  let first: string | undefined;
  for (;;) {
    const r = await it.next();
    if (r.done) return;
    lineNo++;
    if (r.value.trim()) {
      first = r.value;
      break;
    }
  }
  const whole = async (start: string) => {
    const parts = [start];
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      parts.push(r.value);
    }
    return parts.join('\n');
  };
  if (first.trimStart().startsWith('[')) {
    let arr: unknown;
    try {
      arr = JSON.parse(await whole(first));
    } catch (e) {
      yield { where: 'input', parseError: `not a JSON array: ${(e as Error).message}` };
      return;
    }
    const list = arr as unknown[];
    for (let i = 0; i < list.length; i++) yield { where: `event ${i + 1}`, value: list[i] };
    return;
  }
  let parsedFirst: unknown;
  try {
    parsedFirst = JSON.parse(first);
  } catch {
    // Not one event a line: one JSON object over several lines.
    try {
      yield { where: 'event 1', value: JSON.parse(await whole(first)) };
    } catch (e) {
      yield { where: `line ${lineNo}`, parseError: `not JSON: ${(e as Error).message}` };
    }
    return;
  }
  yield { where: `line ${lineNo}`, value: parsedFirst };
  for (;;) {
    const r = await it.next();
    if (r.done) return;
    lineNo++;
    if (!r.value.trim()) continue;
    try {
      yield { where: `line ${lineNo}`, value: JSON.parse(r.value) };
    } catch (e) {
      yield { where: `line ${lineNo}`, parseError: `not JSON: ${(e as Error).message}` };
    }
  }
}

/** One printed result line. */
interface ResultLine {
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

function humanLine(r: ResultLine): string {
  if (r.ok)
    return redactText(
      `ok    ${r.where}  id=${r.id}${r.providerId ? ` provider id=${r.providerId}` : ''}${r.generated?.length ? `  (generated ${r.generated.join(', ')})` : ''}`,
    );
  return redactText(
    `FAIL  ${r.where}${r.id ? `  id=${r.id}` : ''}  ${r.field ? `${r.field}: ` : ''}${r.message ?? ''}${r.code ? ` [${r.code}]` : ''}`,
  );
}

/** Prints a trace report for people. */
export function renderTrace(t: TraceReport): string {
  const out = [
    `trace ${t.eventId} on ${t.provider}: ${t.found ? (t.exact ? 'found (exact record)' : 'found') : 'not found'}`,
  ];
  for (const m of t.matches)
    out.push(
      `  ${m.matched ? 'matched    ' : 'not matched'} ${m.name ?? m.integration} (${m.integration}): ${m.reason}`,
    );
  for (const d of t.deliveries)
    out.push(
      `  -> ${d.target}${d.destination ? ` ${d.destination}` : ''}: ${d.status}, ${d.attempts} attempt${d.attempts === 1 ? '' : 's'}${d.note ? ` (${d.note})` : ''}`,
    );
  for (const n of t.notes) out.push(`  note: ${n}`);
  return redactText(out.join('\n'));
}

/** Ok lines printed on a terminal before only failures are (every line is printed off a TTY). */
export const TTY_OK_LINES = 100;
/** Events kept for `--trace` by default: the first ones published (the rest are counted, not kept). */
export const DEFAULT_TRACE_LIMIT = 100;
/** Default bound on waiting for deliveries in progress, in seconds. */
export const DEFAULT_TRACE_WAIT_S = 10;
/** Interval between polls of a trace with a delivery in progress. */
const TRACE_POLL_MS = 100;
/** Traces read at a time. */
const TRACE_CONCURRENCY = 4;
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
  result(ok: boolean, line: string): void;
  /** Prints a line for people on stderr (the counter is cleared first and redrawn later). */
  note(text: string): void;
  /** Clears the counter for good. */
  stop(): void;
  /** Results so far. */
  readonly sent: number;
  readonly failed: number;
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
    const text = `publishing: ${sent} sent, ${failed} failed, ${rate} events/s`;
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
    result(ok, line) {
      sent++;
      if (!ok) failed++;
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
    get heldBack() {
      return heldBack;
    },
  };
}

/** An event kept for `--trace`: where it came from, its id (and the provider's), the event. */
export interface TraceCandidate {
  where: string;
  id: string;
  providerId?: string;
  event: CloudEvent;
}

/** One event's trace after waiting: the report or why it could not be read. */
export interface TracedEvent {
  where: string;
  id: string;
  providerId?: string;
  report?: TraceReport;
  error?: { code: string; message: string };
  /** A delivery was still in progress when the wait bound was hit. */
  stillPending?: boolean;
}

/**
 * True when a delivery is in progress: pending with at least one attempt made. A pending
 * delivery with no attempt is a provider that keeps no per-target record (Tencent's event log):
 * polling would never change it.
 */
const inProgress = (r: TraceReport | undefined): boolean =>
  Boolean(
    r?.deliveries.some((d) => d.status === 'pending' && d.attempts > 0) || (r && !r.found && r.mayAppear),
  );

/** Runs `fn` over `items`, `limit` at a time. */
async function pool<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Traces each kept event as `polybus trace` would (the provider id where the provider assigned
 * one, the event itself for providers that find it by content), then re-reads those with a
 * delivery in progress, or not found yet in a log that lags (`mayAppear`), every
 * {@link TRACE_POLL_MS} until none is or `waitMs` has passed.
 */
export async function traceEvents(
  provider: EventProvider,
  bus: string,
  kept: TraceCandidate[],
  waitMs: number,
): Promise<TracedEvent[]> {
  const deadline = Date.now() + waitMs;
  const out: TracedEvent[] = kept.map((k) => ({
    where: k.where,
    id: k.id,
    ...(k.providerId ? { providerId: k.providerId } : {}),
  }));
  const read = async (i: number) => {
    const k = kept[i]!;
    try {
      out[i]!.report = await provider.trace!(k.providerId ?? k.id, { bus, event: k.event });
    } catch (err) {
      const e = toPolybusError(err);
      out[i]!.error = { code: e.code, message: e.message };
    }
  };
  let todo = kept.map((_, i) => i);
  for (;;) {
    await pool(todo, TRACE_CONCURRENCY, read);
    todo = todo.filter((i) => inProgress(out[i]!.report));
    const left = deadline - Date.now();
    if (!todo.length || left <= 0) break;
    await new Promise((r) => setTimeout(r, Math.min(TRACE_POLL_MS, left)));
  }
  for (const i of todo) out[i]!.stillPending = true;
  return out;
}

/** The `polybus trace` command line that shows one event later. */
function traceCommand(target: TargetFlags, bus: string, id: string, event?: CloudEvent): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const select =
    target.target !== undefined
      ? `--target ${target.target} -f ${quote(target.file ?? '')}`
      : `--provider ${target.provider ?? ''}${target.file !== undefined ? ` -f ${quote(target.file)}` : ''}`;
  return `polybus trace ${quote(id)} ${select} --bus ${quote(bus)}${event ? ` --event ${quote(JSON.stringify(event))}` : ''}`;
}

/** A `--trace-wait` value: seconds, zero or more (a usage error otherwise). */
function seconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !Number.isFinite(n))
    throw new InvalidArgumentError(
      `--trace-wait must be a number of seconds (0 or more), got ${JSON.stringify(value)}`,
    );
  return n;
}

/** Registers `publish` and `trace`. */
export function registerPublishCommands(
  program: Command,
  io: Io,
  run: (fn: (json: boolean) => Promise<void>, cmd: Command) => Promise<void>,
  setExit: (code: number) => void,
): void {
  program
    .command('publish')
    .description(
      'publish CloudEvents (one JSON event, a JSON array, or NDJSON) from a file or stdin to a bus',
    )
    .requiredOption('--bus <bus>', 'bus name or id')
    .option('--provider <provider>', 'tencent, huawei or aws (the environment says where)')
    .option('--target <id>', 'a target of the spec given with -f (its region, endpoint and credentials)')
    .option('-f, --file <spec>', 'the spec whose targets --target (or --provider) names')
    .option(
      '--trace',
      'after publishing, print the trace of each published event (what `polybus trace` shows), waiting for deliveries in progress; with --json, one {"trace": report, "where", "id"} line per event after the result lines, then one {"traceSummary": ...} line',
    )
    .option(
      '--trace-limit <n>',
      `events traced: the first n published (the rest are counted, not kept)`,
      positiveInt('--trace-limit'),
      DEFAULT_TRACE_LIMIT,
    )
    .option(
      '--trace-wait <seconds>',
      'the longest wait, in all, for deliveries in progress (0: read each trace once)',
      seconds,
      DEFAULT_TRACE_WAIT_S,
    )
    .argument('[file]', 'input file, - or absent for stdin')
    .action(
      async (
        file: string | undefined,
        o: TargetFlags & { bus: string; trace?: boolean; traceLimit: number; traceWait: number },
        cmd: Command,
      ) =>
        run(async (json) => {
          const open = await openOneTarget(o, 'publish');
          const progress = publishProgress(io, json);
          // Ctrl-C: the counter line is cleared and what was published is said; the batch in
          // flight has no result to print (trace one of its events to see whether it arrived).
          const onSigint = () => {
            progress.stop();
            io.err(
              `interrupted: ${progress.sent} result${progress.sent === 1 ? '' : 's'} printed above; events after them were not sent or have no result (trace one to check)`,
            );
            process.exit(130);
          };
          process.once('SIGINT', onSigint);
          try {
            const provider = open.provider;
            if (!provider.publish)
              throw unsupported(provider.name, 'publish', 'this provider has no publishing call');
            if (o.trace && !provider.trace)
              throw unsupported(provider.name, 'trace', 'this provider offers no trace');
            const input: Readable = !file || file === '-' ? process.stdin : createReadStream(file);
            let generatedNoted = false;
            // Only the first `traceLimit` published events are kept (memory stays bounded), plus the
            // first one past it, for the hint that shows how to trace the rest.
            const kept: TraceCandidate[] = [];
            let untraced = 0;
            let firstUntraced: (TraceCandidate & { needsEvent: boolean }) | undefined;
            const print = (r: ResultLine) =>
              progress.result(r.ok, json ? JSON.stringify(redactValue(r)) : humanLine(r));
            // Input order is kept: refused items wait in the chunk with the events around them.
            let chunk: ({ where: string; event: CloudEvent; generated: string[] } | ResultLine)[] = [];
            let pendingEvents = 0;
            const flush = async () => {
              if (!chunk.length) return;
              const batch = chunk;
              chunk = [];
              pendingEvents = 0;
              const toSend = batch.filter(
                (b): b is { where: string; event: CloudEvent; generated: string[] } => 'event' in b,
              );
              const results: PublishResult[] = toSend.length
                ? await provider.publish!(
                    o.bus,
                    toSend.map((b) => b.event),
                  )
                : [];
              let k = 0;
              for (const b of batch) {
                if (!('event' in b)) {
                  print(b);
                  continue;
                }
                const res = results[k++]!;
                if (res.ok && o.trace) {
                  const candidate = {
                    where: b.where,
                    id: res.id,
                    ...(res.providerId ? { providerId: res.providerId } : {}),
                    event: b.event,
                  };
                  if (kept.length < o.traceLimit) kept.push(candidate);
                  else if (untraced++ === 0)
                    // A provider that carried neither the id nor an id of its own finds the event by its content.
                    firstUntraced = {
                      ...candidate,
                      needsEvent: !res.providerId && Boolean(res.notes?.length),
                    };
                }
                print(
                  res.ok
                    ? {
                        where: b.where,
                        ok: true,
                        id: res.id,
                        ...(res.providerId ? { providerId: res.providerId } : {}),
                        ...(b.generated.length ? { generated: b.generated } : {}),
                      }
                    : {
                        where: b.where,
                        ok: false,
                        ...(res.id ? { id: res.id } : {}),
                        ...(res.error.field ? { field: res.error.field } : {}),
                        code: res.error.code,
                        message: res.error.message,
                        ...(res.error.outcomeUnknown ? { outcomeUnknown: true as const } : {}),
                      },
                );
              }
            };
            for await (const item of readEvents(input)) {
              if (item.parseError) {
                chunk.push({
                  where: item.where,
                  ok: false,
                  field: 'event',
                  code: 'InvalidArgument',
                  message: item.parseError,
                });
                continue;
              }
              const p = prepareEvent(item.value);
              if (!p.ok) {
                const id = (item.value as { id?: unknown } | null)?.id;
                chunk.push({
                  where: item.where,
                  ok: false,
                  ...(typeof id === 'string' ? { id } : {}),
                  field: p.field,
                  code: 'InvalidArgument',
                  message: p.message,
                });
                continue;
              }
              if (p.generated.length && !generatedNoted && !json) {
                progress.note(
                  `note: generated ${p.generated.join(' and ')} where the event had none (CloudEvents requires id; time is now)`,
                );
                generatedNoted = true;
              }
              chunk.push({ where: item.where, event: p.event, generated: p.generated });
              if (++pendingEvents >= CHUNK || chunk.length >= 4 * CHUNK) await flush();
            }
            await flush();
            progress.stop();
            const { sent, failed } = progress;
            if (!sent)
              throw invalidArgument('polybus', 'publish', [
                { field: 'input', rule: 'no events in the input' },
              ]);
            if (!json)
              io.err(
                `${sent - failed} of ${sent} events published${failed ? `, ${failed} failed` : ''}${progress.heldBack ? ` (${progress.heldBack} ok lines not shown on the terminal)` : ''}`,
              );
            if (failed) setExit(1);
            if (o.trace) await printTraces(kept, untraced, firstUntraced);
          } finally {
            process.off('SIGINT', onSigint);
            progress.stop();
            await open.close();
          }

          /** Traces the kept events and prints them, then says what was not traced and how to trace it. */
          async function printTraces(
            kept: TraceCandidate[],
            untraced: number,
            firstUntraced: (TraceCandidate & { needsEvent: boolean }) | undefined,
          ): Promise<void> {
            const provider = open.provider;
            if (!json && kept.length)
              io.err(
                `tracing ${kept.length} published event${kept.length === 1 ? '' : 's'} (waiting up to ${o.traceWait}s for deliveries in progress)`,
              );
            const traced = await traceEvents(provider, o.bus, kept, o.traceWait * 1000);
            const stillPending = traced.filter((t) => t.stillPending).length;
            const hint = firstUntraced
              ? traceCommand(
                  o,
                  o.bus,
                  firstUntraced.providerId ?? firstUntraced.id,
                  firstUntraced.needsEvent ? firstUntraced.event : undefined,
                )
              : undefined;
            if (json) {
              for (const t of traced)
                io.out(
                  JSON.stringify(
                    redactValue({
                      trace: t.report ?? null,
                      where: t.where,
                      id: t.id,
                      ...(t.providerId ? { providerId: t.providerId } : {}),
                      ...(t.stillPending ? { stillPending: true } : {}),
                      ...(t.error ? { error: t.error } : {}),
                    }),
                  ),
                );
              io.out(
                JSON.stringify(
                  redactValue({
                    traceSummary: {
                      traced: traced.length,
                      notTraced: untraced,
                      limit: o.traceLimit,
                      waitSeconds: o.traceWait,
                      stillPending,
                      ...(hint ? { howToTrace: hint } : {}),
                    },
                  }),
                ),
              );
              return;
            }
            for (const t of traced) {
              // Which input event the trace is of (the provider may report its own id).
              io.out(
                redactText(`# ${t.where}  id=${t.id}${t.providerId ? `  provider id=${t.providerId}` : ''}`),
              );
              if (t.report) io.out(renderTrace(t.report));
              else
                io.out(
                  redactText(
                    `trace ${t.providerId ?? t.id} on ${open.provider.name}: ${t.error?.code}: ${t.error?.message}`,
                  ),
                );
              if (t.stillPending)
                io.out(
                  `  still pending: a delivery was in progress when the wait (--trace-wait ${o.traceWait}s) ran out; see it later with ${traceCommand(o, o.bus, t.providerId ?? t.id)}`,
                );
            }
            if (stillPending)
              io.err(
                `${stillPending} trace${stillPending === 1 ? '' : 's'} still had a delivery in progress after ${o.traceWait}s (--trace-wait)`,
              );
            if (untraced)
              io.err(
                redactText(
                  `${untraced} more published event${untraced === 1 ? ' was' : 's were'} not traced (--trace-limit ${o.traceLimit} traces the first ${o.traceLimit}); trace one with: ${hint}`,
                ),
              );
          }
        }, cmd),
    );

  program
    .command('trace')
    .description(
      'show which integrations matched one published event, where it was delivered, attempts and status',
    )
    .argument('<eventId>', 'the event id (the provider id where the provider assigns its own)')
    .option('--provider <provider>', 'tencent, huawei or aws (the environment says where)')
    .option('--target <id>', 'a target of the spec given with -f (its region, endpoint and credentials)')
    .option('-f, --file <spec>', 'the spec whose targets --target (or --provider) names')
    .requiredOption('--bus <bus>', 'bus name or id the event was published to')
    .option('--since <minutes>', 'how far back to search (Tencent event log)', '60')
    .option(
      '--event <json>',
      'the event as published (JSON): Tencent assigns its own ids, so its log is searched by source, type, time and data',
    )
    .action(
      async (
        eventId: string,
        o: TargetFlags & { bus: string; since: string; event?: string },
        cmd: Command,
      ) =>
        run(async (json) => {
          let event: CloudEvent | undefined;
          if (o.event !== undefined) {
            let raw: unknown;
            try {
              raw = JSON.parse(o.event);
            } catch {
              throw invalidArgument('polybus', 'trace', [
                { field: 'event', rule: '--event is the published event as JSON' },
              ]);
            }
            // No generated time here: the log is searched by the time the event was published with.
            const p = PublishEventSchema.safeParse({ id: eventId, ...(raw as object) });
            if (!p.success) {
              const issue = p.error.issues[0]!;
              throw invalidArgument('polybus', 'trace', [
                { field: `event.${issue.path.join('.')}`, rule: issue.message },
              ]);
            }
            event = p.data;
          }
          const open = await openOneTarget(o, 'trace');
          try {
            const provider = open.provider;
            if (!provider.trace) throw unsupported(provider.name, 'trace', 'this provider offers no trace');
            const report = await provider.trace(eventId, {
              bus: o.bus,
              sinceMs: Number(o.since) * 60_000,
              ...(event ? { event } : {}),
            });
            if (json) printJson(io, report);
            else io.out(renderTrace(report));
          } finally {
            await open.close();
          }
        }, cmd),
    );
}

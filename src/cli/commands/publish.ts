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
import { checkReadable, type Io, positiveInt, printJson, toPolybusError } from '../render/output.js';
import {
  humanLine,
  type PublishProgress,
  publishProgress,
  renderTrace,
  type ResultLine,
} from '../render/publish.js';
import { PROVIDER_NAMES } from '../../sdk/create.js';
import { openOneTarget, type TargetFlags } from '../target.js';

/** The providers' names as a person would list them: `a, b or c`. */
const PROVIDERS_IN_WORDS =
  PROVIDER_NAMES.length > 1
    ? `${PROVIDER_NAMES.slice(0, -1).join(', ')} or ${PROVIDER_NAMES.at(-1)}`
    : PROVIDER_NAMES.join('');
import { type CommandContext, type CommandRunner } from './context.js';

export {
  type PublishProgress,
  publishProgress,
  type PublishProgressOptions,
  renderTrace,
  TTY_OK_LINES,
} from '../render/publish.js';

/** Events handed to the provider at a time (the adapter batches them to its own limit). */
const CHUNK = 500;
/** Events kept for `--trace` by default: the first ones published (the rest are counted, not kept). */
export const DEFAULT_TRACE_LIMIT = 100;
/** Default bound on waiting for deliveries in progress, in seconds. */
export const DEFAULT_TRACE_WAIT_S = 10;
/** Interval between polls of a trace with a delivery in progress. */
const TRACE_POLL_MS = 100;
/** Traces read at a time. */
const TRACE_CONCURRENCY = 4;

/** One input item: the parsed value or why it is not JSON, and where it came from. */
interface InputItem {
  /** `line 3` for NDJSON, `event 2` for an array, `event 1` for one object. */
  where: string;
  value?: unknown;
  parseError?: string;
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

/** Registers `publish` and `trace`. */
export function registerPublishCommands(
  program: Command,
  io: Io,
  run: CommandRunner,
  setExit: (code: number) => void,
): void {
  const ctx: CommandContext = { io, run, setExit };
  registerPublishCommand(program, ctx);
  registerTraceCommand(program, ctx);
}

type PublishFlags = TargetFlags & { bus: string; trace?: boolean; traceLimit: number; traceWait: number };

/** `polybus publish`. */
function registerPublishCommand(program: Command, ctx: CommandContext): void {
  program
    .command('publish')
    .description(
      'publish CloudEvents (one JSON event, a JSON array, or NDJSON) from a file or stdin to a bus',
    )
    .requiredOption('--bus <bus>', 'bus name or id')
    .option('--provider <provider>', `${PROVIDERS_IN_WORDS} (the environment says where)`)
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
    .action(async (file: string | undefined, o: PublishFlags, cmd: Command) =>
      ctx.run((json) => publishAction(ctx, file, o, json), cmd),
    );
}

/**
 * Only the first `--trace-limit` published events are kept (memory stays bounded), plus the
 * first one past it, for the hint that shows how to trace the rest.
 */
interface TraceKeep {
  kept: TraceCandidate[];
  /** Published events past the limit. */
  untraced: number;
  firstUntraced: (TraceCandidate & { needsEvent: boolean }) | undefined;
}

/**
 * Publishes the input, one result line per event, then says how many were published (exit 1
 * if any failed) and, with --trace, traces what was published.
 */
async function publishAction(
  { io, setExit }: CommandContext,
  file: string | undefined,
  o: PublishFlags,
  json: boolean,
): Promise<void> {
  if (file && file !== '-') await checkReadable(file, 'publish');
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
    const traces: TraceKeep = { kept: [], untraced: 0, firstUntraced: undefined };
    await publishInput(provider, input, o, json, progress, traces);
    progress.stop();
    const { sent, failed, unknown } = progress;
    if (!sent)
      throw invalidArgument('polybus', 'publish', [{ field: 'input', rule: 'no events in the input' }]);
    if (!json)
      io.err(
        `${sent - failed} of ${sent} events published${failed - unknown ? `, ${failed - unknown} failed` : ''}${unknown ? `, ${unknown} outcome unknown (may have been published: trace them before resending)` : ''}${progress.heldBack ? ` (${progress.heldBack} ok lines not shown on the terminal)` : ''}`,
      );
    if (failed) setExit(1);
    if (o.trace) await printTraces(io, provider, o, json, traces);
  } finally {
    process.off('SIGINT', onSigint);
    progress.stop();
    await open.close();
  }
}

/** An event to send with where it came from, or an input item's refusal, in input order. */
type ChunkItem = { where: string; event: CloudEvent; generated: string[] } | ResultLine;

/**
 * Reads the input and publishes it a chunk at a time ({@link CHUNK} events), printing one result
 * line per input item in input order and keeping, with --trace, what `traces` holds.
 */
async function publishInput(
  provider: EventProvider,
  input: Readable,
  o: PublishFlags,
  json: boolean,
  progress: PublishProgress,
  traces: TraceKeep,
): Promise<void> {
  let generatedNoted = false;
  const print = (r: ResultLine) =>
    progress.result(r.ok, json ? JSON.stringify(redactValue(r)) : humanLine(r), r.outcomeUnknown);
  // Input order is kept: refused items wait in the chunk with the events around them.
  let chunk: ChunkItem[] = [];
  let pendingEvents = 0;
  const flush = async () => {
    if (!chunk.length) return;
    const batch = chunk;
    chunk = [];
    pendingEvents = 0;
    await sendChunk(provider, o, batch, print, traces);
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
}

/** Publishes the events of one chunk and prints each item of it, in order; with --trace, keeps what was published. */
async function sendChunk(
  provider: EventProvider,
  o: PublishFlags,
  batch: ChunkItem[],
  print: (r: ResultLine) => void,
  traces: TraceKeep,
): Promise<void> {
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
      if (traces.kept.length < o.traceLimit) traces.kept.push(candidate);
      else if (traces.untraced++ === 0)
        // A provider that carried neither the id nor an id of its own finds the event by its content.
        traces.firstUntraced = {
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
}

/** Traces the kept events and prints them, then says what was not traced and how to trace it. */
async function printTraces(
  io: Io,
  provider: EventProvider,
  o: PublishFlags,
  json: boolean,
  { kept, untraced, firstUntraced }: TraceKeep,
): Promise<void> {
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
  if (json) printTracesJson(io, o, traced, untraced, stillPending, hint);
  else printTracesText(io, provider, o, traced, untraced, stillPending, hint);
}

/** The traces as JSON lines: one per traced event, then a summary line. */
function printTracesJson(
  io: Io,
  o: PublishFlags,
  traced: TracedEvent[],
  untraced: number,
  stillPending: number,
  hint: string | undefined,
): void {
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
}

/** The traces for people, each under the input event it is of, then what is still pending or not traced. */
function printTracesText(
  io: Io,
  provider: EventProvider,
  o: PublishFlags,
  traced: TracedEvent[],
  untraced: number,
  stillPending: number,
  hint: string | undefined,
): void {
  for (const t of traced) {
    // Which input event the trace is of (the provider may report its own id).
    io.out(redactText(`# ${t.where}  id=${t.id}${t.providerId ? `  provider id=${t.providerId}` : ''}`));
    if (t.report) io.out(renderTrace(t.report));
    else
      io.out(
        redactText(
          `trace ${t.providerId ?? t.id} on ${provider.name}: ${t.error?.code}: ${t.error?.message}`,
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

type TraceFlags = TargetFlags & { bus: string; since: number; event?: string };

/** `polybus trace`. */
function registerTraceCommand(program: Command, ctx: CommandContext): void {
  program
    .command('trace')
    .description(
      'show which integrations matched one published event, where it was delivered, attempts and status',
    )
    .argument('<eventId>', 'the event id (the provider id where the provider assigns its own)')
    .option('--provider <provider>', `${PROVIDERS_IN_WORDS} (the environment says where)`)
    .option('--target <id>', 'a target of the spec given with -f (its region, endpoint and credentials)')
    .option('-f, --file <spec>', 'the spec whose targets --target (or --provider) names')
    .requiredOption('--bus <bus>', 'bus name or id the event was published to')
    .option(
      '--since <minutes>',
      'how far back to search (Tencent event log; a positive integer)',
      positiveInt('--since'),
      60,
    )
    .option(
      '--event <json>',
      'the event as published (JSON): Tencent assigns its own ids, so its log is searched by source, type, time and data',
    )
    .action(async (eventId: string, o: TraceFlags, cmd: Command) =>
      ctx.run((json) => traceAction(ctx, eventId, o, json), cmd),
    );
}

/** Prints what the provider recorded of one event (JSON, or the report for people). */
async function traceAction(
  { io, setExit }: CommandContext,
  eventId: string,
  o: TraceFlags,
  json: boolean,
): Promise<void> {
  const event = o.event !== undefined ? parseTraceEvent(eventId, o.event) : undefined;
  const open = await openOneTarget(o, 'trace');
  try {
    const provider = open.provider;
    if (!provider.trace) throw unsupported(provider.name, 'trace', 'this provider offers no trace');
    const report = await provider.trace(eventId, {
      bus: o.bus,
      sinceMs: o.since * 60_000,
      ...(event ? { event } : {}),
    });
    if (json) printJson(io, report);
    else io.out(renderTrace(report));
    // As grep does: 0 found, 1 not found, 2 an error (set by the runner).
    if (!report.found) setExit(1);
  } finally {
    await open.close();
  }
}

/** The `--event` of `trace`: the published event as JSON, with `eventId` as its id (a usage error otherwise). */
function parseTraceEvent(eventId: string, json: string): CloudEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
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
  return p.data;
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

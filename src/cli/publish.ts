/**
 * `polybus publish` and `polybus trace`: streams CloudEvents (one JSON event, a JSON array, or
 * NDJSON) from a file or stdin to a provider's bus, one result line per event, and shows what a
 * provider recorded of one event. It must never hold an NDJSON input in memory whole.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { invalidArgument, unsupported } from '../core/errors.js';
import {
  type CloudEvent,
  prepareEvent,
  PublishEventSchema,
  type PublishResult,
  type TraceReport,
} from '../core/publish.js';
import { redactText, redactValue } from '../core/redact.js';
import { type Io, printJson } from './output.js';
import { openProviders } from './provision.js';

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
    .requiredOption('--provider <provider>', 'tencent, huawei or aws')
    .argument('[file]', 'input file, - or absent for stdin')
    .action(async (file: string | undefined, o: { bus: string; provider: string }, cmd: Command) =>
      run(async (json) => {
        const open = await openProviders([o.provider]);
        try {
          const provider = open.providers[o.provider]!;
          if (!provider.publish)
            throw unsupported(o.provider, 'publish', 'this provider has no publishing call');
          const input: Readable = !file || file === '-' ? process.stdin : createReadStream(file);
          let failed = 0;
          let sent = 0;
          let generatedNoted = false;
          const print = (r: ResultLine) => {
            if (!r.ok) failed++;
            sent++;
            io.out(json ? JSON.stringify(redactValue(r)) : humanLine(r));
          };
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
              io.err(
                `note: generated ${p.generated.join(' and ')} where the event had none (CloudEvents requires id; time is now)`,
              );
              generatedNoted = true;
            }
            chunk.push({ where: item.where, event: p.event, generated: p.generated });
            if (++pendingEvents >= CHUNK || chunk.length >= 4 * CHUNK) await flush();
          }
          await flush();
          if (!sent)
            throw invalidArgument('polybus', 'publish', [{ field: 'input', rule: 'no events in the input' }]);
          if (!json)
            io.err(`${sent - failed} of ${sent} events published${failed ? `, ${failed} failed` : ''}`);
          if (failed) setExit(1);
        } finally {
          await open.close();
        }
      }, cmd),
    );

  program
    .command('trace')
    .description(
      'show which integrations matched one published event, where it was delivered, attempts and status',
    )
    .argument('<eventId>', 'the event id (the provider id where the provider assigns its own)')
    .requiredOption('--provider <provider>', 'tencent, huawei or aws')
    .requiredOption('--bus <bus>', 'bus name or id the event was published to')
    .option('--since <minutes>', 'how far back to search (Tencent event log)', '60')
    .option(
      '--event <json>',
      'the event as published (JSON): Tencent assigns its own ids, so its log is searched by source, type, time and data',
    )
    .action(
      async (
        eventId: string,
        o: { provider: string; bus: string; since: string; event?: string },
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
          const open = await openProviders([o.provider]);
          try {
            const provider = open.providers[o.provider]!;
            if (!provider.trace) throw unsupported(o.provider, 'trace', 'this provider offers no trace');
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

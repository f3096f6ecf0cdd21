/**
 * AWS publishing and tracing: neutral CloudEvents -> EventBridge PutEvents entries (10 a request,
 * 256 KB computed the documented way), per-entry results, resend of retryable failed entries,
 * and trace through the emulator's log. It must never invent a delivery: an event integration
 * hands matching events to Amazon Connect only, and trace says so.
 */
import { PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { readDeliveryLog } from '../../core/runtime/delivery-log.js';
import { isPolybusError } from '../../core/model/errors.js';
import {
  batchEntries,
  type EntryOutcome,
  memberRefusal,
  type MemberRefusal,
  notFoundTrace,
  sendWithResend,
} from '../../core/runtime/publishing.js';
import {
  type CloudEvent,
  type PublishResult,
  refusedEvent,
  requestFailure,
} from '../../core/model/events.js';
import { type PublishOptions, type TraceOptions, type TraceReport } from '../../core/contract/publish.js';
import type { AwsClient } from './client.js';

const P = 'aws';
/** PutEvents takes at most 10 entries a request. */
export const EVENTBRIDGE_PUBLISH_BATCH = 10;
/** Entry (and request) size limit: 256 KB. */
export const EVENTBRIDGE_MAX_ENTRY_BYTES = 256 * 1024;
/** Entry error codes worth resending (the service's transient failures). */
const RETRYABLE_ENTRY_CODES = new Set([
  'InternalException',
  'InternalFailure',
  'ThrottlingException',
  'ServiceUnavailable',
]);

const NOT_CARRIED_ID = 'EventBridge assigns its own EventId (PutEvents entries have no id field)';

/**
 * Entry size as the EventBridge guide computes it: 14 bytes for Time if set, plus the UTF-8
 * bytes of Source, DetailType, Detail and each Resource.
 */
export function eventBridgeEntrySize(e: PutEventsRequestEntry): number {
  const b = (s: string | undefined) => (s ? Buffer.byteLength(s, 'utf8') : 0);
  return (
    (e.Time ? 14 : 0) +
    b(e.Source) +
    b(e.DetailType) +
    b(e.Detail) +
    (e.Resources ?? []).reduce((n, r) => n + b(r), 0)
  );
}

/**
 * One neutral event -> a PutEvents entry, or the member it cannot carry. `subject` goes to
 * `Resources[0]` (EventBridge has no subject field: polybus's documented choice).
 */
export function eventBridgeEntryFromCloudEvent(
  e: CloudEvent,
  bus: string,
): { ok: true; native: PutEventsRequestEntry } | MemberRefusal {
  const refusal = memberRefusal(e, {
    extensions: 'a PutEvents entry has no field for it',
    dataschema: 'a PutEvents entry has no dataschema field',
    nonJsonData: 'EventBridge Detail is a JSON object string: data must be JSON',
  });
  if (refusal) return refusal;
  if (e.data === undefined || typeof e.data !== 'object' || e.data === null || Array.isArray(e.data))
    return { ok: false, field: 'data', message: 'EventBridge Detail must be a JSON object' };
  const native: PutEventsRequestEntry = {
    Source: e.source,
    DetailType: e.type,
    Detail: JSON.stringify(e.data),
    EventBusName: bus,
    ...(e.time ? { Time: new Date(e.time) } : {}),
    ...(e.subject ? { Resources: [e.subject] } : {}),
  };
  const size = eventBridgeEntrySize(native);
  if (size > EVENTBRIDGE_MAX_ENTRY_BYTES)
    return {
      ok: false,
      field: 'entry',
      message: `entry is ${size} bytes: EventBridge takes at most 256 KB (Time 14 + Source + DetailType + Detail + Resources, UTF-8)`,
    };
  return { ok: true, native };
}

/** The publish and trace members of the AWS provider. */
export function awsPublisher(client: AwsClient, endpoint: string | undefined) {
  return {
    async publish(bus: string, events: CloudEvent[], options: PublishOptions = {}): Promise<PublishResult[]> {
      const results: PublishResult[] = new Array<PublishResult>(events.length);
      const ready: { index: number; native: PutEventsRequestEntry }[] = [];
      events.forEach((e, index) => {
        const m = eventBridgeEntryFromCloudEvent(e, bus);
        if (m.ok) ready.push({ index, native: m.native });
        else results[index] = refusedEvent(index, e.id, m.field, m.message);
      });
      const send = async (batch: typeof ready): Promise<EntryOutcome[]> => {
        try {
          const res = await client.send(
            'PutEvents',
            (abortSignal) =>
              client.events.send(new PutEventsCommand({ Entries: batch.map((b) => b.native) }), {
                abortSignal,
              }),
            { ...(options.signal ? { signal: options.signal } : {}), idempotent: false, resource: bus },
          );
          return batch.map((_, k): EntryOutcome => {
            const r = res.Entries?.[k];
            if (r?.EventId && !r.ErrorCode) return { ok: true, providerId: r.EventId };
            const providerCode = r?.ErrorCode ?? 'Unknown';
            const retryable = RETRYABLE_ENTRY_CODES.has(providerCode);
            return {
              ok: false,
              error: {
                code: retryable ? 'Unavailable' : 'InvalidArgument',
                message: r?.ErrorMessage ?? 'the entry failed',
                retryable,
                providerCode,
              },
            };
          });
        } catch (err) {
          if (!isPolybusError(err)) throw err;
          const error = requestFailure(err);
          return batch.map((): EntryOutcome => ({ ok: false, error }));
        }
      };
      const batches = batchEntries(ready, {
        maxEntries: EVENTBRIDGE_PUBLISH_BATCH,
        maxBytes: EVENTBRIDGE_MAX_ENTRY_BYTES,
        sizeOf: (r) => eventBridgeEntrySize(r.native),
      });
      for (const batch of batches) {
        const outcomes = await sendWithResend(batch, send, options.resendRounds ?? 2);
        outcomes.forEach((o, k) => {
          const { index } = batch[k]!;
          const id = events[index]!.id;
          results[index] = o.ok
            ? {
                index,
                ok: true,
                id,
                ...(o.providerId ? { providerId: o.providerId } : {}),
                notes: [NOT_CARRIED_ID],
              }
            : { index, ok: false, id, error: o.error };
        });
      }
      return results;
    },

    async trace(eventId: string, options: TraceOptions): Promise<TraceReport> {
      void options;
      const fromEmulator = endpoint ? await readDeliveryLog(endpoint, eventId) : undefined;
      if (fromEmulator?.found) return fromEmulator;
      if (fromEmulator)
        return {
          ...fromEmulator,
          notes: [
            ...fromEmulator.notes,
            `EventBridge assigns its own event id and keeps no trace of the id you published (a PutEvents entry has no id field): if ${eventId} is the id you gave, trace the EventBridge id publish printed for it ("provider id=...", providerId in --json), or publish with --trace.`,
          ],
        };
      return notFoundTrace(P, eventId, [
        'EventBridge offers no API to look up a published event: nothing to read on a real cloud (archives and CloudWatch metrics are outside polybus).',
        "A real EventBridge reports rule matches and target failures only through CloudWatch metrics and a target's dead-letter queue, which polybus does not read; an event integration hands events to Amazon Connect.",
      ]);
    },
  };
}

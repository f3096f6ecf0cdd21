/**
 * Huawei publishing and tracing: neutral CloudEvents -> channel PutEvents (`POST
 * /v1/{project_id}/channels/{channel_id}/events`, at most 20 events a request), per-event results
 * from `events[].error_code`, and trace through the emulator's delivery log. It must never claim a
 * trace on a real cloud: EventGrid offers no event lookup API, and trace says so.
 */
import { z } from 'zod';
import { readDeliveryLog } from '../../core/runtime/delivery-log.js';
import { isPolybusError, isRetryableCode } from '../../core/model/errors.js';
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
import type { HuaweiClient } from './client.js';
import { classifyHuaweiError } from './errors.js';

const P = 'huawei';
/** Events per PutEvents request: more are refused with EG.00533007. */
export const HUAWEI_PUBLISH_BATCH = 20;

const PutEventsResponseSchema = z.looseObject({
  failed_count: z.number().nullish(),
  events: z
    .array(
      z.looseObject({
        event_id: z.string().nullish(),
        error_code: z.string().nullish(),
        error_msg: z.string().nullish(),
      }),
    )
    .nullish(),
});

/** One neutral event -> the EG CloudEvent body, or the member it cannot carry. */
export function huaweiEventFromCloudEvent(
  e: CloudEvent,
): { ok: true; native: Record<string, unknown> } | MemberRefusal {
  const refusal = memberRefusal(e, {
    extensions: 'EG PutEvents documents no field for CloudEvents extensions',
    binaryData: 'EG PutEvents documents data, not data_base64',
  });
  if (refusal) return refusal;
  const native: Record<string, unknown> = {};
  for (const k of [
    'id',
    'source',
    'specversion',
    'type',
    'datacontenttype',
    'dataschema',
    'subject',
    'time',
    'data',
  ])
    if ((e as Record<string, unknown>)[k] !== undefined) native[k] = (e as Record<string, unknown>)[k];
  return { ok: true, native };
}

const ID_PATTERN = /^[0-9a-f-]{32,36}$/i;

/** The publish and trace members of the Huawei provider. */
export function huaweiPublisher(client: HuaweiClient, endpoint: string) {
  const channelIdOf = async (bus: string, signal?: AbortSignal): Promise<string> => {
    if (ID_PATTERN.test(bus) || bus === 'official-default') return bus;
    for await (const c of client.channels({ name: bus }, 100, signal)) if (c.name === bus) return c.id;
    return bus;
  };
  return {
    async publish(bus: string, events: CloudEvent[], options: PublishOptions = {}): Promise<PublishResult[]> {
      const results: PublishResult[] = new Array<PublishResult>(events.length);
      const ready: { index: number; native: Record<string, unknown> }[] = [];
      events.forEach((e, index) => {
        const m = huaweiEventFromCloudEvent(e);
        if (m.ok) ready.push({ index, native: m.native });
        else results[index] = refusedEvent(index, e.id, m.field, m.message);
      });
      const channel = await channelIdOf(bus, options.signal);
      const send = async (batch: typeof ready): Promise<EntryOutcome[]> => {
        try {
          const res = await client.request({
            operation: 'PutEvents',
            method: 'POST',
            path: `/channels/${encodeURIComponent(channel)}/events`,
            body: { events: batch.map((b) => b.native) },
            schema: PutEventsResponseSchema,
            idempotent: false,
            resource: channel,
            ...(options.signal ? { signal: options.signal } : {}),
          });
          return batch.map((_, k): EntryOutcome => {
            const r = res.events?.[k];
            if (!r?.error_code) return { ok: true };
            const rule = classifyHuaweiError(r.error_code, 400);
            const code = rule.code;
            return {
              ok: false,
              error: {
                code,
                message: r.error_msg ?? r.error_code,
                retryable: rule.retryable ?? isRetryableCode(code),
                providerCode: r.error_code,
              },
            };
          });
        } catch (err) {
          if (!isPolybusError(err)) throw err;
          const error = requestFailure(err);
          return batch.map((): EntryOutcome => ({ ok: false, error }));
        }
      };
      for (const batch of batchEntries(ready, { maxEntries: HUAWEI_PUBLISH_BATCH })) {
        const outcomes = await sendWithResend(batch, send, options.resendRounds ?? 2);
        outcomes.forEach((o, k) => {
          const { index } = batch[k]!;
          const id = events[index]!.id;
          results[index] = o.ok ? { index, ok: true, id } : { index, ok: false, id, error: o.error };
        });
      }
      return results;
    },

    async trace(eventId: string, options: TraceOptions): Promise<TraceReport> {
      // Only an emulator answers its delivery log; it records by channel id, and one event id may
      // be published to several channels: read the record of the traced one.
      if (await readDeliveryLog(endpoint, eventId)) {
        const channel = await channelIdOf(options.bus, options.signal);
        const fromEmulator = await readDeliveryLog(endpoint, eventId, channel);
        if (fromEmulator) return fromEmulator;
      }
      return notFoundTrace(P, eventId, [
        'Huawei EventGrid offers no API to look up a published event or its deliveries: nothing to read on a real cloud.',
        'Check the subscription targets (e.g. the webhook receiver) or the event trace page of the console.',
      ]);
    },
  };
}

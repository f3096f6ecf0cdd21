/**
 * Azure publishing and tracing: neutral CloudEvents -> the topic's publishing endpoint (the
 * `endpoint` ARM gives the topic, `?api-version=2018-01-01`, `application/cloudevents-batch+json`,
 * an Entra token for `https://eventgrid.azure.net`), batched up to the documented 1 MB a request
 * (an event over 1 MB is refused before any request). A request succeeds or fails whole. Trace
 * reads the emulator's delivery log; a real Event Grid has no lookup of a published event.
 */
import { isPolybusError } from '../../core/model/errors.js';
import {
  type CloudEvent,
  type PublishResult,
  refusedEvent,
  requestFailure,
} from '../../core/model/events.js';
import { type PublishOptions, type TraceOptions, type TraceReport } from '../../core/contract/publish.js';
import { readDeliveryLog } from '../../core/runtime/delivery-log.js';
import {
  batchEntries,
  type EntryOutcome,
  notFoundTrace,
  sendWithResend,
} from '../../core/runtime/publishing.js';
import { parseRetryAfter, type Transport } from '../../core/runtime/transport.js';
import { AZURE_SCOPES, type AzureTokenProvider } from './auth.js';
import type { AzureClient } from './client.js';
import { mapAzureError } from './errors.js';

const P = 'azure';
/** Event Grid's documented sizes: at most 1 MB a request, and an event at most 1 MB. */
export const AZURE_PUBLISH_LIMITS = { maxRequestBytes: 1024 * 1024, maxEventBytes: 1024 * 1024 };
/** The publishing API's version. */
export const PUBLISH_API_VERSION = '2018-01-01';

const SUBSCRIPTION_ID = /\/topics\/([^/]+)\/providers\/Microsoft\.EventGrid\/eventSubscriptions\/([^/]+)$/i;
/** An event subscription's ARM id as the neutral integration id `topic/subscription`. */
const neutralId = (armId: string) => {
  const m = SUBSCRIPTION_ID.exec(armId);
  return m ? `${m[1]}/${m[2]}` : armId;
};
/** A trace report with integrations named by their neutral ids. */
function neutralIds(r: TraceReport): TraceReport {
  return {
    ...r,
    matches: r.matches.map((m) => ({ ...m, integration: neutralId(m.integration) })),
    deliveries: r.deliveries.map((d) => ({ ...d, integration: neutralId(d.integration) })),
  };
}

/** The publish and trace members of the Azure provider. */
export function azurePublisher(
  client: AzureClient,
  tokens: AzureTokenProvider,
  transport: Transport,
  armEndpoint: string,
) {
  const topics = new Map<string, { endpoint: string; id: string }>();
  const topicOf = async (bus: string, signal?: AbortSignal) => {
    const hit = topics.get(bus);
    if (hit) return hit;
    const res = await client.call('Topics_Get', { params: { topicName: bus }, signal });
    const body = res.body as { id: string; properties?: { endpoint?: string } };
    const t = { endpoint: String(body.properties?.endpoint), id: body.id };
    topics.set(bus, t);
    return t;
  };

  /** Sends one batch (the whole request succeeds or fails). */
  const sendBatch = async (
    endpoint: string,
    batch: string[],
    signal?: AbortSignal,
  ): Promise<EntryOutcome[]> => {
    const url = new URL(endpoint);
    url.searchParams.set('api-version', PUBLISH_API_VERSION);
    try {
      const token = await tokens.token(AZURE_SCOPES.eventgrid, signal);
      await transport.execute(
        {
          provider: P,
          operation: 'PublishCloudEvents',
          method: 'POST',
          url: url.toString(),
          headers: {
            authorization: `Bearer ${token}`,
            'content-type': 'application/cloudevents-batch+json; charset=utf-8',
          },
          body: `[${batch.join(',')}]`,
          idempotent: false,
          ...(signal ? { signal } : {}),
        },
        (res) => {
          if (res.status >= 200 && res.status < 300) return;
          const requestId = res.headers['x-ms-request-id'];
          const retryAfterMs = parseRetryAfter(res.headers['retry-after'], transport.clock.now());
          throw mapAzureError({
            status: res.status,
            body: res.body,
            operation: 'PublishCloudEvents',
            ...(requestId ? { requestId } : {}),
            ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
          });
        },
      );
      return batch.map((): EntryOutcome => ({ ok: true }));
    } catch (err) {
      if (!isPolybusError(err)) throw err;
      const error = requestFailure(err);
      return batch.map((): EntryOutcome => ({ ok: false, error }));
    }
  };

  return {
    async publish(bus: string, events: CloudEvent[], options: PublishOptions = {}): Promise<PublishResult[]> {
      const results = new Array<PublishResult>(events.length);
      const ready: { index: number; json: string }[] = [];
      events.forEach((e, index) => {
        // CloudEvents topics take the event whole, extensions and data_base64 included.
        const json = JSON.stringify(e);
        if (Buffer.byteLength(json) > AZURE_PUBLISH_LIMITS.maxEventBytes)
          results[index] = refusedEvent(
            index,
            e.id,
            'event',
            `an event is at most ${AZURE_PUBLISH_LIMITS.maxEventBytes} bytes (Event Grid limits)`,
          );
        else ready.push({ index, json });
      });
      if (!ready.length) return results;
      const { endpoint } = await topicOf(bus, options.signal);
      const batches = batchEntries(ready, {
        maxEntries: Number.MAX_SAFE_INTEGER,
        maxBytes: AZURE_PUBLISH_LIMITS.maxRequestBytes - 2,
        sizeOf: (r) => Buffer.byteLength(r.json) + 1,
      });
      for (const batch of batches) {
        const outcomes = await sendWithResend(
          batch,
          (b) =>
            sendBatch(
              endpoint,
              b.map((r) => r.json),
              options.signal,
            ),
          options.resendRounds ?? 2,
        );
        outcomes.forEach((o, k) => {
          const { index } = batch[k]!;
          const id = events[index]!.id;
          results[index] = o.ok ? { index, ok: true, id } : { index, ok: false, id, error: o.error };
        });
      }
      return results;
    },

    async trace(eventId: string, options: TraceOptions): Promise<TraceReport> {
      if (await readDeliveryLog(armEndpoint, eventId)) {
        const { id } = await topicOf(options.bus, options.signal);
        const fromEmulator = await readDeliveryLog(armEndpoint, eventId, id);
        if (fromEmulator) return neutralIds(fromEmulator);
      }
      return notFoundTrace(P, eventId, [
        'Azure Event Grid offers no API to look up a published event or its deliveries: nothing to read on a real cloud.',
        'Check the destination (e.g. the WebHook receiver), the topic metrics, or a dead-letter container.',
      ]);
    },
  };
}

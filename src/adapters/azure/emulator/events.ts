/**
 * The topic's publishing endpoint (`POST {topic endpoint}?api-version=2018-01-01`): CloudEvents
 * in a JSON array (`application/cloudevents-batch+json`) or one event
 * (`application/cloudevents+json`), authenticated by a topic key (`aeg-sas-key`), a shared access signature (`aeg-sas-token`) or an Entra
 * token for `https://eventgrid.azure.net`; at most 1 MB a request and per event. Each event is
 * matched against the topic's succeeded event subscriptions (their filters, evaluated as Event
 * Grid does) and delivered to WebHook destinations on loopback, with the subscription's retry
 * policy and dead-letter destination. Azure Functions are recorded, not run.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DeliveryRecord } from '../../../core/runtime/delivery-log.js';
import type { DeliveryEngine } from '../../../testing/delivery.js';
import type { LoopbackRequest } from '../../../testing/loopback.js';
import { type AzureFilter, matchesAzureFilter } from '../filter.js';
import { type Answer, ArmError, type AzureEmulatorScope, key, type Row } from './common.js';
import { AUDIENCES, type EntraEmulator } from './token.js';

/** The documented size limits of a publish request and of one event. */
export const PUBLISH_LIMITS = { maxRequestBytes: 1024 * 1024, maxEventBytes: 1024 * 1024 };

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** The SAS token of an `Authorization: SharedAccessSignature ...` header, if it is one. */
const sasOf = (h: string | undefined) => (h?.startsWith('SharedAccessSignature ') ? h.slice(22) : undefined);

/** `M/D/YYYY h:mm:ss AM|PM` (UTC), the SAS expiry format, as epoch ms. */
function sasExpiry(text: string): number | undefined {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) (AM|PM)$/.exec(text);
  if (!m) return undefined;
  const hour = (Number(m[4]) % 12) + (m[7] === 'PM' ? 12 : 0);
  return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), hour, Number(m[5]), Number(m[6]));
}

/**
 * Why a shared access signature (`r={resource}&e={expiry}&s={signature}`, the signature an
 * HMAC-SHA256 of `r=...&e=...` with a topic key, base64) does not authorize this topic.
 */
export function sasProblem(
  token: string,
  endpoint: string,
  keys: { key1: string; key2: string } | undefined,
  now: number,
): string | undefined {
  const m = /^(r=[^&]+&e=[^&]+)&s=([^&]+)$/.exec(token);
  if (!m || !keys) return 'it is not r=...&e=...&s=...';
  const params = new URLSearchParams(m[1]);
  const resource = (params.get('r') ?? '').split('?')[0]!;
  if (resource.toLowerCase() !== endpoint.toLowerCase()) return 'it was issued for another resource';
  const expiry = sasExpiry(params.get('e') ?? '');
  if (expiry === undefined || expiry <= now) return 'it has expired';
  const signature = decodeURIComponent(m[2]!);
  const signs = (key: string) =>
    same(createHmac('sha256', Buffer.from(key, 'base64')).update(m[1]!).digest('base64'), signature);
  return signs(keys.key1) || signs(keys.key2) ? undefined : 'the signature does not match a topic key';
}

type Scope = AzureEmulatorScope & { readonly delivery: DeliveryEngine };
function authorize(
  entra: EntraEmulator,
  req: LoopbackRequest,
  topic: Row,
  keys: { key1: string; key2: string } | undefined,
): void {
  const sas = req.headers['aeg-sas-key'];
  if (typeof sas === 'string') {
    if ((topic.properties as Row).disableLocalAuth === true)
      throw new ArmError(
        401,
        'Unauthorized',
        'Local authentication is disabled for this topic: use a Microsoft Entra token.',
      );
    if (!keys || !(same(sas, keys.key1) || same(sas, keys.key2)))
      throw new ArmError(
        401,
        'Unauthorized',
        'The request authorization key is not authorized for this topic.',
      );
    return;
  }
  const token = req.headers['aeg-sas-token'] ?? sasOf(req.headers.authorization);
  if (typeof token === 'string') {
    if ((topic.properties as Row).disableLocalAuth === true)
      throw new ArmError(
        401,
        'Unauthorized',
        'Local authentication is disabled for this topic: use a Microsoft Entra token.',
      );
    const problem = sasProblem(token, String((topic.properties as Row).endpoint), keys, Date.now());
    if (problem) throw new ArmError(401, 'Unauthorized', `The SAS token is not valid: ${problem}.`);
    return;
  }
  if (!req.headers.authorization)
    throw new ArmError(
      401,
      'Unauthorized',
      'The request did not carry aeg-sas-key or an Authorization header.',
    );
  entra.authorize(req, AUDIENCES.eventgrid);
}

function publish(
  emu: Scope,
  entra: EntraEmulator,
  sub: string,
  rg: string,
  name: string,
  req: LoopbackRequest,
): Answer {
  const k = key(rg, name);
  const topic = emu.state.topics.get(k);
  if (!topic) throw new ArmError(404, 'NotFound', `The topic ${name} does not exist.`);
  authorize(entra, req, topic, emu.state.keys.get(k));
  if (req.url.searchParams.get('api-version') !== '2018-01-01')
    throw new ArmError(400, 'BadRequest', 'api-version must be 2018-01-01.');
  if (req.body.length > PUBLISH_LIMITS.maxRequestBytes)
    throw new ArmError(
      413,
      'RequestEntityTooLarge',
      `The maximum size for a request is ${PUBLISH_LIMITS.maxRequestBytes} bytes.`,
    );
  if ((topic.properties as Row).inputSchema !== 'CloudEventSchemaV1_0')
    throw new ArmError(400, 'BadRequest', 'The emulator publishes to CloudEventSchemaV1_0 topics only.');
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body.toString('utf8'));
  } catch {
    throw new ArmError(400, 'BadRequest', 'The request body is not valid JSON.');
  }
  const events =
    type === 'application/cloudevents-batch+json' && Array.isArray(parsed)
      ? parsed
      : type === 'application/cloudevents+json' && parsed && !Array.isArray(parsed)
        ? [parsed]
        : undefined;
  if (!events)
    throw new ArmError(
      400,
      'BadRequest',
      'A CloudEvents topic takes application/cloudevents-batch+json (an array) or application/cloudevents+json (one event).',
    );
  events.forEach((e: unknown, i) => {
    const ev = e as Row;
    for (const f of ['id', 'source', 'specversion', 'type'])
      if (typeof ev?.[f] !== 'string' || ev[f] === '')
        throw new ArmError(
          400,
          'BadRequest',
          `events[${i}]: the required CloudEvents attribute '${f}' is missing.`,
        );
    if (ev.specversion !== '1.0')
      throw new ArmError(400, 'BadRequest', `events[${i}]: specversion must be 1.0.`);
    if (Buffer.byteLength(JSON.stringify(ev)) > PUBLISH_LIMITS.maxEventBytes)
      throw new ArmError(
        413,
        'RequestEntityTooLarge',
        `events[${i}] is larger than ${PUBLISH_LIMITS.maxEventBytes} bytes.`,
      );
  });
  const subs = [...emu.state.eventSubscriptions.entries()]
    .filter(([sk]) => sk.startsWith(`${k}/`))
    .map(([sk, s]) => ({ key: sk, row: s }));
  for (const e of events as Row[]) route(emu, String(topic.id), e, subs);
  void sub;
  return { status: 200 };
}

function route(emu: Scope, topicId: string, event: Row, subs: { key: string; row: Row }[]): void {
  const rec = emu.delivery.record({
    bus: topicId,
    eventId: String(event.id),
    event,
    matches: [],
    deliveries: [],
    notes: [
      'Azure emulator: exact record of event subscription matching (Event Grid filter semantics) and WebHook deliveries.',
    ],
  });
  for (const { key: sk, row: s } of subs) {
    const props = s.properties as Row;
    if (props.provisioningState !== 'Succeeded') {
      rec.matches.push({
        integration: String(s.id),
        name: String(s.name),
        matched: false,
        reason: `the event subscription is ${String(props.provisioningState)}`,
      });
      continue;
    }
    const m = matchesAzureFilter(props.filter as AzureFilter, event);
    rec.matches.push({
      integration: String(s.id),
      name: String(s.name),
      matched: m.matched,
      reason: m.reason,
    });
    if (m.matched) deliver(emu, rec, s, emu.state.fullUrls.get(sk));
  }
}

function deliver(emu: Scope, rec: DeliveryRecord, s: Row, url: string | undefined): void {
  const props = s.properties as Row;
  const dest = props.destination as Row;
  const d = {
    integration: String(s.id),
    target: String(dest.endpointType),
    attempts: 0,
    status: 'not-delivered' as const,
    attemptLog: [],
  } as DeliveryRecord['deliveries'][number];
  rec.deliveries.push(d);
  if (dest.endpointType !== 'WebHook' || !url) {
    d.note = `the emulator does not run ${String(dest.endpointType)} destinations: matched, not delivered`;
    return;
  }
  d.destination = url;
  const retry = props.retryPolicy as { maxDeliveryAttempts: number };
  const dl = props.deadLetterDestination as { properties?: Row } | undefined;
  emu.delivery.deliverHttp(
    rec,
    d,
    url,
    { retries: retry.maxDeliveryAttempts - 1, delayMs: emu.delivery.retryDelayMs },
    dl ? `storage blob container ${String(dl.properties?.blobContainerName)}` : undefined,
  );
}

/** Publishing handler over the emulator's state. */
export function eventHandlers(emu: Scope, entra: EntraEmulator) {
  return {
    publish: (sub: string, rg: string, name: string, req: LoopbackRequest) =>
      publish(emu, entra, sub, rg, name, req),
  };
}

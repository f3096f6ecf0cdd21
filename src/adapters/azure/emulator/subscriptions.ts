/**
 * Event subscriptions on a custom topic over ARM: create or update (PUT) and update (PATCH), both
 * long-running and, for a WebHook, finished only by Event Grid's validation handshake (the
 * CloudEvents abuse-protection `OPTIONS` request, or the `SubscriptionValidationEvent` for the
 * Event Grid schema); get, list (`$top`, `nextLink`), delete, and `getFullUrl` (the endpoint URL
 * is write-only in every other answer: `endpointBaseUrl` is shown instead).
 */
import { randomUUID } from 'node:crypto';
import { LOOPBACK_HOSTS } from '../../../core/runtime/delivery-log.js';
import type { LoopbackRequest } from '../../../testing/loopback.js';
import { validateAzureFilter } from '../filter.js';
import {
  type Answer,
  type ArmPath,
  type AzureEmulatorScope,
  bodyOf,
  EVENT_SUBSCRIPTION_NAME,
  invalid,
  key,
  notFound,
  now,
  type Row,
} from './common.js';
import { asyncHeaders, topicAt } from './topics.js';

const DELIVERY_SCHEMAS = ['EventGridSchema', 'CustomInputSchema', 'CloudEventSchemaV1_0'];
const UPDATABLE = [
  'destination',
  'filter',
  'labels',
  'expirationTimeUtc',
  'eventDeliverySchema',
  'retryPolicy',
  'deadLetterDestination',
];
/** The origin Event Grid names in its abuse-protection request. */
export const HANDSHAKE_ORIGIN = 'eventgrid.azure.net';

/** Why a destination is malformed (an ARM error). */
function checkDestination(d: unknown): Row {
  const dest = d as Row | undefined;
  if (!dest || typeof dest.endpointType !== 'string') throw invalid('destination.endpointType is required.');
  const props = (dest.properties ?? {}) as Row;
  const batch = props.maxEventsPerBatch;
  if (batch !== undefined && (typeof batch !== 'number' || batch < 1 || batch > 5000))
    throw invalid('maxEventsPerBatch must be between 1 and 5000.');
  const kb = props.preferredBatchSizeInKilobytes;
  if (kb !== undefined && (typeof kb !== 'number' || kb < 1 || kb > 1024))
    throw invalid('preferredBatchSizeInKilobytes must be between 1 and 1024.');
  if (dest.endpointType === 'WebHook') {
    let url: URL;
    try {
      url = new URL(String(props.endpointUrl));
    } catch {
      throw invalid('destination.properties.endpointUrl must be an absolute URL.');
    }
    // Event Grid accepts only HTTPS endpoints; the emulator also takes http on loopback.
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname)))
      throw invalid(
        `The attempt to validate the provided endpoint ${url.origin} failed: the endpoint URL must be HTTPS.`,
      );
  } else if (dest.endpointType === 'AzureFunction') {
    if (
      typeof props.resourceId !== 'string' ||
      !/\/providers\/Microsoft\.Web\/sites\/[^/]+\/functions\/[^/]+$/i.test(props.resourceId)
    )
      throw invalid('destination.properties.resourceId must be an Azure Function resource id.');
  } else if (
    ![
      'EventHub',
      'ServiceBusQueue',
      'ServiceBusTopic',
      'StorageQueue',
      'HybridConnection',
      'PartnerDestination',
      'MonitorAlert',
      'NamespaceTopic',
    ].includes(dest.endpointType)
  )
    throw invalid(`Unknown endpointType '${dest.endpointType}'.`);
  return dest;
}

function checkProperties(p: Row): void {
  if (p.filter !== undefined) {
    const problems = validateAzureFilter(p.filter);
    if (problems.length) throw invalid(problems.join('; '));
  }
  const r = p.retryPolicy as Row | undefined;
  if (r !== undefined) {
    const a = r.maxDeliveryAttempts;
    const ttl = r.eventTimeToLiveInMinutes;
    if (a !== undefined && (!Number.isInteger(a) || Number(a) < 1 || Number(a) > 30))
      throw invalid('retryPolicy.maxDeliveryAttempts must be between 1 and 30.');
    if (ttl !== undefined && (!Number.isInteger(ttl) || Number(ttl) < 1 || Number(ttl) > 1440))
      throw invalid('retryPolicy.eventTimeToLiveInMinutes must be between 1 and 1440.');
  }
  if (p.eventDeliverySchema !== undefined && !DELIVERY_SCHEMAS.includes(String(p.eventDeliverySchema)))
    throw invalid(`eventDeliverySchema must be one of ${DELIVERY_SCHEMAS.join(', ')}.`);
  const dl = p.deadLetterDestination as Row | undefined;
  if (dl !== undefined) {
    const props = (dl.properties ?? {}) as Row;
    if (
      dl.endpointType !== 'StorageBlob' ||
      typeof props.resourceId !== 'string' ||
      typeof props.blobContainerName !== 'string'
    )
      throw invalid(
        'deadLetterDestination is StorageBlob with properties.resourceId and properties.blobContainerName.',
      );
  }
  if (p.labels !== undefined && (!Array.isArray(p.labels) || !p.labels.every((l) => typeof l === 'string')))
    throw invalid('labels is a string array.');
}

/**
 * Performs the validation handshake with a WebHook; resolves to an error message, or undefined
 * when the endpoint answered as documented. Only loopback endpoints are contacted: any other is
 * accepted without one (the emulator never reaches off the machine), and says so.
 */
async function handshake(url: string, schema: string): Promise<string | undefined> {
  const target = new URL(url);
  if (!LOOPBACK_HOSTS.has(target.hostname)) return undefined;
  try {
    if (schema === 'CloudEventSchemaV1_0') {
      const res = await fetch(url, {
        method: 'OPTIONS',
        headers: { 'WebHook-Request-Origin': HANDSHAKE_ORIGIN },
      });
      await res.arrayBuffer();
      const allowed = res.headers.get('webhook-allowed-origin');
      if (res.status !== 200 || (allowed !== '*' && allowed?.toLowerCase() !== HANDSHAKE_ORIGIN))
        return `Webhook validation handshake failed for ${target.origin}: the OPTIONS request answered ${res.status} without WebHook-Allowed-Origin.`;
      return undefined;
    }
    const code = randomUUID();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'aeg-event-type': 'SubscriptionValidation' },
      body: JSON.stringify([
        {
          id: randomUUID(),
          topic: 'emulator',
          subject: '',
          eventType: 'Microsoft.EventGrid.SubscriptionValidationEvent',
          eventTime: now(),
          dataVersion: '1',
          data: { validationCode: code, validationUrl: '' },
        },
      ]),
    });
    const text = await res.text();
    const answer = (() => {
      try {
        return (JSON.parse(text) as Row).validationResponse;
      } catch {
        return undefined;
      }
    })();
    return res.status === 200 && answer === code
      ? undefined
      : `Webhook validation handshake failed for ${target.origin}: the validationResponse did not echo the validationCode.`;
  } catch (err) {
    return `Webhook validation handshake failed for ${target.origin}: ${(err as Error).message}`;
  }
}

type Scope = AzureEmulatorScope;
const rowKey = (p: ArmPath) => key(p.resourceGroup!, p.topic!, p.eventSubscription!);
const at = (emu: Scope, p: ArmPath): Row => {
  topicAt(emu, p);
  const s = emu.state.eventSubscriptions.get(rowKey(p));
  if (!s) throw notFound(`Microsoft.EventGrid/eventSubscriptions/${p.eventSubscription}`, p.resourceGroup!);
  return s;
};
/** What ARM shows of a destination: the WebHook URL only as its base. */
const shown = (dest: Row): Row => {
  if (dest.endpointType !== 'WebHook') return dest;
  const { endpointUrl, ...props } = dest.properties as Row;
  const u = new URL(String(endpointUrl));
  return { ...dest, properties: { ...props, endpointBaseUrl: `${u.origin}${u.pathname}` } };
};
const view = (s: Row): Row => {
  const props = s.properties as Row;
  return { ...s, properties: { ...props, destination: shown(props.destination as Row) } };
};

/** Stores the row and starts the operation that the handshake (if any) finishes. */
function commit(emu: Scope, p: ArmPath, row: Row, status: number, location: string): Answer {
  const props = row.properties as Row;
  const dest = props.destination as Row;
  emu.state.eventSubscriptions.set(rowKey(p), row);
  let outcome: string | undefined | 'pending' = undefined;
  if (dest.endpointType === 'WebHook') {
    const url = String((dest.properties as Row).endpointUrl);
    emu.state.fullUrls.set(rowKey(p), url);
    outcome = 'pending';
    void handshake(url, String(props.eventDeliverySchema)).then((r) => (outcome = r));
  }
  const op = emu.startOperation(() => {
    if (outcome === 'pending') return 'pending';
    props.provisioningState = outcome ? 'Failed' : 'Succeeded';
    return outcome ? { code: 'Url validation', message: outcome } : undefined;
  });
  return { status, body: view(row), headers: asyncHeaders(emu, p.subscriptionId, location, op, 'status') };
}

function put(emu: Scope, p: ArmPath, req: LoopbackRequest): Answer {
  const topic = topicAt(emu, p);
  const name = p.eventSubscription!;
  if (!EVENT_SUBSCRIPTION_NAME.test(name))
    throw invalid(
      `Event subscription name '${name}' is invalid: it must be 3-64 characters of letters, digits and '-'.`,
    );
  const props = (bodyOf(req).properties ?? {}) as Row;
  for (const k of Object.keys(props))
    if (
      !UPDATABLE.includes(k) &&
      k !== 'deliveryWithResourceIdentity' &&
      k !== 'deadLetterWithResourceIdentity'
    )
      throw invalid(`The property '${k}' cannot be set on an event subscription.`);
  const destination = checkDestination(props.destination);
  checkProperties(props);
  const existing = emu.state.eventSubscriptions.get(rowKey(p));
  const inputSchema = (topic.properties as Row).inputSchema;
  const row: Row = {
    id: `${String(topic.id)}/providers/Microsoft.EventGrid/eventSubscriptions/${name}`,
    name,
    type: 'Microsoft.EventGrid/eventSubscriptions',
    systemData: {
      createdAt: (existing?.systemData as Row | undefined)?.createdAt ?? now(),
      lastModifiedAt: now(),
    },
    properties: normalized(
      props,
      destination,
      String(topic.id),
      inputSchema,
      existing ? 'Updating' : 'Creating',
    ),
  };
  return commit(emu, p, row, existing ? 200 : 201, String(topic.location));
}

function patch(emu: Scope, p: ArmPath, req: LoopbackRequest): Answer {
  const topic = topicAt(emu, p);
  const live = at(emu, p);
  const b = bodyOf(req);
  for (const k of Object.keys(b))
    if (!UPDATABLE.includes(k)) throw invalid(`The property '${k}' cannot be updated.`);
  const old = live.properties as Row;
  const merged: Row = { ...old, ...b };
  if (b.destination === undefined && (old.destination as Row).endpointType === 'WebHook') {
    const d = old.destination as Row;
    merged.destination = {
      ...d,
      properties: { ...(d.properties as Row), endpointUrl: emu.state.fullUrls.get(rowKey(p)) },
    };
  }
  const destination = checkDestination(merged.destination);
  checkProperties(merged);
  const row: Row = {
    ...live,
    systemData: { ...(live.systemData as Row), lastModifiedAt: now() },
    properties: normalized(
      merged,
      destination,
      String(topic.id),
      (topic.properties as Row).inputSchema,
      'Updating',
    ),
  };
  return commit(emu, p, row, 201, String(topic.location));
}

function remove(emu: Scope, p: ArmPath): Answer {
  const topic = topicAt(emu, p);
  if (!emu.state.eventSubscriptions.has(rowKey(p))) return { status: 204 };
  (emu.state.eventSubscriptions.get(rowKey(p))!.properties as Row).provisioningState = 'Deleting';
  const op = emu.startOperation(() => {
    emu.state.eventSubscriptions.delete(rowKey(p));
    emu.state.fullUrls.delete(rowKey(p));
    return undefined;
  });
  return {
    status: 202,
    headers: asyncHeaders(emu, p.subscriptionId, String(topic.location), op, 'result'),
  };
}

function list(emu: Scope, p: ArmPath, req: LoopbackRequest): Answer {
  topicAt(emu, p);
  const q = req.url.searchParams;
  const top = q.has('$top') ? Number(q.get('$top')) : 100;
  if (!Number.isInteger(top) || top < 1 || top > 100) throw invalid('$top must be an integer from 1 to 100.');
  const skip = Number(q.get('$skiptoken') ?? 0);
  const prefix = `${key(p.resourceGroup!, p.topic!)}/`;
  const rows = [...emu.state.eventSubscriptions.entries()]
    .filter(([k]) => k.startsWith(prefix))
    .map(([, r]) => r)
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  const next = new URL(req.url.pathname + req.url.search, emu.url);
  next.searchParams.set('$skiptoken', String(skip + top));
  return {
    status: 200,
    body: {
      value: rows.slice(skip, skip + top).map(view),
      ...(skip + top < rows.length ? { nextLink: next.toString() } : {}),
    },
  };
}

function fullUrl(emu: Scope, p: ArmPath): Answer {
  at(emu, p);
  const url = emu.state.fullUrls.get(rowKey(p));
  if (!url) throw invalid('getFullUrl is available for WebHook destinations only.');
  return { status: 200, body: { endpointUrl: url } };
}

/** Event subscription handlers. */
export function eventSubscriptionHandlers(emu: AzureEmulatorScope) {
  return {
    TopicEventSubscriptions_CreateOrUpdate: (p: ArmPath, req: LoopbackRequest) => put(emu, p, req),
    TopicEventSubscriptions_Update: (p: ArmPath, req: LoopbackRequest) => patch(emu, p, req),
    TopicEventSubscriptions_Get: (p: ArmPath): Answer => ({ status: 200, body: view(at(emu, p)) }),
    TopicEventSubscriptions_Delete: (p: ArmPath) => remove(emu, p),
    TopicEventSubscriptions_List: (p: ArmPath, req: LoopbackRequest) => list(emu, p, req),
    TopicEventSubscriptions_GetFullUrl: (p: ArmPath) => fullUrl(emu, p),
  };
}

/** The stored properties, with the service's defaults filled in as ARM answers them. */
function normalized(props: Row, destination: Row, topicId: string, inputSchema: unknown, state: string): Row {
  const filter = (props.filter ?? {}) as Row;
  const retry = (props.retryPolicy ?? {}) as Row;
  const destProps = (destination.properties ?? {}) as Row;
  return {
    topic: topicId,
    provisioningState: state,
    destination: {
      endpointType: destination.endpointType,
      properties:
        destination.endpointType === 'WebHook' || destination.endpointType === 'AzureFunction'
          ? { maxEventsPerBatch: 1, preferredBatchSizeInKilobytes: 64, ...destProps }
          : destProps,
    },
    filter: {
      subjectBeginsWith: '',
      subjectEndsWith: '',
      isSubjectCaseSensitive: false,
      enableAdvancedFilteringOnArrays: false,
      ...filter,
    },
    labels: props.labels ?? [],
    eventDeliverySchema:
      props.eventDeliverySchema ??
      (inputSchema === 'CloudEventSchemaV1_0' ? 'CloudEventSchemaV1_0' : 'EventGridSchema'),
    retryPolicy: {
      maxDeliveryAttempts: retry.maxDeliveryAttempts ?? 30,
      eventTimeToLiveInMinutes: retry.eventTimeToLiveInMinutes ?? 1440,
    },
    ...(props.deadLetterDestination ? { deadLetterDestination: props.deadLetterDestination } : {}),
    ...(props.expirationTimeUtc ? { expirationTimeUtc: props.expirationTimeUtc } : {}),
  };
}

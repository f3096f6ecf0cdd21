/**
 * A subscription's source and targets, one at a time: UpdateSubscriptionSource and
 * UpdateSubscriptionTarget, with the documented fields, sizes, target needs and transform rules.
 */
import type { LoopbackRequest } from '../../../testing/loopback.js';
import { validateHuaweiFilterRule } from '../routing.js';
import {
  bad,
  getRow,
  type Handlers,
  type HuaweiEmulatorScope,
  isObject,
  notFound,
  now,
  type Row,
  requestBody,
  serializedBytes,
} from './common.js';
import { checkTargetConnection } from './subscriptions.js';

/**
 * The fields a subscription source / target takes, in the order the EG API reference lists them
 * (UpdateSubscriptionSource / UpdateSubscriptionTarget request bodies; the EG SDKs'
 * SubscriptionSource and SubscriptionTarget). `id` is not among them: the path names the part.
 */
const SOURCE_FIELDS = ['name', 'provider_type', 'detail', 'filter'] as const;
const TARGET_FIELDS = [
  'name',
  'provider_type',
  'connection_id',
  'detail',
  'kafka_detail',
  'smn_detail',
  'eg_detail',
  'apigw_detail',
  'retry_times',
  'transform',
  'dead_letter_queue',
] as const;
/** "The length of this field after serialization cannot exceed N bytes" (EG API reference). */
const SERIALIZED_BYTES_MAX: Record<string, number> = {
  filter: 2048,
  detail: 1024,
  kafka_detail: 1024,
  smn_detail: 1024,
  eg_detail: 1024,
  apigw_detail: 1024,
};
/** Source provider types (API reference: CUSTOM, OFFICIAL). */
const SOURCE_PROVIDER_TYPES = ['CUSTOM', 'OFFICIAL'];
/** Target provider types: the API reference's CUSTOM and OFFICIAL, and APIGW from the EG Node SDK enum. */
const TARGET_PROVIDER_TYPES = ['CUSTOM', 'OFFICIAL', 'APIGW'];
/**
 * Which target needs which parameters (API reference, SubscriptionTarget): function targets
 * `detail.urn`, `invoke_type`, `agency_name`; webhook targets `detail.url`; EG channel targets
 * `eg_detail`; APIGW targets `apigw_detail`. Target names as routing.ts and the EG SDKs spell them.
 */
const TARGET_REQUIRES: Record<string, { field: string; keys: string[] }> = {
  HTTPS: { field: 'detail', keys: ['url'] },
  'HC.FunctionGraph': { field: 'detail', keys: ['urn', 'invoke_type', 'agency_name'] },
  'HC.EG': { field: 'eg_detail', keys: [] },
  'HC.APIGW': { field: 'apigw_detail', keys: [] },
};
/** TransForm (API reference): type ORIGINAL | CONSTANT | VARIABLE, value <= 1024, template <= 2048. */
const TRANSFORM_TYPES = ['ORIGINAL', 'CONSTANT', 'VARIABLE'];
// VARIABLE variable names: letters, digits, ., _, -; start with a letter or digit; <= 64; not HC.
const VARIABLE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

function checkTransform(t: unknown): void {
  if (!isObject(t)) throw bad('Bad request: transform is required (type ORIGINAL, CONSTANT or VARIABLE)');
  if (!TRANSFORM_TYPES.includes(String(t.type)))
    throw bad(`Bad request: transform.type must be ${TRANSFORM_TYPES.join(', ')}`);
  if (t.value !== undefined && (typeof t.value !== 'string' || t.value.length > 1024))
    throw bad('Bad request: transform.value must be a string of at most 1024 characters');
  if (t.template !== undefined && (typeof t.template !== 'string' || t.template.length > 2048))
    throw bad('Bad request: transform.template must be a string of at most 2048 characters');
  if (t.type !== 'VARIABLE') return;
  let variables: unknown;
  try {
    variables = JSON.parse(String(t.value ?? ''));
  } catch {
    variables = undefined;
  }
  if (!isObject(variables))
    throw bad('Bad request: transform.value of a VARIABLE rule must be a JSON object string');
  const names = Object.keys(variables);
  if (names.length > 100) throw bad('Bad request: transform.value defines at most 100 variables');
  const wrong = names.filter((n) => !VARIABLE_NAME.test(n) || n.startsWith('HC.') || isObject(variables[n]));
  if (wrong.length)
    throw bad(
      `Bad request: transform.value variables ${wrong.join(', ')}: names are 1-64 letters, digits, periods, underscores or hyphens, start with a letter or digit, not HC.; no nested definitions`,
    );
}

function checkDeadLetter(d: unknown): void {
  if (!isObject(d) || d.type !== 'KAFKA') throw bad('Bad request: dead_letter_queue.type must be KAFKA');
  for (const f of ['instance_id', 'connection_id', 'topic'])
    if (typeof d[f] !== 'string' || !d[f] || String(d[f]).length > 128)
      throw bad(`Bad request: dead_letter_queue.${f} must be 1-128 characters`);
}

/** The part operations over the current project's subscriptions; part timestamps are kept per emulator. */
export function subscriptionPartHandlers(
  emu: HuaweiEmulatorScope,
): Pick<Handlers, 'UpdateSubscriptionSource' | 'UpdateSubscriptionTarget'> {
  /** When each source/target was created and last updated (beside the part: stored shapes stay as they were). */
  const partTimes = new WeakMap<Row, { created_time: string; updated_time: string }>();

  /**
   * The part `partId` of the subscription `id` (404 EG.00014040 when either is unknown), and the
   * documented fields of the body: what a PUT of that part replaces it with. The body's `id` is
   * ignored ("ignored when a subscription target is updated"): the part keeps its id.
   */
  function partUpdate(
    id: string | undefined,
    req: LoopbackRequest,
    kind: 'sources' | 'targets',
    fields: readonly string[],
  ) {
    const subscription = getRow(emu.subscriptions, id, 'subscription');
    const partId = decodeURIComponent(req.url.pathname.split('/')[6] ?? '');
    const parts = subscription[kind] as Row[];
    const index = parts.findIndex((p) => p.id === partId);
    if (index < 0) throw notFound(`subscription ${kind === 'sources' ? 'source' : 'target'} ${partId}`);
    const b = requestBody(req);
    const next: Row = { id: partId };
    for (const f of fields) if (b[f] !== undefined) next[f] = b[f];
    for (const f of fields) {
      const max = SERIALIZED_BYTES_MAX[f];
      if (max !== undefined && next[f] !== undefined && serializedBytes(next[f]) > max)
        throw bad(`Bad request: ${f} must be at most ${max} bytes once serialized`);
    }
    return { subscription, parts, index, next };
  }

  /** Replaces a part, keeps its position and id, and answers it with its timestamps. */
  function commitPart(subscription: Row, parts: Row[], index: number, next: Row) {
    const ts = now();
    const created = partTimes.get(parts[index]!)?.created_time ?? String(subscription.created_time);
    parts[index] = next;
    partTimes.set(next, { created_time: created, updated_time: ts });
    subscription.updated_time = ts;
    return { status: 200, body: { ...next, created_time: created, updated_time: ts } };
  }

  /**
   * UpdateSubscriptionSource: `PUT /v1/{project_id}/subscriptions/{subscription_id}/sources/{source_id}`
   * with a SubscriptionSource (name, provider_type, detail <= 1024 bytes, filter <= 2048 bytes);
   * answers the source with created_time and updated_time. The filter rule is checked as
   * CreateSubscription checks it (eg-ug-018) and PutEvents routes by it from then on
   * (`sources[0].filter`).
   */
  function updateSubscriptionSource(id: string | undefined, req: LoopbackRequest) {
    const { subscription, parts, index, next } = partUpdate(id, req, 'sources', SOURCE_FIELDS);
    if (typeof next.name !== 'string' || !next.name) throw bad('Bad request: name is required');
    if (!SOURCE_PROVIDER_TYPES.includes(String(next.provider_type)))
      throw bad(`Bad request: provider_type must be ${SOURCE_PROVIDER_TYPES.join(' or ')}`);
    if (next.detail !== undefined && !isObject(next.detail))
      throw bad('Bad request: detail must be a JSON object');
    if (next.filter === undefined) throw bad('Bad request: filter is required');
    const problems = validateHuaweiFilterRule(next.filter);
    if (problems.length) throw bad(`Bad request: ${problems.join('; ')}`);
    return commitPart(subscription, parts, index, next);
  }

  /**
   * UpdateSubscriptionTarget: `PUT /v1/{project_id}/subscriptions/{subscription_id}/targets/{target_id}`
   * with a SubscriptionTarget; the target keeps its id and its place, GetSubscription and
   * ListSubscriptions read it back, and PutEvents delivers with it (url, retry_times, dead letter).
   */
  function updateSubscriptionTarget(id: string | undefined, req: LoopbackRequest) {
    const { subscription, parts, index, next } = partUpdate(id, req, 'targets', TARGET_FIELDS);
    if (typeof next.name !== 'string' || !next.name) throw bad('Bad request: name is required');
    if (!TARGET_PROVIDER_TYPES.includes(String(next.provider_type)))
      throw bad(`Bad request: provider_type must be ${TARGET_PROVIDER_TYPES.join(', ')}`);
    for (const f of ['detail', 'kafka_detail', 'smn_detail', 'eg_detail', 'apigw_detail'])
      if (next[f] !== undefined && !isObject(next[f])) throw bad(`Bad request: ${f} must be a JSON object`);
    const needs = TARGET_REQUIRES[next.name];
    if (needs) {
      const given = next[needs.field];
      const missing = needs.keys.filter((k) => !isObject(given) || given[k] === undefined || given[k] === '');
      if (!isObject(given) || missing.length)
        throw bad(
          `Bad request: a ${next.name} target needs ${needs.keys.length ? missing.map((k) => `${needs.field}.${k}`).join(', ') : needs.field}`,
        );
    }
    if (
      next.connection_id !== undefined &&
      (typeof next.connection_id !== 'string' || next.connection_id.length > 64)
    )
      throw bad('Bad request: connection_id must be a string of at most 64 characters');
    if (
      next.retry_times !== undefined &&
      (!Number.isInteger(next.retry_times) || Number(next.retry_times) < 0)
    )
      throw bad('Bad request: retry_times must be a non-negative integer');
    checkTargetConnection(emu, next);
    checkTransform(next.transform);
    if (next.dead_letter_queue !== undefined) checkDeadLetter(next.dead_letter_queue);
    return commitPart(subscription, parts, index, next);
  }

  return {
    UpdateSubscriptionSource: (id, req) => updateSubscriptionSource(id, req),
    UpdateSubscriptionTarget: (id, req) => updateSubscriptionTarget(id, req),
  };
}

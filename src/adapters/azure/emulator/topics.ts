/**
 * Custom topics over ARM: create or update (PUT, long-running: 201 + `Azure-AsyncOperation`),
 * get, update (PATCH: tags and the public-access properties), delete (202 + `Location`), list by
 * resource group or subscription with `$top` and `nextLink`, and the topic keys (`listKeys`).
 */
import { randomBytes } from 'node:crypto';
import type { LoopbackRequest } from '../../../testing/loopback.js';
import {
  type Answer,
  ArmError,
  type ArmPath,
  type AzureEmulatorScope,
  bodyOf,
  invalid,
  key,
  notFound,
  now,
  type Row,
  TOPIC_NAME,
  topicId,
} from './common.js';

const INPUT_SCHEMAS = ['EventGridSchema', 'CustomEventSchema', 'CloudEventSchemaV1_0'];
const WRITABLE = [
  'inputSchema',
  'inputSchemaMapping',
  'publicNetworkAccess',
  'inboundIpRules',
  'disableLocalAuth',
  'dataResidencyBoundary',
];
const PATCHABLE = ['publicNetworkAccess', 'inboundIpRules', 'disableLocalAuth', 'dataResidencyBoundary'];

/** The answer headers of a started long-running operation. */
export function asyncHeaders(
  emu: AzureEmulatorScope,
  sub: string,
  location: string,
  op: string,
  kind: 'status' | 'result',
): Record<string, string> {
  const base = `${emu.url}/subscriptions/${sub}/providers/Microsoft.EventGrid/locations/${location}`;
  return kind === 'status'
    ? { 'azure-asyncoperation': `${base}/operationsStatus/${op}?api-version=2022-06-15`, 'retry-after': '0' }
    : { location: `${base}/operationResults/${op}?api-version=2022-06-15`, 'retry-after': '0' };
}

/** The topic at `p`, or ResourceNotFound. */
export function topicAt(emu: AzureEmulatorScope, p: ArmPath): Row {
  const t = emu.state.topics.get(key(p.resourceGroup!, p.topic!));
  if (!t) throw notFound(`Microsoft.EventGrid/topics/${p.topic}`, p.resourceGroup!);
  return t;
}

function checkProperties(props: Row, allowed: string[]): void {
  for (const k of Object.keys(props))
    if (!allowed.includes(k)) throw invalid(`The property '${k}' cannot be set on a topic here.`);
  if (props.inputSchema !== undefined && !INPUT_SCHEMAS.includes(String(props.inputSchema)))
    throw invalid(`inputSchema must be one of ${INPUT_SCHEMAS.join(', ')}.`);
  if (
    props.publicNetworkAccess !== undefined &&
    !['Enabled', 'Disabled'].includes(String(props.publicNetworkAccess))
  )
    throw invalid('publicNetworkAccess must be Enabled or Disabled.');
  if (props.disableLocalAuth !== undefined && typeof props.disableLocalAuth !== 'boolean')
    throw invalid('disableLocalAuth must be a boolean.');
}

function checkTags(tags: unknown): void {
  if (tags === undefined) return;
  if (!tags || typeof tags !== 'object' || Array.isArray(tags))
    throw invalid('tags must be an object of strings.');
  const entries = Object.entries(tags as Row);
  if (entries.length > 50) throw invalid('A resource can have at most 50 tags.');
  for (const [k, v] of entries)
    if (typeof v !== 'string' || k.length > 512 || v.length > 256 || /[<>%&\\?/]/.test(k))
      throw new ArmError(400, 'InvalidTagNameCharacters', `The tag name '${k}' or its value is not valid.`);
}

type Scope = AzureEmulatorScope;

const publicRow = (t: Row): Row => {
  const { _rg: _omit, ...rest } = t;
  return rest;
};

function put(emu: Scope, p: ArmPath, req: LoopbackRequest): Answer {
  const rg = p.resourceGroup!;
  const name = p.topic!;
  if (!TOPIC_NAME.test(name))
    throw invalid(`Topic name '${name}' is invalid: it must be 3-50 characters of letters, digits and '-'.`);
  const b = bodyOf(req);
  if (typeof b.location !== 'string' || !b.location)
    throw new ArmError(400, 'LocationRequired', 'The location property is required for this definition.');
  const props = (b.properties ?? {}) as Row;
  checkProperties(props, WRITABLE);
  checkTags(b.tags);
  const k = key(rg, name);
  const existing = emu.state.topics.get(k);
  if (existing && String(existing.location).toLowerCase() !== b.location.toLowerCase())
    throw new ArmError(
      400,
      'InvalidResourceLocation',
      `The resource '${name}' already exists in location '${String(existing.location)}'.`,
    );
  const oldProps = (existing?.properties ?? {}) as Row;
  if (existing && props.inputSchema !== undefined && props.inputSchema !== oldProps.inputSchema)
    throw invalid('The inputSchema of an existing topic cannot be changed.');
  const id = topicId(p.subscriptionId, rg, String(existing?.name ?? name));
  const row: Row = {
    id,
    name: existing?.name ?? name,
    type: 'Microsoft.EventGrid/topics',
    location: b.location,
    tags: (b.tags as Row | undefined) ?? {},
    systemData: {
      createdAt: (existing?.systemData as Row | undefined)?.createdAt ?? now(),
      lastModifiedAt: now(),
    },
    properties: {
      provisioningState: existing ? 'Updating' : 'Creating',
      endpoint: `${emu.url}/eventgrid/${p.subscriptionId}/${rg}/${String(existing?.name ?? name)}/api/events`,
      inputSchema: props.inputSchema ?? oldProps.inputSchema ?? 'EventGridSchema',
      metricResourceId: (oldProps.metricResourceId as string | undefined) ?? randomBytes(16).toString('hex'),
      publicNetworkAccess: props.publicNetworkAccess ?? 'Enabled',
      inboundIpRules: props.inboundIpRules ?? [],
      disableLocalAuth: props.disableLocalAuth ?? false,
      dataResidencyBoundary: props.dataResidencyBoundary ?? 'WithinGeopair',
    },
  };
  emu.state.topics.set(k, row);
  if (!emu.state.keys.has(k))
    emu.state.keys.set(k, {
      key1: randomBytes(32).toString('base64'),
      key2: randomBytes(32).toString('base64'),
    });
  const op = emu.startOperation(() => {
    (row.properties as Row).provisioningState = 'Succeeded';
    return undefined;
  });
  return {
    status: existing ? 200 : 201,
    body: publicRow(row),
    headers: asyncHeaders(emu, p.subscriptionId, b.location, op, 'status'),
  };
}

function patch(emu: Scope, p: ArmPath, req: LoopbackRequest): Answer {
  const t = topicAt(emu, p);
  const b = bodyOf(req);
  for (const k of Object.keys(b))
    if (!['tags', 'properties', 'identity', 'sku'].includes(k))
      throw invalid(`The property '${k}' cannot be updated.`);
  const props = (b.properties ?? {}) as Row;
  checkProperties(props, PATCHABLE);
  checkTags(b.tags);
  if (b.tags !== undefined) t.tags = b.tags;
  Object.assign(t.properties as Row, props, { provisioningState: 'Updating' });
  (t.systemData as Row).lastModifiedAt = now();
  const op = emu.startOperation(() => {
    (t.properties as Row).provisioningState = 'Succeeded';
    return undefined;
  });
  return {
    status: 201,
    body: publicRow(t),
    headers: asyncHeaders(emu, p.subscriptionId, String(t.location), op, 'status'),
  };
}

function remove(emu: Scope, p: ArmPath): Answer {
  const k = key(p.resourceGroup!, p.topic!);
  const t = emu.state.topics.get(k);
  if (!t) return { status: 204 };
  (t.properties as Row).provisioningState = 'Deleting';
  const op = emu.startOperation(() => {
    emu.state.topics.delete(k);
    emu.state.keys.delete(k);
    for (const sk of [...emu.state.eventSubscriptions.keys()])
      if (sk.startsWith(`${k}/`)) {
        emu.state.eventSubscriptions.delete(sk);
        emu.state.fullUrls.delete(sk);
      }
    return undefined;
  });
  return { status: 202, headers: asyncHeaders(emu, p.subscriptionId, String(t.location), op, 'result') };
}

function list(emu: Scope, p: ArmPath, req: LoopbackRequest): Answer {
  const q = req.url.searchParams;
  const top = q.has('$top') ? Number(q.get('$top')) : 100;
  if (!Number.isInteger(top) || top < 1 || top > 100) throw invalid('$top must be an integer from 1 to 100.');
  const skip = Number(q.get('$skiptoken') ?? 0);
  const filter = q.get('$filter');
  const contains = filter ? /^contains\(name,\s*'([^']*)'\)$/i.exec(filter)?.[1] : undefined;
  if (filter && contains === undefined) throw invalid("$filter supports only contains(name, '...').");
  const rows = [...emu.state.topics.values()]
    .filter(
      (t) =>
        !p.resourceGroup ||
        String(t.id).toLowerCase().includes(`/resourcegroups/${p.resourceGroup.toLowerCase()}/`),
    )
    .filter((t) => contains === undefined || String(t.name).toLowerCase().includes(contains.toLowerCase()))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  const page = rows.slice(skip, skip + top);
  const next = new URL(req.url.pathname + req.url.search, emu.url);
  next.searchParams.set('$skiptoken', String(skip + top));
  return {
    status: 200,
    body: {
      value: page.map(publicRow),
      ...(skip + top < rows.length ? { nextLink: next.toString() } : {}),
    },
  };
}

function listKeys(emu: Scope, p: ArmPath): Answer {
  topicAt(emu, p);
  return { status: 200, body: emu.state.keys.get(key(p.resourceGroup!, p.topic!)) };
}

/** Topic handlers. */
export function topicHandlers(emu: AzureEmulatorScope) {
  return {
    Topics_CreateOrUpdate: (p: ArmPath, req: LoopbackRequest) => put(emu, p, req),
    Topics_Get: (p: ArmPath): Answer => ({ status: 200, body: publicRow(topicAt(emu, p)) }),
    Topics_Update: (p: ArmPath, req: LoopbackRequest) => patch(emu, p, req),
    Topics_Delete: (p: ArmPath) => remove(emu, p),
    Topics_ListByResourceGroup: (p: ArmPath, req: LoopbackRequest) => list(emu, p, req),
    Topics_ListBySubscription: (p: ArmPath, req: LoopbackRequest) => list(emu, p, req),
    Topics_ListSharedAccessKeys: (p: ArmPath) => listKeys(emu, p),
  };
}

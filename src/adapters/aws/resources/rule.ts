/**
 * An integration with targets on AWS: an EventBridge rule on the integration's bus with its
 * targets. PutRule (pattern, description, State from `enabled`, tags on create), PutTargets /
 * RemoveTargets diffed by target Id (entry-level failures reported as such), DescribeRule +
 * ListTargetsByRule to read back, EnableRule / DisableRule in place, targets removed before
 * DeleteRule. Rules another service manages (`ManagedBy`) are never changed. An `http` target's
 * API destination is kept by polybus, named after the rule and target.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { PolybusError, invalidArgument, isPolybusError } from '../../../core/model/errors.js';
import { type Filter, SpecFilterSchema } from '../../../core/model/filter.js';
import type { Integration } from '../../../core/model/resources.js';
import {
  exactlyOneFilter,
  nativeFilterIn,
  TargetsSchema,
  DeliverySchema,
} from '../../../core/model/routing.js';
import { issuesOf, parseInput } from '../../../core/runtime/parse.js';
import type { CallOptions } from '../../../core/contract/calls.js';
import type { AwsAction } from '../actions.js';
import type { AwsClient } from '../client.js';
import { EventBridgeTags, hasDotSegment } from '../mapping.js';
import { parsePattern, validateEventPattern } from '../pattern.js';
import { eventPatternFromFilter, filterFromEventPattern } from '../pattern-translate.js';
import {
  type AwsTargetEntry,
  type AwsTargetRow,
  awsTargetsFromNeutral,
  awsTargetsToNeutral,
} from '../targets.js';
import { type AwsContext, P, sig } from './context.js';

/** A rule's `Name` (API Reference, PutRule: 1-64, `[\.\-_A-Za-z0-9]+`). */
export const RULE_NAME_RULE =
  'must be 1-64 characters of letters, digits, . - _ ([\\.\\-_A-Za-z0-9]+, PutRule Name)';
const RuleName = z.string().regex(/^[.\-_A-Za-z0-9]{1,64}$/, RULE_NAME_RULE);

/** The native filter field of a rule integration. */
export const PATTERN_FIELD = 'EventPattern';

/** PutRule + PutTargets input rules, before any request. */
export const AwsRuleInput = z
  .object({
    name: RuleName,
    description: z.string().max(512, 'Description can be at most 512 characters (PutRule)').optional(),
    bus: z.string().min(1, 'bus is required: the EventBridge bus name the rule is on').max(256),
    filter: SpecFilterSchema.optional(),
    targets: TargetsSchema,
    delivery: DeliverySchema.optional(),
    enabled: z.boolean().optional(),
    tags: EventBridgeTags.optional(),
    clientToken: z.string().optional(),
    extensions: z
      .record(z.string(), z.record(z.string(), z.unknown()))
      .superRefine((ext, ctx) => {
        for (const k of Object.keys(ext.aws ?? {}))
          if (k !== PATTERN_FIELD)
            ctx.addIssue({
              code: 'custom',
              path: ['aws', k],
              message: `unknown aws integration extension ${k}: the documented writable field is ${PATTERN_FIELD}`,
            });
        const native = ext.aws?.[PATTERN_FIELD];
        if (native !== undefined) {
          const parsed = parsePattern(native);
          const problems = parsed === undefined ? ['not valid JSON'] : validateEventPattern(parsed);
          for (const p of problems)
            ctx.addIssue({ code: 'custom', path: ['aws', PATTERN_FIELD], message: `EventPattern: ${p}` });
        }
      })
      .optional(),
  })
  .superRefine(exactlyOneFilter(P, PATTERN_FIELD));
type RuleInput = z.infer<typeof AwsRuleInput>;

/** The issues of a rule integration input (validateInput). */
export const ruleInputIssues = (input: Record<string, unknown>) => issuesOf(AwsRuleInput, input);

/**
 * The neutral id of a rule: `bus:name`. No EventBridge bus or rule name and no AppIntegrations
 * event integration name holds a `:`, so an id names one shape; an id whose parts break their
 * documented patterns (a dot segment in the bus, say) is no rule id.
 */
export const ruleId = (bus: string, name: string) => `${bus}:${name}`;

/** `bus:name` -> its parts, or undefined when `id` is not a well-formed rule id. */
export function splitRuleId(id: string): { bus: string; name: string } | undefined {
  const i = id.indexOf(':');
  if (i <= 0) return undefined;
  const bus = id.slice(0, i);
  const name = id.slice(i + 1);
  if (!/^[/.\-_A-Za-z0-9]{1,256}$/.test(bus) || hasDotSegment(bus)) return undefined;
  return RuleName.safeParse(name).success ? { bus, name } : undefined;
}

/** The pattern JSON a rule input sends: the translated neutral filter, or the native one as written. */
function patternOf(input: { filter?: Filter; extensions?: unknown }): string {
  const native = nativeFilterIn(input, P, PATTERN_FIELD);
  if (native !== undefined) return typeof native === 'string' ? native : JSON.stringify(native);
  const t = eventPatternFromFilter(input.filter!);
  if (!t.ok)
    throw new PolybusError({
      code: 'Unsupported',
      provider: P,
      operation: 'integrations',
      message: t.reasons.join('; '),
    });
  return JSON.stringify(t.native);
}

type Eb = <T = Record<string, unknown>>(
  action: AwsAction,
  input: Record<string, unknown>,
  o?: CallOptions,
) => Promise<T>;
const ebOf =
  (client: AwsClient): Eb =>
  (action, input, o) =>
    client.callNative(action, input, sig(o)) as never;

/** The API destination name polybus keeps for one http target (1-64 characters). */
const destinationName = (bus: string, rule: string, id: string) =>
  `polybus-${createHash('sha256').update(`${bus}/${rule}/${id}`).digest('hex').slice(0, 40)}`;
const nameInArn = (arn: string, kind: string) => arn.split(`:${kind}/`)[1]?.split('/')[0];

/** What the rule functions send with: the client and its by-name EventBridge sender. */
interface Wire {
  client: AwsClient;
  eb: Eb;
}

/** Makes (or keeps) the API destination of an http target; answers its ARN. */
async function ensureDestination(
  w: Wire,
  bus: string,
  rule: string,
  e: AwsTargetEntry,
  o?: CallOptions,
): Promise<string> {
  const { url, connection } = e.http!;
  const conn = await w.eb<{ ConnectionArn: string }>('DescribeConnection', { Name: connection }, o);
  const Name = destinationName(bus, rule, e.Id);
  try {
    const d = await w.eb<{ ApiDestinationArn: string; InvocationEndpoint: string; ConnectionArn: string }>(
      'DescribeApiDestination',
      { Name },
      o,
    );
    if (d.InvocationEndpoint === url && d.ConnectionArn === conn.ConnectionArn) return d.ApiDestinationArn;
    await w.eb(
      'UpdateApiDestination',
      { Name, ConnectionArn: conn.ConnectionArn, InvocationEndpoint: url, HttpMethod: 'POST' },
      o,
    );
    return d.ApiDestinationArn;
  } catch (err) {
    if (!isPolybusError(err) || err.code !== 'NotFound') throw err;
  }
  const made = await w.eb<{ ApiDestinationArn: string }>(
    'CreateApiDestination',
    { Name, ConnectionArn: conn.ConnectionArn, InvocationEndpoint: url, HttpMethod: 'POST' },
    o,
  );
  return made.ApiDestinationArn;
}

/** PutTargets; entry-level failures (HTTP 200) are failures of the entries named. */
async function putTargets(w: Wire, bus: string, rule: string, entries: AwsTargetEntry[], o?: CallOptions) {
  if (!entries.length) return;
  const Targets = await Promise.all(
    entries.map(async ({ http, ...e }) =>
      http ? { ...e, Arn: await ensureDestination(w, bus, rule, { ...e, http }, o) } : e,
    ),
  );
  const res = await w.eb<{
    FailedEntryCount?: number;
    FailedEntries?: { TargetId?: string; ErrorCode?: string; ErrorMessage?: string }[];
  }>('PutTargets', { Rule: rule, EventBusName: bus, Targets }, o);
  if (res.FailedEntryCount)
    throw new PolybusError({
      code: 'Conflict',
      provider: P,
      operation: 'PutTargets',
      resource: ruleId(bus, rule),
      message: `PutTargets failed for ${res.FailedEntryCount} target(s): ${(res.FailedEntries ?? []).map((f) => `${f.TargetId} (${f.ErrorCode}: ${f.ErrorMessage})`).join('; ')}; the others were applied`,
    });
}

async function removeTargets(w: Wire, bus: string, rule: string, ids: string[], o?: CallOptions) {
  if (!ids.length) return;
  const res = await w.eb<{
    FailedEntryCount?: number;
    FailedEntries?: { TargetId?: string; ErrorCode?: string }[];
  }>('RemoveTargets', { Rule: rule, EventBusName: bus, Ids: ids }, o);
  if (res.FailedEntryCount)
    throw new PolybusError({
      code: 'Conflict',
      provider: P,
      operation: 'RemoveTargets',
      resource: ruleId(bus, rule),
      message: `RemoveTargets failed for ${(res.FailedEntries ?? []).map((f) => `${f.TargetId} (${f.ErrorCode})`).join('; ')}`,
    });
  for (const id of ids)
    await w.eb('DeleteApiDestination', { Name: destinationName(bus, rule, id) }, o).catch((err: unknown) => {
      if (!isPolybusError(err) || err.code !== 'NotFound') throw err;
    });
}

async function rowsOf(w: Wire, bus: string, rule: string, o?: CallOptions): Promise<AwsTargetRow[]> {
  const rows: AwsTargetRow[] = [];
  let NextToken: string | undefined;
  do {
    const page = await w.eb<{ Targets?: AwsTargetRow[]; NextToken?: string }>(
      'ListTargetsByRule',
      { Rule: rule, EventBusName: bus, ...(NextToken ? { NextToken } : {}) },
      o,
    );
    rows.push(...(page.Targets ?? []));
    NextToken = page.NextToken;
  } while (NextToken);
  return rows;
}

/** One described rule -> the neutral integration. */
async function neutral(
  w: Wire,
  r: Record<string, unknown>,
  bus: string,
  o?: CallOptions,
): Promise<Integration> {
  const name = String(r.Name);
  const rows = await rowsOf(w, bus, name, o);
  const destinations = new Map<string, { url: string; connection: string }>();
  for (const row of rows) {
    const dn = nameInArn(String(row.Arn ?? ''), 'api-destination');
    if (!dn) continue;
    const d = await w.eb<{ InvocationEndpoint: string; ConnectionArn: string }>(
      'DescribeApiDestination',
      { Name: dn },
      o,
    );
    destinations.set(String(row.Arn), {
      url: d.InvocationEndpoint,
      connection: nameInArn(d.ConnectionArn, 'connection') ?? d.ConnectionArn,
    });
  }
  const { targets, delivery, leftovers } = awsTargetsToNeutral(rows, destinations);
  const pattern = parsePattern(r.EventPattern);
  const filter =
    pattern && typeof pattern === 'object'
      ? filterFromEventPattern(pattern as Record<string, unknown>)
      : undefined;
  const tags = await w.client.busTags(String(r.Arn), sig(o));
  const aws: Record<string, unknown> = {
    ...(filter ? {} : { [PATTERN_FIELD]: r.EventPattern }),
    ...(leftovers.length ? { Targets: leftovers } : {}),
    ...(r.ManagedBy ? { ManagedBy: r.ManagedBy } : {}),
  };
  return {
    id: ruleId(bus, name),
    name,
    provider: P,
    status: String(r.State),
    bus,
    ...(r.Description ? { description: String(r.Description) } : {}),
    ...(Object.keys(tags).length ? { tags } : {}),
    ...(filter ? { filter } : {}),
    targets,
    ...(delivery ? { delivery } : {}),
    enabled: r.State !== 'DISABLED',
    ...(Object.keys(aws).length ? { extensions: { aws } } : {}),
  };
}

const describe = (w: Wire, bus: string, name: string, o?: CallOptions) =>
  w.eb<Record<string, unknown>>('DescribeRule', { Name: name, EventBusName: bus }, o);

const refuseManaged = (r: Record<string, unknown>, operation: string) => {
  if (r.ManagedBy)
    throw new PolybusError({
      code: 'PermissionDenied',
      provider: P,
      operation,
      resource: String(r.Name),
      message: `rule ${String(r.Name)} is managed by ${String(r.ManagedBy)}: polybus never changes a rule another service manages`,
    });
};

const entriesOf = (targets: RuleInput['targets'], delivery: RuleInput['delivery']) => {
  const t = awsTargetsFromNeutral(targets, delivery);
  if (!t.ok)
    throw new PolybusError({
      code: 'Unsupported',
      provider: P,
      operation: 'integrations',
      message: t.reasons.join('; '),
    });
  return t.native;
};

/** A stable JSON of an object (sorted keys, undefined left out), for comparing targets. */
const sameKeys = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );

/**
 * Updates a rule integration: pattern and description by PutRule, `enabled` alone by
 * EnableRule/DisableRule in place, targets diffed by Id, tags by TagResource/UntagResource.
 */
async function updateRule(
  w: Wire,
  bus: string,
  name: string,
  patch: Record<string, unknown>,
  o?: CallOptions,
): Promise<Integration> {
  const current = await describe(w, bus, name, o);
  refuseManaged(current, 'integrations.update');
  const now = await neutral(w, current, bus, o);
  if (patch.name !== undefined && patch.name !== name)
    throw invalidArgument(P, 'integrations.update', [
      { field: 'name', rule: 'a rule name is its identity: a new name is a new rule' },
    ]);
  const merged = {
    ...now,
    ...patch,
    name,
    bus,
    ...(patch.filter !== undefined ? { extensions: { ...(patch.extensions as object) } } : {}),
  } as Record<string, unknown>;
  if (patch.filter === undefined && nativeFilterIn(patch, P, PATTERN_FIELD) !== undefined)
    delete merged.filter;
  const { id: _i, provider: _p, status: _s, ...fields } = merged;
  const aws = {
    ...((fields.extensions as Record<string, Record<string, unknown>> | undefined)?.aws ?? {}),
  };
  delete aws.Targets;
  delete aws.ManagedBy;
  fields.extensions = Object.keys(aws).length ? { aws } : undefined;
  const input = parseInput(AwsRuleInput, fields, P, 'integrations.update');
  const EventPattern = patternOf(input);
  const state = input.enabled === false ? 'DISABLED' : 'ENABLED';
  const patternChanged =
    JSON.stringify(parsePattern(EventPattern)) !== JSON.stringify(parsePattern(current.EventPattern));
  if (patternChanged || (input.description ?? '') !== String(current.Description ?? ''))
    await w.eb(
      'PutRule',
      {
        Name: name,
        EventBusName: bus,
        EventPattern,
        State: state,
        ...(input.description !== undefined ? { Description: input.description } : {}),
      },
      o,
    );
  else if (state !== current.State)
    await w.eb(state === 'ENABLED' ? 'EnableRule' : 'DisableRule', { Name: name, EventBusName: bus }, o);
  if (patch.targets !== undefined || patch.delivery !== undefined) {
    const want = entriesOf(input.targets, input.delivery);
    const have = await rowsOf(w, bus, name, o);
    const gone = have.map((r) => String(r.Id)).filter((id) => !want.some((w) => w.Id === id));
    await removeTargets(w, bus, name, gone, o);
    // Only the targets that differ from what the rule holds are sent (diffed by Id).
    const changed = want.filter((e) => {
      const row = have.find((r) => r.Id === e.Id);
      return !row || e.http !== undefined || sameKeys(e) !== sameKeys(row);
    });
    await putTargets(w, bus, name, changed, o);
  }
  if (patch.tags !== undefined) {
    const have = now.tags ?? {};
    const wantTags = (patch.tags ?? {}) as Record<string, string>;
    const drop = Object.keys(have).filter((k) => !(k in wantTags));
    if (drop.length) await w.client.untagBus(String(current.Arn), drop, sig(o));
    const set = Object.fromEntries(Object.entries(wantTags).filter(([k, v]) => have[k] !== v));
    if (Object.keys(set).length) await w.client.tagBus(String(current.Arn), set, sig(o));
  }
  return neutral(w, await describe(w, bus, name, o), bus, o);
}

/** The rule-integration API over EventBridge rules and targets. */
export function createRuleIntegrations(ctx: AwsContext) {
  const w: Wire = { client: ctx.client, eb: ebOf(ctx.client) };
  return {
    async create(raw: Record<string, unknown>, o?: CallOptions): Promise<Integration> {
      const input = parseInput(AwsRuleInput, raw, P, 'integrations.create');
      const EventPattern = patternOf(input);
      const entries = entriesOf(input.targets, input.delivery);
      const tags = Object.entries(input.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
      await w.eb(
        'PutRule',
        {
          Name: input.name,
          EventBusName: input.bus,
          EventPattern,
          State: input.enabled === false ? 'DISABLED' : 'ENABLED',
          ...(input.description !== undefined ? { Description: input.description } : {}),
          ...(tags.length ? { Tags: tags } : {}),
        },
        o,
      );
      await putTargets(w, input.bus, input.name, entries, o);
      return neutral(w, await describe(w, input.bus, input.name, o), input.bus, o);
    },
    async get(bus: string, name: string, o?: CallOptions): Promise<Integration> {
      return neutral(w, await describe(w, bus, name, o), bus, o);
    },
    /** The rules of `bus` that no other service manages. */
    async *list(bus: string, o?: CallOptions): AsyncIterable<Integration> {
      let NextToken: string | undefined;
      do {
        const page = await w
          .eb<{ Rules?: Record<string, unknown>[]; NextToken?: string }>(
            'ListRules',
            { EventBusName: bus, ...(NextToken ? { NextToken } : {}) },
            o,
          )
          .catch((err: unknown) => {
            // A bus an event integration names need not exist on EventBridge: it has no rules.
            if (isPolybusError(err) && err.code === 'NotFound')
              return {} as { Rules?: undefined; NextToken?: undefined };
            throw err;
          });
        for (const r of page.Rules ?? [])
          if (!r.ManagedBy && r.EventPattern !== undefined) yield await neutral(w, r, bus, o);
        NextToken = page.NextToken;
      } while (NextToken);
    },
    update: (bus: string, name: string, patch: Record<string, unknown>, o?: CallOptions) =>
      updateRule(w, bus, name, patch, o),
    async delete(bus: string, name: string, o?: CallOptions): Promise<void> {
      const current = await describe(w, bus, name, o);
      refuseManaged(current, 'integrations.delete');
      const rows = await rowsOf(w, bus, name, o);
      await removeTargets(
        w,
        bus,
        name,
        rows.map((r) => String(r.Id)),
        o,
      );
      await w.eb('DeleteRule', { Name: name, EventBusName: bus }, o);
    },
  };
}

/**
 * The Tencent EventBridge EventProvider: neutral calls validated, mapped, and sent through the
 * TC3-signing client. Imports only core and this folder.
 */
import type { ProviderContext } from '../../core/runtime/container.js';
import { isPolybusError, PolybusError, unsupported } from '../../core/model/errors.js';
import { nativeFilterIn, routingProblems } from '../../core/model/routing.js';
import { type Bus, type Connection, type Integration } from '../../core/model/resources.js';
import { issuesOf, parseInput } from '../../core/runtime/parse.js';
import { assertMutable, parseEndpoint } from '../../core/runtime/checks.js';
import { collect, flatMapAsync, mapAsync, unsupportedApi } from '../../core/runtime/resources.js';
import { type CallOptions, type ListOptions } from '../../core/contract/calls.js';
import { createWithLookup, findFirst, readAfterWrite } from '../../core/runtime/read-after-write.js';
import { type EventProvider, SPECIFICATION_VERSION } from '../../core/contract/provider.js';
import type { Transport } from '../../core/runtime/transport.js';
import { type TencentCredentials, tencentCredentialsFromProfile, tencentDefaultCredentials } from './auth.js';
import { tencentCapabilities, tencentMutability, tencentReplaceStrategy } from './capabilities.js';
import {
  TENCENT_RATE_LIMIT,
  TENCENT_TAG_SERVICE,
  TencentClient,
  type TencentConnectionDescription,
  type TencentTarget,
  type TencentTargetDescription,
} from './client.js';
import {
  splitReservedTags,
  TENCENT_NO_TRANSFORMATION,
  TENCENT_TAG_READ_RATE,
  TENCENT_TRANSFORMATION_TAG,
  TencentTags,
} from './tags.js';
import { TENCENT_PUT_EVENTS_RATE, tencentPublisher } from './publish.js';
import {
  busFromTencent,
  checkTencentId,
  connectionFromTencent,
  eventPatternOf,
  integrationFromTencent,
  rejectUnsupportedConnectionSettings,
  splitChildId,
  TencentBusInput,
  TencentConnectionInput,
  TencentIntegrationInput,
  TencentIntegrationPatch,
  tencentNativeFilter,
} from './mapping.js';
import { checkedRegion, TencentOptionsSchema } from '../options.js';
import {
  neutralTransformOf,
  tencentRouting,
  type TencentRoutingTargets,
  type TencentTargetParams,
  type TencentTransformation as TencentTransformationParams,
} from './routing.js';
import type { TencentTransformation } from './client.js';

export { tencentCapabilities as capabilities } from './capabilities.js';

/** Options of {@link createTencentProvider}. */
export interface TencentProviderOptions {
  transport: Transport;
  /** Default `TENCENTCLOUD_REGION`, else `ap-guangzhou`. */
  region?: string;
  /** Full origin; default `POLYBUS_TENCENT_ENDPOINT`, else `https://eb.tencentcloudapi.com`. */
  endpoint?: string;
  /**
   * Origin of the tag service; default `POLYBUS_TENCENT_TAG_ENDPOINT`, else `tag.` in place of the
   * `eb.` of a tencentcloudapi.com endpoint, else `endpoint` itself (an emulator serving both).
   */
  tagEndpoint?: string;
  /** Credential source; default environment, then `~/.tencentcloud/credentials`. */
  credentials?: () => Promise<TencentCredentials>;
  /**
   * A section of the profile file (`~/.tencentcloud/credentials`, or `TENCENTCLOUD_CREDENTIALS_FILE`)
   * to take credentials from, instead of the default chain (ignored when `credentials` is given).
   */
  profile?: string;
  env?: Record<string, string | undefined>;
}

const P = 'tencent';
const sig = (o?: CallOptions) => o?.signal;
/** What a write sent, as the neutral resource, for a write whose read-back is not visible yet. */
const sent = <T>(id: string, input: object): T =>
  ({ ...stripUndefined(input), id, name: (input as { name?: string }).name ?? id, provider: P }) as T;
const stripUndefined = (o: object) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const ext = (input: { extensions?: Record<string, Record<string, unknown>> | undefined }) =>
  input.extensions?.tencent ?? {};
/**
 * What polybus knows of a rule's one transformation: `known` false when the rule has no
 * reference tag (made by another tool, or by polybus before it kept one); else the tag's value
 * and, when the transformation exists, its id and content.
 */
type RuleTransformation =
  { known: false } | { known: true; tag?: string; id?: string; transformation?: TencentTransformation };

const TAG = TENCENT_TRANSFORMATION_TAG;
/** The plan warning of a rule whose transformation polybus holds no reference to. */
const NO_REFERENCE = `the rule has no ${TAG} tag, so polybus cannot tell whether it has a transformation (no Tencent action lists a rule's transformations; GetTransformation needs the TransformationId, which only CreateTransformation returns); polybus neither diffs nor changes it. To hand it to polybus, tag the rule ${TAG}=<TransformationId>, or ${TAG}=${TENCENT_NO_TRANSFORMATION} if it has none`;

/** The Enable switch of a rule or connector: neutral `enabled`, else `extensions.tencent.Enable`. */
const enableOf = (input: {
  enabled?: boolean | undefined;
  extensions?: Record<string, Record<string, unknown>> | undefined;
}): boolean | undefined => {
  const native = ext(input).Enable;
  return input.enabled ?? (typeof native === 'boolean' ? native : undefined);
};

/**
 * The EventBridge client with polybus's credential chain (cached), region, endpoint and rate
 * limit, as the provider uses it; `polybus/tencent` hands it to users for native calls.
 */
export function createTencentClient(options: TencentProviderOptions): {
  client: TencentClient;
  credentials: () => Promise<TencentCredentials>;
  region: string;
  endpoint: string;
  env: Record<string, string | undefined>;
} {
  const env = options.env ?? process.env;
  let cached: Promise<TencentCredentials> | undefined;
  const profile = options.profile;
  const source =
    options.credentials ??
    (profile !== undefined
      ? async () => {
          const c = await tencentCredentialsFromProfile(env, profile);
          if (c) return c;
          throw new PolybusError({
            code: 'AuthenticationFailed',
            provider: P,
            operation: 'credentials',
            message: `no secret_id and secret_key in profile [${profile}] of ${env.TENCENTCLOUD_CREDENTIALS_FILE ?? '~/.tencentcloud/credentials'}`,
          });
        }
      : () => tencentDefaultCredentials(env));
  const credentials = () => {
    cached ??= source().catch((e: unknown) => {
      cached = undefined;
      throw e;
    });
    return cached;
  };
  options.transport.limiter.setDefaultLimit(P, TENCENT_RATE_LIMIT);
  // The region is signed into the X-TC-Region header: only its documented form is accepted.
  const region = checkedRegion(
    'tencent',
    options.region ?? env.TENCENTCLOUD_REGION ?? 'ap-guangzhou',
    options.region !== undefined ? 'region' : 'TENCENTCLOUD_REGION',
  );
  options.transport.limiter.setDefaultActionLimit(P, 'PutEvents', TENCENT_PUT_EVENTS_RATE);
  options.transport.limiter.setDefaultActionLimit(
    P,
    'DescribeResourceTagsByResourceIds',
    TENCENT_TAG_READ_RATE,
  );
  const endpoint = parseEndpoint(
    P,
    options.endpoint !== undefined ? 'endpoint' : 'POLYBUS_TENCENT_ENDPOINT',
    options.endpoint ?? env.POLYBUS_TENCENT_ENDPOINT ?? 'https://eb.tencentcloudapi.com',
  );
  const client = new TencentClient({ transport: options.transport, credentials, region, endpoint });
  return { client, credentials, region, endpoint, env };
}

/** Builds the provider from explicit options. */
export function createTencentProvider(options: TencentProviderOptions): EventProvider {
  const { client, credentials, region, endpoint, env } = createTencentClient(options);
  const tagOrigin = options.tagEndpoint ?? env.POLYBUS_TENCENT_TAG_ENDPOINT;
  const tags = new TencentTags(
    new TencentClient({
      transport: options.transport,
      credentials,
      region,
      endpoint:
        tagOrigin !== undefined
          ? parseEndpoint(
              P,
              options.tagEndpoint !== undefined ? 'tagEndpoint' : 'POLYBUS_TENCENT_TAG_ENDPOINT',
              tagOrigin,
            )
          : endpoint.replace(/^(https?:\/\/)eb\.(.*tencentcloudapi\.com)$/, '$1tag.$2'),
      service: TENCENT_TAG_SERVICE,
    }),
    region,
  );

  const wait = (o?: CallOptions) => ({
    clock: options.transport.clock,
    ...(o?.signal ? { signal: o.signal } : {}),
  });
  /** Swallows NotFound (a delete of what is already gone), rethrows anything else. */
  const ignoreNotFound = (err: unknown) => {
    if (!(isPolybusError(err) && err.code === 'NotFound')) throw err;
  };
  /** A listed item read in full; undefined when it was deleted between the list and the read. */
  const fullOrGone = async <T>(read: () => Promise<T>): Promise<T | undefined> =>
    read().catch((err: unknown) => {
      if (isPolybusError(err) && err.code === 'NotFound') return undefined;
      throw err;
    });
  const present = <T>(items: AsyncIterable<T | undefined>): AsyncIterable<T> => ({
    async *[Symbol.asyncIterator]() {
      for await (const i of items) if (i !== undefined) yield i;
    },
  });
  const withTags = <T extends object>(r: T, t: Record<string, string>): T =>
    Object.keys(t).length ? { ...r, tags: t } : r;
  /**
   * A bus with its tags. `knownTags`: the tags polybus has just written (a read after its own
   * write), taken as they are instead of a tag-service read, which is rate limited like any action
   * and, right after a write, no fresher than what was written.
   */
  const getBus = async (id: string, signal?: AbortSignal, knownTags?: Record<string, string>) =>
    withTags(
      busFromTencent(await client.getEventBus({ EventBusId: id }, signal)),
      knownTags ?? (await tags.get('bus', id, signal)),
    );
  const listTargets = (busId: string, ruleId: string, signal?: AbortSignal) =>
    collect(client.targets(busId, ruleId, 100, signal));
  /** Rules read whose transformation polybus could not read, with why (see `unreadable`). */
  const unreadableRules = new WeakMap<object, { field: string; detail: string }[]>();
  /** The rule's transformation through its reference tag value (`tag` undefined: no reference). */
  const readTransformation = async (
    busId: string,
    ruleId: string,
    tag: string | undefined,
    signal?: AbortSignal,
  ): Promise<RuleTransformation> => {
    if (tag === undefined) return { known: false };
    if (tag === TENCENT_NO_TRANSFORMATION) return { known: true, tag };
    try {
      const { Transformations } = await client.getTransformation(
        { EventBusId: busId, RuleId: ruleId, TransformationId: tag },
        signal,
      );
      const transformation = Transformations[0];
      return transformation ? { known: true, tag, id: tag, transformation } : { known: true, tag };
    } catch (err) {
      // Deleted outside polybus: the reference says there was one, and it is gone.
      if (isPolybusError(err) && err.code === 'NotFound') return { known: true, tag };
      throw err;
    }
  };
  /**
   * A rule with its targets, tags and transformation. `known`: the user's tags and the reference
   * tag value polybus has just written (a read after its own write), taken instead of a
   * tag-service read (see `getBus`).
   */
  const getRule = async (
    busId: string,
    ruleId: string,
    signal?: AbortSignal,
    known?: { tags: Record<string, string>; ref: string | undefined },
  ) => {
    const rule = await client.getRule({ EventBusId: busId, RuleId: ruleId }, signal);
    const targets = await listTargets(busId, ruleId, signal);
    const { user, transformation: tag } = known
      ? { user: known.tags, transformation: known.ref }
      : splitReservedTags(await tags.get('integration', `${busId}/${ruleId}`, signal));
    const t = await readTransformation(busId, ruleId, tag, signal);
    const read = withTags(
      integrationFromTencent(rule, targets, t.known ? t.transformation : undefined),
      user,
    );
    const why = !t.known
      ? NO_REFERENCE
      : t.transformation && !neutralTransformOf(t.transformation)
        ? `the rule's transformation ${t.id} (EtlFilter, Transform or a TEXT extraction) has no neutral form; polybus neither diffs nor changes it`
        : undefined;
    if (why) unreadableRules.set(read, [{ field: 'targets.transform', detail: why }]);
    return read;
  };
  /**
   * The rule's EventPattern and CreateTarget calls from the neutral filter, targets and delivery;
   * anything EventPattern or CreateTarget cannot say exactly is refused here, before any request.
   */
  const route = (
    input: { filter?: unknown; targets?: unknown; delivery?: unknown; extensions?: unknown },
    operation: string,
  ): { pattern?: string; routing?: TencentRoutingTargets } => {
    const problems = routingProblems(tencentRouting, input);
    if (problems.length)
      throw unsupported(P, operation, problems.map((p) => `${p.field}: ${p.rule}`).join('; '));
    const f = input.filter === undefined ? undefined : tencentRouting.translateFilter(input.filter as never);
    const t =
      input.targets === undefined && input.delivery === undefined
        ? undefined
        : tencentRouting.translateTargets((input.targets ?? []) as never, input.delivery as never);
    // The native filter escape hatch (validated with the input): sent as the pattern it is.
    const native = eventPatternOf(nativeFilterIn(input, P, tencentNativeFilter.field));
    return {
      ...(f?.ok ? { pattern: JSON.stringify(f.native) } : native ? { pattern: JSON.stringify(native) } : {}),
      ...(t?.ok ? { routing: t.native } : {}),
    };
  };
  /** Same target: same Type and resource; only batch settings can change in place (UpdateTarget). */
  const targetKey = (t: { Type: string; TargetDescription?: { ResourceDescription: string } | null }) =>
    `${t.Type} ${t.TargetDescription?.ResourceDescription ?? ''}`;
  const withoutBatch = (d: object | null | undefined) => {
    const { SCFParams: _s, ...rest } = (d ?? {}) as Record<string, unknown>;
    return JSON.stringify(
      Object.fromEntries(
        Object.entries(rest)
          .filter(([, v]) => v !== null && v !== undefined)
          .sort(),
      ),
    );
  };
  /**
   * Brings a rule's targets to `want`: creates the new ones, deletes the removed ones, updates
   * batch settings in place, and replaces (delete + create) a target whose other parameters
   * changed (UpdateTarget changes only batch delivery).
   */
  const syncTargets = async (
    busId: string,
    ruleId: string,
    want: TencentTargetParams[],
    signal?: AbortSignal,
  ) => {
    const live: TencentTarget[] = await listTargets(busId, ruleId, signal);
    const ids = { EventBusId: busId, RuleId: ruleId };
    const kept = new Set<string>();
    for (const w of want) {
      const same = live.find((l) => !kept.has(l.TargetId) && targetKey(l) === targetKey(w));
      if (same && withoutBatch(same.TargetDescription) === withoutBatch(w.TargetDescription)) {
        kept.add(same.TargetId);
        const batch = (w.TargetDescription.SCFParams ?? {}) as Record<string, unknown>;
        const changed = ['EnableBatchDelivery', 'BatchTimeout', 'BatchEventCount'].filter(
          (k) => batch[k] !== undefined && batch[k] !== same[k],
        );
        if (changed.length)
          await client.updateTarget(
            { ...ids, TargetId: same.TargetId, ...Object.fromEntries(changed.map((k) => [k, batch[k]])) },
            signal,
          );
        continue;
      }
      await client.createTarget(
        {
          ...ids,
          Type: w.Type,
          TargetDescription: w.TargetDescription as unknown as TencentTargetDescription,
        },
        signal,
      );
    }
    for (const l of live)
      if (!kept.has(l.TargetId)) await client.deleteTarget({ ...ids, TargetId: l.TargetId }, signal);
  };
  /**
   * Brings the rule's one transformation to `want` (Create/Update/DeleteTransformation) where
   * polybus knows it, and returns the reference tag value to keep; undefined when it is left
   * alone: no reference (polybus cannot see it), or a transformation with no neutral form.
   */
  const syncTransformation = async (
    busId: string,
    ruleId: string,
    want: TencentTransformationParams | undefined,
    current: RuleTransformation,
    signal?: AbortSignal,
  ): Promise<string | undefined> => {
    if (!current.known) return undefined;
    if (current.transformation && !neutralTransformOf(current.transformation)) return undefined;
    const ids = { EventBusId: busId, RuleId: ruleId };
    if (!want) {
      if (current.id)
        await client
          .deleteTransformation({ ...ids, TransformationId: current.id }, signal)
          .catch(ignoreNotFound);
      return TENCENT_NO_TRANSFORMATION;
    }
    if (current.id) {
      const same =
        JSON.stringify(neutralTransformOf(current.transformation)) ===
        JSON.stringify(neutralTransformOf(want));
      if (!same)
        await client.updateTransformation(
          { ...ids, TransformationId: current.id, Transformations: [want as TencentTransformation] },
          signal,
        );
      return current.id;
    }
    return (
      await client.createTransformation({ ...ids, Transformations: [want as TencentTransformation] }, signal)
    ).TransformationId;
  };
  const allBusIds = (signal?: AbortSignal) => mapAsync(client.eventBuses(100, signal), (b) => b.EventBusId);
  const findConnection = async (busId: string, connectionId: string, signal?: AbortSignal) => {
    const found = await findFirst(
      client.connections(busId, 100, signal),
      (c) => c.ConnectionId === connectionId,
    );
    if (!found) {
      throw new PolybusError({
        code: 'NotFound',
        provider: P,
        operation: 'ListConnections',
        providerCode: 'ResourceNotFound.Connection',
        resource: `${busId}/${connectionId}`,
        message: `connector ${connectionId} not found on bus ${busId}`,
      });
    }
    return connectionFromTencent(found);
  };

  const buses: EventProvider['buses'] = {
    async create(raw, o) {
      const input = parseInput(TencentBusInput, raw, P, 'buses.create');
      const { EnableStore: enableStore, LogTopicId } = ext(input);
      return createWithLookup(
        async () => {
          const { EventBusId } = await client.createEventBus(
            {
              EventBusName: input.name,
              ...(input.description !== undefined ? { Description: input.description } : {}),
              ...(input.retentionDays !== undefined
                ? { SaveDays: input.retentionDays, EnableStore: true }
                : {}),
              ...(typeof enableStore === 'boolean' ? { EnableStore: enableStore } : {}),
            },
            sig(o),
          );
          // CreateEventBus takes no LogTopicId: UpdateEventBus sets it right after.
          if (typeof LogTopicId === 'string') await client.updateEventBus({ EventBusId, LogTopicId }, sig(o));
          if (input.tags) await tags.set('bus', EventBusId, input.tags, {}, sig(o));
          return readAfterWrite(
            () => getBus(EventBusId, sig(o), input.tags ?? {}),
            () => sent(EventBusId, input),
            wait(o),
          );
        },
        async () => {
          const hit = await findFirst(client.eventBuses(100, sig(o)), (b) => b.EventBusName === input.name);
          return hit ? getBus(hit.EventBusId, sig(o)) : undefined;
        },
        wait(o),
      );
    },
    get: (id, o) => getBus(checkTencentId(id, 'buses.get'), sig(o)),
    // ListEventBuses' EventBus omits SaveDays/EnableStore, so each bus is read in full (unless
    // the caller asks for the summary: see `listOmits`).
    list: (o?: ListOptions) =>
      o?.summary
        ? mapAsync(client.eventBuses(o.pageSize, o.signal), busFromTencent)
        : present(
            mapAsync(client.eventBuses(o?.pageSize, o?.signal), (b) =>
              fullOrGone(() => getBus(b.EventBusId, o?.signal)),
            ),
          ),
    async update(id, raw, o) {
      checkTencentId(id, 'buses.update');
      const patch = parseInput(TencentBusInput.partial(), raw, P, 'buses.update');
      const native = ext(patch);
      await client.updateEventBus(
        {
          EventBusId: id,
          ...(patch.name !== undefined ? { EventBusName: patch.name } : {}),
          ...(patch.description !== undefined ? { Description: patch.description } : {}),
          ...(patch.retentionDays !== undefined ? { SaveDays: patch.retentionDays, EnableStore: true } : {}),
          ...(typeof native.EnableStore === 'boolean' ? { EnableStore: native.EnableStore } : {}),
          ...(typeof native.LogTopicId === 'string' ? { LogTopicId: native.LogTopicId } : {}),
        },
        sig(o),
      );
      if (patch.tags) await tags.set('bus', id, patch.tags, await tags.get('bus', id, sig(o)), sig(o));
      return readAfterWrite(
        () => getBus(id, sig(o), patch.tags),
        () => sent(id, patch),
        wait(o),
      );
    },
    async delete(id, o) {
      await client.deleteEventBus({ EventBusId: checkTencentId(id, 'buses.delete') }, sig(o));
    },
  };

  const integrations: EventProvider['integrations'] = {
    async create(raw, o) {
      const input = parseInput(TencentIntegrationInput, raw, P, 'integrations.create');
      const { pattern, routing } = route(input, 'integrations.create');
      const enable = enableOf(input);
      return createWithLookup(
        async () => {
          const { RuleId } = await client.createRule(
            {
              EventBusId: input.bus,
              RuleName: input.name,
              EventPattern: pattern!,
              Enable: enable ?? true,
              ...(input.description !== undefined ? { Description: input.description } : {}),
            },
            sig(o),
          );
          // No action lists a rule's transformations: the id goes in the reference tag once it
          // exists, `none` right away when no transform is asked for (so a later update knows
          // there is nothing to find). An interruption before the tag leaves no reference: the
          // rule is then warned about, never assumed empty.
          const id = `${input.bus}/${RuleId}`;
          const want = routing?.transformation;
          /** The reference tag value written (undefined: none could be). */
          let ref: string | undefined;
          if (!want) {
            const marked = tags.set(
              'integration',
              id,
              { ...input.tags, [TAG]: TENCENT_NO_TRANSFORMATION },
              {},
              sig(o),
            );
            // With no tags asked for, the `none` marker is polybus's own bookkeeping: a refused
            // write (no tag:ModifyResourceTags permission) must not fail a rule that was made; it
            // only leaves the rule unreferenced, which later plans warn about.
            const written = await marked.then(
              () => true,
              (err: unknown) => {
                if (input.tags) throw err;
                return false;
              },
            );
            ref = written ? TENCENT_NO_TRANSFORMATION : undefined;
          } else if (input.tags) await tags.set('integration', id, input.tags, {}, sig(o));
          if (routing) await syncTargets(input.bus, RuleId, routing.targets, sig(o));
          if (want) {
            const { TransformationId } = await client.createTransformation(
              { EventBusId: input.bus, RuleId, Transformations: [want as TencentTransformation] },
              sig(o),
            );
            await tags.set('integration', id, { [TAG]: TransformationId }, {}, sig(o));
            ref = TransformationId;
          }
          const known = { tags: input.tags ?? {}, ref };
          return readAfterWrite(
            () => getRule(input.bus, RuleId, sig(o), known),
            () => sent(`${input.bus}/${RuleId}`, input),
            wait(o),
          );
        },
        async () => {
          const hit = await findFirst(client.rules(input.bus, 100, sig(o)), (r) => r.RuleName === input.name);
          return hit ? getRule(input.bus, hit.RuleId, sig(o)) : undefined;
        },
        wait(o),
      );
    },
    get(id, o) {
      const { busId, childId } = splitChildId(id, 'integrations.get');
      return getRule(busId, childId, sig(o));
    },
    list(o?: ListOptions) {
      // ListRules' Rule omits EventPattern and targets, so each rule is read in full (unless summary).
      const rulesOf = (busId: string) =>
        o?.summary
          ? mapAsync(client.rules(busId, o.pageSize, o.signal), (r) => integrationFromTencent(r))
          : present(
              mapAsync(client.rules(busId, o?.pageSize, o?.signal), (r) =>
                fullOrGone(() => getRule(r.EventBusId, r.RuleId, o?.signal)),
              ),
            );
      return o?.bus ? rulesOf(o.bus) : flatMapAsync(allBusIds(o?.signal), rulesOf);
    },
    async update(id, raw, o) {
      const { busId, childId } = splitChildId(id, 'integrations.update');
      assertMutable(P, 'integration', tencentMutability, raw, 'integrations.update');
      const patch = parseInput(TencentIntegrationPatch, raw, P, 'integrations.update');
      const { pattern, routing } = route(patch, 'integrations.update');
      const enable = enableOf(patch);
      await client.updateRule(
        {
          EventBusId: busId,
          RuleId: childId,
          ...(patch.name !== undefined ? { RuleName: patch.name } : {}),
          ...(patch.description !== undefined ? { Description: patch.description } : {}),
          ...(pattern !== undefined ? { EventPattern: pattern } : {}),
          ...(enable !== undefined ? { Enable: enable } : {}),
        },
        sig(o),
      );
      let known: { tags: Record<string, string>; ref: string | undefined } | undefined;
      if (routing || patch.tags) {
        // One read of the rule's tags serves the user's tags and the transformation reference; the
        // reference is kept in every write, so no change of the user's tags can delete it.
        const have = await tags.get('integration', id, sig(o));
        const { user, transformation: tag } = splitReservedTags(have);
        let ref = tag;
        if (routing) {
          await syncTargets(busId, childId, routing.targets, sig(o));
          const current = await readTransformation(busId, childId, tag, sig(o));
          ref = (await syncTransformation(busId, childId, routing.transformation, current, sig(o))) ?? tag;
        }
        await tags.set(
          'integration',
          id,
          { ...(patch.tags ?? user), ...(ref !== undefined ? { [TAG]: ref } : {}) },
          have,
          sig(o),
        );
        known = { tags: patch.tags ?? user, ref };
      }
      return readAfterWrite(
        () => getRule(busId, childId, sig(o), known),
        () => sent(id, patch),
        wait(o),
      );
    },
    async delete(id, o) {
      const { busId, childId } = splitChildId(id, 'integrations.delete');
      // The transformation polybus made goes first (its id is known only from the reference tag).
      const { transformation: tag } = splitReservedTags(await tags.get('integration', id, sig(o)));
      if (tag !== undefined && tag !== TENCENT_NO_TRANSFORMATION)
        await client
          .deleteTransformation({ EventBusId: busId, RuleId: childId, TransformationId: tag }, sig(o))
          .catch(ignoreNotFound);
      // DeleteRule is refused while the rule has targets (ResourceInUse.Rule): remove them first.
      for (const t of await listTargets(busId, childId, sig(o)))
        await client.deleteTarget({ EventBusId: busId, RuleId: childId, TargetId: t.TargetId }, sig(o));
      await client.deleteRule({ EventBusId: busId, RuleId: childId }, sig(o));
    },
  };

  const connections: EventProvider['connections'] = {
    async create(raw, o) {
      rejectUnsupportedConnectionSettings(raw, 'connections.create');
      const input = parseInput(TencentConnectionInput, raw, P, 'connections.create');
      const Enable = enableOf(input);
      const { APIGWParams, CkafkaParams, DTSParams } = ext(input);
      const description = {
        ResourceDescription: input.endpoint,
        ...(APIGWParams !== undefined ? { APIGWParams } : {}),
        ...(CkafkaParams !== undefined ? { CkafkaParams } : {}),
        ...(DTSParams !== undefined ? { DTSParams } : {}),
      } as TencentConnectionDescription;
      return createWithLookup(
        async () => {
          const { ConnectionId } = await client.createConnection(
            {
              EventBusId: input.bus,
              ConnectionName: input.name,
              ConnectionDescription: description,
              Type: input.kind,
              Enable: Enable ?? true,
              ...(input.description !== undefined ? { Description: input.description } : {}),
            },
            sig(o),
          );
          return readAfterWrite(
            () => findConnection(input.bus, ConnectionId, sig(o)),
            () => sent(`${input.bus}/${ConnectionId}`, input),
            wait(o),
          );
        },
        async () => {
          const hit = await findFirst(
            client.connections(input.bus, 100, sig(o)),
            (c) => c.ConnectionName === input.name,
          );
          return hit ? connectionFromTencent(hit) : undefined;
        },
        wait(o),
      );
    },
    get(id, o) {
      const { busId, childId } = splitChildId(id, 'connections.get');
      return findConnection(busId, childId, sig(o));
    },
    list(o?: ListOptions) {
      const of = (busId: string) =>
        mapAsync(client.connections(busId, o?.pageSize, o?.signal), connectionFromTencent);
      return o?.bus ? of(o.bus) : flatMapAsync(allBusIds(o?.signal), of);
    },
    async update(id, raw, o) {
      const { busId, childId } = splitChildId(id, 'connections.update');
      assertMutable(P, 'connection', tencentMutability, raw, 'connections.update');
      rejectUnsupportedConnectionSettings(raw, 'connections.update');
      const patch = parseInput(TencentConnectionInput.partial(), raw, P, 'connections.update');
      const enable = enableOf(patch);
      await client.updateConnection(
        {
          EventBusId: busId,
          ConnectionId: childId,
          ...(enable !== undefined ? { Enable: enable } : {}),
          ...(patch.name !== undefined ? { ConnectionName: patch.name } : {}),
          ...(patch.description !== undefined ? { Description: patch.description } : {}),
        },
        sig(o),
      );
      return readAfterWrite(
        () => findConnection(busId, childId, sig(o)),
        () => sent(id, patch),
        wait(o),
      );
    },
    async delete(id, o) {
      const { busId, childId } = splitChildId(id, 'connections.delete');
      await client.deleteConnection({ EventBusId: busId, ConnectionId: childId }, sig(o));
    },
  };

  return {
    specificationVersion: SPECIFICATION_VERSION,
    name: P,
    capabilities: tencentCapabilities,
    mutability: tencentMutability,
    replaceStrategy: tencentReplaceStrategy,
    // Rule and connector names are unique per bus, not per account.
    nameScope: { connection: 'bus', integration: 'bus' },
    listOmits: {
      bus: ['retentionDays', 'extensions', 'tags'],
      integration: ['filter', 'targets', 'delivery', 'extensions', 'tags'],
    },
    // The native filter escape hatch: extensions.tencent.EventPattern.
    nativeFilter: tencentNativeFilter,
    buses,
    sources: unsupportedApi(P, 'source', tencentCapabilities.kinds.source.operations.create.note),
    connections,
    integrations,
    validateInput(kind, input) {
      const schema = {
        bus: TencentBusInput,
        integration: TencentIntegrationInput,
        connection: TencentConnectionInput,
        source: undefined,
      }[kind];
      const extra =
        kind === 'connection' && (input.network || input.kafka)
          ? [
              {
                field: input.network ? 'network' : 'kafka',
                rule: 'Tencent connectors have no VPC placement or Kafka credentials',
              },
            ]
          : [];
      return schema ? [...issuesOf(schema, input), ...extra] : [];
    },
    routingProblems: (input) => routingProblems(tencentRouting, input),
    unreadable: (kind, live) => (kind === 'integration' ? (unreadableRules.get(live) ?? []) : []),
    ...tencentPublisher(client, endpoint),
    close: () => Promise.resolve(),
  };
}

/** Factory used by the container: options from the bound options and the environment. */
export async function createProvider(ctx: ProviderContext): Promise<EventProvider> {
  return createTencentProvider({
    transport: ctx.transport,
    env: ctx.env,
    ...parseInput(TencentOptionsSchema, ctx.options, P, 'configure'),
    ...(ctx.credentials ? { credentials: ctx.credentials as () => Promise<TencentCredentials> } : {}),
  });
}

export type { Bus, Connection, Integration };

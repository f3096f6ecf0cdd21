/**
 * The Huawei Cloud EventGrid EventProvider: neutral calls validated, mapped and sent through the
 * client, authenticated by AK/SK signing or IAM tokens. Imports only core and this folder.
 */
import { huaweiPublisher } from './publish.js';
import { randomUUID } from 'node:crypto';
import type { ProviderContext } from '../../core/runtime/container.js';
import { invalidArgument, PolybusError } from '../../core/model/errors.js';
import { type Connection } from '../../core/model/resources.js';
import { issuesOf, parseInput } from '../../core/runtime/parse.js';
import { assertMutable, parseEndpoint } from '../../core/runtime/checks.js';
import { type CallOptions, type ListOptions } from '../../core/contract/calls.js';
import { createWithLookup, findFirst, lookupAfterWrite } from '../../core/runtime/read-after-write.js';
import { type EventProvider, SPECIFICATION_VERSION } from '../../core/contract/provider.js';
import { mapAsync } from '../../core/runtime/resources.js';
import type { Transport } from '../../core/runtime/transport.js';
import {
  firstEnv,
  HUAWEI_PROJECT_ENV,
  HUAWEI_REGION_ENV,
  HuaweiAuth,
  type HuaweiCredentials,
  huaweiCredentialsFromEnv,
} from './auth.js';
import { huaweiCapabilities, huaweiMutability, huaweiReplaceStrategy } from './capabilities.js';
import {
  type HuaweiChannelSettings,
  HuaweiClient,
  type HuaweiConnection,
  type HuaweiSubscription,
  type HuaweiSubscriptionTarget,
} from './client.js';
import {
  type HuaweiFilterRule,
  type HuaweiTarget,
  huaweiRouting,
  huaweiTargetsToNeutral,
} from './routing.js';
import { nativeFilterIn, routingProblems } from '../../core/model/routing.js';
import { unsupported } from '../../core/model/errors.js';
import {
  busFromHuawei,
  connectionFromHuawei,
  HUAWEI_SOURCE_TYPES,
  HuaweiBusInput,
  HuaweiConnectionInput,
  HuaweiIntegrationInput,
  HuaweiIntegrationPatch,
  huaweiNativeFilter,
  HuaweiSourceInput,
  HuaweiTargetInput,
  integrationFromHuawei,
  sourceFromHuawei,
  subscriptionSourceFor,
} from './mapping.js';
import { checkedProjectId, checkedRegion, HuaweiOptionsSchema } from '../options.js';

export { huaweiCapabilities as capabilities } from './capabilities.js';

/** Options of {@link createHuaweiProvider}. */
export interface HuaweiProviderOptions {
  transport: Transport;
  /** Default `HUAWEICLOUD_PROJECT_ID`, else `HUAWEICLOUD_SDK_PROJECT_ID`, else `HW_PROJECT_ID` (required). */
  projectId?: string;
  /** Default `HUAWEICLOUD_REGION`, else `HW_REGION_NAME`, else `cn-north-4`. */
  region?: string;
  /** Default `POLYBUS_HUAWEI_ENDPOINT`, else `https://eg.{region}.myhuaweicloud.com`. */
  endpoint?: string;
  /** Default `POLYBUS_HUAWEI_IAM_ENDPOINT`, else `https://iam.{region}.myhuaweicloud.com`. */
  iamEndpoint?: string;
  /**
   * Default: from the environment, first match wins: an access key pair (`HUAWEICLOUD_SDK_AK` /
   * `HUAWEICLOUD_SDK_SK`, else `HW_ACCESS_KEY` / `HW_SECRET_KEY`, each with its security token),
   * then `HUAWEICLOUD_AUTH_TOKEN`, then IAM password login. See {@link huaweiCredentialsFromEnv}.
   */
  credentials?: () => Promise<HuaweiCredentials>;
  /** How long create waits for a connection to leave CREATING (default 120 s). */
  connectionWaitMs?: number;
  env?: Record<string, string | undefined>;
}

const P = 'huawei';
const sig = (o?: CallOptions) => o?.signal;
/** A configured endpoint, checked before any request (an http(s) origin, no trailing slash). */
const trim = (url: string) => parseEndpoint(P, 'endpoint', url);
/** The channel settings of `extensions.huawei` (already validated by HuaweiBusInput). */
const channelSettings = (input: {
  extensions?: Record<string, Record<string, unknown>> | undefined;
}): HuaweiChannelSettings => {
  const { enterprise_project_id, cross_account, policy } = input.extensions?.huawei ?? {};
  return {
    ...(typeof enterprise_project_id === 'string' ? { enterprise_project_id } : {}),
    ...(typeof cross_account === 'boolean' ? { cross_account } : {}),
    ...(policy && typeof policy === 'object' ? { policy: policy as Record<string, unknown> } : {}),
  };
};

/**
 * The EventGrid client with polybus's authentication (AK/SK, token or password login), project
 * and endpoint, as the provider uses it; `polybus/huawei` hands it to users for native calls.
 */
export function createHuaweiClient(options: HuaweiProviderOptions): {
  client: HuaweiClient;
  projectId: string;
  region: string;
  env: Record<string, string | undefined>;
  /** The EventGrid origin the client talks to. */
  endpoint: string;
} {
  const env = options.env ?? process.env;
  const projectId = options.projectId ?? firstEnv(env, HUAWEI_PROJECT_ENV);
  if (!projectId)
    throw invalidArgument(P, 'configure', [
      {
        field: 'projectId',
        rule: 'set HUAWEICLOUD_PROJECT_ID (or HUAWEICLOUD_SDK_PROJECT_ID): every EventGrid path is /v1/{project_id}/...',
      },
    ]);
  checkedProjectId(projectId, options.projectId !== undefined ? 'projectId' : HUAWEI_PROJECT_ENV.join(' / '));
  // The region is part of the IAM and EventGrid host names: only its documented form is accepted.
  const region = checkedRegion(
    'huawei',
    options.region ?? firstEnv(env, HUAWEI_REGION_ENV) ?? 'cn-north-4',
    options.region !== undefined ? 'region' : HUAWEI_REGION_ENV.join(' / '),
  );
  const { transport } = options;
  const auth = new HuaweiAuth({
    transport,
    projectId,
    iamEndpoint: trim(
      options.iamEndpoint ?? env.POLYBUS_HUAWEI_IAM_ENDPOINT ?? `https://iam.${region}.myhuaweicloud.com`,
    ),
    credentials: options.credentials ?? (async () => huaweiCredentialsFromEnv(env)),
  });
  const endpoint = trim(
    options.endpoint ?? env.POLYBUS_HUAWEI_ENDPOINT ?? `https://eg.${region}.myhuaweicloud.com`,
  );
  const client = new HuaweiClient({ transport, auth, projectId, endpoint });
  return { client, projectId, region, env, endpoint };
}

/** Builds the provider from explicit options. */
export function createHuaweiProvider(options: HuaweiProviderOptions): EventProvider {
  const { client, endpoint } = createHuaweiClient(options);
  const { transport } = options;
  const waitMs = options.connectionWaitMs ?? 120_000;
  const wait = (o?: CallOptions) => ({ clock: transport.clock, ...(o?.signal ? { signal: o.signal } : {}) });

  /** Polls a new connection until it leaves CREATING; creation is asynchronous. */
  const awaitConnection = async (c: HuaweiConnection, signal?: AbortSignal): Promise<Connection> => {
    const started = transport.clock.now();
    let current = c;
    for (let delay = 100; current.status === 'CREATING'; delay = Math.min(delay * 2, 2000)) {
      if (transport.clock.now() - started + delay > waitMs) {
        throw new PolybusError({
          code: 'Timeout',
          provider: P,
          operation: 'connections.create',
          resource: c.id,
          message: `connection ${c.id} still CREATING after ${waitMs} ms`,
        });
      }
      await transport.clock.sleep(delay, signal);
      const seen = await lookupAfterWrite(() => client.getConnection(c.id, signal), {
        clock: transport.clock,
        ...(signal ? { signal } : {}),
      });
      // Still not readable after the write: report what the create answered, unconfirmed.
      if (!seen) return { ...connectionFromHuawei(current), unconfirmed: true };
      current = seen;
    }
    if (current.status === 'CREATE_FAILED') {
      throw new PolybusError({
        code: 'Conflict',
        provider: P,
        operation: 'connections.create',
        resource: c.id,
        providerCode: current.error_info?.error_code ?? 'CREATE_FAILED',
        message: `connection ${c.id} failed: ${current.error_info?.error_msg ?? 'CREATE_FAILED'}`,
      });
    }
    return connectionFromHuawei(current);
  };

  /**
   * Native targets with ids: an explicit id, else the id of the live target at the same place
   * with the same name (stable across updates), else a new one.
   */
  const targetsFrom = (raw: unknown[], live: HuaweiSubscriptionTarget[] = []): HuaweiSubscriptionTarget[] =>
    raw.map((t, i) => {
      const parsed = HuaweiTargetInput.parse(t);
      const same = live[i]?.name === parsed.name ? live[i]?.id : undefined;
      return {
        ...parsed,
        id: typeof parsed.id === 'string' ? parsed.id : (same ?? randomUUID()),
      } as HuaweiSubscriptionTarget;
    });
  /**
   * The source filter rule and the targets from the neutral filter, targets and delivery (plus the
   * native `extensions.huawei.targets`); what the subscription cannot say exactly is refused here,
   * before any request.
   */
  const route = (
    input: { filter?: unknown; targets?: unknown; delivery?: unknown; extensions?: unknown },
    operation: string,
  ): { rule?: HuaweiFilterRule; targets?: unknown[] } => {
    const problems = routingProblems(huaweiRouting, input);
    if (problems.length)
      throw unsupported(P, operation, problems.map((p) => `${p.field}: ${p.rule}`).join('; '));
    const f = input.filter === undefined ? undefined : huaweiRouting.translateFilter(input.filter as never);
    // The native filter escape hatch (validated with the input): the rule as it is written.
    const nativeRule = nativeFilterIn(input, P, huaweiNativeFilter.field) as HuaweiFilterRule | undefined;
    const t =
      input.targets === undefined && input.delivery === undefined
        ? undefined
        : huaweiRouting.translateTargets((input.targets ?? []) as never, input.delivery as never);
    const native = (input.extensions as { huawei?: { targets?: unknown[] } } | undefined)?.huawei?.targets;
    const targets: HuaweiTarget[] | unknown[] | undefined =
      t?.ok || native ? [...(t?.ok ? t.native : []), ...(native ?? [])] : undefined;
    const rule = f?.ok ? f.native : nativeRule;
    return { ...(rule ? { rule } : {}), ...(targets ? { targets } : {}) };
  };
  /** The source of a rule, keeping the live source's id (subscription source ids stay stable). */
  const sourceOf = (rule: HuaweiFilterRule, live?: HuaweiSubscription) => ({
    id: live?.sources?.[0]?.id ?? randomUUID(),
    ...subscriptionSourceFor(rule),
  });

  const buses: EventProvider['buses'] = {
    async create(raw, o) {
      const input = parseInput(HuaweiBusInput, raw, P, 'buses.create');
      return createWithLookup(
        async () =>
          busFromHuawei(
            await client.createChannel(
              {
                name: input.name,
                ...(input.description !== undefined ? { description: input.description } : {}),
                ...channelSettings(input),
              },
              sig(o),
            ),
          ),
        async () => {
          const hit = await findFirst(
            client.channels({ name: input.name }, undefined, sig(o)),
            (c) => c.name === input.name,
          );
          return hit ? busFromHuawei(hit) : undefined;
        },
        wait(o),
      );
    },
    get: async (id, o) => busFromHuawei(await client.getChannel(id, sig(o))),
    // Official channels (provider_type OFFICIAL) cannot be managed: list the custom ones.
    list: (o?: ListOptions) =>
      mapAsync(client.channels({ provider_type: 'CUSTOM' }, o?.pageSize, o?.signal), busFromHuawei),
    async update(id, raw, o) {
      assertMutable(P, 'bus', huaweiMutability, raw, 'buses.update');
      const patch = parseInput(HuaweiBusInput.partial(), raw, P, 'buses.update');
      return busFromHuawei(
        await client.updateChannel(
          id,
          {
            ...(patch.description !== undefined ? { description: patch.description } : {}),
            ...channelSettings(patch),
          },
          sig(o),
        ),
      );
    },
    async delete(id, o) {
      await client.deleteChannel(id, sig(o));
    },
  };

  const sources: EventProvider['sources'] = {
    async create(raw, o) {
      const input = parseInput(HuaweiSourceInput, raw, P, 'sources.create');
      return createWithLookup(
        async () =>
          sourceFromHuawei(
            await client.createSource(
              {
                name: input.name,
                channel_id: input.bus,
                type: HUAWEI_SOURCE_TYPES[input.kind],
                ...(input.description !== undefined ? { description: input.description } : {}),
                ...(input.detail ? { detail: input.detail } : {}),
              },
              sig(o),
            ),
          ),
        async () => {
          const hit = await findFirst(
            client.sources({ name: input.name }, undefined, sig(o)),
            (s) => s.name === input.name,
          );
          return hit ? sourceFromHuawei(hit) : undefined;
        },
        wait(o),
      );
    },
    get: async (id, o) => sourceFromHuawei(await client.getSource(id, sig(o))),
    list: (o?: ListOptions) =>
      mapAsync(
        client.sources(
          { ...(o?.bus ? { channel_id: o.bus } : {}), provider_type: 'CUSTOM' },
          o?.pageSize,
          o?.signal,
        ),
        sourceFromHuawei,
      ),
    async update(id, raw, o) {
      assertMutable(P, 'source', huaweiMutability, raw, 'sources.update');
      const patch = parseInput(HuaweiSourceInput.partial(), raw, P, 'sources.update');
      return sourceFromHuawei(
        await client.updateSource(
          id,
          {
            ...(patch.description !== undefined ? { description: patch.description } : {}),
            ...(patch.detail !== undefined ? { detail: patch.detail } : {}),
          },
          sig(o),
        ),
      );
    },
    async delete(id, o) {
      await client.deleteSource(id, sig(o));
    },
  };

  const connections: EventProvider['connections'] = {
    async create(raw, o) {
      const input = parseInput(HuaweiConnectionInput, raw, P, 'connections.create');
      const k = input.kafka;
      const created = await createWithLookup(
        () =>
          client.createConnection(
            {
              name: input.name,
              ...(input.description !== undefined ? { description: input.description } : {}),
              vpc_id: input.network.vpcId,
              subnet_id: input.network.subnetId,
              type: input.kind === 'kafka' ? 'kafka' : 'webhook',
              ...(k
                ? {
                    kafka_detail: {
                      instance_id: k.instanceId,
                      addr: k.address,
                      enable_sasl_ssl: k.saslSsl,
                      ...(k.securityProtocol ? { security_protocol: k.securityProtocol } : {}),
                      ...(k.username ? { user_name: k.username } : {}),
                      ...(k.password ? { password: k.password } : {}),
                      ...(k.acks ? { acks: k.acks } : {}),
                    },
                  }
                : {}),
            },
            sig(o),
          ),
        () =>
          findFirst(
            client.connections({ name: input.name }, undefined, sig(o)),
            (c) => c.name === input.name,
          ),
        wait(o),
      );
      return awaitConnection(created, sig(o));
    },
    get: async (id, o) => connectionFromHuawei(await client.getConnection(id, sig(o))),
    list: (o?: ListOptions) => mapAsync(client.connections({}, o?.pageSize, o?.signal), connectionFromHuawei),
    async update(id, raw, o) {
      assertMutable(P, 'connection', huaweiMutability, raw, 'connections.update');
      if (
        raw.description !== undefined &&
        (typeof raw.description !== 'string' || raw.description.length > 255)
      ) {
        throw invalidArgument(P, 'connections.update', [
          { field: 'description', rule: 'description can contain at most 255 characters' },
        ]);
      }
      return connectionFromHuawei(
        await client.updateConnection(
          id,
          { ...(raw.description !== undefined ? { description: raw.description as string } : {}) },
          sig(o),
        ),
      );
    },
    async delete(id, o) {
      await client.deleteConnection(id, sig(o));
    },
  };

  /** Switches a subscription on or off and reads it back (the operation answers no body). */
  const operate = async (id: string, enabled: boolean, o?: CallOptions) => {
    await client.operateSubscriptions(
      { subscription_ids: [id], operation: enabled ? 'ENABLE' : 'DISABLE' },
      sig(o),
    );
    return integrationFromHuawei(await client.getSubscription(id, sig(o)));
  };

  const integrations: EventProvider['integrations'] = {
    async create(raw, o) {
      const input = parseInput(HuaweiIntegrationInput, raw, P, 'integrations.create');
      const { rule, targets } = route(input, 'integrations.create');
      const created = await createWithLookup(
        async () =>
          integrationFromHuawei(
            await client.createSubscription(
              {
                name: input.name,
                channel_id: input.bus,
                ...(input.description !== undefined ? { description: input.description } : {}),
                sources: [sourceOf(rule!)],
                targets: targetsFrom(targets ?? []),
              },
              sig(o),
            ),
          ),
        async () => {
          // Subscription names are unique per channel: look only under this one.
          const hit = await findFirst(
            client.subscriptions({ channel_id: input.bus, name: input.name }, undefined, sig(o)),
            (s) => s.name === input.name && s.channel_id === input.bus,
          );
          return hit ? integrationFromHuawei(hit) : undefined;
        },
        wait(o),
      );
      // A new subscription is on: only `enabled: false` needs the operation.
      return input.enabled === false && created.enabled !== false ? operate(created.id, false, o) : created;
    },
    get: async (id, o) => integrationFromHuawei(await client.getSubscription(id, sig(o))),
    list: (o?: ListOptions) =>
      mapAsync(
        client.subscriptions({ ...(o?.bus ? { channel_id: o.bus } : {}) }, o?.pageSize, o?.signal),
        integrationFromHuawei,
      ),
    async update(id, raw, o) {
      assertMutable(P, 'integration', huaweiMutability, raw, 'integrations.update');
      const patch = parseInput(HuaweiIntegrationPatch, raw, P, 'integrations.update');
      const routed = route(patch, 'integrations.update');
      const { rule } = routed;
      let { targets } = routed;
      // The live subscription's source and target ids are reused, so that an update keeps them.
      const live = rule || targets ? await client.getSubscription(id, sig(o)) : undefined;
      if (targets && live) {
        // A patch that sets only the neutral targets keeps the live native ones, and the reverse.
        const split = huaweiTargetsToNeutral((live.targets ?? []) as unknown as HuaweiTarget[]);
        const nativeLive = split.leftovers as unknown[];
        const neutralLive = (live.targets ?? []).filter((t) => !nativeLive.includes(t));
        const setsNeutral = patch.targets !== undefined || patch.delivery !== undefined;
        const setsNative = patch.extensions?.huawei?.targets !== undefined;
        if (setsNeutral && !setsNative) targets = [...targets, ...nativeLive];
        else if (setsNative && !setsNeutral) targets = [...neutralLive, ...targets];
      }
      const body = {
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(rule ? { sources: [sourceOf(rule, live)] } : {}),
        ...(targets ? { targets: targetsFrom(targets, live?.targets ?? []) } : {}),
      };
      // `enabled` goes through the operation call; anything else through the update.
      const updated =
        Object.keys(body).length || patch.enabled === undefined
          ? integrationFromHuawei(await client.updateSubscription(id, body, sig(o)))
          : undefined;
      return patch.enabled !== undefined ? operate(id, patch.enabled, o) : updated!;
    },
    async delete(id, o) {
      await client.deleteSubscription(id, sig(o));
    },
  };

  return {
    specificationVersion: SPECIFICATION_VERSION,
    name: P,
    capabilities: huaweiCapabilities,
    mutability: huaweiMutability,
    replaceStrategy: huaweiReplaceStrategy,
    // Subscriptions are unique per channel; sources and connections per project.
    nameScope: { integration: 'bus' },
    buses,
    sources,
    connections,
    integrations,
    validateInput(kind, input) {
      const schema = {
        bus: HuaweiBusInput,
        source: HuaweiSourceInput,
        connection: HuaweiConnectionInput,
        integration: HuaweiIntegrationInput,
      }[kind];
      return issuesOf(schema, input);
    },
    routingProblems: (input) => routingProblems(huaweiRouting, input),
    nativeFilter: huaweiNativeFilter,
    ...huaweiPublisher(client, endpoint),
    close: () => Promise.resolve(),
  };
}

/** Factory used by the container. */
export async function createProvider(ctx: ProviderContext): Promise<EventProvider> {
  return createHuaweiProvider({
    transport: ctx.transport,
    env: ctx.env,
    ...parseInput(HuaweiOptionsSchema, ctx.options, P, 'configure'),
    ...(ctx.credentials ? { credentials: ctx.credentials as () => Promise<HuaweiCredentials> } : {}),
  });
}

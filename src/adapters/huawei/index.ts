/**
 * The Huawei Cloud EventGrid EventProvider: neutral calls validated, mapped and sent through the
 * client, authenticated by AK/SK signing or IAM tokens. Imports only core and this folder.
 */
import { huaweiPublisher } from './publish.js';
import { randomUUID } from 'node:crypto';
import type { ProviderContext } from '../../core/container.js';
import { invalidArgument, PolybusError } from '../../core/errors.js';
import { type Connection, issuesOf, parseInput } from '../../core/model.js';
import {
  assertMutable,
  type CallOptions,
  createWithLookup,
  type EventProvider,
  findFirst,
  type ListOptions,
  lookupAfterWrite,
  mapAsync,
  parseEndpoint,
  SPECIFICATION_VERSION,
} from '../../core/provider.js';
import type { Transport } from '../../core/transport.js';
import {
  firstEnv,
  HUAWEI_PROJECT_ENV,
  HUAWEI_REGION_ENV,
  HuaweiAuth,
  type HuaweiCredentials,
  huaweiCredentialsFromEnv,
} from './auth.js';
import { huaweiCapabilities, huaweiMutability, huaweiReplaceStrategy } from './capabilities.js';
import { HuaweiClient, type HuaweiConnection, type HuaweiSubscriptionTarget } from './client.js';
import {
  busFromHuawei,
  connectionFromHuawei,
  HUAWEI_SOURCE_TYPES,
  HuaweiBusInput,
  HuaweiConnectionInput,
  HuaweiIntegrationInput,
  HuaweiSourceInput,
  HuaweiTargetInput,
  integrationFromHuawei,
  sourceFromHuawei,
  subscriptionSourceFor,
} from './mapping.js';
import { HuaweiOptionsSchema } from '../options.js';

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

/** Builds the provider from explicit options. */
export function createHuaweiProvider(options: HuaweiProviderOptions): EventProvider {
  const env = options.env ?? process.env;
  const projectId = options.projectId ?? firstEnv(env, HUAWEI_PROJECT_ENV);
  if (!projectId)
    throw invalidArgument(P, 'configure', [
      {
        field: 'projectId',
        rule: 'set HUAWEICLOUD_PROJECT_ID (or HUAWEICLOUD_SDK_PROJECT_ID): every EventGrid path is /v1/{project_id}/...',
      },
    ]);
  const region = options.region ?? firstEnv(env, HUAWEI_REGION_ENV) ?? 'cn-north-4';
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

  const targetsFrom = (raw: unknown[]): HuaweiSubscriptionTarget[] =>
    raw.map((t) => {
      const parsed = HuaweiTargetInput.parse(t);
      return {
        ...parsed,
        id: typeof parsed.id === 'string' ? parsed.id : randomUUID(),
      } as HuaweiSubscriptionTarget;
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
          { ...(patch.description !== undefined ? { description: patch.description } : {}) },
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

  const integrations: EventProvider['integrations'] = {
    async create(raw, o) {
      const input = parseInput(HuaweiIntegrationInput, raw, P, 'integrations.create');
      return createWithLookup(
        async () =>
          integrationFromHuawei(
            await client.createSubscription(
              {
                name: input.name,
                channel_id: input.bus,
                ...(input.description !== undefined ? { description: input.description } : {}),
                sources: [{ id: randomUUID(), ...subscriptionSourceFor(input.filter.source) }],
                targets: targetsFrom(input.extensions.huawei.targets),
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
    },
    get: async (id, o) => integrationFromHuawei(await client.getSubscription(id, sig(o))),
    list: (o?: ListOptions) =>
      mapAsync(
        client.subscriptions({ ...(o?.bus ? { channel_id: o.bus } : {}) }, o?.pageSize, o?.signal),
        integrationFromHuawei,
      ),
    async update(id, raw, o) {
      assertMutable(P, 'integration', huaweiMutability, raw, 'integrations.update');
      const patch = parseInput(HuaweiIntegrationInput.partial(), raw, P, 'integrations.update');
      return integrationFromHuawei(
        await client.updateSubscription(
          id,
          {
            ...(patch.description !== undefined ? { description: patch.description } : {}),
            ...(patch.filter
              ? { sources: [{ id: randomUUID(), ...subscriptionSourceFor(patch.filter.source) }] }
              : {}),
            ...(patch.extensions?.huawei?.targets
              ? { targets: targetsFrom(patch.extensions.huawei.targets) }
              : {}),
          },
          sig(o),
        ),
      );
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

/**
 * The Tencent EventBridge EventProvider: neutral calls validated, mapped, and sent through the
 * TC3-signing client, assembled from one file per kind under `resources/`. Imports only core and
 * this folder.
 */
import type { ProviderContext } from '../../core/runtime/container.js';
import { PolybusError } from '../../core/model/errors.js';
import { routingProblems } from '../../core/model/routing.js';
import { type Bus, type Connection, type Integration } from '../../core/model/resources.js';
import { issuesOf, parseInput } from '../../core/runtime/parse.js';
import { parseEndpoint } from '../../core/runtime/checks.js';
import { type EventProvider, SPECIFICATION_VERSION } from '../../core/contract/provider.js';
import type { Transport } from '../../core/runtime/transport.js';
import { type TencentCredentials, tencentCredentialsFromProfile, tencentDefaultCredentials } from './auth.js';
import { tencentCapabilities, tencentMutability, tencentReplaceStrategy } from './capabilities.js';
import { TENCENT_RATE_LIMIT, TencentClient } from './client.js';
import { TENCENT_TAG_READ_RATE } from './tags.js';
import { TENCENT_PUT_EVENTS_RATE, tencentPublisher } from './publish.js';
import {
  TencentBusInput,
  TencentConnectionInput,
  TencentIntegrationInput,
  tencentNativeFilter,
} from './mapping.js';
import { checkedRegion, TencentOptionsSchema } from '../options.js';
import { tencentRouting } from './routing.js';
import { createBuses } from './resources/bus.js';
import { createConnections } from './resources/connection.js';
import { createTencentContext, P } from './resources/context.js';
import { createIntegrations } from './resources/integration.js';
import { createSources } from './resources/source.js';

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
  const tencent = createTencentClient(options);
  const { client, endpoint } = tencent;
  const ctx = createTencentContext(options, tencent);

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
    buses: createBuses(ctx),
    sources: createSources(),
    connections: createConnections(ctx),
    integrations: createIntegrations(ctx),
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
    unreadable: (kind, live) => (kind === 'integration' ? (ctx.unreadableRules.get(live) ?? []) : []),
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

/**
 * The Huawei Cloud EventGrid EventProvider: neutral calls validated, mapped and sent through the
 * client, authenticated by AK/SK signing or IAM tokens. Imports only core and this folder; each
 * resource kind lives in resources/, built here from one shared context.
 */
import type { ProviderContext } from '../../core/runtime/container.js';
import { invalidArgument } from '../../core/model/errors.js';
import { issuesOf, parseInput } from '../../core/runtime/parse.js';
import { parseEndpoint } from '../../core/runtime/checks.js';
import { type EventProvider, SPECIFICATION_VERSION } from '../../core/contract/provider.js';
import type { Transport } from '../../core/runtime/transport.js';
import { routingProblems } from '../../core/model/routing.js';
import {
  firstEnv,
  HUAWEI_PROJECT_ENV,
  HUAWEI_REGION_ENV,
  HuaweiAuth,
  type HuaweiCredentials,
  huaweiCredentialsFromEnv,
} from './auth.js';
import { huaweiCapabilities, huaweiMutability, huaweiReplaceStrategy } from './capabilities.js';
import { HuaweiClient } from './client.js';
import { huaweiRouting } from './routing.js';
import {
  HuaweiBusInput,
  HuaweiConnectionInput,
  HuaweiIntegrationInput,
  huaweiNativeFilter,
  HuaweiSourceInput,
} from './mapping.js';
import { huaweiPublisher } from './publish.js';
import { createBuses } from './resources/bus.js';
import { createConnections } from './resources/connection.js';
import { huaweiResourceContext, P } from './resources/context.js';
import { createIntegrations } from './resources/integration.js';
import { createSources } from './resources/source.js';
import { checkedRegion } from '../../core/runtime/options.js';
import { checkedProjectId, HUAWEI_REGION, HuaweiOptionsSchema } from './options.js';

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

/** A configured endpoint, checked before any request (an http(s) origin, no trailing slash). */
const trim = (url: string) => parseEndpoint(P, 'endpoint', url);

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
    HUAWEI_REGION,
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

/** Builds the provider from explicit options: one context, each kind built from it. */
export function createHuaweiProvider(options: HuaweiProviderOptions): EventProvider {
  const { client, endpoint } = createHuaweiClient(options);
  const ctx = huaweiResourceContext(client, options.transport, options.connectionWaitMs ?? 120_000);
  return {
    specificationVersion: SPECIFICATION_VERSION,
    name: P,
    capabilities: huaweiCapabilities,
    mutability: huaweiMutability,
    replaceStrategy: huaweiReplaceStrategy,
    // Subscription names are unique per project ("unique under a tenant", CreateSubscription),
    // like sources and connections: every kind is per account, so plan finds a name taken on a
    // channel the spec does not name (blocked) instead of apply failing on AlreadyExists.
    buses: createBuses(ctx),
    sources: createSources(ctx),
    connections: createConnections(ctx),
    integrations: createIntegrations(ctx),
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

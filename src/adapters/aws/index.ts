/**
 * The AWS EventProvider: event integrations (AppIntegrations) and buses (EventBridge) native
 * through the AWS SDKs, sources as references, connections unsupported. Imports only core and this folder.
 * Each resource kind lives in its file under `resources/`; this one assembles them over one context.
 */
import { awsPublisher } from './publish.js';
import type { ProviderContext } from '../../core/runtime/container.js';
import { PolybusError } from '../../core/model/errors.js';
import { awsRoutingProblems } from './routing.js';
import { parsePattern } from './pattern.js';
import { filterFromEventPattern } from './pattern-translate.js';
import { parseInput } from '../../core/runtime/parse.js';
import { parseEndpoint } from '../../core/runtime/checks.js';
import { type EventProvider, SPECIFICATION_VERSION } from '../../core/contract/provider.js';
import type { Transport } from '../../core/runtime/transport.js';
import { type AwsCredentials, awsRegion, registerAwsCredentials, registerAwsEnvSecrets } from './auth.js';
import { awsCapabilities, awsMutability, awsReplaceStrategy } from './capabilities.js';
import { AwsClient } from './client.js';
import { AwsOptionsSchema } from './options.js';
import { busInputIssues, createBuses } from './resources/bus.js';
import { createConnections } from './resources/connection.js';
import { createAwsContext, P } from './resources/context.js';
import {
  createIntegrations,
  integrationBlockers,
  integrationInputIssues,
  isRuleInput,
} from './resources/integration.js';
import { ruleInputIssues, splitRuleId } from './resources/rule.js';
import { createSources } from './resources/source.js';

export { awsCapabilities as capabilities } from './capabilities.js';

/** Options of {@link createAwsProvider}. */
export interface AwsProviderOptions {
  transport: Transport;
  /** Default `AWS_REGION`, `AWS_DEFAULT_REGION`, else us-east-1. */
  region?: string;
  /** Full origin; default `POLYBUS_AWS_ENDPOINT`, else the SDK's endpoint. */
  endpoint?: string;
  /** Explicit credentials; default the SDK's chain. */
  credentials?: () => Promise<AwsCredentials>;
  /**
   * A named profile of the shared files (`~/.aws/credentials` and `~/.aws/config`, or
   * `AWS_SHARED_CREDENTIALS_FILE` / `AWS_CONFIG_FILE`), resolved as the SDK does (static keys,
   * role assumption, SSO), instead of the environment (ignored when `credentials` is given).
   */
  profile?: string;
  env?: Record<string, string | undefined>;
}

/**
 * The AppIntegrations + EventBridge client with polybus's credential chain, region and endpoint,
 * as the provider uses it; `polybus/aws` hands it to users for native calls.
 */
export function createAwsClient(options: AwsProviderOptions): {
  client: AwsClient;
  env: Record<string, string | undefined>;
  /** The configured endpoint override, if any. */
  endpoint: string | undefined;
} {
  const env = options.env ?? process.env;
  registerAwsEnvSecrets(env);
  // The injected environment first (as the SDK's env provider would read it), then the SDK's chain.
  const fromEnv =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        }
      : undefined;
  const profile = options.profile;
  const fromProfile =
    profile !== undefined
      ? async (): Promise<AwsCredentials> => {
          const { fromIni } = await import('@aws-sdk/credential-provider-ini');
          try {
            return await fromIni({
              profile,
              ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
              ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
            })();
          } catch (err) {
            throw new PolybusError({
              code: 'AuthenticationFailed',
              provider: P,
              operation: 'credentials',
              message: `AWS profile ${profile}: ${(err as Error).message}`,
              cause: err,
            });
          }
        }
      : undefined;
  const source = options.credentials ?? fromProfile ?? (fromEnv ? async () => fromEnv : undefined);
  const endpoint = options.endpoint ?? env.POLYBUS_AWS_ENDPOINT;
  const client = new AwsClient({
    transport: options.transport,
    region: awsRegion(env, options.region),
    ...(endpoint
      ? {
          endpoint: parseEndpoint(
            P,
            options.endpoint !== undefined ? 'endpoint' : 'POLYBUS_AWS_ENDPOINT',
            endpoint,
          ),
        }
      : {}),
    ...(source ? { credentials: async () => registerAwsCredentials(await source()) } : {}),
  });
  return { client, env, endpoint };
}

/** Builds the provider from explicit options. */
export function createAwsProvider(options: AwsProviderOptions): EventProvider {
  const { client, endpoint } = createAwsClient(options);
  const ctx = createAwsContext(client, options);
  return {
    specificationVersion: SPECIFICATION_VERSION,
    name: P,
    capabilities: awsCapabilities,
    mutability: awsMutability,
    replaceStrategy: awsReplaceStrategy,
    listOmits: { bus: ['tags', 'extensions'] },
    buses: createBuses(ctx),
    sources: createSources(),
    connections: createConnections(),
    integrations: createIntegrations(ctx),
    nativeFilter: {
      field: 'EventPattern',
      normalize: parsePattern,
      toNeutral: (native) => {
        const p = parsePattern(native);
        return p && typeof p === 'object' ? filterFromEventPattern(p as Record<string, unknown>) : undefined;
      },
    },
    routingProblems: (input) => awsRoutingProblems(input),
    ignoredSettings(kind, input) {
      // An event integration (no targets) has no on/off state; a rule does (EnableRule/DisableRule).
      if (kind !== 'integration' || isRuleInput(input) || input.enabled !== false) return [];
      return [
        {
          setting: 'enabled',
          detail:
            'an event integration has no on/off state: it is metadata only; pause delivery on the EventBridge side',
        },
      ];
    },
    validateInput(kind, input) {
      if (kind === 'integration')
        return isRuleInput(input) ? ruleInputIssues(input) : integrationInputIssues(input);
      if (kind === 'bus') return busInputIssues(input);
      return [];
    },
    async deleteBlockers(kind, id, o) {
      if (kind !== 'integration' || splitRuleId(id)) return [];
      return integrationBlockers(ctx, id, o);
    },
    ...awsPublisher(client, endpoint),
    close: async () => client.close(),
  };
}

/** Factory used by the container. */
export async function createProvider(ctx: ProviderContext): Promise<EventProvider> {
  return createAwsProvider({
    transport: ctx.transport,
    env: ctx.env,
    ...parseInput(AwsOptionsSchema, ctx.options, P, 'configure'),
    ...(ctx.credentials ? { credentials: ctx.credentials as () => Promise<AwsCredentials> } : {}),
  });
}

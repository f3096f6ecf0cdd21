/**
 * The Azure Event Grid EventProvider: neutral calls validated, mapped and sent through the ARM
 * client with Entra ID client-credentials tokens. Imports only core and this folder; each
 * resource kind lives in resources/, built here from one shared context.
 */
import type { ProviderContext } from '../../core/runtime/container.js';
import { invalidArgument } from '../../core/model/errors.js';
import { issuesOf, parseInput } from '../../core/runtime/parse.js';
import { parseEndpoint } from '../../core/runtime/checks.js';
import { checkedRegion } from '../../core/runtime/options.js';
import { unsupportedApi } from '../../core/runtime/resources.js';
import { routingProblems } from '../../core/model/routing.js';
import { type EventProvider, SPECIFICATION_VERSION } from '../../core/contract/provider.js';
import type { Transport } from '../../core/runtime/transport.js';
import { type AzureCredentials, azureCredentialsFromEnv, AzureTokenProvider } from './auth.js';
import { azureCapabilities, azureMutability, azureReplaceStrategy } from './capabilities.js';
import { AzureClient } from './client.js';
import { AzureBusInput, AzureIntegrationInput, azureNativeFilter } from './mapping.js';
import { AZURE_REGION, AzureOptionsSchema, checkedResourceGroup, checkedSubscription } from './options.js';
import { azurePublisher } from './publish.js';
import { createBuses } from './resources/bus.js';
import { azureResourceContext, P } from './resources/context.js';
import { createIntegrations } from './resources/integration.js';
import { azureRoutingFor, type CaseMode } from './routing.js';

export { azureCapabilities as capabilities } from './capabilities.js';

/** Options of {@link createAzureProvider}. */
export interface AzureProviderOptions {
  transport: Transport;
  /** Default `AZURE_SUBSCRIPTION_ID` (required). */
  subscriptionId?: string;
  /** Default `AZURE_RESOURCE_GROUP` (required). */
  resourceGroup?: string;
  /** `location` of new topics; default `AZURE_LOCATION`, else `westeurope`. */
  region?: string;
  /** ARM origin; default `POLYBUS_AZURE_ENDPOINT`, else `https://management.azure.com`. */
  endpoint?: string;
  /** Entra ID origin; default `AZURE_AUTHORITY_HOST`, else `https://login.microsoftonline.com`. */
  authorityHost?: string;
  /** Default: `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`. */
  credentials?: () => Promise<AzureCredentials>;
  /** Default `POLYBUS_AZURE_CASE_INSENSITIVE_MATCH`, else `refuse`. */
  caseInsensitiveMatch?: CaseMode;
  env?: Record<string, string | undefined>;
}

const origin = (field: string, url: string) => parseEndpoint(P, field, url);

/**
 * The ARM client with polybus's Entra ID tokens, subscription, resource group and endpoint, as the
 * provider uses it; `polybus/azure` hands it to users for native calls.
 */
export function createAzureClient(options: AzureProviderOptions) {
  const env = options.env ?? process.env;
  const required = (value: string | undefined, field: string, variable: string, why: string) => {
    if (!value)
      throw invalidArgument(P, 'configure', [
        { field, rule: `set ${variable} (or the ${field} option): ${why}` },
      ]);
    return value;
  };
  const subscriptionId = checkedSubscription(
    required(
      options.subscriptionId ?? env.AZURE_SUBSCRIPTION_ID,
      'subscriptionId',
      'AZURE_SUBSCRIPTION_ID',
      'every ARM path is /subscriptions/{id}/...',
    ),
    options.subscriptionId !== undefined ? 'subscriptionId' : 'AZURE_SUBSCRIPTION_ID',
  );
  const resourceGroup = checkedResourceGroup(
    required(
      options.resourceGroup ?? env.AZURE_RESOURCE_GROUP,
      'resourceGroup',
      'AZURE_RESOURCE_GROUP',
      'topics live in a resource group',
    ),
    options.resourceGroup !== undefined ? 'resourceGroup' : 'AZURE_RESOURCE_GROUP',
  );
  const region = checkedRegion(
    AZURE_REGION,
    options.region ?? env.AZURE_LOCATION ?? 'westeurope',
    options.region !== undefined ? 'region' : 'AZURE_LOCATION',
  );
  const endpoint = origin(
    'endpoint',
    options.endpoint ?? env.POLYBUS_AZURE_ENDPOINT ?? 'https://management.azure.com',
  );
  const authorityHost = origin(
    'authorityHost',
    options.authorityHost ?? env.AZURE_AUTHORITY_HOST ?? 'https://login.microsoftonline.com',
  );
  const tokens = new AzureTokenProvider({
    transport: options.transport,
    authorityHost,
    credentials: options.credentials ?? (async () => azureCredentialsFromEnv(env)),
  });
  const client = new AzureClient({
    transport: options.transport,
    tokens,
    endpoint,
    subscriptionId,
    resourceGroup,
  });
  return { client, tokens, subscriptionId, resourceGroup, region, endpoint, env };
}

/** Builds the provider from explicit options: one context, each kind built from it. */
export function createAzureProvider(options: AzureProviderOptions): EventProvider {
  const { client, tokens, region, endpoint, env } = createAzureClient(options);
  const raw = options.caseInsensitiveMatch ?? env.POLYBUS_AZURE_CASE_INSENSITIVE_MATCH ?? 'refuse';
  if (raw !== 'refuse' && raw !== 'accept')
    throw invalidArgument(P, 'configure', [
      { field: 'POLYBUS_AZURE_CASE_INSENSITIVE_MATCH', rule: 'must be refuse or accept' },
    ]);
  const caseMode: CaseMode = raw;
  const ctx = azureResourceContext(client, options.transport, region, caseMode);
  const routing = azureRoutingFor(caseMode);
  const caps = azureCapabilities;
  return {
    specificationVersion: SPECIFICATION_VERSION,
    name: P,
    capabilities: caps,
    mutability: azureMutability,
    replaceStrategy: azureReplaceStrategy,
    // Event subscription names are unique per topic.
    nameScope: { integration: 'bus' },
    buses: createBuses(ctx),
    sources: unsupportedApi(P, 'source', caps.kinds.source.operations.create.note),
    connections: unsupportedApi(P, 'connection', caps.kinds.connection.operations.create.note),
    integrations: createIntegrations(ctx),
    validateInput(kind, input) {
      if (kind === 'bus') return issuesOf(AzureBusInput, input);
      if (kind === 'integration') return issuesOf(AzureIntegrationInput, input);
      return [{ field: kind, rule: caps.kinds[kind].operations.create.note }];
    },
    routingProblems: (input) => routingProblems(routing as never, input),
    nativeFilter: azureNativeFilter(caseMode),
    ...azurePublisher(client, tokens, options.transport, endpoint),
    close: () => Promise.resolve(),
  };
}

/** Factory used by the container. */
export async function createProvider(ctx: ProviderContext): Promise<EventProvider> {
  return createAzureProvider({
    transport: ctx.transport,
    env: ctx.env,
    ...parseInput(AzureOptionsSchema, ctx.options, P, 'configure'),
    ...(ctx.credentials ? { credentials: ctx.credentials as () => Promise<AzureCredentials> } : {}),
  });
}

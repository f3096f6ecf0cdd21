/**
 * The Tencent EventBridge EventProvider: neutral calls validated, mapped, and sent through the
 * TC3-signing client, assembled from one file per kind under `resources/`. Imports only core and
 * this folder.
 */
import type { ProviderContext } from '../../core/runtime/container.js';
import { routingProblems } from '../../core/model/routing.js';
import { type Bus, type Connection, type Integration } from '../../core/model/resources.js';
import { issuesOf, parseInput } from '../../core/runtime/parse.js';
import { type EventProvider, SPECIFICATION_VERSION } from '../../core/contract/provider.js';
import { type TencentCredentials } from './auth.js';
import { tencentCapabilities, tencentMutability, tencentReplaceStrategy } from './capabilities.js';
import { tencentPublisher } from './publish.js';
import {
  TencentBusInput,
  TencentConnectionInput,
  TencentIntegrationInput,
  tencentNativeFilter,
} from './mapping.js';
import { TencentOptionsSchema } from './options.js';
import { tencentRouting } from './routing.js';
import { createBuses } from './resources/bus.js';
import { createConnections } from './resources/connection.js';
import { createTencentContext, P } from './resources/context.js';
import { createIntegrations } from './resources/integration.js';
import { createSources } from './resources/source.js';
import { createTencentClient, type TencentProviderOptions } from './setup.js';

export { tencentCapabilities as capabilities } from './capabilities.js';

export { createTencentClient, type TencentProviderOptions } from './setup.js';

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
    // No documented error for a duplicate bus, rule or connector name: two creates make two.
    unenforcedNames: ['bus', 'connection', 'integration'],
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

/**
 * `polybus/tencent`: the native escape hatch to Tencent EventBridge: the typed client with one
 * method per action of the 2021-04-16 API (and `call(action, params, schema)` for any of them),
 * built with polybus's credentials, TC3 signing, retries, rate limit and redaction. It must never
 * be re-exported from the root entry (that would load the adapter for every user).
 */
import type { ProviderContext } from './core/container.js';
import { parseInput } from './core/model.js';
import { nativeContext } from './adapters/native.js';
import { TencentOptionsSchema } from './adapters/options.js';
import type { TencentCredentials } from './adapters/tencent/auth.js';
import { createTencentClient } from './adapters/tencent/index.js';
import type { TencentClient } from './adapters/tencent/client.js';
import type { PolybusOptions } from './providers.js';

export { TENCENT_ACTIONS, type TencentAction } from './adapters/tencent/actions.js';
export type { TencentCredentials } from './adapters/tencent/auth.js';
export {
  TENCENT_API_VERSION,
  TencentClient,
  type TencentClientOptions,
  type TencentConnection,
  type TencentConnectionDescription,
  type TencentEvent,
  type TencentEventBus,
  type TencentLogFilter,
  type TencentLogFilters,
  type TencentLogQuery,
  type TencentRule,
  type TencentSearchLogResult,
  type TencentTarget,
  type TencentTargetDescription,
  type TencentTransformation,
} from './adapters/tencent/client.js';
export type { TencentOptions } from './adapters/options.js';

/** An opened native client and how to release its connections. */
export interface OpenedTencentClient {
  client: TencentClient;
  /** Closes the connections of the client's transport. */
  close(): Promise<void>;
}

/** The client from a provider context (what the container gives the provider). @internal */
export function openTencentClientFrom(ctx: ProviderContext): { client: TencentClient } {
  const { client } = createTencentClient({
    transport: ctx.transport,
    env: ctx.env,
    ...parseInput(TencentOptionsSchema, ctx.options, 'tencent', 'configure'),
    ...(ctx.credentials ? { credentials: ctx.credentials as () => Promise<TencentCredentials> } : {}),
  });
  return { client };
}

/**
 * Opens the native Tencent EventBridge client with the same options, environment and credentials
 * `createPolybus(options)` would give the Tencent provider.
 *
 * @example
 * const { client, close } = openTencentClient();
 * const { Results } = await client.searchLog({ EventBusId, StartTime, EndTime, Page: 1, Limit: 10 });
 * await close();
 */
export function openTencentClient(options: PolybusOptions = {}): OpenedTencentClient {
  const { ctx, close } = nativeContext('tencent', options);
  return { ...openTencentClientFrom(ctx), close };
}

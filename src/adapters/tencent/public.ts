/**
 * `polybus/tencent`: the native escape hatch to Tencent EventBridge: the typed client with one
 * method per action of the 2021-04-16 API (and `call(action, params, schema)` for any of them),
 * built with polybus's credentials, TC3 signing, retries, rate limit and redaction. It must never
 * be re-exported from the root entry (that would load the adapter for every user).
 */
import { nativeContext } from '../../sdk/native.js';
import { openTencentClientFrom } from './native.js';
import type { TencentClient } from './client.js';
import type { PolybusOptions } from '../../sdk/create.js';

export { TENCENT_ACTIONS, type TencentAction } from './actions.js';
export type { TencentCredentials } from './auth.js';
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
} from './client.js';
export type { TencentOptions } from './options.js';

/** An opened native client and how to release its connections. */
export interface OpenedTencentClient {
  client: TencentClient;
  /** Closes the connections of the client's transport. */
  close(): Promise<void>;
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

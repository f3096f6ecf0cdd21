/**
 * `polybus/tencent`: the native escape hatch to Tencent EventBridge: `send(action, input)` for any
 * action of the 2021-04-16 API by name (typed by {@link TENCENT_ACTIONS}; no schema to pass) and
 * the typed client with one method per action,
 * built with polybus's credentials, TC3 signing, retries, rate limit and redaction. It must never
 * be re-exported from the root entry (that would load the adapter for every user).
 */
import { nativeContext } from '../../sdk/native.js';
import { openTencentClientFrom, tencentSend } from './native.js';
import type { NativeSend } from '../../sdk/native-send.js';
import type { TencentAction } from './actions.js';
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
export type { NativeSend, NativeSendOptions } from '../../sdk/native-send.js';

/** An opened native client and how to release its connections. */
export interface OpenedTencentClient {
  /**
   * Sends any native action by its name (TencentAction: a misspelled action does not compile), with
   * its documented input, and returns the parsed response. The same call on every provider's entry.
   */
  send: NativeSend<TencentAction>;
  /** The client with one typed method per action. */
  client: TencentClient;
  /** Closes the connections of the client's transport. */
  close(): Promise<void>;
}

/**
 * Opens the native Tencent EventBridge client with the same options, environment and credentials
 * `createPolybus(options)` would give the Tencent provider.
 *
 * @example
 * const { send, close } = openTencentClient();
 * const { EventBuses } = await send('ListEventBuses', { Limit: 10 });
 * await close();
 */
export function openTencentClient(options: PolybusOptions = {}): OpenedTencentClient {
  const { ctx, close } = nativeContext('tencent', options);
  const opened = openTencentClientFrom(ctx);
  return { ...opened, send: tencentSend(opened.client), close };
}

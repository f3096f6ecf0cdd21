/**
 * `polybus/huawei`: the native escape hatch to Huawei Cloud EventGrid: `send(operation, input)`
 * for any operation of the table by name (typed by its names) and the typed client (one method
 * per operation), built with
 * polybus's AK/SK signing or token authentication, retries and redaction. It must never be
 * re-exported from the root entry (that would load the adapter for every user).
 */
import type { HuaweiClient } from './client.js';
import { nativeContext } from '../../sdk/native.js';
import { openHuaweiClientFrom, huaweiSend } from './native.js';
import type { NativeSend } from '../../sdk/native-send.js';
import type { HuaweiOperation } from './actions.js';
import type { PolybusOptions } from '../../sdk/create.js';

export {
  HUAWEI_OPERATION_NAMES,
  HUAWEI_OPERATIONS,
  type HuaweiOperation,
  type HuaweiOperationSpec,
} from './actions.js';
export type { HuaweiAccessKeyCredentials, HuaweiCredentials } from './auth.js';
export {
  HuaweiClient,
  type HuaweiChannel,
  type HuaweiChannelSettings,
  type HuaweiClientOptions,
  type HuaweiConnection,
  type HuaweiSource,
  type HuaweiSubscription,
  type HuaweiSubscriptionSource,
  type HuaweiSubscriptionTarget,
  type WithRequestId,
} from './client.js';
export type { HuaweiOptions } from './options.js';
export type { NativeSend, NativeSendOptions } from '../../sdk/native-send.js';

/** An opened native client and how to release its connections. */
export interface OpenedHuaweiClient {
  /**
   * Sends any native action by its name (HuaweiOperation: a misspelled action does not compile), with
   * its documented input, and returns the parsed response. The same call on every provider's entry.
   */
  send: NativeSend<HuaweiOperation>;
  /** The client with one typed method per action. */
  client: HuaweiClient;
  /** The project every path is scoped to (`/v1/{project_id}`). */
  projectId: string;
  /** Closes the connections of the client's transport. */
  close(): Promise<void>;
}

/**
 * Opens the native EventGrid client with the same options, environment and credentials
 * `createPolybus(options)` would give the Huawei provider.
 *
 * @example
 * const { send, close } = openHuaweiClient();
 * const { items } = await send('ListChannels', { limit: 10 });
 * await close();
 */
export function openHuaweiClient(options: PolybusOptions = {}): OpenedHuaweiClient {
  const { ctx, close } = nativeContext('huawei', options);
  const opened = openHuaweiClientFrom(ctx);
  return { ...opened, send: huaweiSend(opened.client), close };
}

/**
 * `polybus/aws`: the native escape hatch to Amazon Connect AppIntegrations and the EventBridge
 * bus commands: `send(action, input)` for any of {@link AWS_ACTIONS} by name (typed by that
 * list) and the typed client (one method per command), built with polybus's credentials,
 * retries, timeouts and redacted hooks. It needs the AWS SDK (optional peer dependencies).
 * It must never be re-exported from the root entry (that would load the AWS SDK for every user).
 */
import type { AwsClient } from './client.js';
import { nativeContext } from '../../sdk/native.js';
import { openAwsClientFrom, awsSend } from './native.js';
import type { NativeSend } from '../../sdk/native-send.js';
import type { AwsAction } from './actions.js';
import type { PolybusOptions } from '../../sdk/create.js';

export {
  AWS_ACTIONS,
  AWS_APPINTEGRATIONS_ACTIONS,
  AWS_EVENTBRIDGE_ACTIONS,
  type AwsAction,
} from './actions.js';
export type { AwsCredentials } from './auth.js';
export { AwsClient, type AwsClientOptions } from './client.js';
export type { AwsOptions } from './options.js';
export type { NativeSend, NativeSendOptions } from '../../sdk/native-send.js';

/** An opened native client and how to release its connections. */
export interface OpenedAwsClient {
  /**
   * Sends any native action by its name (AwsAction: a misspelled action does not compile), with
   * its documented input, and returns the parsed response. The same call on every provider's entry.
   */
  send: NativeSend<AwsAction>;
  /** The client with one typed method per action. */
  client: AwsClient;
  /** Closes the connections of the client's transport. */
  close(): Promise<void>;
}

/**
 * Opens the native AWS client with the same options, environment and credentials
 * `createPolybus(options)` would give the AWS provider.
 *
 * @example
 * const { send, close } = openAwsClient();
 * const { EventBuses } = await send('ListEventBuses', { Limit: 10 });
 * await close();
 */
export function openAwsClient(options: PolybusOptions = {}): OpenedAwsClient {
  const { ctx, close } = nativeContext('aws', options);
  const opened = openAwsClientFrom(ctx);
  return { ...opened, send: awsSend(opened.client), close };
}

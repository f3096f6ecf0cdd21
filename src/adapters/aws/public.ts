/**
 * `polybus/aws`: the native escape hatch to Amazon Connect AppIntegrations and the EventBridge
 * bus commands: the typed client (one method per command, and `callNative(name, input)` for any
 * of {@link AWS_ACTIONS}) built with polybus's credentials, retries, timeouts and redacted hooks.
 * It must never be re-exported from the root entry (that would load the AWS SDK for every user).
 */
import type { AwsClient } from './client.js';
import { nativeContext } from '../../sdk/native.js';
import { openAwsClientFrom } from './native.js';
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

/** An opened native client and how to release its connections. */
export interface OpenedAwsClient {
  client: AwsClient;
  /** Closes the connections of the client's transport. */
  close(): Promise<void>;
}

/**
 * Opens the native AWS client with the same options, environment and credentials
 * `createPolybus(options)` would give the AWS provider.
 *
 * @example
 * const { client, close } = openAwsClient();
 * const out = await client.callNative('ListEventIntegrations', { MaxResults: 10 });
 * await close();
 */
export function openAwsClient(options: PolybusOptions = {}): OpenedAwsClient {
  const { ctx, close } = nativeContext('aws', options);
  return { ...openAwsClientFrom(ctx), close };
}

/**
 * The Aws native client opened from what the container gives the provider, and `polybus call`'s
 * sender of actions by name. Loaded only when a native call is made.
 */
import type { NativeCall } from '../../core/contract/definition.js';
import { knownAction, type NativeSend } from '../../sdk/native-send.js';
import { type AwsAction, AWS_ACTIONS } from './actions.js';
import type { ProviderContext } from '../../core/runtime/container.js';
import { parseInput } from '../../core/runtime/parse.js';
import { AwsOptionsSchema } from './options.js';
import type { AwsCredentials } from './auth.js';
import type { AwsClient } from './client.js';
import { createAwsClient } from './index.js';

/** The client from a provider context (what the container gives the provider). @internal */
export function openAwsClientFrom(ctx: ProviderContext): { client: AwsClient } {
  const { client } = createAwsClient({
    transport: ctx.transport,
    env: ctx.env,
    ...parseInput(AwsOptionsSchema, ctx.options, 'aws', 'configure'),
    ...(ctx.credentials ? { credentials: ctx.credentials as () => Promise<AwsCredentials> } : {}),
  });
  return { client };
}

/**
 * One typed sender over the client: any action of {@link AWS_ACTIONS} by name, its input as the API
 * documents it, the parsed response back. @internal
 */
export function awsSend(client: AwsClient): NativeSend<AwsAction> {
  return async (action, input = {}, options = {}) =>
    (await client.callNative(knownAction('aws', action, AWS_ACTIONS), input, options.signal)) as Record<
      string,
      unknown
    >;
}

/** Sends any action of the native API by its name (`polybus call aws <Action>`). */
export async function openNativeCall(ctx: ProviderContext): Promise<NativeCall> {
  const send = awsSend(openAwsClientFrom(ctx).client);
  return (action, input, signal) => send(action as AwsAction, input, signal ? { signal } : {});
}

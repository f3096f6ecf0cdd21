/**
 * The Aws native client opened from what the container gives the provider, and `polybus call`'s
 * sender of actions by name. Loaded only when a native call is made.
 */
import type { NativeCall } from '../../core/contract/definition.js';
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

/** Sends any action of the native API by its name (`polybus call aws <Action>`). */
export async function openNativeCall(ctx: ProviderContext): Promise<NativeCall> {
  const { client } = openAwsClientFrom(ctx);
  return (action, input, signal) => client.callNative(action as never, input, signal);
}

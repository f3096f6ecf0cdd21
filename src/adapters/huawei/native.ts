/**
 * The Huawei native client opened from what the container gives the provider, and `polybus call`'s
 * sender of actions by name. Loaded only when a native call is made.
 */
import type { NativeCall } from '../../core/contract/definition.js';
import { knownAction, type NativeSend } from '../../sdk/native-send.js';
import { type HuaweiOperation, HUAWEI_OPERATION_NAMES } from './actions.js';
import type { ProviderContext } from '../../core/runtime/container.js';
import { parseInput } from '../../core/runtime/parse.js';
import { HuaweiOptionsSchema } from './options.js';
import type { HuaweiCredentials } from './auth.js';
import type { HuaweiClient } from './client.js';
import { createHuaweiClient } from './index.js';

/** The client from a provider context (what the container gives the provider). @internal */
export function openHuaweiClientFrom(ctx: ProviderContext): { client: HuaweiClient; projectId: string } {
  const { client, projectId } = createHuaweiClient({
    transport: ctx.transport,
    env: ctx.env,
    ...parseInput(HuaweiOptionsSchema, ctx.options, 'huawei', 'configure'),
    ...(ctx.credentials ? { credentials: ctx.credentials as () => Promise<HuaweiCredentials> } : {}),
  });
  return { client, projectId };
}

/**
 * One typed sender over the client: any action of {@link HUAWEI_OPERATION_NAMES} by name, its input as the API
 * documents it, the parsed response back. @internal
 */
export function huaweiSend(client: HuaweiClient): NativeSend<HuaweiOperation> {
  return async (action, input = {}, options = {}) =>
    (await client.operate(
      knownAction('huawei', action, HUAWEI_OPERATION_NAMES),
      input,
      options.signal,
    )) as Record<string, unknown>;
}

/** Sends any action of the native API by its name (`polybus call huawei <Action>`). */
export async function openNativeCall(ctx: ProviderContext): Promise<NativeCall> {
  const send = huaweiSend(openHuaweiClientFrom(ctx).client);
  return (action, input, signal) => send(action as HuaweiOperation, input, signal ? { signal } : {});
}

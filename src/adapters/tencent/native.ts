/**
 * The Tencent native client opened from what the container gives the provider, and `polybus call`'s
 * sender of actions by name. Loaded only when a native call is made.
 */
import type { NativeCall } from '../../core/contract/definition.js';
import { knownAction, type NativeSend } from '../../sdk/native-send.js';
import { type TencentAction, TENCENT_ACTIONS } from './actions.js';
import type { ProviderContext } from '../../core/runtime/container.js';
import { z } from 'zod';
import { parseInput } from '../../core/runtime/parse.js';
import { TencentOptionsSchema } from './options.js';
import type { TencentCredentials } from './auth.js';
import type { TencentClient } from './client.js';
import { createTencentClient } from './index.js';

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

/** The response of any action, as the API returns it (parsed JSON, `RequestId` included). */
const ANY_RESPONSE = z.looseObject({});

/**
 * One typed sender over the client: any action of {@link TENCENT_ACTIONS} by name, its params as
 * the API documents them, the parsed response back (no schema needed). Creates, puts and
 * publishes are not resent on an ambiguous failure. @internal
 */
export function tencentSend(client: TencentClient): NativeSend<TencentAction> {
  return async (action, input = {}, options = {}) =>
    client.call(knownAction('tencent', action, TENCENT_ACTIONS), input, ANY_RESPONSE, {
      ...(options.signal ? { signal: options.signal } : {}),
      idempotent: !/^(Create|Put|Publish)/.test(action),
    });
}

/** Sends any action of the native API by its name (`polybus call tencent <Action>`). */
export async function openNativeCall(ctx: ProviderContext): Promise<NativeCall> {
  const send = tencentSend(openTencentClientFrom(ctx).client);
  return (action, input, signal) => send(action as TencentAction, input, signal ? { signal } : {});
}

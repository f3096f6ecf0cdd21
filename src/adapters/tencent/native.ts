/**
 * The Tencent native client opened from what the container gives the provider, and `polybus call`'s
 * sender of actions by name. Loaded only when a native call is made.
 */
import type { NativeCall } from '../../core/contract/definition.js';
import type { ProviderContext } from '../../core/runtime/container.js';
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

/** Sends any action of the native API by its name (`polybus call tencent <Action>`). */
export async function openNativeCall(ctx: ProviderContext): Promise<NativeCall> {
  const { client } = openTencentClientFrom(ctx);
  const { z } = await import('zod');
  const any = z.looseObject({});
  return (action, input, signal) =>
    client.call(action, input, any, {
      ...(signal ? { signal } : {}),
      idempotent: !/^(Create|Put|Publish)/.test(action),
    });
}

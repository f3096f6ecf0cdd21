/**
 * The Azure native client opened from what the container gives the provider, and `polybus
 * call`'s sender of ARM operations by name. Loaded only when a native call is made.
 */
import type { NativeCall } from '../../core/contract/definition.js';
import { invalidArgument } from '../../core/model/errors.js';
import type { ProviderContext } from '../../core/runtime/container.js';
import { parseInput } from '../../core/runtime/parse.js';
import { collect } from '../../core/runtime/resources.js';
import type { NativeSend } from '../../sdk/native-send.js';
import { knownAction } from '../../sdk/native-send.js';
import { AZURE_OPERATION_NAMES, AZURE_OPERATIONS, type AzureOperation } from './actions.js';
import type { AzureCredentials } from './auth.js';
import type { AzureClient } from './client.js';
import { createAzureClient } from './index.js';
import { AzureOptionsSchema } from './options.js';

/** The client from a provider context. @internal */
export function openAzureClientFrom(ctx: ProviderContext): {
  client: AzureClient;
  subscriptionId: string;
  resourceGroup: string;
} {
  const { client, subscriptionId, resourceGroup } = createAzureClient({
    transport: ctx.transport,
    env: ctx.env,
    ...parseInput(AzureOptionsSchema, ctx.options, 'azure', 'configure'),
    ...(ctx.credentials ? { credentials: ctx.credentials as () => Promise<AzureCredentials> } : {}),
  });
  return { client, subscriptionId, resourceGroup };
}

/**
 * Sends one ARM operation by its operation id: `{name}` path segments come from the input
 * (`resourceGroupName` defaults to the provider's), `body` is the request body; a list answers
 * `{ value: [...] }` with every page; a long-running operation is polled to its end.
 */
export async function operateAzure(
  client: AzureClient,
  name: string,
  input: Record<string, unknown> = {},
  signal?: AbortSignal,
): Promise<unknown> {
  if (!Object.hasOwn(AZURE_OPERATIONS, name))
    throw invalidArgument('azure', name, [
      { field: 'operation', rule: `one of ${Object.keys(AZURE_OPERATIONS).join(', ')}` },
    ]);
  const op = name as AzureOperation;
  const spec = AZURE_OPERATIONS[op];
  const params: Record<string, string> = {};
  for (const [, p] of spec.path.matchAll(/\{(\w+)\}/g))
    if (typeof input[p!] === 'string') params[p!] = input[p!] as string;
  if ('list' in spec) return { value: await collect(client.list(op, { params, signal })) };
  const res = await client.call(op, {
    params,
    ...('body' in spec ? { body: input.body ?? {} } : {}),
    signal,
  });
  return res.body ?? {};
}

/** The entry's typed sender: an unknown operation is refused with the close matches. @internal */
export function azureSend(client: AzureClient): NativeSend<AzureOperation> {
  return async (action, input = {}, options = {}) =>
    (await operateAzure(
      client,
      knownAction('azure', action, AZURE_OPERATION_NAMES),
      input,
      options.signal,
    )) as Record<string, unknown>;
}

/** Sends any operation of the catalog by its name (`polybus call azure <Operation>`). */
export async function openNativeCall(ctx: ProviderContext): Promise<NativeCall> {
  const { client } = openAzureClientFrom(ctx);
  return (action, input, signal) => operateAzure(client, action, input, signal);
}

// Opens a bundled adapter's native client with what `createPolybus` would give its provider
// (bound options, credentials, environment, the transport with its retries, rate limits, hooks and
// redaction), for the `polybus/<provider>` entries and `polybus call`. It loads an adapter only
// when asked for one, and must never be imported by the root entry.
import { PROVIDERS } from '../adapters/registry.js';
import type { NativeCall } from '../core/contract/definition.js';
import { invalidArgument } from '../core/model/errors.js';
import {
  containerOf,
  type CredentialSource,
  type Env,
  type ProviderContext,
  TYPES,
} from '../core/runtime/container.js';
import type { Clock, Transport } from '../core/runtime/transport.js';
import { knownAction } from './native-send.js';
import { withPeers } from './peer.js';
import { createPolybus, definitionOf, type PolybusOptions, type ProviderName } from './create.js';

/** What a provider factory would get from a container built by `createPolybus(options)`. */
export function nativeContext(
  name: ProviderName,
  options: PolybusOptions = {},
): { ctx: ProviderContext; close: () => Promise<void> } {
  const container = containerOf(createPolybus(options));
  const transport = container.get<Transport>(TYPES.Transport);
  const credentials = container.get<CredentialSource<unknown>>(TYPES.Credentials, {
    name,
    optional: true,
  });
  const ctx: ProviderContext = {
    transport,
    clock: container.get<Clock>(TYPES.Clock),
    env: container.get<Env>(TYPES.Env),
    options: container.get<Record<string, unknown>>(TYPES.ProviderOptions, { name, optional: true }) ?? {},
    ...(credentials ? { credentials } : {}),
  };
  return { ctx, close: () => transport.close() };
}

/** Every native action each bundled provider can send by name (data; no adapter is loaded). */
export const NATIVE_ACTIONS: { [P in ProviderName]: readonly string[] } = Object.fromEntries(
  PROVIDERS.map((p) => [p.name, p.nativeActions]),
) as { [P in ProviderName]: readonly string[] };

/** Sends one native action by name and returns the provider's parsed response. */
export type { NativeCall };

export { closeMatches, editDistance } from './native-send.js';

/**
 * Sends `action` to `provider` by its native name with polybus's credentials, signing, retries and
 * rate limits. An unknown provider or action is an `InvalidArgument` naming the close matches.
 */
export async function callNative(
  provider: string,
  action: string,
  input: Record<string, unknown>,
  options: PolybusOptions = {},
  signal?: AbortSignal,
): Promise<unknown> {
  const names = Object.keys(NATIVE_ACTIONS);
  if (!(provider in NATIVE_ACTIONS))
    throw invalidArgument('polybus', 'call', [
      { field: 'provider', rule: `must be one of ${names.join(', ')}` },
    ]);
  const p = provider as ProviderName;
  knownAction(p, action, NATIVE_ACTIONS[p]);
  const { ctx, close } = nativeContext(p, options);
  try {
    const definition = definitionOf(p)!;
    const send = await withPeers(definition, () => definition.openNative(ctx));
    return await send(action, input, signal);
  } finally {
    await close();
  }
}

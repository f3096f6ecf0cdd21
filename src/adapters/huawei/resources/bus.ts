/**
 * Buses as EventGrid custom channels: create (with its read-after-write lookup by name), get,
 * list (the custom ones), update and delete, and the channel settings of `extensions.huawei`.
 */
import { type ListOptions } from '../../../core/contract/calls.js';
import { type EventProvider } from '../../../core/contract/provider.js';
import { assertMutable } from '../../../core/runtime/checks.js';
import { parseInput } from '../../../core/runtime/parse.js';
import { createWithLookup, findFirst } from '../../../core/runtime/read-after-write.js';
import { mapAsync } from '../../../core/runtime/resources.js';
import { huaweiMutability } from '../capabilities.js';
import type { HuaweiChannelSettings } from '../client.js';
import { busFromHuawei, HuaweiBusInput } from '../mapping.js';
import { type HuaweiResourceContext, P, sig } from './context.js';

/** The channel settings of `extensions.huawei` (already validated by HuaweiBusInput). */
const channelSettings = (input: {
  extensions?: Record<string, Record<string, unknown>> | undefined;
}): HuaweiChannelSettings => {
  const { enterprise_project_id, cross_account, policy } = input.extensions?.huawei ?? {};
  return {
    ...(typeof enterprise_project_id === 'string' ? { enterprise_project_id } : {}),
    ...(typeof cross_account === 'boolean' ? { cross_account } : {}),
    ...(policy && typeof policy === 'object' ? { policy: policy as Record<string, unknown> } : {}),
  };
};

/** The bus operations over the provider's client. */
export function createBuses({ client, wait }: HuaweiResourceContext): EventProvider['buses'] {
  return {
    async create(raw, o) {
      const input = parseInput(HuaweiBusInput, raw, P, 'buses.create');
      return createWithLookup(
        async () =>
          busFromHuawei(
            await client.createChannel(
              {
                name: input.name,
                ...(input.description !== undefined ? { description: input.description } : {}),
                ...channelSettings(input),
              },
              sig(o),
            ),
          ),
        async () => {
          const hit = await findFirst(
            client.channels({ name: input.name }, undefined, sig(o)),
            (c) => c.name === input.name,
          );
          return hit ? busFromHuawei(hit) : undefined;
        },
        wait(o),
      );
    },
    get: async (id, o) => busFromHuawei(await client.getChannel(id, sig(o))),
    // Official channels (provider_type OFFICIAL) cannot be managed: list the custom ones.
    list: (o?: ListOptions) =>
      mapAsync(client.channels({ provider_type: 'CUSTOM' }, o?.pageSize, o?.signal), busFromHuawei),
    async update(id, raw, o) {
      assertMutable(P, 'bus', huaweiMutability, raw, 'buses.update');
      const patch = parseInput(HuaweiBusInput.partial(), raw, P, 'buses.update');
      return busFromHuawei(
        await client.updateChannel(
          id,
          {
            ...(patch.description !== undefined ? { description: patch.description } : {}),
            ...channelSettings(patch),
          },
          sig(o),
        ),
      );
    },
    async delete(id, o) {
      await client.deleteChannel(id, sig(o));
    },
  };
}

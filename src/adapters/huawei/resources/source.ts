/**
 * Sources as EventGrid custom event sources on a channel: create (with its read-after-write
 * lookup by name), get, list (the custom ones, of one channel or all), update and delete.
 */
import { type ListOptions } from '../../../core/contract/calls.js';
import { type EventProvider } from '../../../core/contract/provider.js';
import { assertMutable } from '../../../core/runtime/checks.js';
import { parseInput } from '../../../core/runtime/parse.js';
import { createWithLookup, findFirst } from '../../../core/runtime/read-after-write.js';
import { mapAsync } from '../../../core/runtime/resources.js';
import { huaweiMutability } from '../capabilities.js';
import { HUAWEI_SOURCE_TYPES, HuaweiSourceInput, sourceFromHuawei } from '../mapping.js';
import { type HuaweiResourceContext, P, sig } from './context.js';

/** The source operations over the provider's client. */
export function createSources({ client, wait }: HuaweiResourceContext): EventProvider['sources'] {
  return {
    async create(raw, o) {
      const input = parseInput(HuaweiSourceInput, raw, P, 'sources.create');
      return createWithLookup(
        async () =>
          sourceFromHuawei(
            await client.createSource(
              {
                name: input.name,
                channel_id: input.bus,
                type: HUAWEI_SOURCE_TYPES[input.kind],
                ...(input.description !== undefined ? { description: input.description } : {}),
                ...(input.detail ? { detail: input.detail } : {}),
              },
              sig(o),
            ),
          ),
        async () => {
          const hit = await findFirst(
            client.sources({ name: input.name }, undefined, sig(o)),
            (s) => s.name === input.name,
          );
          return hit ? sourceFromHuawei(hit) : undefined;
        },
        wait(o),
      );
    },
    get: async (id, o) => sourceFromHuawei(await client.getSource(id, sig(o))),
    list: (o?: ListOptions) =>
      mapAsync(
        client.sources(
          { ...(o?.bus ? { channel_id: o.bus } : {}), provider_type: 'CUSTOM' },
          o?.pageSize,
          o?.signal,
        ),
        sourceFromHuawei,
      ),
    async update(id, raw, o) {
      assertMutable(P, 'source', huaweiMutability, raw, 'sources.update');
      const patch = parseInput(HuaweiSourceInput.partial(), raw, P, 'sources.update');
      return sourceFromHuawei(
        await client.updateSource(
          id,
          {
            ...(patch.description !== undefined ? { description: patch.description } : {}),
            ...(patch.detail !== undefined ? { detail: patch.detail } : {}),
          },
          sig(o),
        ),
      );
    },
    async delete(id, o) {
      await client.deleteSource(id, sig(o));
    },
  };
}

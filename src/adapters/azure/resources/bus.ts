/**
 * Buses as Event Grid custom topics in the provider's resource group: create (PUT, long-running,
 * CloudEvents input schema, the provider's region as `location`), get, list (`nextLink` pages),
 * update (PATCH: tags and the public-access properties) and delete (long-running).
 */
import { type ListOptions } from '../../../core/contract/calls.js';
import { type EventProvider } from '../../../core/contract/provider.js';
import { assertMutable } from '../../../core/runtime/checks.js';
import { PolybusError } from '../../../core/model/errors.js';
import { parseInput } from '../../../core/runtime/parse.js';
import { createWithLookup } from '../../../core/runtime/read-after-write.js';
import { mapAsync } from '../../../core/runtime/resources.js';
import { azureMutability } from '../capabilities.js';
import { AzureBusInput, busFromAzure, topicName } from '../mapping.js';
import { alreadyExists, type AzureResourceContext, P, sig } from './context.js';

/** The bus operations over the provider's client. */
export function createBuses({ client, region, wait }: AzureResourceContext): EventProvider['buses'] {
  const name = (id: string, op: string) => parseInput(topicName, id, P, op);
  return {
    async create(raw, o) {
      const input = parseInput(AzureBusInput, raw, P, 'buses.create');
      // ARM PUT would update a topic of that name in place: a create refuses to.
      if (await client.exists('Topics_Get', { topicName: input.name }, sig(o)))
        throw alreadyExists(
          'buses.create',
          `topic ${input.name} already exists in resource group ${client.resourceGroup}`,
        );
      // ARM PUT is create-or-update: a resend after a lost answer finds the same topic, and a
      // create that failed ambiguously is looked up before anything is sent again.
      const put = async () => {
        const res = await client.call('Topics_CreateOrUpdate', {
          params: { topicName: input.name },
          body: {
            location: region,
            ...(input.tags ? { tags: input.tags } : {}),
            properties: { inputSchema: 'CloudEventSchemaV1_0', ...(input.extensions?.azure ?? {}) },
          },
          signal: sig(o),
        });
        return busFromAzure(res.body as Record<string, unknown>);
      };
      const lookup = async () => {
        const res = await client
          .call('Topics_Get', { params: { topicName: input.name }, signal: sig(o) })
          .catch((e: unknown) => {
            if (e instanceof PolybusError && e.code === 'NotFound') return undefined;
            throw e;
          });
        return res ? busFromAzure(res.body as Record<string, unknown>) : undefined;
      };
      return createWithLookup(put, lookup, wait(o));
    },
    get: async (id, o) =>
      busFromAzure(
        (await client.call('Topics_Get', { params: { topicName: name(id, 'buses.get') }, signal: sig(o) }))
          .body as Record<string, unknown>,
      ),
    list: (o?: ListOptions) =>
      mapAsync(client.list('Topics_ListByResourceGroup', { signal: o?.signal }, o?.pageSize), busFromAzure),
    async update(id, raw, o) {
      assertMutable(P, 'bus', azureMutability, raw, 'buses.update');
      const patch = parseInput(AzureBusInput.partial(), raw, P, 'buses.update');
      const res = await client.call('Topics_Update', {
        params: { topicName: name(id, 'buses.update') },
        body: {
          ...(patch.tags ? { tags: patch.tags } : {}),
          ...(patch.extensions?.azure ? { properties: patch.extensions.azure } : {}),
        },
        signal: sig(o),
      });
      return busFromAzure(res.body as Record<string, unknown>);
    },
    async delete(id, o) {
      await client.call('Topics_Delete', { params: { topicName: name(id, 'buses.delete') }, signal: sig(o) });
    },
  };
}

/**
 * Tencent connectors (the neutral connections) of a bus: CreateConnection/ListConnections/
 * UpdateConnection/DeleteConnection, and the finder that reads one through ListConnections.
 */
import { PolybusError } from '../../../core/model/errors.js';
import { parseInput } from '../../../core/runtime/parse.js';
import { assertMutable } from '../../../core/runtime/checks.js';
import { flatMapAsync, mapAsync } from '../../../core/runtime/resources.js';
import type { ListOptions } from '../../../core/contract/calls.js';
import { createWithLookup, findFirst, readAfterWrite } from '../../../core/runtime/read-after-write.js';
import type { EventProvider } from '../../../core/contract/provider.js';
import { tencentMutability } from '../capabilities.js';
import type { TencentConnectionDescription } from '../client.js';
import {
  connectionFromTencent,
  rejectUnsupportedConnectionSettings,
  splitChildId,
  TencentConnectionInput,
} from '../mapping.js';
import { allBusIds } from './bus.js';
import { enableOf, ext, P, sent, sig, type TencentContext } from './context.js';

/** One connector of a bus, found through ListConnections (there is no GetConnection). */
export const findConnection = async (
  { client }: TencentContext,
  busId: string,
  connectionId: string,
  signal?: AbortSignal,
) => {
  const found = await findFirst(
    client.connections(busId, 100, signal),
    (c) => c.ConnectionId === connectionId,
  );
  if (!found) {
    throw new PolybusError({
      code: 'NotFound',
      provider: P,
      operation: 'ListConnections',
      providerCode: 'ResourceNotFound.Connection',
      resource: `${busId}/${connectionId}`,
      message: `connector ${connectionId} not found on bus ${busId}`,
    });
  }
  return connectionFromTencent(found);
};

/** The `connections` member of the provider. */
export function createConnections(ctx: TencentContext): EventProvider['connections'] {
  const { client, wait } = ctx;
  return {
    async create(raw, o) {
      rejectUnsupportedConnectionSettings(raw, 'connections.create');
      const input = parseInput(TencentConnectionInput, raw, P, 'connections.create');
      const Enable = enableOf(input);
      const { APIGWParams, CkafkaParams, DTSParams } = ext(input);
      const description = {
        ResourceDescription: input.endpoint,
        ...(APIGWParams !== undefined ? { APIGWParams } : {}),
        ...(CkafkaParams !== undefined ? { CkafkaParams } : {}),
        ...(DTSParams !== undefined ? { DTSParams } : {}),
      } as TencentConnectionDescription;
      return createWithLookup(
        async () => {
          const { ConnectionId } = await client.createConnection(
            {
              EventBusId: input.bus,
              ConnectionName: input.name,
              ConnectionDescription: description,
              Type: input.kind,
              Enable: Enable ?? true,
              ...(input.description !== undefined ? { Description: input.description } : {}),
            },
            sig(o),
          );
          return readAfterWrite(
            () => findConnection(ctx, input.bus, ConnectionId, sig(o)),
            () => sent(`${input.bus}/${ConnectionId}`, input),
            wait(o),
          );
        },
        async () => {
          const hit = await findFirst(
            client.connections(input.bus, 100, sig(o)),
            (c) => c.ConnectionName === input.name,
          );
          return hit ? connectionFromTencent(hit) : undefined;
        },
        wait(o),
      );
    },
    get(id, o) {
      const { busId, childId } = splitChildId(id, 'connections.get');
      return findConnection(ctx, busId, childId, sig(o));
    },
    list(o?: ListOptions) {
      const of = (busId: string) =>
        mapAsync(client.connections(busId, o?.pageSize, o?.signal), connectionFromTencent);
      return o?.bus ? of(o.bus) : flatMapAsync(allBusIds(ctx, o?.signal), of);
    },
    async update(id, raw, o) {
      const { busId, childId } = splitChildId(id, 'connections.update');
      assertMutable(P, 'connection', tencentMutability, raw, 'connections.update');
      rejectUnsupportedConnectionSettings(raw, 'connections.update');
      const patch = parseInput(TencentConnectionInput.partial(), raw, P, 'connections.update');
      const enable = enableOf(patch);
      await client.updateConnection(
        {
          EventBusId: busId,
          ConnectionId: childId,
          ...(enable !== undefined ? { Enable: enable } : {}),
          ...(patch.name !== undefined ? { ConnectionName: patch.name } : {}),
          ...(patch.description !== undefined ? { Description: patch.description } : {}),
        },
        sig(o),
      );
      return readAfterWrite(
        () => findConnection(ctx, busId, childId, sig(o)),
        () => sent(id, patch),
        wait(o),
      );
    },
    async delete(id, o) {
      const { busId, childId } = splitChildId(id, 'connections.delete');
      await client.deleteConnection({ EventBusId: busId, ConnectionId: childId }, sig(o));
    },
  };
}

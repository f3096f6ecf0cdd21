/**
 * Connections (webhook or Kafka, in a VPC subnet): create (with its read-after-write lookup by
 * name, then the CREATING wait), get, list, update (the description only) and delete.
 */
import { type ListOptions } from '../../../core/contract/calls.js';
import { type EventProvider } from '../../../core/contract/provider.js';
import { invalidArgument } from '../../../core/model/errors.js';
import { assertMutable } from '../../../core/runtime/checks.js';
import { parseInput } from '../../../core/runtime/parse.js';
import { createWithLookup, findFirst } from '../../../core/runtime/read-after-write.js';
import { mapAsync } from '../../../core/runtime/resources.js';
import { huaweiMutability } from '../capabilities.js';
import { connectionFromHuawei, HuaweiConnectionInput } from '../mapping.js';
import { awaitConnection } from './connection-wait.js';
import { type HuaweiResourceContext, P, sig } from './context.js';

/** The connection operations over the provider's client. */
export function createConnections(ctx: HuaweiResourceContext): EventProvider['connections'] {
  const { client, wait } = ctx;
  return {
    async create(raw, o) {
      const input = parseInput(HuaweiConnectionInput, raw, P, 'connections.create');
      const k = input.kafka;
      const created = await createWithLookup(
        () =>
          client.createConnection(
            {
              name: input.name,
              ...(input.description !== undefined ? { description: input.description } : {}),
              vpc_id: input.network.vpcId,
              subnet_id: input.network.subnetId,
              type: input.kind === 'kafka' ? 'kafka' : 'webhook',
              ...(k
                ? {
                    kafka_detail: {
                      instance_id: k.instanceId,
                      addr: k.address,
                      enable_sasl_ssl: k.saslSsl,
                      ...(k.securityProtocol ? { security_protocol: k.securityProtocol } : {}),
                      ...(k.username ? { user_name: k.username } : {}),
                      ...(k.password ? { password: k.password } : {}),
                      ...(k.acks ? { acks: k.acks } : {}),
                    },
                  }
                : {}),
            },
            sig(o),
          ),
        () =>
          findFirst(
            client.connections({ name: input.name }, undefined, sig(o)),
            (c) => c.name === input.name,
          ),
        wait(o),
      );
      return awaitConnection(ctx, created, sig(o));
    },
    get: async (id, o) => connectionFromHuawei(await client.getConnection(id, sig(o))),
    list: (o?: ListOptions) => mapAsync(client.connections({}, o?.pageSize, o?.signal), connectionFromHuawei),
    async update(id, raw, o) {
      assertMutable(P, 'connection', huaweiMutability, raw, 'connections.update');
      if (
        raw.description !== undefined &&
        (typeof raw.description !== 'string' || raw.description.length > 255)
      ) {
        throw invalidArgument(P, 'connections.update', [
          { field: 'description', rule: 'description can contain at most 255 characters' },
        ]);
      }
      return connectionFromHuawei(
        await client.updateConnection(
          id,
          { ...(raw.description !== undefined ? { description: raw.description as string } : {}) },
          sig(o),
        ),
      );
    },
    async delete(id, o) {
      await client.deleteConnection(id, sig(o));
    },
  };
}

/**
 * The emulator's connections: CreateConnection (webhook or Kafka, created asynchronously:
 * CREATING, then CREATED after `connectionReadyMs`), ShowConnection, ListConnections,
 * UpdateConnection and DeleteConnection.
 */
import { randomUUID } from 'node:crypto';
import {
  bad,
  checkDescription,
  getRow,
  type Handlers,
  type HuaweiEmulatorScope,
  NAME,
  now,
  page,
  type Row,
  requestBody,
  unique,
} from './common.js';

/** The connection operations over the current project's connections. */
export function connectionHandlers(
  emu: HuaweiEmulatorScope,
  connectionReadyMs: number,
): Pick<
  Handlers,
  'CreateConnection' | 'ShowConnection' | 'ListConnections' | 'UpdateConnection' | 'DeleteConnection'
> {
  const connectionView = (c: Row): Row => {
    const { _created, ...rest } = c;
    if (rest.status === 'CREATING' && Date.now() - Number(_created) >= connectionReadyMs) {
      c.status = 'CREATED';
      rest.status = 'CREATED';
    }
    return rest;
  };

  return {
    CreateConnection: (_id, req) => {
      const b = requestBody(req);
      if (typeof b.name !== 'string' || !NAME.test(b.name) || b.name === 'default') {
        throw bad(
          'Bad request: name must be letters, digits, periods, underscores or hyphens, start with a letter or digit, and not be default',
        );
      }
      if (typeof b.vpc_id !== 'string' || !b.vpc_id) throw bad('Bad request: vpc_id is mandatory');
      if (typeof b.subnet_id !== 'string' || !b.subnet_id) throw bad('Bad request: subnet_id is mandatory');
      // The seed's example sends `"type": { }`; the emulator treats a non-string type as webhook.
      const type = typeof b.type === 'string' ? b.type : 'webhook';
      if (type !== 'webhook' && type !== 'kafka') throw bad('Bad request: type must be webhook or kafka');
      const k = b.kafka_detail as Row | undefined;
      if (type === 'kafka') {
        if (
          !k ||
          typeof k.instance_id !== 'string' ||
          typeof k.addr !== 'string' ||
          typeof k.enable_sasl_ssl !== 'boolean'
        ) {
          throw bad('Bad request: kafka_detail.instance_id, addr and enable_sasl_ssl are mandatory');
        }
        if (k.enable_sasl_ssl && (!k.user_name || !k.password))
          throw bad('Bad request: user_name and password are mandatory when SASL_SSL is enabled');
      }
      unique(emu.connections, b.name);
      const row: Row = {
        id: randomUUID(),
        name: b.name,
        description: b.description ?? '',
        status: 'CREATING',
        error_info: {},
        vpc_id: b.vpc_id,
        subnet_id: b.subnet_id,
        agency: 'EG_TRUST',
        flavor: {
          name: 'default',
          concurrency_type: 'exclusive',
          concurrency: 500,
          bandwidth_type: 'exclusive',
        },
        type,
        kafka_detail: k ?? {},
        created_time: now(),
        updated_time: now(),
        _created: Date.now(),
      };
      emu.connections.set(String(row.id), row);
      return { status: 200, body: connectionView(row) };
    },
    ShowConnection: (id) => ({
      status: 200,
      body: connectionView(getRow(emu.connections, id, 'connection')),
    }),
    ListConnections: (_id, _req, q) =>
      page(
        q,
        [...emu.connections.values()].map((c) => connectionView(c)),
      ),
    UpdateConnection: (id, req) => {
      const row = getRow(emu.connections, id, 'connection');
      const b = requestBody(req);
      checkDescription(b.description);
      if (b.description !== undefined) row.description = b.description;
      row.updated_time = now();
      return { status: 200, body: connectionView(row) };
    },
    DeleteConnection: (id) => {
      getRow(emu.connections, id, 'connection');
      emu.connections.delete(id!);
      return { status: 204 };
    },
  };
}

/**
 * The connection CREATING wait: EventGrid creates connections asynchronously, so create polls the
 * new connection until it leaves CREATING (or the wait budget runs out).
 */
import { PolybusError } from '../../../core/model/errors.js';
import { type Connection } from '../../../core/model/resources.js';
import { lookupAfterWrite } from '../../../core/runtime/read-after-write.js';
import type { HuaweiConnection } from '../client.js';
import { connectionFromHuawei } from '../mapping.js';
import { type HuaweiResourceContext, P } from './context.js';

/** Polls a new connection until it leaves CREATING; creation is asynchronous. */
export async function awaitConnection(
  { client, transport, waitMs }: HuaweiResourceContext,
  c: HuaweiConnection,
  signal?: AbortSignal,
): Promise<Connection> {
  const started = transport.clock.now();
  let current = c;
  for (let delay = 100; current.status === 'CREATING'; delay = Math.min(delay * 2, 2000)) {
    if (transport.clock.now() - started + delay > waitMs) {
      throw new PolybusError({
        code: 'Timeout',
        provider: P,
        operation: 'connections.create',
        resource: c.id,
        message: `connection ${c.id} still CREATING after ${waitMs} ms`,
      });
    }
    await transport.clock.sleep(delay, signal);
    const seen = await lookupAfterWrite(() => client.getConnection(c.id, signal), {
      clock: transport.clock,
      ...(signal ? { signal } : {}),
    });
    // Still not readable after the write: report what the create answered, unconfirmed.
    if (!seen) return { ...connectionFromHuawei(current), unconfirmed: true };
    current = seen;
  }
  if (current.status === 'CREATE_FAILED') {
    throw new PolybusError({
      code: 'Conflict',
      provider: P,
      operation: 'connections.create',
      resource: c.id,
      providerCode: current.error_info?.error_code ?? 'CREATE_FAILED',
      message: `connection ${c.id} failed: ${current.error_info?.error_msg ?? 'CREATE_FAILED'}`,
    });
  }
  return connectionFromHuawei(current);
}

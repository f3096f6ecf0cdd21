/**
 * What every Huawei resource kind shares: the EventGrid client, the transport, the connection
 * CREATING wait budget and the read-after-write wait, built once by createHuaweiProvider.
 */
import { type CallOptions } from '../../../core/contract/calls.js';
import type { WaitContext } from '../../../core/runtime/read-after-write.js';
import type { Transport } from '../../../core/runtime/transport.js';
import type { HuaweiClient } from '../client.js';

export const P = 'huawei';
export const sig = (o?: CallOptions) => o?.signal;

/** The per-provider context each kind's factory receives. */
export interface HuaweiResourceContext {
  client: HuaweiClient;
  transport: Transport;
  /** How long create waits for a connection to leave CREATING. */
  waitMs: number;
  /** The read-after-write wait of a call: the transport's clock and the caller's signal. */
  wait: (o?: CallOptions) => WaitContext;
}

/** The context of one provider; `waitMs` is already defaulted. */
export function huaweiResourceContext(
  client: HuaweiClient,
  transport: Transport,
  waitMs: number,
): HuaweiResourceContext {
  const wait = (o?: CallOptions) => ({ clock: transport.clock, ...(o?.signal ? { signal: o.signal } : {}) });
  return { client, transport, waitMs, wait };
}

/**
 * What every Azure resource kind shares: the ARM client, the transport, the region new topics go
 * to, the case mode of filter translations and the read-after-write wait; built once by
 * createAzureProvider.
 */
import { type CallOptions } from '../../../core/contract/calls.js';
import { PolybusError } from '../../../core/model/errors.js';
import type { WaitContext } from '../../../core/runtime/read-after-write.js';
import type { Transport } from '../../../core/runtime/transport.js';
import type { AzureClient } from '../client.js';
import type { CaseMode } from '../routing.js';

export const P = 'azure';
export const sig = (o?: CallOptions) => o?.signal;

/** The per-provider context each kind's factory receives. */
export interface AzureResourceContext {
  client: AzureClient;
  transport: Transport;
  /** `location` of the topics polybus creates. */
  region: string;
  caseMode: CaseMode;
  wait: (o?: CallOptions) => WaitContext;
}

/** The context of one provider. */
export function azureResourceContext(
  client: AzureClient,
  transport: Transport,
  region: string,
  caseMode: CaseMode,
): AzureResourceContext {
  const wait = (o?: CallOptions) => ({ clock: transport.clock, ...(o?.signal ? { signal: o.signal } : {}) });
  return { client, transport, region, caseMode, wait };
}

/** The AlreadyExists of a create whose name is taken (ARM PUT itself would update in place). */
export function alreadyExists(operation: string, message: string): PolybusError {
  return new PolybusError({
    code: 'AlreadyExists',
    provider: P,
    operation,
    message: `${operation}: ${message}`,
  });
}

/**
 * What every AWS resource kind shares, built once per provider: the client, the read-after-write
 * wait of a call, and the provider name and id check their errors carry.
 */
import type { z } from 'zod';
import { invalidArgument } from '../../../core/model/errors.js';
import { issuesOf } from '../../../core/runtime/parse.js';
import type { CallOptions } from '../../../core/contract/calls.js';
import type { WaitContext } from '../../../core/runtime/read-after-write.js';
import type { Transport } from '../../../core/runtime/transport.js';
import type { AwsClient } from '../client.js';

export const P = 'aws';
export const sig = (o?: CallOptions) => o?.signal;

/** The per-provider context each kind's factory (`createBuses(ctx)`, ...) gets. */
export interface AwsContext {
  /** The AppIntegrations + EventBridge client of the provider. */
  readonly client: AwsClient;
  /** What the read-after-write helpers wait with for a call: the transport's clock, the call's signal. */
  readonly wait: (o?: CallOptions) => WaitContext;
}

/** The context of a provider over `client`, waiting on the clock of `options.transport`. */
export function createAwsContext(client: AwsClient, options: { transport: Transport }): AwsContext {
  const wait = (o?: CallOptions) => ({
    clock: options.transport.clock,
    ...(o?.signal ? { signal: o.signal } : {}),
  });
  return { client, wait };
}

/** Refuses an id that breaks its documented pattern before any request is built. */
export function checkId(schema: z.ZodType, id: string, operation: string): string {
  const issues = issuesOf(schema, id).map((i) => ({ ...i, field: 'id' }));
  if (issues.length) throw invalidArgument(P, operation, issues);
  return id;
}

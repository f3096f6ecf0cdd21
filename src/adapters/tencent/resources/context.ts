/**
 * What every resource kind of the Tencent provider shares: the EventBridge and tag-service clients,
 * built once per provider, the read-after-write wait, and the small helpers of their calls.
 */
import { isPolybusError } from '../../../core/model/errors.js';
import { parseEndpoint } from '../../../core/runtime/checks.js';
import type { CallOptions } from '../../../core/contract/calls.js';
import type { WaitContext } from '../../../core/runtime/read-after-write.js';
import { TENCENT_TAG_SERVICE, TencentClient } from '../client.js';
import { TencentTags } from '../tags.js';
import type { createTencentClient, TencentProviderOptions } from '../setup.js';

export const P = 'tencent';
export const sig = (o?: CallOptions) => o?.signal;
/** What a write sent, as the neutral resource, for a write whose read-back is not visible yet. */
export const sent = <T>(id: string, input: object): T =>
  ({ ...stripUndefined(input), id, name: (input as { name?: string }).name ?? id, provider: P }) as T;
const stripUndefined = (o: object) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
export const ext = (input: { extensions?: Record<string, Record<string, unknown>> | undefined }) =>
  input.extensions?.tencent ?? {};

/** The Enable switch of a rule or connector: neutral `enabled`, else `extensions.tencent.Enable`. */
export const enableOf = (input: {
  enabled?: boolean | undefined;
  extensions?: Record<string, Record<string, unknown>> | undefined;
}): boolean | undefined => {
  const native = ext(input).Enable;
  return input.enabled ?? (typeof native === 'boolean' ? native : undefined);
};

/** Swallows NotFound (a delete of what is already gone), rethrows anything else. */
export const ignoreNotFound = (err: unknown) => {
  if (!(isPolybusError(err) && err.code === 'NotFound')) throw err;
};
/** A listed item read in full; undefined when it was deleted between the list and the read. */
export const fullOrGone = async <T>(read: () => Promise<T>): Promise<T | undefined> =>
  read().catch((err: unknown) => {
    if (isPolybusError(err) && err.code === 'NotFound') return undefined;
    throw err;
  });
export const present = <T>(items: AsyncIterable<T | undefined>): AsyncIterable<T> => ({
  async *[Symbol.asyncIterator]() {
    for await (const i of items) if (i !== undefined) yield i;
  },
});
export const withTags = <T extends object>(r: T, t: Record<string, string>): T =>
  Object.keys(t).length ? { ...r, tags: t } : r;

/** The per-provider state each kind's factory is given. */
export interface TencentContext {
  /** The EventBridge client (see `createTencentClient`). */
  client: TencentClient;
  /** Tags of buses and rules, through the tag service. */
  tags: TencentTags;
  /** The read-after-write wait of a call: the transport's clock and the call's signal. */
  wait: (o?: CallOptions) => WaitContext;
  /** Rules read whose transformation polybus could not read, with why (see `unreadable`). */
  unreadableRules: WeakMap<object, { field: string; detail: string }[]>;
}

/** Builds the context once per provider, from its options and its EventBridge client. */
export function createTencentContext(
  options: TencentProviderOptions,
  { client, credentials, region, endpoint, env }: ReturnType<typeof createTencentClient>,
): TencentContext {
  const tagOrigin = options.tagEndpoint ?? env.POLYBUS_TENCENT_TAG_ENDPOINT;
  const tags = new TencentTags(
    new TencentClient({
      transport: options.transport,
      credentials,
      region,
      endpoint:
        tagOrigin !== undefined
          ? parseEndpoint(
              P,
              options.tagEndpoint !== undefined ? 'tagEndpoint' : 'POLYBUS_TENCENT_TAG_ENDPOINT',
              tagOrigin,
            )
          : endpoint.replace(/^(https?:\/\/)eb\.(.*tencentcloudapi\.com)$/, '$1tag.$2'),
      service: TENCENT_TAG_SERVICE,
    }),
    region,
  );

  const wait = (o?: CallOptions) => ({
    clock: options.transport.clock,
    ...(o?.signal ? { signal: o.signal } : {}),
  });
  return { client, tags, wait, unreadableRules: new WeakMap() };
}

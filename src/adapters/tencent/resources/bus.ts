/**
 * Tencent event buses: CreateEventBus/GetEventBus/ListEventBuses/UpdateEventBus/DeleteEventBus,
 * with their tags from the tag service, and the bus finders the child kinds list through.
 */
import { parseInput } from '../../../core/runtime/parse.js';
import { mapAsync } from '../../../core/runtime/resources.js';
import type { ListOptions } from '../../../core/contract/calls.js';
import { createWithLookup, findFirst, readAfterWrite } from '../../../core/runtime/read-after-write.js';
import type { EventProvider } from '../../../core/contract/provider.js';
import { busFromTencent, checkTencentId, TencentBusInput } from '../mapping.js';
import { ext, fullOrGone, P, present, sent, sig, type TencentContext, withTags } from './context.js';

/**
 * A bus with its tags. `knownTags`: the tags polybus has just written (a read after its own
 * write), taken as they are instead of a tag-service read, which is rate limited like any action
 * and, right after a write, no fresher than what was written.
 */
export const getBus = async (
  { client, tags }: TencentContext,
  id: string,
  signal?: AbortSignal,
  knownTags?: Record<string, string>,
) =>
  withTags(
    busFromTencent(await client.getEventBus({ EventBusId: id }, signal)),
    knownTags ?? (await tags.get('bus', id, signal)),
  );

/** The ids of every bus (what a child kind's list without `bus` walks). */
export const allBusIds = ({ client }: TencentContext, signal?: AbortSignal) =>
  mapAsync(client.eventBuses(100, signal), (b) => b.EventBusId);

/** The `buses` member of the provider. */
export function createBuses(ctx: TencentContext): EventProvider['buses'] {
  const { client, tags, wait } = ctx;
  return {
    async create(raw, o) {
      const input = parseInput(TencentBusInput, raw, P, 'buses.create');
      const { EnableStore: enableStore, LogTopicId } = ext(input);
      return createWithLookup(
        async () => {
          const { EventBusId } = await client.createEventBus(
            {
              EventBusName: input.name,
              ...(input.description !== undefined ? { Description: input.description } : {}),
              ...(input.retentionDays !== undefined
                ? { SaveDays: input.retentionDays, EnableStore: true }
                : {}),
              ...(typeof enableStore === 'boolean' ? { EnableStore: enableStore } : {}),
            },
            sig(o),
          );
          // CreateEventBus takes no LogTopicId: UpdateEventBus sets it right after.
          if (typeof LogTopicId === 'string') await client.updateEventBus({ EventBusId, LogTopicId }, sig(o));
          if (input.tags) await tags.set('bus', EventBusId, input.tags, {}, sig(o));
          return readAfterWrite(
            () => getBus(ctx, EventBusId, sig(o), input.tags ?? {}),
            () => sent(EventBusId, input),
            wait(o),
          );
        },
        async () => {
          const hit = await findFirst(client.eventBuses(100, sig(o)), (b) => b.EventBusName === input.name);
          return hit ? getBus(ctx, hit.EventBusId, sig(o)) : undefined;
        },
        wait(o),
      );
    },
    get: (id, o) => getBus(ctx, checkTencentId(id, 'buses.get'), sig(o)),
    // ListEventBuses' EventBus omits SaveDays/EnableStore, so each bus is read in full (unless
    // the caller asks for the summary: see `listOmits`).
    list: (o?: ListOptions) =>
      o?.summary
        ? mapAsync(client.eventBuses(o.pageSize, o.signal), busFromTencent)
        : present(
            mapAsync(client.eventBuses(o?.pageSize, o?.signal), (b) =>
              fullOrGone(() => getBus(ctx, b.EventBusId, o?.signal)),
            ),
          ),
    async update(id, raw, o) {
      checkTencentId(id, 'buses.update');
      const patch = parseInput(TencentBusInput.partial(), raw, P, 'buses.update');
      const native = ext(patch);
      await client.updateEventBus(
        {
          EventBusId: id,
          ...(patch.name !== undefined ? { EventBusName: patch.name } : {}),
          ...(patch.description !== undefined ? { Description: patch.description } : {}),
          ...(patch.retentionDays !== undefined ? { SaveDays: patch.retentionDays, EnableStore: true } : {}),
          ...(typeof native.EnableStore === 'boolean' ? { EnableStore: native.EnableStore } : {}),
          ...(typeof native.LogTopicId === 'string' ? { LogTopicId: native.LogTopicId } : {}),
        },
        sig(o),
      );
      if (patch.tags) await tags.set('bus', id, patch.tags, await tags.get('bus', id, sig(o)), sig(o));
      return readAfterWrite(
        () => getBus(ctx, id, sig(o), patch.tags),
        () => sent(id, patch),
        wait(o),
      );
    },
    async delete(id, o) {
      await client.deleteEventBus({ EventBusId: checkTencentId(id, 'buses.delete') }, sig(o));
    },
  };
}

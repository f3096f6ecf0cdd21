/**
 * Integrations as EventGrid subscriptions on a channel: create (then the operation call for
 * `enabled: false`), get, list, update (keeping the live source and target ids) and delete.
 */
import { type CallOptions, type ListOptions } from '../../../core/contract/calls.js';
import { type EventProvider } from '../../../core/contract/provider.js';
import { assertMutable } from '../../../core/runtime/checks.js';
import { parseInput } from '../../../core/runtime/parse.js';
import { createWithLookup, findFirst } from '../../../core/runtime/read-after-write.js';
import { mapAsync } from '../../../core/runtime/resources.js';
import { huaweiMutability } from '../capabilities.js';
import { HuaweiIntegrationInput, HuaweiIntegrationPatch, integrationFromHuawei } from '../mapping.js';
import { type HuaweiTarget, huaweiTargetsToNeutral } from '../routing.js';
import { type HuaweiResourceContext, P, sig } from './context.js';
import { route, sourceOf, targetsFrom } from './targets.js';

/** The integration operations over the provider's client. */
export function createIntegrations({ client, wait }: HuaweiResourceContext): EventProvider['integrations'] {
  /** Switches a subscription on or off and reads it back (the operation answers no body). */
  const operate = async (id: string, enabled: boolean, o?: CallOptions) => {
    await client.operateSubscriptions(
      { subscription_ids: [id], operation: enabled ? 'ENABLE' : 'DISABLE' },
      sig(o),
    );
    return integrationFromHuawei(await client.getSubscription(id, sig(o)));
  };

  return {
    async create(raw, o) {
      const input = parseInput(HuaweiIntegrationInput, raw, P, 'integrations.create');
      const { rule, targets } = route(input, 'integrations.create');
      const created = await createWithLookup(
        async () =>
          integrationFromHuawei(
            await client.createSubscription(
              {
                name: input.name,
                channel_id: input.bus,
                ...(input.description !== undefined ? { description: input.description } : {}),
                sources: [sourceOf(rule!)],
                targets: targetsFrom(targets ?? []),
              },
              sig(o),
            ),
          ),
        async () => {
          // Subscription names are unique per channel: look only under this one.
          const hit = await findFirst(
            client.subscriptions({ channel_id: input.bus, name: input.name }, undefined, sig(o)),
            (s) => s.name === input.name && s.channel_id === input.bus,
          );
          return hit ? integrationFromHuawei(hit) : undefined;
        },
        wait(o),
      );
      // A new subscription is on: only `enabled: false` needs the operation.
      return input.enabled === false && created.enabled !== false ? operate(created.id, false, o) : created;
    },
    get: async (id, o) => integrationFromHuawei(await client.getSubscription(id, sig(o))),
    list: (o?: ListOptions) =>
      mapAsync(
        client.subscriptions({ ...(o?.bus ? { channel_id: o.bus } : {}) }, o?.pageSize, o?.signal),
        integrationFromHuawei,
      ),
    async update(id, raw, o) {
      assertMutable(P, 'integration', huaweiMutability, raw, 'integrations.update');
      const patch = parseInput(HuaweiIntegrationPatch, raw, P, 'integrations.update');
      const routed = route(patch, 'integrations.update');
      const { rule } = routed;
      let { targets } = routed;
      // The live subscription's source and target ids are reused, so that an update keeps them.
      const live = rule || targets ? await client.getSubscription(id, sig(o)) : undefined;
      if (targets && live) {
        // A patch that sets only the neutral targets keeps the live native ones, and the reverse.
        const split = huaweiTargetsToNeutral((live.targets ?? []) as unknown as HuaweiTarget[]);
        const nativeLive = split.leftovers as unknown[];
        const neutralLive = (live.targets ?? []).filter((t) => !nativeLive.includes(t));
        const setsNeutral = patch.targets !== undefined || patch.delivery !== undefined;
        const setsNative = patch.extensions?.huawei?.targets !== undefined;
        if (setsNeutral && !setsNative) targets = [...targets, ...nativeLive];
        else if (setsNative && !setsNeutral) targets = [...neutralLive, ...targets];
      }
      const body = {
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(rule ? { sources: [sourceOf(rule, live)] } : {}),
        ...(targets ? { targets: targetsFrom(targets, live?.targets ?? []) } : {}),
      };
      // `enabled` goes through the operation call; anything else through the update.
      const updated =
        Object.keys(body).length || patch.enabled === undefined
          ? integrationFromHuawei(await client.updateSubscription(id, body, sig(o)))
          : undefined;
      return patch.enabled !== undefined ? operate(id, patch.enabled, o) : updated!;
    },
    async delete(id, o) {
      await client.deleteSubscription(id, sig(o));
    },
  };
}

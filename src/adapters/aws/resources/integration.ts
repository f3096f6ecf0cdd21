/**
 * AppIntegrations event integrations, native: create with a ClientToken (derived unless given)
 * and read-after-write, get, list (filtered by bus), update of the description and tags, and
 * delete refused while Amazon Connect clients are associated.
 */
import { randomUUID } from 'node:crypto';
import {
  invalidArgument,
  isPolybusError,
  PolybusError,
  unsupported,
  type ValidationIssue,
} from '../../../core/model/errors.js';
import { routingProblems } from '../../../core/model/routing.js';
import { issuesOf, parseInput } from '../../../core/runtime/parse.js';
import { assertMutable } from '../../../core/runtime/checks.js';
import { type CallOptions, type ListOptions } from '../../../core/contract/calls.js';
import { collect, mapAsync } from '../../../core/runtime/resources.js';
import { readAfterWrite } from '../../../core/runtime/read-after-write.js';
import type { EventProvider } from '../../../core/contract/provider.js';
import { awsMutability } from '../capabilities.js';
import type { AwsClient } from '../client.js';
import { AwsIntegrationInput, deriveClientToken, integrationFromAws } from '../mapping.js';
import { appIntegrationsRouting } from '../routing.js';
import { type AwsContext, checkId, P, sig } from './context.js';
import { createRuleIntegrations, splitRuleId } from './rule.js';
import { retag } from './tags.js';

/**
 * An integration name as it goes into a URL path label: the documented pattern, never a dot
 * segment (`..`, `../x`, `a/./b`: the name's own rule) nor only dots.
 */
const IntegrationId = AwsIntegrationInput.shape.name.refine(
  (n) => !/^\.{3,}$/.test(n),
  'cannot be only dots (a path label of dots may be normalized away)',
);

const associationsOf = async (client: AwsClient, name: string, signal?: AbortSignal) =>
  collect(client.associations(name, signal));

/** The issues of an integration input, before any request (`validateInput` of the integration kind). */
export function integrationInputIssues(input: Record<string, unknown>): ValidationIssue[] {
  return issuesOf(AwsIntegrationInput, input);
}

/** What blocks deleting event integration `id`: its client associations (`deleteBlockers`). */
export async function integrationBlockers(ctx: AwsContext, id: string, o?: CallOptions): Promise<string[]> {
  const list = await associationsOf(ctx.client, checkId(IntegrationId, id, 'deleteBlockers'), sig(o));
  return list.map((a) => `associated with client ${a.ClientId} (${a.EventIntegrationAssociationId})`);
}

/**
 * Whether an integration input is an EventBridge rule (it has targets) rather than an
 * AppIntegrations event integration for Amazon Connect (no targets): one shape per integration.
 */
export const isRuleInput = (input: Record<string, unknown>) =>
  Array.isArray(input.targets) && input.targets.length > 0;

/**
 * The integrations API: an integration with targets is an EventBridge rule (id `bus/rule`), one
 * without is an AppIntegrations event integration (id = its name, which holds no `/`).
 */
export function createIntegrations(ctx: AwsContext): EventProvider['integrations'] {
  const connect = createEventIntegrations(ctx);
  const rules = createRuleIntegrations(ctx);
  const ruleOf = (id: string) => splitRuleId(id);
  return {
    create: (raw, o) =>
      isRuleInput(raw as Record<string, unknown>)
        ? rules.create(raw as Record<string, unknown>, o)
        : connect.create(raw, o),
    get: (id, o) => {
      const r = ruleOf(id);
      return r ? rules.get(r.bus, r.name, o) : connect.get(id, o);
    },
    list: (o?: ListOptions) => ({
      async *[Symbol.asyncIterator]() {
        yield* connect.list(o);
        const buses = o?.bus
          ? [o.bus]
          : mapAsync(ctx.client.eventBuses(undefined, o?.signal), (b) => String(b.Name));
        for await (const bus of buses) yield* rules.list(bus, o);
      },
    }),
    update: (id, raw, o) => {
      const r = ruleOf(id);
      return r ? rules.update(r.bus, r.name, raw as Record<string, unknown>, o) : connect.update(id, raw, o);
    },
    delete: (id, o) => {
      const r = ruleOf(id);
      return r ? rules.delete(r.bus, r.name, o) : connect.delete(id, o);
    },
  };
}

/**
 * One AWS shape per integration: an event integration's filter is replace-only, and targets would
 * make it an EventBridge rule, a different resource. Refused before any request.
 */
function refuseShapeChange(r: Record<string, unknown>): void {
  if (r.filter !== undefined)
    throw invalidArgument(P, 'integrations.update', [
      {
        field: 'filter',
        rule: 'filter is immutable on an event integration (EventFilter.Source is replace-only): delete and recreate it',
      },
    ]);
  if (Array.isArray(r.targets) && r.targets.length)
    throw invalidArgument(P, 'integrations.update', [
      {
        field: 'targets',
        rule: 'an integration with targets is an EventBridge rule, a different resource than this event integration (Amazon Connect): give the route another name, or delete and recreate it',
      },
    ]);
}

/** The integrations API over AppIntegrations event integrations. */
function createEventIntegrations(ctx: AwsContext): EventProvider['integrations'] {
  const { client, wait } = ctx;

  const get = async (name: string, signal?: AbortSignal) =>
    integrationFromAws(await client.getEventIntegration(name, signal));

  const integrations: EventProvider['integrations'] = {
    async create(raw, o) {
      const input = parseInput(AwsIntegrationInput, raw, P, 'integrations.create');
      // Everything but an exact partner source is refused here, before any request.
      const problems = routingProblems(appIntegrationsRouting, input);
      if (problems.length)
        throw unsupported(P, 'integrations.create', problems.map((p) => `${p.field}: ${p.rule}`).join('; '));
      const filter = appIntegrationsRouting.translateFilter(input.filter);
      const token = input.clientToken ?? deriveClientToken(input);
      const send = (ClientToken: string) =>
        client.createEventIntegration(
          {
            Name: input.name,
            EventBridgeBus: input.bus,
            EventFilter: filter.ok ? filter.native : { Source: '' },
            ClientToken,
            ...(input.description !== undefined ? { Description: input.description } : {}),
            ...(input.tags && Object.keys(input.tags).length ? { Tags: input.tags } : {}),
          },
          sig(o),
        );
      const { clientToken: _t, ...fields } = input;
      const confirm = () =>
        readAfterWrite(
          () => get(input.name, sig(o)),
          () => ({ ...fields, id: input.name, provider: P }),
          wait(o),
        );
      await send(token);
      try {
        return await get(input.name, sig(o));
      } catch (err) {
        if (!isPolybusError(err) || err.code !== 'NotFound') throw err;
        if (input.clientToken) return confirm();
        // Either the service answered an earlier create that used this same derived token, whose
        // integration has since been deleted, or the new integration is not visible yet. A create
        // with a token unique to this call tells them apart: AlreadyExists means it is there.
        try {
          await send(`${token}-${randomUUID()}`);
        } catch (again) {
          if (!isPolybusError(again) || again.code !== 'AlreadyExists') throw again;
        }
        return confirm();
      }
    },
    get: (id, o) => get(checkId(IntegrationId, id, 'integrations.get'), sig(o)),
    list: (o?: ListOptions) => {
      const all = mapAsync(client.eventIntegrations(o?.pageSize, o?.signal), integrationFromAws);
      if (!o?.bus) return all;
      const bus = o.bus;
      return {
        async *[Symbol.asyncIterator]() {
          for await (const i of all) if (i.bus === bus) yield i;
        },
      };
    },
    async update(id, raw, o) {
      checkId(IntegrationId, id, 'integrations.update');
      assertMutable(P, 'integration', awsMutability, raw, 'integrations.update');
      refuseShapeChange(raw as Record<string, unknown>);
      const patch = parseInput(
        AwsIntegrationInput.pick({ description: true, tags: true }).partial(),
        raw,
        P,
        'integrations.update',
      );
      const raw0 = await client.getEventIntegration(id, sig(o));
      const current = integrationFromAws(raw0);
      if (patch.description !== undefined && patch.description !== current.description) {
        await client.updateEventIntegration(id, patch.description, sig(o));
      }
      if (patch.tags !== undefined) {
        await retag(
          String(raw0.EventIntegrationArn),
          current.tags ?? {},
          patch.tags,
          client.tagResource.bind(client),
          client.untagResource.bind(client),
          sig(o),
        );
      }
      return get(id, sig(o));
    },
    async delete(id, o) {
      checkId(IntegrationId, id, 'integrations.delete');
      const blockers = await associationsOf(client, id, sig(o));
      if (blockers.length) {
        throw new PolybusError({
          code: 'Conflict',
          provider: P,
          operation: 'integrations.delete',
          resource: id,
          message: `event integration ${id} is associated with ${blockers.length} client(s) (${blockers.map((a) => a.ClientId).join(', ')}); remove the associations first`,
        });
      }
      await client.deleteEventIntegration(id, sig(o));
    },
  };
  return integrations;
}

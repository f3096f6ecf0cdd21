/**
 * Integrations as event subscriptions on a custom topic (id `topic/subscription`): create (PUT,
 * long-running; a WebHook must pass Event Grid's validation handshake), get and list (the
 * WebHook URL read with getFullUrl: ARM shows only its base), update (PATCH of the parts given)
 * and delete. Filters and targets are translated exactly or refused before any request.
 */
import { type CallOptions, type ListOptions } from '../../../core/contract/calls.js';
import { type EventProvider } from '../../../core/contract/provider.js';
import { invalidArgument } from '../../../core/model/errors.js';
import { routingProblems, type RoutingTranslator } from '../../../core/model/routing.js';
import { assertMutable } from '../../../core/runtime/checks.js';
import { parseInput } from '../../../core/runtime/parse.js';
import { flatMapAsync } from '../../../core/runtime/resources.js';
import { azureMutability } from '../capabilities.js';
import type { AzureFilter } from '../filter.js';
import {
  AzureIntegrationInput,
  AzureIntegrationPatch,
  integrationFromAzure,
  subscriptionName,
  topicName,
} from '../mapping.js';
import { azureFilterFromFilter, azureRouteFromNeutral, azureRoutingFor } from '../routing.js';
import { alreadyExists, type AzureResourceContext, P, sig } from './context.js';

type Row = Record<string, unknown>;

/** `topic/subscription` -> its parts, checked. */
function parts(id: string, op: string): { topic: string; name: string } {
  const [topic, name, ...rest] = id.split('/');
  if (rest.length || !topicName.safeParse(topic).success || !subscriptionName.safeParse(name).success)
    throw invalidArgument(P, op, [
      {
        field: 'id',
        rule: 'an Azure integration id is topic/eventSubscription (the names, 3-50 and 3-64 letters, digits and hyphens)',
      },
    ]);
  return { topic: topic!, name: name! };
}

/** The integration operations over the provider's client. */
export function createIntegrations({
  client,
  caseMode,
}: AzureResourceContext): EventProvider['integrations'] {
  const translator = azureRoutingFor(caseMode) as RoutingTranslator<unknown, unknown>;
  /** Refuses (InvalidArgument, before any request) what cannot be expressed exactly. */
  const refuseInexact = (raw: Record<string, unknown>, op: string) => {
    const problems = routingProblems(translator, raw);
    if (problems.length) throw invalidArgument(P, op, problems);
  };
  const params = (topic: string, name: string) => ({ topicName: topic, eventSubscriptionName: name });
  /** The neutral form of one event subscription (its WebHook URL read with getFullUrl). */
  const read = async (topic: string, row: Row, o?: CallOptions) => {
    const dest = (row.properties as Row | undefined)?.destination as Row | undefined;
    let url: string | undefined;
    if (dest?.endpointType === 'WebHook') {
      const full = await client.call('TopicEventSubscriptions_GetFullUrl', {
        params: params(topic, String(row.name)),
        signal: sig(o),
      });
      url = (full.body as { endpointUrl?: string } | undefined)?.endpointUrl;
    }
    return integrationFromAzure(row, topic, caseMode, url);
  };
  /** The properties a (validated) input sets. */
  const properties = (input: {
    filter?: unknown;
    targets?: unknown;
    delivery?: unknown;
    extensions?: { azure?: Row } | undefined;
  }) => {
    const out: Row = {};
    const nativeFilter = input.extensions?.azure?.filter as AzureFilter | undefined;
    if (input.filter !== undefined) {
      const t = azureFilterFromFilter(input.filter as never, caseMode);
      if (t.ok) out.filter = t.native;
    } else if (nativeFilter) out.filter = nativeFilter;
    if (input.targets !== undefined) {
      const t = azureRouteFromNeutral(input.targets as never, input.delivery as never);
      if (t.ok) {
        out.destination = t.native.destination;
        out.eventDeliverySchema = 'CloudEventSchemaV1_0';
        out.retryPolicy = t.native.retryPolicy ?? { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 };
      }
    }
    if (input.extensions?.azure?.deadLetterDestination)
      out.deadLetterDestination = input.extensions.azure.deadLetterDestination;
    return out;
  };

  const api: EventProvider['integrations'] = {
    async create(raw, o) {
      const input = parseInput(AzureIntegrationInput, raw, P, 'integrations.create');
      refuseInexact(raw as Record<string, unknown>, 'integrations.create');
      if (await client.exists('TopicEventSubscriptions_Get', params(input.bus, input.name), sig(o)))
        throw alreadyExists(
          'integrations.create',
          `event subscription ${input.name} already exists on topic ${input.bus}`,
        );
      const res = await client.call('TopicEventSubscriptions_CreateOrUpdate', {
        params: params(input.bus, input.name),
        body: { properties: properties(input) },
        signal: sig(o),
      });
      return read(input.bus, res.body as Row, o);
    },
    async get(id, o) {
      const { topic, name } = parts(id, 'integrations.get');
      const res = await client.call('TopicEventSubscriptions_Get', {
        params: params(topic, name),
        signal: sig(o),
      });
      return read(topic, res.body as Row, o);
    },
    list: (o?: ListOptions) => {
      const topics = o?.bus
        ? (async function* () {
            yield { name: o.bus };
          })()
        : client.list('Topics_ListByResourceGroup', { signal: o?.signal });
      return flatMapAsync(topics, (t) => {
        const topic = String(t.name);
        const rows = client.list(
          'TopicEventSubscriptions_List',
          { params: { topicName: topic }, signal: o?.signal },
          o?.pageSize,
        );
        return (async function* () {
          for await (const row of rows) yield await read(topic, row, o);
        })();
      });
    },
    async update(id, raw, o) {
      const { topic, name } = parts(id, 'integrations.update');
      assertMutable(P, 'integration', azureMutability, raw, 'integrations.update');
      const patch = parseInput(AzureIntegrationPatch, raw, P, 'integrations.update');
      refuseInexact(raw as Record<string, unknown>, 'integrations.update');
      // Delivery without targets: the live destination is kept, its retry policy replaced.
      let body = properties(patch);
      if (patch.delivery !== undefined && patch.targets === undefined) {
        const live = await api.get(id, o);
        body = properties({ ...patch, targets: live.targets });
      }
      if (Object.keys(body).length)
        await client.call('TopicEventSubscriptions_Update', {
          params: params(topic, name),
          body,
          signal: sig(o),
        });
      return api.get(id, o);
    },
    async delete(id, o) {
      const { topic, name } = parts(id, 'integrations.delete');
      await client.call('TopicEventSubscriptions_Delete', { params: params(topic, name), signal: sig(o) });
    },
  };
  return api;
}

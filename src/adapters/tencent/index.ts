/**
 * The Tencent EventBridge EventProvider: neutral calls validated, mapped, and sent through the
 * TC3-signing client. Imports only core and this folder.
 */
import type { ProviderContext } from '../../core/container.js';
import { isPolybusError, PolybusError } from '../../core/errors.js';
import { type Bus, type Connection, type Integration, issuesOf, parseInput } from '../../core/model.js';
import {
  assertMutable,
  type CallOptions,
  createWithLookup,
  type EventProvider,
  findFirst,
  flatMapAsync,
  type ListOptions,
  mapAsync,
  parseEndpoint,
  readAfterWrite,
  SPECIFICATION_VERSION,
  unsupportedApi,
} from '../../core/provider.js';
import type { Transport } from '../../core/transport.js';
import { type TencentCredentials, tencentDefaultCredentials } from './auth.js';
import { tencentCapabilities, tencentMutability, tencentReplaceStrategy } from './capabilities.js';
import { TENCENT_PUT_EVENTS_RATE, tencentPublisher } from './publish.js';
import { TENCENT_RATE_LIMIT, TencentClient, type TencentConnectionDescription } from './client.js';
import {
  busFromTencent,
  checkTencentId,
  connectionFromTencent,
  integrationFromTencent,
  patternForSource,
  rejectUnsupportedConnectionSettings,
  splitChildId,
  TencentBusInput,
  TencentConnectionInput,
  TencentIntegrationInput,
} from './mapping.js';
import { TencentOptionsSchema } from '../options.js';

export { tencentCapabilities as capabilities } from './capabilities.js';

/** Options of {@link createTencentProvider}. */
export interface TencentProviderOptions {
  transport: Transport;
  /** Default `TENCENTCLOUD_REGION`, else `ap-guangzhou`. */
  region?: string;
  /** Full origin; default `POLYBUS_TENCENT_ENDPOINT`, else `https://eb.tencentcloudapi.com`. */
  endpoint?: string;
  /** Credential source; default environment, then `~/.tencentcloud/credentials`. */
  credentials?: () => Promise<TencentCredentials>;
  env?: Record<string, string | undefined>;
}

const P = 'tencent';
const sig = (o?: CallOptions) => o?.signal;
/** What a write sent, as the neutral resource, for a write whose read-back is not visible yet. */
const sent = <T>(id: string, input: object): T =>
  ({ ...stripUndefined(input), id, name: (input as { name?: string }).name ?? id, provider: P }) as T;
const stripUndefined = (o: object) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
const ext = (input: { extensions?: Record<string, Record<string, unknown>> | undefined }) =>
  input.extensions?.tencent ?? {};

/** Builds the provider from explicit options. */
export function createTencentProvider(options: TencentProviderOptions): EventProvider {
  const env = options.env ?? process.env;
  let cached: Promise<TencentCredentials> | undefined;
  const source = options.credentials ?? (() => tencentDefaultCredentials(env));
  const credentials = () => {
    cached ??= source().catch((e: unknown) => {
      cached = undefined;
      throw e;
    });
    return cached;
  };
  options.transport.limiter.setDefaultLimit(P, TENCENT_RATE_LIMIT);
  options.transport.limiter.setDefaultActionLimit(P, 'PutEvents', TENCENT_PUT_EVENTS_RATE);
  const endpoint = parseEndpoint(
    P,
    options.endpoint !== undefined ? 'endpoint' : 'POLYBUS_TENCENT_ENDPOINT',
    options.endpoint ?? env.POLYBUS_TENCENT_ENDPOINT ?? 'https://eb.tencentcloudapi.com',
  );
  const client = new TencentClient({
    transport: options.transport,
    credentials,
    region: options.region ?? env.TENCENTCLOUD_REGION ?? 'ap-guangzhou',
    endpoint,
  });

  const wait = (o?: CallOptions) => ({
    clock: options.transport.clock,
    ...(o?.signal ? { signal: o.signal } : {}),
  });
  /** A listed item read in full; undefined when it was deleted between the list and the read. */
  const fullOrGone = async <T>(read: () => Promise<T>): Promise<T | undefined> =>
    read().catch((err: unknown) => {
      if (isPolybusError(err) && err.code === 'NotFound') return undefined;
      throw err;
    });
  const present = <T>(items: AsyncIterable<T | undefined>): AsyncIterable<T> => ({
    async *[Symbol.asyncIterator]() {
      for await (const i of items) if (i !== undefined) yield i;
    },
  });
  const getBus = async (id: string, signal?: AbortSignal) =>
    busFromTencent(await client.getEventBus({ EventBusId: id }, signal));
  const getRule = async (busId: string, ruleId: string, signal?: AbortSignal) =>
    integrationFromTencent(await client.getRule({ EventBusId: busId, RuleId: ruleId }, signal));
  const allBusIds = (signal?: AbortSignal) => mapAsync(client.eventBuses(100, signal), (b) => b.EventBusId);
  const findConnection = async (busId: string, connectionId: string, signal?: AbortSignal) => {
    const found = await findFirst(
      client.connections(busId, 100, signal),
      (c) => c.ConnectionId === connectionId,
    );
    if (!found) {
      throw new PolybusError({
        code: 'NotFound',
        provider: P,
        operation: 'ListConnections',
        providerCode: 'ResourceNotFound.Connection',
        resource: `${busId}/${connectionId}`,
        message: `connector ${connectionId} not found on bus ${busId}`,
      });
    }
    return connectionFromTencent(found);
  };

  const buses: EventProvider['buses'] = {
    async create(raw, o) {
      const input = parseInput(TencentBusInput, raw, P, 'buses.create');
      const enableStore = ext(input).EnableStore;
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
          return readAfterWrite(
            () => getBus(EventBusId, sig(o)),
            () => sent(EventBusId, input),
            wait(o),
          );
        },
        async () => {
          const hit = await findFirst(client.eventBuses(100, sig(o)), (b) => b.EventBusName === input.name);
          return hit ? getBus(hit.EventBusId, sig(o)) : undefined;
        },
        wait(o),
      );
    },
    get: (id, o) => getBus(checkTencentId(id, 'buses.get'), sig(o)),
    // ListEventBuses' EventBus omits SaveDays/EnableStore, so each bus is read in full (unless
    // the caller asks for the summary: see `listOmits`).
    list: (o?: ListOptions) =>
      o?.summary
        ? mapAsync(client.eventBuses(o.pageSize, o.signal), busFromTencent)
        : present(
            mapAsync(client.eventBuses(o?.pageSize, o?.signal), (b) =>
              fullOrGone(() => getBus(b.EventBusId, o?.signal)),
            ),
          ),
    async update(id, raw, o) {
      checkTencentId(id, 'buses.update');
      const patch = parseInput(TencentBusInput.partial(), raw, P, 'buses.update');
      await client.updateEventBus(
        {
          EventBusId: id,
          ...(patch.name !== undefined ? { EventBusName: patch.name } : {}),
          ...(patch.description !== undefined ? { Description: patch.description } : {}),
          ...(patch.retentionDays !== undefined ? { SaveDays: patch.retentionDays, EnableStore: true } : {}),
        },
        sig(o),
      );
      return readAfterWrite(
        () => getBus(id, sig(o)),
        () => sent(id, patch),
        wait(o),
      );
    },
    async delete(id, o) {
      await client.deleteEventBus({ EventBusId: checkTencentId(id, 'buses.delete') }, sig(o));
    },
  };

  const integrations: EventProvider['integrations'] = {
    async create(raw, o) {
      const input = parseInput(TencentIntegrationInput, raw, P, 'integrations.create');
      const enable = ext(input).Enable;
      return createWithLookup(
        async () => {
          const { RuleId } = await client.createRule(
            {
              EventBusId: input.bus,
              RuleName: input.name,
              EventPattern: patternForSource(input.filter.source),
              Enable: typeof enable === 'boolean' ? enable : true,
              ...(input.description !== undefined ? { Description: input.description } : {}),
            },
            sig(o),
          );
          return readAfterWrite(
            () => getRule(input.bus, RuleId, sig(o)),
            () => sent(`${input.bus}/${RuleId}`, input),
            wait(o),
          );
        },
        async () => {
          const hit = await findFirst(client.rules(input.bus, 100, sig(o)), (r) => r.RuleName === input.name);
          return hit ? getRule(input.bus, hit.RuleId, sig(o)) : undefined;
        },
        wait(o),
      );
    },
    get(id, o) {
      const { busId, childId } = splitChildId(id, 'integrations.get');
      return getRule(busId, childId, sig(o));
    },
    list(o?: ListOptions) {
      // ListRules' Rule omits EventPattern, so each rule is read in full (unless summary).
      const rulesOf = (busId: string) =>
        o?.summary
          ? mapAsync(client.rules(busId, o.pageSize, o.signal), integrationFromTencent)
          : present(
              mapAsync(client.rules(busId, o?.pageSize, o?.signal), (r) =>
                fullOrGone(() => getRule(r.EventBusId, r.RuleId, o?.signal)),
              ),
            );
      return o?.bus ? rulesOf(o.bus) : flatMapAsync(allBusIds(o?.signal), rulesOf);
    },
    async update(id, raw, o) {
      const { busId, childId } = splitChildId(id, 'integrations.update');
      assertMutable(P, 'integration', tencentMutability, raw, 'integrations.update');
      const patch = parseInput(TencentIntegrationInput.partial(), raw, P, 'integrations.update');
      await client.updateRule(
        {
          EventBusId: busId,
          RuleId: childId,
          ...(patch.name !== undefined ? { RuleName: patch.name } : {}),
          ...(patch.description !== undefined ? { Description: patch.description } : {}),
          ...(patch.filter !== undefined ? { EventPattern: patternForSource(patch.filter.source) } : {}),
        },
        sig(o),
      );
      return readAfterWrite(
        () => getRule(busId, childId, sig(o)),
        () => sent(id, patch),
        wait(o),
      );
    },
    async delete(id, o) {
      const { busId, childId } = splitChildId(id, 'integrations.delete');
      await client.deleteRule({ EventBusId: busId, RuleId: childId }, sig(o));
    },
  };

  const connections: EventProvider['connections'] = {
    async create(raw, o) {
      rejectUnsupportedConnectionSettings(raw, 'connections.create');
      const input = parseInput(TencentConnectionInput, raw, P, 'connections.create');
      const { Enable, ...params } = ext(input);
      const description = { ...params, ResourceDescription: input.endpoint } as TencentConnectionDescription;
      return createWithLookup(
        async () => {
          const { ConnectionId } = await client.createConnection(
            {
              EventBusId: input.bus,
              ConnectionName: input.name,
              ConnectionDescription: description,
              Type: input.kind,
              ...(typeof Enable === 'boolean' ? { Enable } : {}),
              ...(input.description !== undefined ? { Description: input.description } : {}),
            },
            sig(o),
          );
          return readAfterWrite(
            () => findConnection(input.bus, ConnectionId, sig(o)),
            () => sent(`${input.bus}/${ConnectionId}`, input),
            wait(o),
          );
        },
        async () => {
          const hit = await findFirst(
            client.connections(input.bus, 100, sig(o)),
            (c) => c.ConnectionName === input.name,
          );
          return hit ? connectionFromTencent(hit) : undefined;
        },
        wait(o),
      );
    },
    get(id, o) {
      const { busId, childId } = splitChildId(id, 'connections.get');
      return findConnection(busId, childId, sig(o));
    },
    list(o?: ListOptions) {
      const of = (busId: string) =>
        mapAsync(client.connections(busId, o?.pageSize, o?.signal), connectionFromTencent);
      return o?.bus ? of(o.bus) : flatMapAsync(allBusIds(o?.signal), of);
    },
    async update(id, raw, o) {
      const { busId, childId } = splitChildId(id, 'connections.update');
      assertMutable(P, 'connection', tencentMutability, raw, 'connections.update');
      rejectUnsupportedConnectionSettings(raw, 'connections.update');
      const patch = parseInput(TencentConnectionInput.partial(), raw, P, 'connections.update');
      await client.updateConnection(
        {
          EventBusId: busId,
          ConnectionId: childId,
          ...(patch.name !== undefined ? { ConnectionName: patch.name } : {}),
          ...(patch.description !== undefined ? { Description: patch.description } : {}),
        },
        sig(o),
      );
      return readAfterWrite(
        () => findConnection(busId, childId, sig(o)),
        () => sent(id, patch),
        wait(o),
      );
    },
    async delete(id, o) {
      const { busId, childId } = splitChildId(id, 'connections.delete');
      await client.deleteConnection({ EventBusId: busId, ConnectionId: childId }, sig(o));
    },
  };

  return {
    specificationVersion: SPECIFICATION_VERSION,
    name: P,
    capabilities: tencentCapabilities,
    mutability: tencentMutability,
    replaceStrategy: tencentReplaceStrategy,
    // Rule and connector names are unique per bus, not per account.
    nameScope: { connection: 'bus', integration: 'bus' },
    listOmits: { bus: ['retentionDays', 'extensions'], integration: ['filter', 'extensions'] },
    buses,
    sources: unsupportedApi(P, 'source', tencentCapabilities.kinds.source.operations.create.note),
    connections,
    integrations,
    validateInput(kind, input) {
      const schema = {
        bus: TencentBusInput,
        integration: TencentIntegrationInput,
        connection: TencentConnectionInput,
        source: undefined,
      }[kind];
      const extra =
        kind === 'connection' && (input.network || input.kafka)
          ? [
              {
                field: input.network ? 'network' : 'kafka',
                rule: 'Tencent connectors have no VPC placement or Kafka credentials',
              },
            ]
          : [];
      return schema ? [...issuesOf(schema, input), ...extra] : [];
    },
    ...tencentPublisher(client, endpoint),
    close: () => Promise.resolve(),
  };
}

/** Factory used by the container: options from the bound options and the environment. */
export async function createProvider(ctx: ProviderContext): Promise<EventProvider> {
  return createTencentProvider({
    transport: ctx.transport,
    env: ctx.env,
    ...parseInput(TencentOptionsSchema, ctx.options, P, 'configure'),
    ...(ctx.credentials ? { credentials: ctx.credentials as () => Promise<TencentCredentials> } : {}),
  });
}

export type { Bus, Connection, Integration };

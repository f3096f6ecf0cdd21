/**
 * The AWS EventProvider: event integrations (AppIntegrations) and buses (EventBridge) native
 * through the AWS SDKs, sources as references, connections unsupported. Imports only core and this folder.
 */
import { awsPublisher } from './publish.js';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { ProviderContext } from '../../core/runtime/container.js';
import { invalidArgument, isPolybusError, PolybusError, unsupported } from '../../core/model/errors.js';
import { routingProblems } from '../../core/model/routing.js';
import { awsRouting } from './routing.js';
import { issuesOf, parseInput } from '../../core/runtime/parse.js';
import { assertMutable, parseEndpoint } from '../../core/runtime/checks.js';
import { type CallOptions, type ListOptions } from '../../core/contract/calls.js';
import { collect, mapAsync, unsupportedApi } from '../../core/runtime/resources.js';
import { createWithLookup, readAfterWrite } from '../../core/runtime/read-after-write.js';
import { type EventProvider, SPECIFICATION_VERSION } from '../../core/contract/provider.js';
import type { Transport } from '../../core/runtime/transport.js';
import { type AwsCredentials, awsRegion, registerAwsCredentials, registerAwsEnvSecrets } from './auth.js';
import { awsCapabilities, awsMutability, awsReplaceStrategy } from './capabilities.js';
import { AwsClient } from './client.js';
import {
  AwsBusInput,
  AwsIntegrationInput,
  busFromAws,
  deriveClientToken,
  integrationFromAws,
  partnerBusIssues,
  sourceReference,
} from './mapping.js';
import { AwsOptionsSchema } from '../options.js';

export { awsCapabilities as capabilities } from './capabilities.js';

/** Options of {@link createAwsProvider}. */
export interface AwsProviderOptions {
  transport: Transport;
  /** Default `AWS_REGION`, `AWS_DEFAULT_REGION`, else us-east-1. */
  region?: string;
  /** Full origin; default `POLYBUS_AWS_ENDPOINT`, else the SDK's endpoint. */
  endpoint?: string;
  /** Explicit credentials; default the SDK's chain. */
  credentials?: () => Promise<AwsCredentials>;
  /**
   * A named profile of the shared files (`~/.aws/credentials` and `~/.aws/config`, or
   * `AWS_SHARED_CREDENTIALS_FILE` / `AWS_CONFIG_FILE`), resolved as the SDK does (static keys,
   * role assumption, SSO), instead of the environment (ignored when `credentials` is given).
   */
  profile?: string;
  env?: Record<string, string | undefined>;
}

const P = 'aws';
const sig = (o?: CallOptions) => o?.signal;
/** The CreateEventBus/UpdateEventBus settings of a validated bus input (EventSourceName aside). */
const busSettings = (input: {
  description?: string | undefined;
  extensions?: Record<string, Record<string, unknown>> | undefined;
}) => {
  const { KmsKeyIdentifier, DeadLetterConfig, LogConfig } = input.extensions?.aws ?? {};
  return {
    ...(input.description !== undefined ? { Description: input.description } : {}),
    ...(typeof KmsKeyIdentifier === 'string' ? { KmsKeyIdentifier } : {}),
    ...(DeadLetterConfig ? { DeadLetterConfig: DeadLetterConfig as { Arn: string } } : {}),
    ...(LogConfig
      ? {
          LogConfig: LogConfig as {
            IncludeDetail?: 'NONE' | 'FULL';
            Level?: 'OFF' | 'ERROR' | 'INFO' | 'TRACE';
          },
        }
      : {}),
  };
};

/** An integration name as it goes into a URL path label: the documented pattern, never a dot segment. */
const IntegrationId = AwsIntegrationInput.shape.name.refine(
  (n) => !/^\.+$/.test(n),
  'cannot be . or .. (a dot segment in the request path)',
);
/** EventBusNameOrArn as EventBridge documents it (1-1600). */
const BusId = z
  .string()
  .max(1600, 'must be at most 1600 characters')
  .regex(
    /^(arn:aws[\w-]*:events:[a-z]+-[a-z]+-[\w-]+:[0-9]{12}:event-bus\/)?[/.\-_A-Za-z0-9]+$/,
    'must be a bus name matching [/\\.\\-_A-Za-z0-9]+ or an event-bus ARN',
  );
/** Refuses an id that breaks its documented pattern before any request is built. */
function checkId(schema: z.ZodType, id: string, operation: string): string {
  const issues = issuesOf(schema, id).map((i) => ({ ...i, field: 'id' }));
  if (issues.length) throw invalidArgument(P, operation, issues);
  return id;
}

/** Moves a resource's tags from `have` to `want` with the service's untag and tag calls. */
async function retag(
  arn: string,
  have: Record<string, string>,
  want: Record<string, string>,
  tag: (arn: string, tags: Record<string, string>, signal?: AbortSignal) => Promise<unknown>,
  untag: (arn: string, keys: string[], signal?: AbortSignal) => Promise<unknown>,
  signal?: AbortSignal,
): Promise<void> {
  const remove = Object.keys(have).filter((k) => !(k in want));
  const add = Object.fromEntries(Object.entries(want).filter(([k, v]) => have[k] !== v));
  if (remove.length) await untag(arn, remove, signal);
  if (Object.keys(add).length) await tag(arn, add, signal);
}

/**
 * The AppIntegrations + EventBridge client with polybus's credential chain, region and endpoint,
 * as the provider uses it; `polybus/aws` hands it to users for native calls.
 */
export function createAwsClient(options: AwsProviderOptions): {
  client: AwsClient;
  env: Record<string, string | undefined>;
  /** The configured endpoint override, if any. */
  endpoint: string | undefined;
} {
  const env = options.env ?? process.env;
  registerAwsEnvSecrets(env);
  // The injected environment first (as the SDK's env provider would read it), then the SDK's chain.
  const fromEnv =
    env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
      ? {
          accessKeyId: env.AWS_ACCESS_KEY_ID,
          secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
          ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
        }
      : undefined;
  const profile = options.profile;
  const fromProfile =
    profile !== undefined
      ? async (): Promise<AwsCredentials> => {
          const { fromIni } = await import('@aws-sdk/credential-provider-ini');
          try {
            return await fromIni({
              profile,
              ...(env.AWS_SHARED_CREDENTIALS_FILE ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE } : {}),
              ...(env.AWS_CONFIG_FILE ? { configFilepath: env.AWS_CONFIG_FILE } : {}),
            })();
          } catch (err) {
            throw new PolybusError({
              code: 'AuthenticationFailed',
              provider: P,
              operation: 'credentials',
              message: `AWS profile ${profile}: ${(err as Error).message}`,
              cause: err,
            });
          }
        }
      : undefined;
  const source = options.credentials ?? fromProfile ?? (fromEnv ? async () => fromEnv : undefined);
  const endpoint = options.endpoint ?? env.POLYBUS_AWS_ENDPOINT;
  const client = new AwsClient({
    transport: options.transport,
    region: awsRegion(env, options.region),
    ...(endpoint
      ? {
          endpoint: parseEndpoint(
            P,
            options.endpoint !== undefined ? 'endpoint' : 'POLYBUS_AWS_ENDPOINT',
            endpoint,
          ),
        }
      : {}),
    ...(source ? { credentials: async () => registerAwsCredentials(await source()) } : {}),
  });
  return { client, env, endpoint };
}

/** Builds the provider from explicit options. */
export function createAwsProvider(options: AwsProviderOptions): EventProvider {
  const { client, endpoint } = createAwsClient(options);

  const wait = (o?: CallOptions) => ({
    clock: options.transport.clock,
    ...(o?.signal ? { signal: o.signal } : {}),
  });
  const get = async (name: string, signal?: AbortSignal) =>
    integrationFromAws(await client.getEventIntegration(name, signal));
  const associationsOf = async (name: string, signal?: AbortSignal) =>
    collect(client.associations(name, signal));

  const integrations: EventProvider['integrations'] = {
    async create(raw, o) {
      const input = parseInput(AwsIntegrationInput, raw, P, 'integrations.create');
      // Everything but an exact partner source is refused here, before any request.
      const problems = routingProblems(awsRouting, input);
      if (problems.length)
        throw unsupported(P, 'integrations.create', problems.map((p) => `${p.field}: ${p.rule}`).join('; '));
      const filter = awsRouting.translateFilter(input.filter);
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
      const blockers = await associationsOf(id, sig(o));
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

  const getBus = async (name: string, signal?: AbortSignal) => {
    const b = await client.describeEventBus(name, signal);
    return busFromAws(b, b.Arn ? await client.busTags(b.Arn, signal) : {});
  };

  const buses: EventProvider['buses'] = {
    async create(raw, o) {
      const input = parseInput(AwsBusInput, raw, P, 'buses.create');
      const partner = partnerBusIssues(input);
      if (partner.length) throw invalidArgument(P, 'buses.create', partner);
      const settings = busSettings(input);
      return createWithLookup(
        async () => {
          await client.createEventBus(
            {
              Name: input.name,
              ...settings,
              ...(typeof input.extensions?.aws?.EventSourceName === 'string'
                ? { EventSourceName: input.extensions.aws.EventSourceName }
                : {}),
            },
            input.tags,
            sig(o),
          );
          return readAfterWrite(
            () => getBus(input.name, sig(o)),
            () => ({ ...input, id: input.name, provider: P }),
            wait(o),
          );
        },
        () => getBus(input.name, sig(o)),
        wait(o),
      );
    },
    get: (id, o) => getBus(checkId(BusId, id, 'buses.get'), sig(o)),
    // ListEventBuses gives name, ARN and description, not tags or settings: each bus is read in
    // full, unless the caller asks for the summary (see `listOmits`).
    list: (o?: ListOptions) =>
      o?.summary
        ? mapAsync(client.eventBuses(o.pageSize, o.signal), (b) => busFromAws(b, {}))
        : mapAsync(client.eventBuses(o?.pageSize, o?.signal), (b) => getBus(b.Name ?? '', o?.signal)),
    async update(id, raw, o) {
      checkId(BusId, id, 'buses.update');
      assertMutable(P, 'bus', awsMutability, raw, 'buses.update');
      const patch = parseInput(
        AwsBusInput.pick({ tags: true, description: true, extensions: true }).partial(),
        raw,
        P,
        'buses.update',
      );
      const settings = busSettings(patch);
      if (Object.keys(settings).length) await client.updateEventBus({ Name: id, ...settings }, sig(o));
      const described = await client.describeEventBus(id, sig(o));
      const current = busFromAws(described, described.Arn ? await client.busTags(described.Arn, sig(o)) : {});
      if (patch.tags !== undefined)
        await retag(
          String(described.Arn),
          current.tags ?? {},
          patch.tags,
          client.tagBus.bind(client),
          client.untagBus.bind(client),
          sig(o),
        );
      return getBus(id, sig(o));
    },
    async delete(id, o) {
      await client.deleteEventBus(checkId(BusId, id, 'buses.delete'), sig(o));
    },
  };

  const sources = {
    ...unsupportedApi<never, never, never>(P, 'source', awsCapabilities.kinds.source.operations.create.note),
    get: async (id: string) => sourceReference(id),
  };

  return {
    specificationVersion: SPECIFICATION_VERSION,
    name: P,
    capabilities: awsCapabilities,
    mutability: awsMutability,
    replaceStrategy: awsReplaceStrategy,
    listOmits: { bus: ['tags', 'extensions'] },
    buses,
    sources: sources as unknown as EventProvider['sources'],
    connections: unsupportedApi(P, 'connection', awsCapabilities.kinds.connection.operations.create.note),
    integrations,
    routingProblems: (input) => routingProblems(awsRouting, input),
    validateInput(kind, input) {
      if (kind === 'integration') return issuesOf(AwsIntegrationInput, input);
      if (kind === 'bus')
        return [
          ...issuesOf(AwsIntegrationInput.shape.bus, input.name).map((i) => ({ ...i, field: 'name' })),
          ...issuesOf(AwsBusInput.omit({ name: true }), input),
          ...partnerBusIssues(input as Parameters<typeof partnerBusIssues>[0]),
        ];
      return [];
    },
    async deleteBlockers(kind, id, o) {
      if (kind !== 'integration') return [];
      const list = await associationsOf(checkId(IntegrationId, id, 'deleteBlockers'), sig(o));
      return list.map((a) => `associated with client ${a.ClientId} (${a.EventIntegrationAssociationId})`);
    },
    ...awsPublisher(client, endpoint),
    close: async () => client.close(),
  };
}

/** Factory used by the container. */
export async function createProvider(ctx: ProviderContext): Promise<EventProvider> {
  return createAwsProvider({
    transport: ctx.transport,
    env: ctx.env,
    ...parseInput(AwsOptionsSchema, ctx.options, P, 'configure'),
    ...(ctx.credentials ? { credentials: ctx.credentials as () => Promise<AwsCredentials> } : {}),
  });
}

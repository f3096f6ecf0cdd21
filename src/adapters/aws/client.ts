/**
 * AppIntegrations and EventBridge wire calls through `@aws-sdk/client-appintegrations` and
 * `@aws-sdk/client-eventbridge` (the SDKs do SigV4, REST-JSON and JSON 1.1). SDK retries are off: polybus's retry policy, timeouts, cancellation and hooks apply
 * instead, so a quota error is sent exactly once and throttling is retried within one budget.
 */
import {
  AppIntegrationsClient,
  CreateEventIntegrationCommand,
  type CreateEventIntegrationCommandInput,
  DeleteEventIntegrationCommand,
  type EventIntegration,
  type EventIntegrationAssociation,
  GetEventIntegrationCommand,
  type GetEventIntegrationCommandOutput,
  ListEventIntegrationAssociationsCommand,
  ListEventIntegrationsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateEventIntegrationCommand,
} from '@aws-sdk/client-appintegrations';
import {
  CreateEventBusCommand,
  type CreateEventBusCommandInput,
  DeleteEventBusCommand,
  DescribeEventBusCommand,
  type EventBus,
  EventBridgeClient,
  ListEventBusesCommand,
  ListTagsForResourceCommand as ListBusTagsCommand,
  TagResourceCommand as TagBusCommand,
  UntagResourceCommand as UntagBusCommand,
  UpdateEventBusCommand,
  type UpdateEventBusCommandInput,
} from '@aws-sdk/client-eventbridge';
import * as appIntegrations from '@aws-sdk/client-appintegrations';
import * as eventBridge from '@aws-sdk/client-eventbridge';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Page } from '../../core/model/resources.js';
import { paginate } from '../../core/runtime/resources.js';
import { redactBody, redactHeaders } from '../../core/runtime/redact.js';
import type { Transport } from '../../core/runtime/transport.js';
import { type AwsAction, awsServiceOf } from './actions.js';
import type { AwsCredentials } from './auth.js';
import { mapAwsError } from './errors.js';

/** The attempt number of the call in flight, for hooks (calls run concurrently). */
const attemptOf = new AsyncLocalStorage<number>();

/** Largest page ListEventIntegrations accepts (MaxResults 1-50). */
export const AWS_MAX_RESULTS = 50;
/** Largest page ListEventBuses accepts (Limit 1-100). */
export const EVENTBRIDGE_MAX_LIMIT = 100;

/** Options of {@link AwsClient}. */
export interface AwsClientOptions {
  transport: Transport;
  region: string;
  /** Full origin of an emulator or proxy; default the SDK's regional endpoint. */
  endpoint?: string;
  /** Explicit credentials; default the SDK's chain (env, profile, IMDS...). */
  credentials?: () => Promise<AwsCredentials>;
  timeoutMs?: number;
}

interface HttpLike {
  method: string;
  protocol?: string;
  hostname?: string;
  port?: number;
  path: string;
  query?: Record<string, unknown>;
  headers: Record<string, string>;
  body?: unknown;
}

/** The AppIntegrations client. */
export class AwsClient {
  readonly sdk: AppIntegrationsClient;
  readonly events: EventBridgeClient;

  constructor(private readonly options: AwsClientOptions) {
    // SDK 3.1169 warns on every process under Node 20 (still supported) that later releases will
    // need Node 22; that notice would corrupt the CLI's JSON on stderr. A caller's choice wins.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    const config = {
      region: options.region,
      maxAttempts: 1,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      ...(options.credentials ? { credentials: options.credentials } : {}),
    };
    this.sdk = new AppIntegrationsClient(config);
    this.events = new EventBridgeClient(config);
    this.observe(this.sdk);
    this.observe(this.events);
  }

  /** Observes the signed request and the response in the innermost step, with secrets redacted. */
  private observe(client: AppIntegrationsClient | EventBridgeClient): void {
    const options = this.options;
    // Both clients use the same Smithy middleware stack; their generic types differ only by command unions.
    (client.middlewareStack as AppIntegrationsClient['middlewareStack']).add(
      (next, context) => async (args) => {
        // Redacted events only for observers: without one, the call goes straight through.
        if (!options.transport.observed) return next(args);
        const req = args.request as HttpLike;
        const pairs = Object.entries(req.query ?? {}).flatMap(([k, v]): [string, string][] =>
          Array.isArray(v) ? v.map((x): [string, string] => [k, String(x)]) : [[k, String(v)]],
        );
        const query = new URLSearchParams(pairs).toString();
        const event = {
          provider: 'aws',
          operation: String(context.commandName ?? 'unknown').replace(/Command$/, ''),
          method: req.method,
          url: `${req.protocol ?? 'https:'}//${req.hostname ?? ''}${req.port ? `:${req.port}` : ''}${req.path}${query ? `?${query}` : ''}`,
          attempt: attemptOf.getStore() ?? 1,
          headers: redactHeaders(req.headers),
          ...(typeof req.body === 'string' && req.body ? { body: redactBody(req.body) } : {}),
        };
        options.transport.emitRequest(event);
        const started = options.transport.clock.now();
        try {
          const result = await next(args);
          const res = result.response as { statusCode?: number; headers?: Record<string, string> };
          options.transport.emitResponse({
            ...event,
            durationMs: options.transport.clock.now() - started,
            ...(res.statusCode !== undefined ? { status: res.statusCode } : {}),
            ...(res.headers ? { responseHeaders: redactHeaders(res.headers) } : {}),
          });
          return result;
        } catch (err) {
          const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
          options.transport.emitResponse({
            ...event,
            durationMs: options.transport.clock.now() - started,
            ...(status !== undefined ? { status } : {}),
            error: mapAwsError(err, event.operation).toJSON(),
          });
          throw err;
        }
      },
      { step: 'deserialize', name: 'polybusObserve', priority: 'low' },
    );
  }

  /** Sends one command under polybus's retry, timeout and cancellation (also used by publish.ts). */
  send<T>(
    operation: string,
    run: (abortSignal: AbortSignal) => Promise<T>,
    o: { signal?: AbortSignal; idempotent?: boolean; resource?: string } = {},
  ): Promise<T> {
    return this.options.transport.retrying(
      {
        provider: 'aws',
        operation,
        ...(o.signal ? { signal: o.signal } : {}),
        idempotent: o.idempotent ?? true,
        deletes: operation.startsWith('Delete'),
      },
      async (n) => {
        const timeout = new AbortController();
        const timer = setTimeout(
          () => timeout.abort(),
          this.options.timeoutMs ?? this.options.transport.timeoutMs,
        );
        timer.unref?.();
        const signal = o.signal ? AbortSignal.any([o.signal, timeout.signal]) : timeout.signal;
        try {
          return await attemptOf.run(n, () => run(signal));
        } catch (err) {
          throw mapAwsError(err, operation, {
            cancelled: Boolean(o.signal?.aborted),
            timedOut: timeout.signal.aborted,
            ...(o.resource ? { resource: o.resource } : {}),
          });
        } finally {
          clearTimeout(timer);
        }
      },
    );
  }

  /**
   * Sends one command by its native name (an {@link AwsAction}) under polybus's retry, timeout
   * and cancellation, and returns the SDK's output as is. AppIntegrations commands go to the
   * AppIntegrations client, the bus commands to EventBridge.
   */
  callNative(action: AwsAction, input: Record<string, unknown>, signal?: AbortSignal): Promise<unknown> {
    const onAppIntegrations = awsServiceOf(action, input) === 'appintegrations';
    // The SDK modules export each command as `<Action>Command`; the action list names only real ones.
    const mod = (onAppIntegrations ? appIntegrations : eventBridge) as unknown as Record<
      string,
      new (input: Record<string, unknown>) => unknown
    >;
    const Command = mod[`${action}Command`];
    if (!Command) throw new TypeError(`no ${action}Command in the AWS SDK`);
    const client = (onAppIntegrations ? this.sdk : this.events) as unknown as {
      send(command: unknown, options: { abortSignal: AbortSignal }): Promise<unknown>;
    };
    return this.send(action, (abortSignal) => client.send(new Command(input), { abortSignal }), {
      ...(signal ? { signal } : {}),
      idempotent: !action.startsWith('Create') || input.ClientToken !== undefined,
    });
  }

  /** CreateEventIntegration; with a ClientToken it is idempotent, so ambiguous failures retry safely. */
  createEventIntegration(input: CreateEventIntegrationCommandInput, signal?: AbortSignal) {
    return this.send(
      'CreateEventIntegration',
      (abortSignal) => this.sdk.send(new CreateEventIntegrationCommand(input), { abortSignal }),
      {
        ...(signal ? { signal } : {}),
        idempotent: input.ClientToken !== undefined,
      },
    );
  }
  getEventIntegration(name: string, signal?: AbortSignal): Promise<GetEventIntegrationCommandOutput> {
    return this.send(
      'GetEventIntegration',
      (abortSignal) => this.sdk.send(new GetEventIntegrationCommand({ Name: name }), { abortSignal }),
      {
        ...(signal ? { signal } : {}),
        resource: name,
      },
    );
  }
  listEventIntegrations(p: { NextToken?: string; MaxResults?: number }, signal?: AbortSignal) {
    return this.send(
      'ListEventIntegrations',
      (abortSignal) => this.sdk.send(new ListEventIntegrationsCommand(p), { abortSignal }),
      signal ? { signal } : {},
    );
  }
  /** All event integrations, paged lazily with NextToken. */
  eventIntegrations(pageSize?: number, signal?: AbortSignal): AsyncIterable<EventIntegration> {
    const MaxResults = Math.min(Math.max(1, pageSize ?? AWS_MAX_RESULTS), AWS_MAX_RESULTS);
    return paginate(async (token): Promise<Page<EventIntegration>> => {
      const res = await this.listEventIntegrations(
        { MaxResults, ...(token ? { NextToken: token } : {}) },
        signal,
      );
      return { items: res.EventIntegrations ?? [], ...(res.NextToken ? { nextToken: res.NextToken } : {}) };
    });
  }
  updateEventIntegration(name: string, description: string, signal?: AbortSignal) {
    return this.send(
      'UpdateEventIntegration',
      (abortSignal) =>
        this.sdk.send(new UpdateEventIntegrationCommand({ Name: name, Description: description }), {
          abortSignal,
        }),
      {
        ...(signal ? { signal } : {}),
        resource: name,
      },
    );
  }
  deleteEventIntegration(name: string, signal?: AbortSignal) {
    return this.send(
      'DeleteEventIntegration',
      (abortSignal) => this.sdk.send(new DeleteEventIntegrationCommand({ Name: name }), { abortSignal }),
      {
        ...(signal ? { signal } : {}),
        resource: name,
      },
    );
  }
  /** Associations of one event integration, paged lazily. */
  associations(name: string, signal?: AbortSignal): AsyncIterable<EventIntegrationAssociation> {
    return paginate(async (token): Promise<Page<EventIntegrationAssociation>> => {
      const res = await this.send(
        'ListEventIntegrationAssociations',
        (abortSignal) =>
          this.sdk.send(
            new ListEventIntegrationAssociationsCommand({
              EventIntegrationName: name,
              MaxResults: AWS_MAX_RESULTS,
              ...(token ? { NextToken: token } : {}),
            }),
            { abortSignal },
          ),
        { ...(signal ? { signal } : {}), resource: name },
      );
      return {
        items: res.EventIntegrationAssociations ?? [],
        ...(res.NextToken ? { nextToken: res.NextToken } : {}),
      };
    });
  }
  tagResource(resourceArn: string, tags: Record<string, string>, signal?: AbortSignal) {
    return this.send(
      'TagResource',
      (abortSignal) => this.sdk.send(new TagResourceCommand({ resourceArn, tags }), { abortSignal }),
      signal ? { signal } : {},
    );
  }
  untagResource(resourceArn: string, tagKeys: string[], signal?: AbortSignal) {
    return this.send(
      'UntagResource',
      (abortSignal) => this.sdk.send(new UntagResourceCommand({ resourceArn, tagKeys }), { abortSignal }),
      signal ? { signal } : {},
    );
  }
  listTagsForResource(resourceArn: string, signal?: AbortSignal) {
    return this.send(
      'ListTagsForResource',
      (abortSignal) => this.sdk.send(new ListTagsForResourceCommand({ resourceArn }), { abortSignal }),
      signal ? { signal } : {},
    );
  }

  // EventBridge buses (JSON 1.1)
  /** CreateEventBus. No idempotency token exists: the adapter looks up by name after an ambiguous failure. */
  createEventBus(
    input: Omit<CreateEventBusCommandInput, 'Tags'> & { Name: string },
    tags: Record<string, string> | undefined,
    signal?: AbortSignal,
  ) {
    const Tags =
      tags && Object.keys(tags).length
        ? Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))
        : undefined;
    return this.send(
      'CreateEventBus',
      (abortSignal) =>
        this.events.send(new CreateEventBusCommand({ ...input, ...(Tags ? { Tags } : {}) }), {
          abortSignal,
        }),
      {
        ...(signal ? { signal } : {}),
        idempotent: false,
        resource: input.Name,
      },
    );
  }
  /** UpdateEventBus: description, KMS key, dead-letter and log config in place. */
  updateEventBus(input: UpdateEventBusCommandInput & { Name: string }, signal?: AbortSignal) {
    return this.send(
      'UpdateEventBus',
      (abortSignal) => this.events.send(new UpdateEventBusCommand(input), { abortSignal }),
      { ...(signal ? { signal } : {}), resource: input.Name },
    );
  }
  describeEventBus(name: string, signal?: AbortSignal) {
    return this.send(
      'DescribeEventBus',
      (abortSignal) => this.events.send(new DescribeEventBusCommand({ Name: name }), { abortSignal }),
      {
        ...(signal ? { signal } : {}),
        resource: name,
      },
    );
  }
  /** All buses, paged lazily with NextToken. */
  eventBuses(pageSize?: number, signal?: AbortSignal): AsyncIterable<EventBus> {
    const Limit = Math.min(Math.max(1, pageSize ?? EVENTBRIDGE_MAX_LIMIT), EVENTBRIDGE_MAX_LIMIT);
    return paginate(async (token): Promise<Page<EventBus>> => {
      const res = await this.send(
        'ListEventBuses',
        (abortSignal) =>
          this.events.send(new ListEventBusesCommand({ Limit, ...(token ? { NextToken: token } : {}) }), {
            abortSignal,
          }),
        signal ? { signal } : {},
      );
      return { items: res.EventBuses ?? [], ...(res.NextToken ? { nextToken: res.NextToken } : {}) };
    });
  }
  deleteEventBus(name: string, signal?: AbortSignal) {
    return this.send(
      'DeleteEventBus',
      (abortSignal) => this.events.send(new DeleteEventBusCommand({ Name: name }), { abortSignal }),
      {
        ...(signal ? { signal } : {}),
        resource: name,
      },
    );
  }
  /** Tags of a bus as a map. */
  async busTags(arn: string, signal?: AbortSignal): Promise<Record<string, string>> {
    const res = await this.send(
      'ListTagsForResource',
      (abortSignal) => this.events.send(new ListBusTagsCommand({ ResourceARN: arn }), { abortSignal }),
      signal ? { signal } : {},
    );
    return Object.fromEntries((res.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  }
  tagBus(arn: string, tags: Record<string, string>, signal?: AbortSignal) {
    const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    return this.send(
      'TagResource',
      (abortSignal) => this.events.send(new TagBusCommand({ ResourceARN: arn, Tags }), { abortSignal }),
      signal ? { signal } : {},
    );
  }
  untagBus(arn: string, keys: string[], signal?: AbortSignal) {
    return this.send(
      'UntagResource',
      (abortSignal) =>
        this.events.send(new UntagBusCommand({ ResourceARN: arn, TagKeys: keys }), { abortSignal }),
      signal ? { signal } : {},
    );
  }

  /** Releases sockets. */
  close(): void {
    this.sdk.destroy();
    this.events.destroy();
  }
}

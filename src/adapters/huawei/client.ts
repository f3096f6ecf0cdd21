/**
 * Huawei Cloud EventGrid v1 wire calls: project-scoped REST under `/v1/{project_id}/...`,
 * authenticated by whichever method is configured (AK/SK signature or `X-Auth-Token`), one
 * function per operation, zod-parsed bodies, offset/limit paging, and one transparent
 * re-authentication on 401 when the method allows it. Speaks native names only.
 */
import { z } from 'zod';
import { invalidArgument, PolybusError } from '../../core/model/errors.js';
import { type Page } from '../../core/model/resources.js';
import { parseResponse } from '../../core/runtime/parse.js';
import { paginate } from '../../core/runtime/resources.js';
import { type HttpResponse, parseRetryAfter, type Transport } from '../../core/runtime/transport.js';
import { type HuaweiAuthorizer, type HuaweiTokenProvider, tokenAuthorizer } from './auth.js';
import { HUAWEI_OPERATIONS, type HuaweiOperation } from './actions.js';
import { classifyHuaweiError, mapHuaweiError } from './errors.js';

/** Page size polybus asks for (EventGrid accepts larger). */
export const HUAWEI_PAGE_LIMIT = 100;

const str = z.string().nullish();

/** ExecuteSubscriptionOperation's 200 answer: how many failed, and one event per subscription. */
const OperationResultSchema = z.looseObject({
  failed_count: z.number().nullish(),
  events: z
    .array(
      z.looseObject({
        subscription_id: z.string().nullish(),
        error_code: z.string().nullish(),
        error_msg: z.string().nullish(),
      }),
    )
    .nullish(),
});

export const ChannelSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: str,
  provider_type: str,
  created_time: str,
  updated_time: str,
  enterprise_project_id: str,
  cross_account: z.boolean().nullish(),
  policy: z.record(z.string(), z.unknown()).nullish(),
});
export type HuaweiChannel = z.infer<typeof ChannelSchema>;
/** Channel fields create and update both take (huawei-eventgrid.md, Bodies). */
export interface HuaweiChannelSettings {
  enterprise_project_id?: string;
  cross_account?: boolean;
  policy?: Record<string, unknown>;
}

export const SourceSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  label: str,
  description: str,
  provider_type: str,
  channel_id: str,
  channel_name: str,
  type: str,
  detail: z.record(z.string(), z.unknown()).nullish(),
  status: str,
  created_time: str,
  updated_time: str,
});
export type HuaweiSource = z.infer<typeof SourceSchema>;

export const KafkaDetailSchema = z.looseObject({
  instance_id: z.string().optional(),
  addr: z.string().optional(),
  security_protocol: str,
  enable_sasl_ssl: z.boolean().nullish(),
  user_name: str,
  password: str,
  acks: str,
});

export const ConnectionSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: str,
  status: str,
  error_info: z.looseObject({ error_code: str, error_detail: str, error_msg: str }).nullish(),
  vpc_id: str,
  subnet_id: str,
  agency: str,
  flavor: z.looseObject({}).nullish(),
  // The seed's example shows `"type": { }` where the table says String.
  type: z.union([z.string(), z.looseObject({})]).nullish(),
  kafka_detail: KafkaDetailSchema.nullish(),
  created_time: str,
  updated_time: str,
});
export type HuaweiConnection = z.infer<typeof ConnectionSchema>;

export const SubscriptionSourceSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  provider_type: z.string(),
  detail: z.unknown().optional(),
  filter: z.record(z.string(), z.unknown()),
});
export const SubscriptionTargetSchema = z.looseObject({
  id: z.string().optional(),
  name: z.string(),
  provider_type: z.string(),
  connection_id: z.string().optional(),
  transform: z.looseObject({ type: z.string() }),
});
export const SubscriptionSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  description: str,
  channel_id: z.string(),
  channel_name: str,
  type: str,
  status: str,
  sources: z.array(SubscriptionSourceSchema).nullish(),
  targets: z.array(SubscriptionTargetSchema).nullish(),
  created_time: str,
  updated_time: str,
});
export type HuaweiSubscription = z.infer<typeof SubscriptionSchema>;
export type HuaweiSubscriptionSource = z.infer<typeof SubscriptionSourceSchema>;
export type HuaweiSubscriptionTarget = z.infer<typeof SubscriptionTargetSchema>;

const ListOf = <T extends z.ZodType>(item: T) =>
  z.object({ total: z.number(), size: z.number().optional(), items: z.array(item) });

/**
 * The response schema of each operation that answers with a body (huawei-eventgrid.md, Bodies);
 * an operation absent here answers with no body polybus reads (deletes, OperateSubscription) or
 * one the reference does not describe (then the body is returned as parsed JSON, unchecked).
 */
const OPERATION_SCHEMAS: Partial<Record<HuaweiOperation, z.ZodType>> = {
  CreateChannel: ChannelSchema,
  ShowChannel: ChannelSchema,
  ListChannels: ListOf(ChannelSchema),
  UpdateChannel: ChannelSchema,
  CreateEventSource: SourceSchema,
  ShowEventSource: SourceSchema,
  ListEventSources: ListOf(SourceSchema),
  UpdateEventSource: SourceSchema,
  CreateConnection: ConnectionSchema,
  ShowConnection: ConnectionSchema,
  ListConnections: ListOf(ConnectionSchema),
  UpdateConnection: ConnectionSchema,
  CreateSubscription: SubscriptionSchema,
  ShowSubscription: SubscriptionSchema,
  ListSubscriptions: ListOf(SubscriptionSchema),
  UpdateSubscription: SubscriptionSchema,
};
/** Operations whose body polybus does not read: the status is the answer. */
const NO_BODY = new Set<HuaweiOperation>([
  'DeleteChannel',
  'DeleteEventSource',
  'DeleteConnection',
  'DeleteSubscription',
  'OperateSubscription',
]);
const AnyBody = z.unknown();

/** Where and how to reach EventGrid. */
export interface HuaweiClientOptions {
  transport: Transport;
  /** How requests are authenticated (AK/SK or tokens); see `HuaweiAuth`. */
  auth?: HuaweiAuthorizer;
  /** Token authentication only; used when `auth` is absent. */
  tokens?: HuaweiTokenProvider;
  /** Origin, e.g. `https://eg.cn-north-4.myhuaweicloud.com`. */
  endpoint: string;
  projectId: string;
}

/** A parsed result with the `X-Request-Id` it came with. */
export type WithRequestId<T> = T & { requestId?: string };

interface Call<S extends z.ZodType | undefined> {
  operation: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  schema: S;
  signal?: AbortSignal;
  idempotent?: boolean;
  resource?: string;
}

/** What one execution of a table operation takes besides its name. */
interface Exec {
  /** Values of the path template's `{param}` segments. */
  params?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  signal?: AbortSignal | undefined;
  idempotent?: boolean;
  resource?: string;
}

/** The EventGrid client. */
export class HuaweiClient {
  private readonly auth: HuaweiAuthorizer;

  constructor(private readonly options: HuaweiClientOptions) {
    const auth = options.auth ?? (options.tokens ? tokenAuthorizer(options.tokens) : undefined);
    if (!auth) throw new TypeError('HuaweiClient needs auth or tokens');
    this.auth = auth;
  }

  /** Sends one call; a 401 re-authenticates and retries once when the method allows it. */
  async request<S extends z.ZodType>(call: Call<S>): Promise<WithRequestId<z.infer<S>>>;
  async request(call: Call<undefined>): Promise<{ requestId?: string }>;
  async request(call: Call<z.ZodType | undefined>): Promise<unknown> {
    // An id goes into the URL path: refuse one that is not a plain segment (`..`, `?`, `#`, `%`,
    // `/`, non-ASCII) before any request, the token request included, is built.
    if (call.path.split('/').some((seg, i) => i > 0 && !/^(?!\.+$)[A-Za-z0-9._-]+$/.test(seg)))
      throw invalidArgument('huawei', call.operation, [
        {
          field: 'id',
          rule: 'EventGrid ids are letters, digits, `.`, `-` and `_` (UUIDs), never `.` or `..`',
        },
      ]);
    const url = new URL(
      `${this.options.endpoint}/v1/${encodeURIComponent(this.options.projectId)}${call.path}`,
    );
    for (const [k, v] of Object.entries(call.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const body = call.body !== undefined ? JSON.stringify(call.body) : undefined;
    const headers: Record<string, string> = body !== undefined ? { 'content-type': 'application/json' } : {};
    const toSign = { method: call.method, url, headers, body };
    const first = await this.auth.authorize(toSign, call.signal);
    try {
      return await this.send(call, url, headers, body, first.headers);
    } catch (err) {
      if (err instanceof PolybusError && err.httpStatus === 401 && first.invalidate()) {
        const again = await this.auth.authorize(toSign, call.signal);
        return this.send(call, url, headers, body, again.headers);
      }
      throw err;
    }
  }

  private send(
    call: Call<z.ZodType | undefined>,
    url: URL,
    headers: Record<string, string>,
    body: string | undefined,
    auth: Record<string, string>,
  ): Promise<unknown> {
    return this.options.transport.execute(
      {
        provider: 'huawei',
        operation: call.operation,
        method: call.method,
        url: url.toString(),
        headers: { ...headers, ...auth },
        ...(body !== undefined ? { body } : {}),
        ...(call.signal ? { signal: call.signal } : {}),
        ...(call.idempotent !== undefined ? { idempotent: call.idempotent } : {}),
        deletes: call.method === 'DELETE',
      },
      (res) => this.handle(call, res),
    );
  }

  private handle(call: Call<z.ZodType | undefined>, res: HttpResponse): unknown {
    const requestId = res.headers['x-request-id'];
    if (res.status < 200 || res.status >= 300) {
      const retryAfterMs = parseRetryAfter(res.headers['retry-after'], this.options.transport.clock.now());
      throw mapHuaweiError({
        status: res.status,
        body: res.body,
        operation: call.operation,
        ...(requestId ? { requestId } : {}),
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        ...(call.resource ? { resource: call.resource } : {}),
      });
    }
    if (!call.schema) return requestId ? { requestId } : {};
    let json: unknown;
    try {
      json = JSON.parse(res.body);
    } catch {
      json = undefined;
    }
    const ctx = {
      provider: 'huawei',
      operation: call.operation,
      httpStatus: res.status,
      body: res.body,
      ...(requestId ? { requestId } : {}),
    };
    const parsed = parseResponse(call.schema, json, ctx) as object;
    return requestId ? Object.assign(parsed, { requestId }) : parsed;
  }

  /**
   * Sends one operation of {@link HUAWEI_OPERATIONS} by its native name: `{param}` segments of its
   * path are taken from `input` (and removed from it); the rest is the query of a GET or DELETE and
   * the JSON body of a POST or PUT. The response is checked by the operation's schema.
   */
  async operate(
    name: HuaweiOperation,
    input: Record<string, unknown> = {},
    signal?: AbortSignal,
  ): Promise<WithRequestId<Record<string, unknown>>> {
    const spec = HUAWEI_OPERATIONS[name];
    const rest: Record<string, unknown> = { ...input };
    const params: Record<string, string> = {};
    const missing: string[] = [];
    for (const [, param] of spec.path.matchAll(/\{([a-z_]+)\}/g)) {
      if (param === undefined) continue;
      const value = rest[param];
      delete rest[param];
      if (typeof value === 'string' && value) params[param] = value;
      else missing.push(param);
    }
    if (missing.length)
      throw invalidArgument(
        'huawei',
        name,
        missing.map((field) => ({ field, rule: `required: ${spec.path} takes it from the input` })),
      );
    const hasBody = spec.method === 'POST' || spec.method === 'PUT';
    const query = Object.fromEntries(
      Object.entries(rest).map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : (v as string)]),
    );
    const o: Exec = {
      params,
      ...(hasBody ? { body: rest } : { query }),
      ...(spec.method === 'POST' && name !== 'OperateSubscription' ? { idempotent: false } : {}),
      signal,
    };
    if (NO_BODY.has(name)) return this.exec(name, undefined, o);
    return this.exec(name, OPERATION_SCHEMAS[name] ?? AnyBody, o) as Promise<
      WithRequestId<Record<string, unknown>>
    >;
  }

  /** Pages a list operation lazily with offset/limit until `total`. */
  private pages<T>(
    operation: 'ListChannels' | 'ListEventSources' | 'ListConnections' | 'ListSubscriptions',
    item: z.ZodType<T>,
    query: Record<string, string | undefined>,
    pageSize?: number,
    signal?: AbortSignal,
  ) {
    const limit = Math.min(Math.max(1, pageSize ?? HUAWEI_PAGE_LIMIT), HUAWEI_PAGE_LIMIT);
    return paginate<T>(async (token): Promise<Page<T>> => {
      const offset = token ? Number(token) : 0;
      const res = await this.exec(operation, ListOf(item), { query: { ...query, offset, limit }, signal });
      const next = offset + res.items.length;
      return {
        items: res.items,
        ...(res.items.length > 0 && next < res.total ? { nextToken: String(next) } : {}),
      };
    });
  }

  /**
   * The one executor of the operation table: method and path template from {@link HUAWEI_OPERATIONS},
   * `{param}` segments filled from `params` (each percent-encoded as one segment).
   */
  private exec<S extends z.ZodType>(
    name: HuaweiOperation,
    schema: S,
    o: Exec,
  ): Promise<WithRequestId<z.infer<S>>>;
  private exec(name: HuaweiOperation, schema: undefined, o: Exec): Promise<{ requestId?: string }>;
  private exec(name: HuaweiOperation, schema: z.ZodType | undefined, o: Exec): Promise<unknown> {
    const spec = HUAWEI_OPERATIONS[name];
    const path = spec.path.replace(/\{([a-z_]+)\}/g, (_m, param: string) =>
      encodeURIComponent(o.params?.[param] ?? ''),
    );
    const call = {
      operation: name,
      method: spec.method,
      path,
      ...(o.query ? { query: o.query } : {}),
      ...(o.body !== undefined ? { body: o.body } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.idempotent !== undefined ? { idempotent: o.idempotent } : {}),
      ...(o.resource ? { resource: o.resource } : {}),
    };
    return schema ? this.request({ ...call, schema }) : this.request({ ...call, schema: undefined });
  }

  // Custom event channels
  createChannel(body: { name: string; description?: string } & HuaweiChannelSettings, signal?: AbortSignal) {
    return this.exec('CreateChannel', ChannelSchema, { body, idempotent: false, signal });
  }
  getChannel(id: string, signal?: AbortSignal) {
    return this.exec('ShowChannel', ChannelSchema, { params: { channel_id: id }, resource: id, signal });
  }
  channels(
    query: { name?: string; fuzzy_name?: string; provider_type?: string } = {},
    pageSize?: number,
    signal?: AbortSignal,
  ) {
    return this.pages('ListChannels', ChannelSchema, query, pageSize, signal);
  }
  updateChannel(id: string, body: { description?: string } & HuaweiChannelSettings, signal?: AbortSignal) {
    return this.exec('UpdateChannel', ChannelSchema, {
      params: { channel_id: id },
      body,
      resource: id,
      signal,
    });
  }
  deleteChannel(id: string, signal?: AbortSignal) {
    return this.exec('DeleteChannel', undefined, { params: { channel_id: id }, resource: id, signal });
  }

  // Custom event sources
  createSource(
    body: {
      name: string;
      description?: string;
      channel_id: string;
      type?: string;
      detail?: Record<string, unknown>;
    },
    signal?: AbortSignal,
  ) {
    return this.exec('CreateEventSource', SourceSchema, { body, idempotent: false, signal });
  }
  getSource(id: string, signal?: AbortSignal) {
    return this.exec('ShowEventSource', SourceSchema, { params: { source_id: id }, resource: id, signal });
  }
  sources(
    query: { channel_id?: string; name?: string; fuzzy_name?: string; provider_type?: string } = {},
    pageSize?: number,
    signal?: AbortSignal,
  ) {
    return this.pages('ListEventSources', SourceSchema, query, pageSize, signal);
  }
  updateSource(
    id: string,
    body: { description?: string; detail?: Record<string, unknown> },
    signal?: AbortSignal,
  ) {
    return this.exec('UpdateEventSource', SourceSchema, {
      params: { source_id: id },
      body,
      resource: id,
      signal,
    });
  }
  deleteSource(id: string, signal?: AbortSignal) {
    return this.exec('DeleteEventSource', undefined, { params: { source_id: id }, resource: id, signal });
  }

  // Connections
  createConnection(
    body: {
      name: string;
      description?: string;
      vpc_id: string;
      subnet_id: string;
      type?: 'webhook' | 'kafka';
      kafka_detail?: {
        instance_id: string;
        addr: string;
        security_protocol?: string;
        enable_sasl_ssl: boolean;
        user_name?: string;
        password?: string;
        acks?: string;
      };
    },
    signal?: AbortSignal,
  ) {
    return this.exec('CreateConnection', ConnectionSchema, { body, idempotent: false, signal });
  }
  getConnection(id: string, signal?: AbortSignal) {
    return this.exec('ShowConnection', ConnectionSchema, {
      params: { connection_id: id },
      resource: id,
      signal,
    });
  }
  connections(query: { name?: string; fuzzy_name?: string } = {}, pageSize?: number, signal?: AbortSignal) {
    return this.pages('ListConnections', ConnectionSchema, query, pageSize, signal);
  }
  updateConnection(id: string, body: { description?: string }, signal?: AbortSignal) {
    return this.exec('UpdateConnection', ConnectionSchema, {
      params: { connection_id: id },
      body,
      resource: id,
      signal,
    });
  }
  deleteConnection(id: string, signal?: AbortSignal) {
    return this.exec('DeleteConnection', undefined, {
      params: { connection_id: id },
      resource: id,
      signal,
    });
  }

  // Subscriptions
  createSubscription(
    body: {
      name: string;
      description?: string;
      channel_id: string;
      sources: HuaweiSubscriptionSource[];
      targets: HuaweiSubscriptionTarget[];
    },
    signal?: AbortSignal,
  ) {
    return this.exec('CreateSubscription', SubscriptionSchema, { body, idempotent: false, signal });
  }
  getSubscription(id: string, signal?: AbortSignal) {
    return this.exec('ShowSubscription', SubscriptionSchema, {
      params: { subscription_id: id },
      resource: id,
      signal,
    });
  }
  subscriptions(
    query: { channel_id?: string; name?: string; fuzzy_name?: string } = {},
    pageSize?: number,
    signal?: AbortSignal,
  ) {
    return this.pages('ListSubscriptions', SubscriptionSchema, query, pageSize, signal);
  }
  updateSubscription(
    id: string,
    body: {
      description?: string;
      sources?: HuaweiSubscriptionSource[];
      targets?: HuaweiSubscriptionTarget[];
    },
    signal?: AbortSignal,
  ) {
    return this.exec('UpdateSubscription', SubscriptionSchema, {
      params: { subscription_id: id },
      body,
      resource: id,
      signal,
    });
  }
  deleteSubscription(id: string, signal?: AbortSignal) {
    return this.exec('DeleteSubscription', undefined, {
      params: { subscription_id: id },
      resource: id,
      signal,
    });
  }
  /**
   * Enables or disables subscriptions. The answer is 200 even when some failed: `failed_count`
   * and one `events` entry per subscription, with `error_code`/`error_msg` on a failed one. A
   * failed one is a failure (the first, as the normalized error), never a success.
   */
  async operateSubscriptions(
    body: { subscription_ids: string[]; operation: 'ENABLE' | 'DISABLE' },
    signal?: AbortSignal,
  ) {
    const res = await this.exec('OperateSubscription', OperationResultSchema, { body, signal });
    const failed = (res.events ?? []).filter((e) => e.error_code);
    if (!failed.length && !res.failed_count) return res;
    const first = failed[0];
    const rule = classifyHuaweiError(first?.error_code ?? undefined, 200);
    throw new PolybusError({
      code: first ? rule.code : 'Internal',
      provider: 'huawei',
      operation: 'OperateSubscription',
      httpStatus: 200,
      message: `OperateSubscription: ${res.failed_count ?? failed.length} of ${body.subscription_ids.length} subscription(s) not switched to ${body.operation}${first ? `: ${first.subscription_id ?? '?'}: ${first.error_code}: ${first.error_msg ?? 'no error message'}` : ''}`,
      ...(first?.error_code ? { providerCode: first.error_code } : {}),
      ...(first?.subscription_id ? { resource: first.subscription_id } : {}),
      ...(res.requestId ? { requestId: res.requestId } : {}),
    });
  }
}

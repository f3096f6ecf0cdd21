/**
 * Tencent EventBridge API 3.0 wire calls (version 2021-04-16): one function per action, POST JSON
 * signed with TC3, responses parsed by zod. It speaks native names only; mapping lives elsewhere.
 */
import { z } from 'zod';
import { PolybusError } from '../../core/model/errors.js';
import { bodyExcerpt, parseResponse } from '../../core/runtime/parse.js';
import { type Page } from '../../core/model/resources.js';
import { paginate } from '../../core/runtime/resources.js';
import type { HttpResponse, Transport } from '../../core/runtime/transport.js';
import { registerSecret } from '../../core/runtime/redact.js';
import { Tc3Signer, type TencentCredentials } from './auth.js';
import { mapTencentError } from './errors.js';

/** The API version every request names. */
export const TENCENT_API_VERSION = '2021-04-16';
export { TENCENT_ACTIONS, type TencentAction } from './actions.js';

/** The documented frequency limit of every EventBridge action. */
export const TENCENT_RATE_LIMIT = { ratePerSecond: 20, burst: 1 };
/** Largest documented page size (Limit). */
export const TENCENT_MAX_LIMIT = 100;

// Tencent marks many fields "may return null": nullish everywhere outside ids.
const str = z.string().nullish();
const bool = z.boolean().nullish();
// The GetEventBus example returns SaveDays as "1" although it is documented as Integer.
const int = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).nullish();

export const EventBusSchema = z.looseObject({
  EventBusId: z.string(),
  EventBusName: z.string(),
  Description: str,
  AddTime: str,
  ModTime: str,
  Type: str,
  PayMode: str,
  SaveDays: int,
  EnableStore: bool,
  LinkMode: str,
  ClsLogsetId: str,
  ClsTopicId: str,
  LogTopicId: str,
});
export type TencentEventBus = z.infer<typeof EventBusSchema>;

export const RuleSchema = z.looseObject({
  RuleId: z.string(),
  RuleName: z.string(),
  EventBusId: z.string(),
  Status: str,
  Enable: bool,
  Description: str,
  EventPattern: str,
  AddTime: str,
  ModTime: str,
});
export type TencentRule = z.infer<typeof RuleSchema>;

const ConnectionDescriptionSchema = z.looseObject({
  ResourceDescription: z.string(),
  APIGWParams: z.looseObject({ Protocol: z.string(), Method: z.string() }).nullish(),
  CkafkaParams: z.looseObject({ Offset: z.string(), TopicName: z.string() }).nullish(),
  DTSParams: z.record(z.string(), z.unknown()).nullish(),
});
export type TencentConnectionDescription = z.infer<typeof ConnectionDescriptionSchema>;

export const ConnectionSchema = z.looseObject({
  ConnectionId: z.string(),
  ConnectionName: z.string(),
  EventBusId: z.string(),
  ConnectionDescription: ConnectionDescriptionSchema.nullish(),
  Description: str,
  Enable: bool,
  Status: str,
  Type: str,
  AddTime: str,
  ModTime: str,
});
export type TencentConnection = z.infer<typeof ConnectionSchema>;

export const TargetSchema = z.looseObject({
  TargetId: z.string(),
  RuleId: z.string(),
  EventBusId: z.string(),
  Type: z.string(),
  TargetDescription: z.looseObject({ ResourceDescription: z.string() }).nullish(),
  EnableBatchDelivery: bool,
  BatchTimeout: int,
  BatchEventCount: int,
});
export type TencentTarget = z.infer<typeof TargetSchema>;

/** TargetDescription of CreateTarget (seed 001 data types TargetDescription, SCFParams, CkafkaTargetParams, ESTargetParams). */
export interface TencentTargetDescription {
  /** Six-segment QCS resource description. */
  ResourceDescription: string;
  /** Batch delivery of an SCF target. */
  SCFParams?: { BatchTimeout?: number; BatchEventCount?: number; EnableBatchDelivery?: boolean };
  CkafkaTargetParams?: {
    TopicName: string;
    RetryPolicy: { RetryInterval: number; MaxRetryAttempts: number };
  };
  ESTargetParams?: {
    NetMode: string;
    IndexPrefix: string;
    RotationInterval: string;
    OutputMode: string;
    IndexSuffixMode: string;
    IndexTemplateType?: string;
  };
}

export const TransformationSchema = z.looseObject({
  Extraction: z.looseObject({ ExtractionInputPath: z.string(), Format: z.string() }).nullish(),
  EtlFilter: z.looseObject({ Filter: z.string() }).nullish(),
  Transform: z
    .looseObject({
      OutputStructs: z.array(z.looseObject({ Key: z.string(), Value: z.string(), ValueType: z.string() })),
    })
    .nullish(),
});
export type TencentTransformation = z.infer<typeof TransformationSchema>;

/** One event of PutEvents/PublishEvent (official SDK model `Event`; publishing.md). */
export interface TencentEvent {
  /** Event source; required. */
  Source: string;
  /** Event data: a JSON string (datacontenttype is application/json;charset=utf-8 only); required. */
  Data: string;
  /** Event type, free form (cloud services write e.g. `COS:Created:PostObject`). */
  Type: string;
  /** Event subject (cloud services use a qcs resource name). */
  Subject: string;
  /** When the event happened, milliseconds since the epoch. */
  Time?: number;
}

/** LogFilters: one condition of a log query (seed 001 data type). */
export interface TencentLogFilters {
  Key: string;
  /** eq, neq, like, not like, lt, lte, gt, gte, range, norange. */
  Operator: 'eq' | 'neq' | 'like' | 'not like' | 'lt' | 'lte' | 'gt' | 'gte' | 'range' | 'norange';
  /** Two comma-separated values for range/norange. */
  Value: string;
}

/** LogFilter: a condition and/or nested conditions joined by Type (seed 001 data type). */
export interface TencentLogFilter {
  Key?: string;
  Operator?: TencentLogFilters['Operator'];
  Value?: string;
  Type?: 'AND' | 'OR';
  Filters?: TencentLogFilters[];
}

/** Common input of SearchLog and DescribeLogTagValue. */
export interface TencentLogQuery {
  EventBusId: string;
  /** Query start, UNIX milliseconds. */
  StartTime: number;
  /** Query end, UNIX milliseconds. */
  EndTime: number;
  /** Page number, from 1. */
  Page: number;
  /** Logs per page. */
  Limit: number;
  Filter?: TencentLogFilter[];
}

export const SearchLogResultSchema = z.looseObject({
  Timestamp: str,
  Message: str,
  Source: str,
  Type: str,
  RuleIds: str,
  Subject: str,
  Region: str,
  Status: str,
});
export type TencentSearchLogResult = z.infer<typeof SearchLogResultSchema>;

export const SearchLogResponseSchema = z.looseObject({
  Total: int,
  Limit: int,
  Page: int,
  Results: z.array(SearchLogResultSchema).nullish(),
});

const Empty = z.looseObject({});
const ListOf = <K extends string, T extends z.ZodType>(key: K, item: T) =>
  z.looseObject({ TotalCount: z.number(), [key]: z.array(item).nullish() } as {
    TotalCount: z.ZodNumber;
  } & Record<K, z.ZodOptional<z.ZodNullable<z.ZodArray<T>>>>);

/** Paging parameters of the List* actions. */
export interface ListParams {
  Limit?: number;
  Offset?: number;
  OrderBy?: 'AddTime' | 'ModTime';
  Order?: 'ASC' | 'DESC';
}

/** Where and how to reach Tencent. */
export interface TencentClientOptions {
  transport: Transport;
  credentials: () => Promise<TencentCredentials>;
  region: string;
  /** Full origin, e.g. `https://eb.tencentcloudapi.com` or an emulator's `http://127.0.0.1:PORT`. */
  endpoint: string;
  /** Product signed for and its API version (default `eb`, 2021-04-16; the tag service: `tag`, 2018-08-13). */
  service?: { name: string; version: string };
}

/** The tag service: TC3-signed like EventBridge, service `tag`, API version 2018-08-13. */
export const TENCENT_TAG_SERVICE = { name: 'tag', version: '2018-08-13' } as const;

const ResponseEnvelope = z.object({
  Response: z.looseObject({
    RequestId: z.string().optional(),
    Error: z.object({ Code: z.string(), Message: z.string() }).optional(),
  }),
});

/** The EventBridge client: signing, envelopes, errors, clock-skew recovery. */
export class TencentClient {
  private readonly signer = new Tc3Signer();
  private clockOffsetMs = 0;
  private readonly host: string;
  private readonly service: string;

  constructor(private readonly options: TencentClientOptions) {
    const url = new URL(options.endpoint);
    this.host = url.host;
    // The service is the first label of a real endpoint (eb.tencentcloudapi.com); loopback hosts are eb.
    this.service =
      options.service?.name ??
      (/tencentcloudapi\.com$/.test(url.hostname) ? (url.hostname.split('.')[0] ?? 'eb') : 'eb');
  }

  /**
   * Calls one action. On `AuthFailure.SignatureExpire` it adopts the server's clock (from the
   * `Date` header) and re-signs once.
   */
  async call<S extends z.ZodType>(
    action: string,
    params: object,
    schema: S,
    options: { signal?: AbortSignal; idempotent?: boolean; resource?: string } = {},
  ): Promise<z.infer<S> & { RequestId?: string }> {
    try {
      return await this.callOnce(action, params, schema, options);
    } catch (err) {
      const date = (err as { serverDate?: string }).serverDate;
      if (!(err instanceof PolybusError) || err.providerCode !== 'AuthFailure.SignatureExpire' || !date)
        throw err;
      this.clockOffsetMs = Date.parse(date) - this.options.transport.clock.now();
      return this.callOnce(action, params, schema, options);
    }
  }

  private async callOnce<S extends z.ZodType>(
    action: string,
    params: object,
    schema: S,
    options: { signal?: AbortSignal; idempotent?: boolean; resource?: string },
  ): Promise<z.infer<S> & { RequestId?: string }> {
    const body = JSON.stringify(params);
    const contentType = 'application/json';
    return this.options.transport.execute(
      {
        provider: 'tencent',
        operation: action,
        method: 'POST',
        url: `${this.options.endpoint}/`,
        body,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.idempotent !== undefined ? { idempotent: options.idempotent } : {}),
        deletes: action.startsWith('Delete'),
        prepare: async () => {
          const creds = await this.options.credentials();
          // Credentials given in code never passed a credential source: mask them by value too.
          registerSecret(creds.secretKey);
          registerSecret(creds.token);
          const timestamp = Math.floor((this.options.transport.clock.now() + this.clockOffsetMs) / 1000);
          const signed = this.signer.sign({
            secretId: creds.secretId,
            secretKey: creds.secretKey,
            service: this.service,
            host: this.host,
            contentType,
            payload: body,
            timestamp,
          });
          return {
            authorization: signed.authorization,
            'content-type': contentType,
            host: this.host,
            'x-tc-action': action,
            'x-tc-version': this.options.service?.version ?? TENCENT_API_VERSION,
            'x-tc-timestamp': String(timestamp),
            'x-tc-region': this.options.region,
            'x-tc-requestclient': 'polybus',
            ...(creds.token ? { 'x-tc-token': creds.token } : {}),
          };
        },
      },
      (res) => this.handle(action, res, schema, options.resource),
    );
  }

  private handle<S extends z.ZodType>(action: string, res: HttpResponse, schema: S, resource?: string) {
    let json: unknown;
    try {
      json = JSON.parse(res.body);
    } catch {
      // A gateway's page or a cut body: a fault of the wire, retryable for reads (a create is
      // looked up first, since the service may have committed it).
      const requestId = res.headers['x-tc-requestid'] ?? res.headers['x-request-id'];
      throw new PolybusError({
        code: res.status === 429 ? 'Throttled' : 'Unavailable',
        retryable: true,
        provider: 'tencent',
        operation: action,
        providerCode: 'MalformedResponse',
        httpStatus: res.status,
        ...(requestId ? { requestId } : {}),
        ...(resource ? { resource } : {}),
        message: `${action}: HTTP ${res.status} with a body that is not JSON; body starts: ${JSON.stringify(bodyExcerpt(res.body))}`,
      });
    }
    const envelope = parseResponse(ResponseEnvelope, json, {
      provider: 'tencent',
      operation: action,
      httpStatus: res.status,
      body: res.body,
    });
    const requestId = envelope.Response.RequestId;
    if (envelope.Response.Error) {
      const err = mapTencentError({
        code: envelope.Response.Error.Code,
        message: envelope.Response.Error.Message,
        operation: action,
        httpStatus: res.status,
        ...(requestId ? { requestId } : {}),
        ...(resource ? { resource } : {}),
      });
      if (res.headers.date) Object.assign(err, { serverDate: res.headers.date });
      throw err;
    }
    const parsed = parseResponse(schema, envelope.Response, {
      provider: 'tencent',
      operation: action,
      httpStatus: res.status,
      body: res.body,
      ...(requestId ? { requestId } : {}),
    });
    return Object.assign(parsed as object, requestId ? { RequestId: requestId } : {}) as z.infer<S> & {
      RequestId?: string;
    };
  }

  /** Pages a List* action lazily with Offset/Limit until TotalCount is reached. */
  pages<T>(
    action: string,
    key: string,
    item: z.ZodType<T>,
    params: Record<string, unknown>,
    pageSize = 20,
    signal?: AbortSignal,
  ): AsyncIterable<T> {
    const limit = Math.min(Math.max(1, pageSize), TENCENT_MAX_LIMIT);
    const schema = ListOf(key, item);
    return paginate<T>(async (token): Promise<Page<T>> => {
      const offset = token ? Number(token) : 0;
      const res = (await this.call(
        action,
        { ...params, Limit: limit, Offset: offset },
        schema,
        signal ? { signal } : {},
      )) as {
        TotalCount: number;
      } & Record<string, T[] | null | undefined>;
      const items = res[key] ?? [];
      const next = offset + items.length;
      return { items, ...(items.length > 0 && next < res.TotalCount ? { nextToken: String(next) } : {}) };
    });
  }

  // Event buses
  createEventBus(
    p: { EventBusName: string; Description?: string; SaveDays?: number; EnableStore?: boolean },
    signal?: AbortSignal,
  ) {
    return this.call('CreateEventBus', p, z.object({ EventBusId: z.string() }), {
      signal,
      idempotent: false,
    } as const);
  }
  getEventBus(p: { EventBusId: string }, signal?: AbortSignal) {
    return this.call('GetEventBus', p, EventBusSchema, {
      ...(signal ? { signal } : {}),
      resource: p.EventBusId,
    });
  }
  listEventBuses(
    p: ListParams & { Filters?: { Name: string; Values: string[] }[] } = {},
    signal?: AbortSignal,
  ) {
    return this.call(
      'ListEventBuses',
      { ...p },
      ListOf('EventBuses', EventBusSchema),
      signal ? { signal } : {},
    );
  }
  eventBuses(pageSize?: number, signal?: AbortSignal) {
    return this.pages('ListEventBuses', 'EventBuses', EventBusSchema, {}, pageSize, signal);
  }
  updateEventBus(
    p: {
      EventBusId: string;
      Description?: string;
      EventBusName?: string;
      SaveDays?: number;
      LogTopicId?: string;
      EnableStore?: boolean;
    },
    signal?: AbortSignal,
  ) {
    return this.call('UpdateEventBus', p, Empty, { ...(signal ? { signal } : {}), resource: p.EventBusId });
  }
  deleteEventBus(p: { EventBusId: string }, signal?: AbortSignal) {
    return this.call('DeleteEventBus', p, Empty, { ...(signal ? { signal } : {}), resource: p.EventBusId });
  }

  // Rules
  createRule(
    p: { EventBusId: string; RuleName: string; EventPattern: string; Enable?: boolean; Description?: string },
    signal?: AbortSignal,
  ) {
    return this.call('CreateRule', p, z.object({ RuleId: z.string() }), {
      ...(signal ? { signal } : {}),
      idempotent: false,
    });
  }
  getRule(p: { EventBusId: string; RuleId: string }, signal?: AbortSignal) {
    return this.call('GetRule', p, RuleSchema, { ...(signal ? { signal } : {}), resource: p.RuleId });
  }
  listRules(p: ListParams & { EventBusId: string }, signal?: AbortSignal) {
    return this.call('ListRules', p, ListOf('Rules', RuleSchema), signal ? { signal } : {});
  }
  rules(EventBusId: string, pageSize?: number, signal?: AbortSignal) {
    return this.pages('ListRules', 'Rules', RuleSchema, { EventBusId }, pageSize, signal);
  }
  updateRule(
    p: {
      EventBusId: string;
      RuleId: string;
      Enable?: boolean;
      Description?: string;
      EventPattern?: string;
      RuleName?: string;
    },
    signal?: AbortSignal,
  ) {
    return this.call('UpdateRule', p, Empty, { ...(signal ? { signal } : {}), resource: p.RuleId });
  }
  deleteRule(p: { EventBusId: string; RuleId: string }, signal?: AbortSignal) {
    return this.call('DeleteRule', p, Empty, { ...(signal ? { signal } : {}), resource: p.RuleId });
  }
  checkRule(p: Record<string, unknown> = {}, signal?: AbortSignal) {
    return this.call('CheckRule', p, Empty, signal ? { signal } : {});
  }

  // Targets
  createTarget(
    p: {
      EventBusId: string;
      RuleId: string;
      Type: string;
      TargetDescription: TencentTargetDescription;
    },
    signal?: AbortSignal,
  ) {
    return this.call('CreateTarget', p, z.object({ TargetId: z.string() }), {
      ...(signal ? { signal } : {}),
      idempotent: false,
    });
  }
  listTargets(p: ListParams & { EventBusId: string; RuleId: string }, signal?: AbortSignal) {
    return this.call('ListTargets', p, ListOf('Targets', TargetSchema), signal ? { signal } : {});
  }
  targets(EventBusId: string, RuleId: string, pageSize?: number, signal?: AbortSignal) {
    return this.pages('ListTargets', 'Targets', TargetSchema, { EventBusId, RuleId }, pageSize, signal);
  }
  updateTarget(
    p: {
      EventBusId: string;
      RuleId: string;
      TargetId: string;
      EnableBatchDelivery?: boolean;
      BatchTimeout?: number;
      BatchEventCount?: number;
    },
    signal?: AbortSignal,
  ) {
    return this.call('UpdateTarget', p, Empty, { ...(signal ? { signal } : {}), resource: p.TargetId });
  }
  deleteTarget(p: { EventBusId: string; RuleId: string; TargetId: string }, signal?: AbortSignal) {
    return this.call('DeleteTarget', p, Empty, { ...(signal ? { signal } : {}), resource: p.TargetId });
  }

  // Connections (connectors)
  createConnection(
    p: {
      EventBusId: string;
      ConnectionName: string;
      ConnectionDescription: TencentConnectionDescription;
      Description?: string;
      Enable?: boolean;
      Type?: string;
    },
    signal?: AbortSignal,
  ) {
    return this.call('CreateConnection', p, z.object({ ConnectionId: z.string() }), {
      ...(signal ? { signal } : {}),
      idempotent: false,
    });
  }
  listConnections(p: ListParams & { EventBusId: string }, signal?: AbortSignal) {
    return this.call('ListConnections', p, ListOf('Connections', ConnectionSchema), signal ? { signal } : {});
  }
  connections(EventBusId: string, pageSize?: number, signal?: AbortSignal) {
    return this.pages('ListConnections', 'Connections', ConnectionSchema, { EventBusId }, pageSize, signal);
  }
  updateConnection(
    p: {
      EventBusId: string;
      ConnectionId: string;
      Enable?: boolean;
      Description?: string;
      ConnectionName?: string;
    },
    signal?: AbortSignal,
  ) {
    return this.call('UpdateConnection', p, Empty, {
      ...(signal ? { signal } : {}),
      resource: p.ConnectionId,
    });
  }
  deleteConnection(p: { EventBusId: string; ConnectionId: string }, signal?: AbortSignal) {
    return this.call('DeleteConnection', p, Empty, {
      ...(signal ? { signal } : {}),
      resource: p.ConnectionId,
    });
  }

  // Transformations
  checkTransformation(p: { Input: string; Transformations: TencentTransformation[] }, signal?: AbortSignal) {
    return this.call(
      'CheckTransformation',
      p,
      z.looseObject({ Output: z.string() }),
      signal ? { signal } : {},
    );
  }
  createTransformation(
    p: { EventBusId: string; RuleId: string; Transformations: TencentTransformation[] },
    signal?: AbortSignal,
  ) {
    return this.call('CreateTransformation', p, z.object({ TransformationId: z.string() }), {
      ...(signal ? { signal } : {}),
      idempotent: false,
    });
  }
  getTransformation(
    p: { EventBusId: string; RuleId: string; TransformationId: string },
    signal?: AbortSignal,
  ) {
    return this.call(
      'GetTransformation',
      p,
      z.looseObject({ Transformations: z.array(TransformationSchema) }),
      {
        ...(signal ? { signal } : {}),
        resource: p.TransformationId,
      },
    );
  }
  updateTransformation(
    p: {
      EventBusId: string;
      RuleId: string;
      TransformationId: string;
      Transformations: TencentTransformation[];
    },
    signal?: AbortSignal,
  ) {
    return this.call('UpdateTransformation', p, Empty, {
      ...(signal ? { signal } : {}),
      resource: p.TransformationId,
    });
  }
  deleteTransformation(
    p: { EventBusId: string; RuleId: string; TransformationId: string },
    signal?: AbortSignal,
  ) {
    return this.call('DeleteTransformation', p, Empty, {
      ...(signal ? { signal } : {}),
      resource: p.TransformationId,
    });
  }

  // Events and their log (PutEvents/PublishEvent: official SDK; SearchLog/DescribeLogTagValue: seed 001)
  /** Sends events to a bus (documented frequency limit: 1000 requests/s). */
  putEvents(p: { EventBusId: string; EventList: TencentEvent[] }, signal?: AbortSignal) {
    return this.call('PutEvents', p, Empty, {
      ...(signal ? { signal } : {}),
      idempotent: false,
      resource: p.EventBusId,
    });
  }
  /** The deprecated predecessor of PutEvents, same request shape. */
  publishEvent(p: { EventBusId: string; EventList: TencentEvent[] }, signal?: AbortSignal) {
    return this.call('PublishEvent', p, Empty, {
      ...(signal ? { signal } : {}),
      idempotent: false,
      resource: p.EventBusId,
    });
  }
  /** Searches a bus's event log (OrderBy `asc` earliest first, `desc` latest first). */
  searchLog(p: TencentLogQuery & { OrderFields?: string[]; OrderBy?: 'asc' | 'desc' }, signal?: AbortSignal) {
    return this.call('SearchLog', p, SearchLogResponseSchema, {
      ...(signal ? { signal } : {}),
      resource: p.EventBusId,
    });
  }
  /** The values of one log field (GroupField, e.g. `Source`) among a bus's logged events. */
  describeLogTagValue(p: TencentLogQuery & { GroupField: string }, signal?: AbortSignal) {
    return this.call('DescribeLogTagValue', p, z.looseObject({ Results: z.array(z.string()).nullish() }), {
      ...(signal ? { signal } : {}),
      resource: p.EventBusId,
    });
  }

  // Platform event catalogue (actions of the official SDK's 2021-04-16 client beyond the seed)
  /** Lists the Tencent Cloud products that emit platform events. */
  listPlatformProducts(signal?: AbortSignal) {
    return this.call(
      'ListPlatformProducts',
      {},
      z.looseObject({
        PlatformProducts: z.array(z.looseObject({ ProductName: str, ProductType: str })).nullish(),
      }),
      signal ? { signal } : {},
    );
  }
  /** Lists the platform event names of one product type. */
  listPlatformEventNames(p: { ProductType: string }, signal?: AbortSignal) {
    return this.call(
      'ListPlatformEventNames',
      p,
      z.looseObject({ EventNames: z.array(z.looseObject({ EventName: str, EventType: str })).nullish() }),
      signal ? { signal } : {},
    );
  }
  /** Lists the event patterns that match one product type's platform events. */
  listPlatformEventPatterns(p: { ProductType: string }, signal?: AbortSignal) {
    return this.call(
      'ListPlatformEventPatterns',
      p,
      z.looseObject({
        EventPatterns: z.array(z.looseObject({ EventName: str, EventPattern: str })).nullish(),
      }),
      signal ? { signal } : {},
    );
  }
  /** The event template of one platform event type. */
  getPlatformEventTemplate(p: { EventType: string }, signal?: AbortSignal) {
    return this.call('GetPlatformEventTemplate', p, z.looseObject({ EventTemplate: str }), {
      ...(signal ? { signal } : {}),
      resource: p.EventType,
    });
  }
}

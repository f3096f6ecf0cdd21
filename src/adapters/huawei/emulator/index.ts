/**
 * A loopback Huawei Cloud EventGrid v1 plus the IAM token endpoint: verifies AK/SK signatures
 * (`SDK-HMAC-SHA256` over exactly the headers the request signs, clock skew window, security
 * tokens) or checks X-Auth-Token (missing, unknown, expired -> 401), and the project id in the
 * path; enforces the documented name rules and per-tenant uniqueness, pages with offset/limit and
 * `fuzzy_name`, answers documented error bodies and the documents' timestamp format, and creates
 * connections asynchronously (CREATING -> CREATED). Serves every operation of polybus's Huawei
 * catalog (actions.ts), and channel PutEvents. Never listens beyond 127.0.0.1.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import {
  applyTransportFault,
  LoopbackEmulator,
  type LoopbackRequest,
  ScopedState,
  sendJson,
} from '../../../testing/loopback.js';
import {
  type HuaweiAccessKeyCredentials,
  huaweiCanonicalRequest,
  huaweiSignature,
  parseHuaweiAuthorization,
  parseHuaweiSdkDate,
  sameSignature,
} from '../auth.js';
import { DeliveryEngine } from '../../../testing/delivery.js';
import type { HuaweiOperation } from '../actions.js';
import { type HuaweiFilterRule, matchesHuaweiFilterRule, validateHuaweiFilterRule } from '../routing.js';

/** The user `polybus demo` logs in as (an emulator-only identity). */
export const HUAWEI_EMULATOR_USER = {
  username: 'polybus-demo',
  password: 'polybus-emulator-password',
  domainName: 'polybus-demo-domain',
};
/** The access key pair `polybus emulate` prints (emulator-only values, not anyone's keys). */
export const HUAWEI_EMULATOR_ACCESS_KEY: HuaweiAccessKeyCredentials = {
  accessKey: 'POLYBUSEMULATORAK0001',
  secretKey: 'polybus-emulator-secret-key-not-a-real-one',
};
/** How far `X-Sdk-Date` may be from the emulator's clock (API Gateway allows 15 minutes). */
export const HUAWEI_MAX_CLOCK_SKEW_MS = 15 * 60_000;
/** The emulator's project id (32 hex digits, like a real one). */
export const HUAWEI_EMULATOR_PROJECT = '0a1b2c3d4e5f60718293a4b5c6d7e8f9';
/** A second project of the emulator's account (a project belongs to one region: another region's). */
export const HUAWEI_EMULATOR_PROJECT_2 = '1a2b3c4d5e6f708192a3b4c5d6e7f809';

/** Options of {@link HuaweiEmulator.start}. */
export interface HuaweiEmulatorOptions {
  users?: { username: string; password: string; domainName: string }[];
  /** The default project (default {@link HUAWEI_EMULATOR_PROJECT}). */
  projectId?: string;
  /** Every project the account has (default: `projectId`, and {@link HUAWEI_EMULATOR_PROJECT_2} when `projectId` is not given). */
  projectIds?: string[];
  /** Tokens accepted without login (as if issued by IAM). */
  staticTokens?: string[];
  /** Access keys accepted for signed requests (default {@link HUAWEI_EMULATOR_ACCESS_KEY}). */
  accessKeys?: HuaweiAccessKeyCredentials[];
  /** The emulator's clock for `X-Sdk-Date` checks (default `Date.now`). */
  now?: () => number;
  tokenTtlMs?: number;
  connectionReadyMs?: number;
  port?: number;
}

type Row = Record<string, unknown>;
/** One operation's handler: the first path id (after the resource), the request, its query. */
type Handler = (
  id: string | undefined,
  req: LoopbackRequest,
  q: URLSearchParams,
) => { status: number; body?: unknown };

/**
 * Operations whose path is not `/{resource}[/{id}]` (huawei-eventgrid.md Paths; the EG SDKs'
 * URL templates): channel PutEvents, a subscription's source and target, and the quotas.
 */
const NESTED_ROUTES: { method: string; path: RegExp; operation: HuaweiOperation | 'PutEvents' }[] = [
  { method: 'POST', path: /^\/v1\/[^/]+\/channels\/[^/]+\/events$/, operation: 'PutEvents' },
  {
    method: 'PUT',
    path: /^\/v1\/[^/]+\/subscriptions\/[^/]+\/sources\/[^/]+$/,
    operation: 'UpdateSubscriptionSource',
  },
  {
    method: 'PUT',
    path: /^\/v1\/[^/]+\/subscriptions\/[^/]+\/targets\/[^/]+$/,
    operation: 'UpdateSubscriptionTarget',
  },
  { method: 'GET', path: /^\/v1\/[^/]+\/quotas$/, operation: 'ListQuotas' },
];

/** One project's resources (EventGrid keeps them per project). */
interface ProjectState {
  channels: Map<string, Row>;
  sources: Map<string, Row>;
  connections: Map<string, Row>;
  subscriptions: Map<string, Row>;
}

/**
 * The fields a subscription source / target takes, in the order the EG API reference lists them
 * (UpdateSubscriptionSource / UpdateSubscriptionTarget request bodies; the EG SDKs'
 * SubscriptionSource and SubscriptionTarget). `id` is not among them: the path names the part.
 */
const SOURCE_FIELDS = ['name', 'provider_type', 'detail', 'filter'] as const;
const TARGET_FIELDS = [
  'name',
  'provider_type',
  'connection_id',
  'detail',
  'kafka_detail',
  'smn_detail',
  'eg_detail',
  'apigw_detail',
  'retry_times',
  'transform',
  'dead_letter_queue',
] as const;
/** "The length of this field after serialization cannot exceed N bytes" (EG API reference). */
const SERIALIZED_BYTES_MAX: Record<string, number> = {
  filter: 2048,
  detail: 1024,
  kafka_detail: 1024,
  smn_detail: 1024,
  eg_detail: 1024,
  apigw_detail: 1024,
};
/** Source provider types (API reference: CUSTOM, OFFICIAL). */
const SOURCE_PROVIDER_TYPES = ['CUSTOM', 'OFFICIAL'];
/** Target provider types: the API reference's CUSTOM and OFFICIAL, and APIGW from the EG Node SDK enum. */
const TARGET_PROVIDER_TYPES = ['CUSTOM', 'OFFICIAL', 'APIGW'];
/**
 * Which target needs which parameters (API reference, SubscriptionTarget): function targets
 * `detail.urn`, `invoke_type`, `agency_name`; webhook targets `detail.url`; EG channel targets
 * `eg_detail`; APIGW targets `apigw_detail`. Target names as routing.ts and the EG SDKs spell them.
 */
const TARGET_REQUIRES: Record<string, { field: string; keys: string[] }> = {
  HTTPS: { field: 'detail', keys: ['url'] },
  'HC.FunctionGraph': { field: 'detail', keys: ['urn', 'invoke_type', 'agency_name'] },
  'HC.EG': { field: 'eg_detail', keys: [] },
  'HC.APIGW': { field: 'apigw_detail', keys: [] },
};
/** TransForm (API reference): type ORIGINAL | CONSTANT | VARIABLE, value <= 1024, template <= 2048. */
const TRANSFORM_TYPES = ['ORIGINAL', 'CONSTANT', 'VARIABLE'];
// VARIABLE variable names: letters, digits, ., _, -; start with a letter or digit; <= 64; not HC.
const VARIABLE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * ListQuotas: the quota types of the EG API reference ("Querying Quotas", QuotaItemInfo: name,
 * type, max, min, quota, used). Only SUBSCRIPTION_TARGET is a limit the emulator enforces (a
 * subscription has 1-5 targets, huawei-eventgrid.md); the other quota values are the emulator's
 * nominal ones, reported and not enforced, and fixed (max = quota). `used` counts this project's
 * resources; for the per-channel and per-subscription types, the fullest channel or subscription.
 */
const QUOTAS: {
  type: string;
  name: string;
  quota: number;
  min: number;
  used: (p: ProjectState) => number;
}[] = [
  {
    type: 'CHANNEL',
    name: 'custom event channels',
    quota: 100,
    min: 0,
    used: (p) => [...p.channels.values()].filter((c) => c.provider_type === 'CUSTOM').length,
  },
  {
    type: 'CHANNEL_SUBSCRIPTION',
    name: 'event subscriptions per event channel',
    quota: 100,
    min: 0,
    used: (p) => Math.max(0, ...countBy(p.subscriptions, (s) => String(s.channel_id)).values()),
  },
  { type: 'SOURCE', name: 'custom event sources', quota: 100, min: 0, used: (p) => p.sources.size },
  {
    type: 'SUBSCRIPTION',
    name: 'event subscriptions',
    quota: 500,
    min: 0,
    used: (p) => p.subscriptions.size,
  },
  {
    type: 'SUBSCRIPTION_TARGET',
    name: 'event targets per event subscription',
    quota: 5,
    min: 1,
    used: (p) => Math.max(0, ...[...p.subscriptions.values()].map((s) => (s.targets as Row[]).length)),
  },
  { type: 'CONNECTION', name: 'connections', quota: 100, min: 0, used: (p) => p.connections.size },
  { type: 'PRIVATE_ENDPOINT', name: 'private access endpoints', quota: 10, min: 0, used: () => 0 },
  {
    type: 'SOURCE_RABBITMQ',
    name: 'custom event sources (RabbitMQ)',
    quota: 10,
    min: 0,
    used: (p) => [...p.sources.values()].filter((s) => s.type === 'RABBITMQ').length,
  },
  {
    type: 'SOURCE_ROCKETMQ',
    name: 'custom event sources (RocketMQ)',
    quota: 10,
    min: 0,
    used: (p) => [...p.sources.values()].filter((s) => s.type === 'ROCKETMQ').length,
  },
];
/** Types the EG SDKs' ListQuotas `type` enum also takes; the emulator has no schemas, so none are listed. */
const QUOTA_TYPES_WITHOUT_ROWS = ['SCHEMA', 'SCHEMA_VERSION'];

function countBy(rows: Map<string, Row>, key: (r: Row) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows.values()) out.set(key(r), (out.get(key(r)) ?? 0) + 1);
  return out;
}

const isObject = (v: unknown): v is Row => typeof v === 'object' && v !== null && !Array.isArray(v);
const serializedBytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v), 'utf8');

class EgError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const bad = (msg: string) => new EgError(400, 'EG.00014000', msg);
const notFound = (what: string) => new EgError(404, 'EG.00014040', `Not request resource found: ${what}`);

// Channel and connection names: letters, digits, ., _, -; start with a letter or digit; not `default`.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
// Custom source names: lowercase letters, digits, ., _, -; start with a letter or digit; not `hc.`.
const SOURCE_NAME = /^[a-z0-9][a-z0-9._-]{0,127}$/;

/** UTC timestamps as the documents' examples show them: `2021-12-09 09:00:00` (seed 002). */
export function huaweiTimestamp(ms: number = Date.now()): string {
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, '');
}
const now = () => huaweiTimestamp();

/** API Gateway's 401 for IAM authentication failures (token or AK/SK), as the service answers. */
const iamAuthFailed = (detail: string) =>
  new EgError(401, 'APIGW.0301', `Incorrect IAM authentication information: ${detail}`);

/** The emulator. */
export class HuaweiEmulator extends LoopbackEmulator {
  /**
   * State per project (the project id in the path), as EventGrid keeps it; a project belongs to
   * one region. Outside a request, the default project's.
   */
  readonly projects: ScopedState<ProjectState>;
  get channels() {
    return this.projects.current.channels;
  }
  get sources() {
    return this.projects.current.sources;
  }
  get connections() {
    return this.projects.current.connections;
  }
  get subscriptions() {
    return this.projects.current.subscriptions;
  }
  /** Bodies received per operation, for exchange-level assertions. */
  readonly received: {
    operation: string;
    method: string;
    path: string;
    headers: LoopbackRequest['headers'];
    body: string;
  }[] = [];
  readonly projectId: string;
  private readonly projectIds: Set<string>;
  private readonly tokens = new Map<string, { expiresAt: number; projectId: string }>();
  private readonly users: { username: string; password: string; domainName: string }[];
  private readonly tokenTtlMs: number;
  private readonly connectionReadyMs: number;
  private readonly accessKeys: Map<string, HuaweiAccessKeyCredentials>;
  private readonly clock: () => number;

  private constructor(o: HuaweiEmulatorOptions) {
    super();
    this.users = o.users ?? [HUAWEI_EMULATOR_USER];
    this.projectId = o.projectId ?? HUAWEI_EMULATOR_PROJECT;
    this.projectIds = new Set([
      this.projectId,
      ...(o.projectIds ?? (o.projectId === undefined ? [HUAWEI_EMULATOR_PROJECT_2] : [])),
    ]);
    this.tokenTtlMs = o.tokenTtlMs ?? 24 * 3600_000;
    this.connectionReadyMs = o.connectionReadyMs ?? 300;
    this.accessKeys = new Map(
      (o.accessKeys ?? [HUAWEI_EMULATOR_ACCESS_KEY]).map((k) => [k.accessKey, k] as const),
    );
    this.clock = o.now ?? Date.now;
    this.projects = new ScopedState(() => {
      // Every project has the official `default` channel for cloud service events.
      const ts = now();
      const official = {
        id: 'official-default',
        name: 'default',
        description: 'cloud service events',
        provider_type: 'OFFICIAL',
        created_time: ts,
        updated_time: ts,
      };
      return {
        channels: new Map<string, Row>([['official-default', official]]),
        sources: new Map<string, Row>(),
        connections: new Map<string, Row>(),
        subscriptions: new Map<string, Row>(),
      };
    }, this.projectId);
    for (const t of o.staticTokens ?? [])
      this.tokens.set(t, { expiresAt: Number.POSITIVE_INFINITY, projectId: this.projectId });
  }

  /** Starts an emulator on 127.0.0.1 (one origin serves both EG and IAM paths). */
  static async start(options: HuaweiEmulatorOptions = {}): Promise<HuaweiEmulator> {
    const emu = new HuaweiEmulator(options);
    await emu.listen(options.port ?? 0);
    return emu;
  }

  /** Expires every issued token now (simulates expiry mid-run). */
  expireAllTokens(): void {
    for (const t of this.tokens.values()) t.expiresAt = 0;
  }

  protected async handle(req: LoopbackRequest, res: ServerResponse): Promise<void> {
    if (this.delivery.serve(req.url, res)) return; // emulator-only delivery log read (issue 17)
    const requestId = `${randomUUID()}-${Date.now()}-emulator`;
    const operation = this.operationOf(req);
    this.countRequest(operation);
    this.received.push({
      operation,
      method: req.method,
      path: req.url.pathname + req.url.search,
      headers: req.headers,
      body: req.body.toString('utf8'),
    });
    const fault = this.faults.take(operation, req);
    let result: { status: number; body?: unknown; headers?: Record<string, string> } | undefined;
    let error: EgError | undefined;
    const commit = () => {
      try {
        result = this.dispatch(req, operation);
      } catch (e) {
        if (!(e instanceof EgError)) throw e;
        error = e;
      }
    };
    if (await applyTransportFault(fault, res, commit)) return;
    if (fault?.kind === 'error')
      error = new EgError(fault.status ?? 500, fault.code ?? 'EG.00015000', 'injected fault');
    else if (
      this.readLag.active &&
      operation.startsWith('Show') &&
      this.readLag.hides(req.url.pathname.split('/'))
    )
      error = notFound(req.url.pathname);
    else commit();
    const created = (result?.body as { id?: unknown } | undefined)?.id;
    if (fault?.kind === 'invisible' && operation.startsWith('Create') && typeof created === 'string')
      this.readLag.hide([created], fault.reads ?? 1);
    if (result?.body && operation.startsWith('List')) result.body = this.readLag.filterLists(result.body);
    if (error) {
      await sendJson(
        res,
        error.status,
        { error_code: error.code, error_msg: error.message, request_id: requestId },
        { 'x-request-id': requestId },
        fault,
      );
      return;
    }
    if (result?.body === undefined) {
      res.writeHead(result?.status ?? 204, { 'x-request-id': requestId, ...result?.headers });
      res.end();
      return;
    }
    await sendJson(res, result.status, result.body, { 'x-request-id': requestId, ...result.headers }, fault);
  }

  private operationOf(req: LoopbackRequest): string {
    if (req.url.pathname === '/v3/auth/tokens') return 'KeystoneCreateUserTokenByPassword';
    const nested = NESTED_ROUTES.find((r) => r.method === req.method && r.path.test(req.url.pathname));
    if (nested) return nested.operation;
    const m = /^\/v1\/[^/]+\/(channels|sources|connections|subscriptions)(?:\/([^/]+))?$/.exec(
      req.url.pathname,
    );
    if (!m) return 'Unknown';
    const noun = {
      channels: 'Channel',
      sources: 'EventSource',
      connections: 'Connection',
      subscriptions: 'Subscription',
    }[m[1] as 'channels'];
    if (m[2] === 'operation' && req.method === 'POST') return 'OperateSubscription';
    const verb = m[2]
      ? ({ GET: 'Show', PUT: 'Update', DELETE: 'Delete' } as Record<string, string>)[req.method]
      : ({ GET: 'List', POST: 'Create' } as Record<string, string>)[req.method];
    return verb ? `${verb}${noun}${verb === 'List' ? 's' : ''}` : 'Unknown';
  }

  private body(req: LoopbackRequest): Row {
    try {
      const v = JSON.parse(req.body.toString('utf8') || '{}') as unknown;
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
      return v as Row;
    } catch {
      throw bad('Bad request: body is not a JSON object');
    }
  }

  private login(req: LoopbackRequest): { status: number; body: unknown; headers: Record<string, string> } {
    const body = this.body(req) as {
      auth?: {
        identity?: {
          methods?: string[];
          password?: { user?: { name?: string; password?: string; domain?: { name?: string } } };
        };
        scope?: { project?: { id?: string } };
      };
    };
    const user = body.auth?.identity?.password?.user;
    const match = this.users.find(
      (u) =>
        u.username === user?.name && u.password === user?.password && u.domainName === user?.domain?.name,
    );
    if (!body.auth?.identity?.methods?.includes('password') || !match) {
      throw new EgError(401, 'APIGW.0301', 'The username or password is incorrect.');
    }
    const projectId = body.auth.scope?.project?.id;
    if (projectId === undefined || !this.projectIds.has(projectId))
      throw new EgError(400, 'EG.00014000', 'Bad request: unknown project in scope');
    const token = `MIIemulator${randomUUID().replace(/-/g, '')}`;
    const expiresAt = Date.now() + this.tokenTtlMs;
    this.tokens.set(token, { expiresAt, projectId });
    return {
      status: 201,
      headers: { 'x-subject-token': token },
      body: {
        token: {
          expires_at: new Date(expiresAt).toISOString(),
          issued_at: new Date().toISOString(),
          methods: ['password'],
          project: { id: projectId },
        },
      },
    };
  }

  private authorize(req: LoopbackRequest): void {
    const projectInPath = req.url.pathname.split('/')[2];
    const forbidden = () => new EgError(403, 'EG.00014030', 'No permissions to request this method');
    const authorization = req.headers.authorization;
    if (typeof authorization === 'string' && authorization.trim().startsWith('SDK-HMAC-SHA256')) {
      this.verifySignature(req, authorization);
      // Access keys belong to the account: the project comes from the path (and X-Project-Id).
      const headerProject = req.headers['x-project-id'];
      if (
        projectInPath === undefined ||
        !this.projectIds.has(projectInPath) ||
        (headerProject !== undefined && headerProject !== projectInPath)
      )
        throw forbidden();
      return;
    }
    const token = req.headers['x-auth-token'];
    const t = typeof token === 'string' ? this.tokens.get(token) : undefined;
    if (!t || t.expiresAt <= Date.now())
      throw new EgError(401, 'EG.00014010', 'Incorrect token or token resolution failed');
    if (projectInPath !== t.projectId) throw forbidden();
  }

  /**
   * Verifies an `SDK-HMAC-SHA256` signature as the service does: recomputes the canonical request
   * over exactly the SignedHeaders the request lists, with the SK of the named AK, and checks
   * `X-Sdk-Date` against the clock skew window and `X-Security-Token` for temporary keys.
   */
  private verifySignature(req: LoopbackRequest, authorization: string): void {
    const parsed = parseHuaweiAuthorization(authorization);
    if (!parsed) throw iamAuthFailed('malformed Authorization header');
    const key = this.accessKeys.get(parsed.accessKey);
    if (!key) throw iamAuthFailed(`ak ${parsed.accessKey} not exist`);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
    const sdkDate = headers['x-sdk-date'];
    const signedAt = sdkDate ? parseHuaweiSdkDate(sdkDate) : undefined;
    if (signedAt === undefined || !parsed.signedHeaders.includes('x-sdk-date'))
      throw iamAuthFailed('X-Sdk-Date is missing, unsigned or not in YYYYMMDDTHHmmssZ format');
    if (Math.abs(this.clock() - signedAt) > HUAWEI_MAX_CLOCK_SKEW_MS)
      throw iamAuthFailed(
        'the request time (X-Sdk-Date) differs from the server time by more than 15 minutes',
      );
    if (parsed.signedHeaders.some((h) => h !== h.toLowerCase() || headers[h] === undefined))
      throw iamAuthFailed('a signed header is missing from the request');
    if (key.securityToken !== undefined && headers['x-security-token'] !== key.securityToken)
      throw iamAuthFailed('the security token is missing or does not belong to this ak');
    const canonical = huaweiCanonicalRequest(
      { method: req.method, url: req.url, headers, body: req.body.toString('utf8') },
      parsed.signedHeaders,
    );
    if (!sameSignature(huaweiSignature(key.secretKey, sdkDate!, canonical), parsed.signature))
      throw iamAuthFailed('verify aksk signature fail');
  }

  private dispatch(
    req: LoopbackRequest,
    operation: string,
  ): { status: number; body?: unknown; headers?: Record<string, string> } {
    if (operation === 'KeystoneCreateUserTokenByPassword' && req.method === 'POST') return this.login(req);
    this.authorize(req);
    const id = req.url.pathname.split('/')[4];
    const q = req.url.searchParams;
    const handler = (this.handlers as Partial<Record<string, Handler>>)[operation];
    if (!handler) throw notFound(`${req.method} ${req.url.pathname}`);
    const project = req.url.pathname.split('/')[2]!;
    return this.projects.within(project, () => handler(id ? decodeURIComponent(id) : undefined, req, q));
  }

  private page(q: URLSearchParams, rows: Row[]): { status: number; body: unknown } {
    const offset = Number(q.get('offset') ?? 0);
    const limit = Number(q.get('limit') ?? 15);
    if (!Number.isInteger(offset) || offset < 0) throw bad('Bad request: offset must be >= 0');
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw bad('Bad request: limit must be 1-1000');
    const name = q.get('name');
    // fuzzy_name: the name contains the value (case-insensitive, like a SQL LIKE '%value%').
    const fuzzy = q.get('fuzzy_name')?.toLowerCase();
    const providerType = q.get('provider_type');
    const filtered = rows.filter(
      (r) =>
        (!name || r.name === name) &&
        (!fuzzy || String(r.name).toLowerCase().includes(fuzzy)) &&
        (!providerType || r.provider_type === providerType),
    );
    const items = filtered.slice(offset, offset + limit);
    return { status: 200, body: { total: filtered.length, size: items.length, items } };
  }

  private unique(map: Map<string, Row>, name: unknown, channelId?: unknown): void {
    if (
      [...map.values()].some(
        (r) => r.name === name && (channelId === undefined || r.channel_id === channelId),
      )
    )
      throw new EgError(400, 'EG.00513001', `Bad request: name ${String(name)} is duplicated`);
  }

  private description(v: unknown): void {
    if (v !== undefined && (typeof v !== 'string' || v.length > 255))
      throw bad('Bad request: description must be at most 255 characters');
  }

  private get<T extends Row>(map: Map<string, T>, id: string | undefined, what: string): T {
    const row = id ? map.get(id) : undefined;
    if (!row) throw notFound(`${what} ${id ?? ''}`);
    return row;
  }

  private connectionView(c: Row): Row {
    const { _created, ...rest } = c;
    if (rest.status === 'CREATING' && Date.now() - Number(_created) >= this.connectionReadyMs) {
      c.status = 'CREATED';
      rest.status = 'CREATED';
    }
    return rest;
  }

  // Every operation of polybus's catalog (actions.ts) has a handler: the type makes a missing one a compile error.
  private readonly handlers: Record<HuaweiOperation | 'PutEvents', Handler> = {
    CreateChannel: (_id, req) => {
      const b = this.body(req);
      if (typeof b.name !== 'string' || !NAME.test(b.name) || b.name === 'default') {
        throw bad(
          'Bad request: name must be 1-128 letters, digits, periods, underscores or hyphens, start with a letter or digit, and not be default',
        );
      }
      this.description(b.description);
      this.unique(this.channels, b.name);
      const row = {
        id: randomUUID(),
        name: b.name,
        description: b.description ?? '',
        provider_type: 'CUSTOM',
        enterprise_project_id: b.enterprise_project_id ?? '0',
        ...(typeof b.cross_account === 'boolean' ? { cross_account: b.cross_account } : {}),
        ...(b.policy && typeof b.policy === 'object' ? { policy: b.policy } : {}),
        created_time: now(),
        updated_time: now(),
      };
      this.channels.set(row.id, row);
      return { status: 200, body: row };
    },
    ShowChannel: (id) => ({ status: 200, body: this.get(this.channels, id, 'channel') }),
    ListChannels: (_id, _req, q) => this.page(q, [...this.channels.values()]),
    UpdateChannel: (id, req) => {
      const row = this.get(this.channels, id, 'channel');
      const b = this.body(req);
      this.description(b.description);
      for (const k of ['description', 'enterprise_project_id', 'cross_account', 'policy'])
        if (b[k] !== undefined) row[k] = b[k];
      row.updated_time = now();
      return { status: 200, body: row };
    },
    DeleteChannel: (id) => {
      this.get(this.channels, id, 'channel');
      this.channels.delete(id!);
      return { status: 204 };
    },
    CreateEventSource: (_id, req) => {
      const b = this.body(req);
      if (typeof b.name !== 'string' || !SOURCE_NAME.test(b.name) || b.name.startsWith('hc.')) {
        throw bad(
          'Bad request: name must be 1-128 lowercase letters, digits, periods, underscores or hyphens, start with a letter or digit, and not start with hc.',
        );
      }
      this.description(b.description);
      const channel = this.get(
        this.channels,
        typeof b.channel_id === 'string' ? b.channel_id : undefined,
        'channel',
      );
      // "This API is used to create a custom event source, which must use a custom event channel."
      if (channel.provider_type !== 'CUSTOM')
        throw new EgError(
          400,
          'EG.00513005',
          'invalid channel: a custom event source needs a custom channel',
        );
      const type = b.type ?? 'APPLICATION';
      if (!['APPLICATION', 'RABBITMQ', 'ROCKETMQ'].includes(String(type)))
        throw bad('Bad request: type must be APPLICATION, RABBITMQ or ROCKETMQ');
      this.unique(this.sources, b.name);
      const row = {
        id: randomUUID(),
        name: b.name,
        label: b.name,
        description: b.description ?? '',
        provider_type: 'CUSTOM',
        event_types: [],
        channel_id: channel.id,
        channel_name: channel.name,
        type,
        detail: b.detail ?? {},
        status: 'CREATED',
        created_time: now(),
        updated_time: now(),
      };
      this.sources.set(row.id, row);
      return { status: 200, body: row };
    },
    ShowEventSource: (id) => ({ status: 200, body: this.get(this.sources, id, 'source') }),
    ListEventSources: (_id, _req, q) => {
      const channel = q.get('channel_id');
      return this.page(
        q,
        [...this.sources.values()].filter((s) => !channel || s.channel_id === channel),
      );
    },
    UpdateEventSource: (id, req) => {
      const row = this.get(this.sources, id, 'source');
      const b = this.body(req);
      this.description(b.description);
      if (b.description !== undefined) row.description = b.description;
      if (b.detail !== undefined) row.detail = b.detail;
      row.updated_time = now();
      return { status: 200, body: row };
    },
    DeleteEventSource: (id) => {
      this.get(this.sources, id, 'source');
      this.sources.delete(id!);
      return { status: 204 };
    },
    CreateConnection: (_id, req) => {
      const b = this.body(req);
      if (typeof b.name !== 'string' || !NAME.test(b.name) || b.name === 'default') {
        throw bad(
          'Bad request: name must be letters, digits, periods, underscores or hyphens, start with a letter or digit, and not be default',
        );
      }
      if (typeof b.vpc_id !== 'string' || !b.vpc_id) throw bad('Bad request: vpc_id is mandatory');
      if (typeof b.subnet_id !== 'string' || !b.subnet_id) throw bad('Bad request: subnet_id is mandatory');
      // The seed's example sends `"type": { }`; the emulator treats a non-string type as webhook.
      const type = typeof b.type === 'string' ? b.type : 'webhook';
      if (type !== 'webhook' && type !== 'kafka') throw bad('Bad request: type must be webhook or kafka');
      const k = b.kafka_detail as Row | undefined;
      if (type === 'kafka') {
        if (
          !k ||
          typeof k.instance_id !== 'string' ||
          typeof k.addr !== 'string' ||
          typeof k.enable_sasl_ssl !== 'boolean'
        ) {
          throw bad('Bad request: kafka_detail.instance_id, addr and enable_sasl_ssl are mandatory');
        }
        if (k.enable_sasl_ssl && (!k.user_name || !k.password))
          throw bad('Bad request: user_name and password are mandatory when SASL_SSL is enabled');
      }
      this.unique(this.connections, b.name);
      const row: Row = {
        id: randomUUID(),
        name: b.name,
        description: b.description ?? '',
        status: 'CREATING',
        error_info: {},
        vpc_id: b.vpc_id,
        subnet_id: b.subnet_id,
        agency: 'EG_TRUST',
        flavor: {
          name: 'default',
          concurrency_type: 'exclusive',
          concurrency: 500,
          bandwidth_type: 'exclusive',
        },
        type,
        kafka_detail: k ?? {},
        created_time: now(),
        updated_time: now(),
        _created: Date.now(),
      };
      this.connections.set(String(row.id), row);
      return { status: 200, body: this.connectionView(row) };
    },
    ShowConnection: (id) => ({
      status: 200,
      body: this.connectionView(this.get(this.connections, id, 'connection')),
    }),
    ListConnections: (_id, _req, q) =>
      this.page(
        q,
        [...this.connections.values()].map((c) => this.connectionView(c)),
      ),
    UpdateConnection: (id, req) => {
      const row = this.get(this.connections, id, 'connection');
      const b = this.body(req);
      this.description(b.description);
      if (b.description !== undefined) row.description = b.description;
      row.updated_time = now();
      return { status: 200, body: this.connectionView(row) };
    },
    DeleteConnection: (id) => {
      this.get(this.connections, id, 'connection');
      this.connections.delete(id!);
      return { status: 204 };
    },
    CreateSubscription: (_id, req) => {
      const b = this.body(req);
      if (typeof b.name !== 'string' || !NAME.test(b.name))
        throw bad(
          'Bad request: name must be 1-128 letters, digits, periods, underscores or hyphens, starting with a letter or digit',
        );
      this.description(b.description);
      const channel = this.get(
        this.channels,
        typeof b.channel_id === 'string' ? b.channel_id : undefined,
        'channel',
      );
      this.checkSubscriptionParts(b.sources, b.targets);
      // Subscription names are unique per channel (sources and connections per project).
      this.unique(this.subscriptions, b.name, channel.id);
      const row = {
        id: randomUUID(),
        name: b.name,
        description: b.description ?? '',
        channel_id: channel.id,
        channel_name: channel.name,
        type: 'EVENT',
        status: 'CREATED',
        used: [],
        sources: (b.sources as Row[]).map((s) => ({ id: randomUUID(), ...s })),
        targets: (b.targets as Row[]).map((t) => ({ id: randomUUID(), ...t })),
        created_time: now(),
        updated_time: now(),
      };
      this.subscriptions.set(row.id, row);
      return { status: 200, body: row };
    },
    ShowSubscription: (id) => ({ status: 200, body: this.get(this.subscriptions, id, 'subscription') }),
    ListSubscriptions: (_id, _req, q) => {
      const channel = q.get('channel_id');
      return this.page(
        q,
        [...this.subscriptions.values()].filter((s) => !channel || s.channel_id === channel),
      );
    },
    UpdateSubscription: (id, req) => {
      const row = this.get(this.subscriptions, id, 'subscription');
      const b = this.body(req);
      this.description(b.description);
      if (b.sources !== undefined || b.targets !== undefined)
        this.checkSubscriptionParts(b.sources ?? row.sources, b.targets ?? row.targets);
      if (b.description !== undefined) row.description = b.description;
      // "If no ID is specified, the system automatically generates one" (API reference): every
      // part keeps an id that UpdateSubscriptionSource / UpdateSubscriptionTarget can address.
      for (const k of ['sources', 'targets'])
        if (b[k] !== undefined) row[k] = (b[k] as Row[]).map((p) => ({ id: randomUUID(), ...p }));
      row.updated_time = now();
      return { status: 200, body: row };
    },
    DeleteSubscription: (id) => {
      this.get(this.subscriptions, id, 'subscription');
      this.subscriptions.delete(id!);
      return { status: 204 };
    },
    PutEvents: (channelId, req) => this.receiveEvents(channelId, req),
    UpdateSubscriptionSource: (id, req) => this.updateSubscriptionSource(id, req),
    UpdateSubscriptionTarget: (id, req) => this.updateSubscriptionTarget(id, req),
    ListQuotas: (_id, _req, q) => this.listQuotas(q),
    OperateSubscription: (_id, req) => {
      const b = this.body(req);
      if (b.operation !== 'ENABLE' && b.operation !== 'DISABLE')
        throw bad('Bad request: operation must be ENABLE or DISABLE');
      for (const sid of (b.subscription_ids as string[]) ?? [])
        this.get(this.subscriptions, sid, 'subscription').status =
          b.operation === 'ENABLE' ? 'ENABLED' : 'DISABLED';
      return { status: 204 };
    },
  };

  // --- A subscription's source and targets, one at a time; quotas ---

  /** When each source/target was created and last updated (beside the part: stored shapes stay as they were). */
  private readonly partTimes = new WeakMap<Row, { created_time: string; updated_time: string }>();

  /**
   * The part `partId` of the subscription `id` (404 EG.00014040 when either is unknown), and the
   * documented fields of the body: what a PUT of that part replaces it with. The body's `id` is
   * ignored ("ignored when a subscription target is updated"): the part keeps its id.
   */
  private partUpdate(
    id: string | undefined,
    req: LoopbackRequest,
    kind: 'sources' | 'targets',
    fields: readonly string[],
  ) {
    const subscription = this.get(this.subscriptions, id, 'subscription');
    const partId = decodeURIComponent(req.url.pathname.split('/')[6] ?? '');
    const parts = subscription[kind] as Row[];
    const index = parts.findIndex((p) => p.id === partId);
    if (index < 0) throw notFound(`subscription ${kind === 'sources' ? 'source' : 'target'} ${partId}`);
    const b = this.body(req);
    const next: Row = { id: partId };
    for (const f of fields) if (b[f] !== undefined) next[f] = b[f];
    for (const f of fields) {
      const max = SERIALIZED_BYTES_MAX[f];
      if (max !== undefined && next[f] !== undefined && serializedBytes(next[f]) > max)
        throw bad(`Bad request: ${f} must be at most ${max} bytes once serialized`);
    }
    return { subscription, parts, index, next };
  }

  /** Replaces a part, keeps its position and id, and answers it with its timestamps. */
  private commitPart(subscription: Row, parts: Row[], index: number, next: Row) {
    const ts = now();
    const created = this.partTimes.get(parts[index]!)?.created_time ?? String(subscription.created_time);
    parts[index] = next;
    this.partTimes.set(next, { created_time: created, updated_time: ts });
    subscription.updated_time = ts;
    return { status: 200, body: { ...next, created_time: created, updated_time: ts } };
  }

  /**
   * UpdateSubscriptionSource: `PUT /v1/{project_id}/subscriptions/{subscription_id}/sources/{source_id}`
   * with a SubscriptionSource (name, provider_type, detail <= 1024 bytes, filter <= 2048 bytes);
   * answers the source with created_time and updated_time. The filter rule is checked as
   * CreateSubscription checks it (eg-ug-018) and PutEvents routes by it from then on
   * (`sources[0].filter`).
   */
  private updateSubscriptionSource(id: string | undefined, req: LoopbackRequest) {
    const { subscription, parts, index, next } = this.partUpdate(id, req, 'sources', SOURCE_FIELDS);
    if (typeof next.name !== 'string' || !next.name) throw bad('Bad request: name is required');
    if (!SOURCE_PROVIDER_TYPES.includes(String(next.provider_type)))
      throw bad(`Bad request: provider_type must be ${SOURCE_PROVIDER_TYPES.join(' or ')}`);
    if (next.detail !== undefined && !isObject(next.detail))
      throw bad('Bad request: detail must be a JSON object');
    if (next.filter === undefined) throw bad('Bad request: filter is required');
    const problems = validateHuaweiFilterRule(next.filter);
    if (problems.length) throw bad(`Bad request: ${problems.join('; ')}`);
    return this.commitPart(subscription, parts, index, next);
  }

  /**
   * UpdateSubscriptionTarget: `PUT /v1/{project_id}/subscriptions/{subscription_id}/targets/{target_id}`
   * with a SubscriptionTarget; the target keeps its id and its place, GetSubscription and
   * ListSubscriptions read it back, and PutEvents delivers with it (url, retry_times, dead letter).
   */
  private updateSubscriptionTarget(id: string | undefined, req: LoopbackRequest) {
    const { subscription, parts, index, next } = this.partUpdate(id, req, 'targets', TARGET_FIELDS);
    if (typeof next.name !== 'string' || !next.name) throw bad('Bad request: name is required');
    if (!TARGET_PROVIDER_TYPES.includes(String(next.provider_type)))
      throw bad(`Bad request: provider_type must be ${TARGET_PROVIDER_TYPES.join(', ')}`);
    for (const f of ['detail', 'kafka_detail', 'smn_detail', 'eg_detail', 'apigw_detail'])
      if (next[f] !== undefined && !isObject(next[f])) throw bad(`Bad request: ${f} must be a JSON object`);
    const needs = TARGET_REQUIRES[next.name];
    if (needs) {
      const given = next[needs.field];
      const missing = needs.keys.filter((k) => !isObject(given) || given[k] === undefined || given[k] === '');
      if (!isObject(given) || missing.length)
        throw bad(
          `Bad request: a ${next.name} target needs ${needs.keys.length ? missing.map((k) => `${needs.field}.${k}`).join(', ') : needs.field}`,
        );
    }
    if (
      next.connection_id !== undefined &&
      (typeof next.connection_id !== 'string' || next.connection_id.length > 64)
    )
      throw bad('Bad request: connection_id must be a string of at most 64 characters');
    if (
      next.retry_times !== undefined &&
      (!Number.isInteger(next.retry_times) || Number(next.retry_times) < 0)
    )
      throw bad('Bad request: retry_times must be a non-negative integer');
    this.checkTransform(next.transform);
    if (next.dead_letter_queue !== undefined) this.checkDeadLetter(next.dead_letter_queue);
    return this.commitPart(subscription, parts, index, next);
  }

  private checkTransform(t: unknown): void {
    if (!isObject(t)) throw bad('Bad request: transform is required (type ORIGINAL, CONSTANT or VARIABLE)');
    if (!TRANSFORM_TYPES.includes(String(t.type)))
      throw bad(`Bad request: transform.type must be ${TRANSFORM_TYPES.join(', ')}`);
    if (t.value !== undefined && (typeof t.value !== 'string' || t.value.length > 1024))
      throw bad('Bad request: transform.value must be a string of at most 1024 characters');
    if (t.template !== undefined && (typeof t.template !== 'string' || t.template.length > 2048))
      throw bad('Bad request: transform.template must be a string of at most 2048 characters');
    if (t.type !== 'VARIABLE') return;
    let variables: unknown;
    try {
      variables = JSON.parse(String(t.value ?? ''));
    } catch {
      variables = undefined;
    }
    if (!isObject(variables))
      throw bad('Bad request: transform.value of a VARIABLE rule must be a JSON object string');
    const names = Object.keys(variables);
    if (names.length > 100) throw bad('Bad request: transform.value defines at most 100 variables');
    const wrong = names.filter(
      (n) => !VARIABLE_NAME.test(n) || n.startsWith('HC.') || isObject(variables[n]),
    );
    if (wrong.length)
      throw bad(
        `Bad request: transform.value variables ${wrong.join(', ')}: names are 1-64 letters, digits, periods, underscores or hyphens, start with a letter or digit, not HC.; no nested definitions`,
      );
  }

  private checkDeadLetter(d: unknown): void {
    if (!isObject(d) || d.type !== 'KAFKA') throw bad('Bad request: dead_letter_queue.type must be KAFKA');
    for (const f of ['instance_id', 'connection_id', 'topic'])
      if (typeof d[f] !== 'string' || !d[f] || String(d[f]).length > 128)
        throw bad(`Bad request: dead_letter_queue.${f} must be 1-128 characters`);
  }

  /** ListQuotas: `GET /v1/{project_id}/quotas[?type=T]` answers `{quotas: {resources: [...]}}`. */
  private listQuotas(q: URLSearchParams) {
    const type = q.get('type');
    const known = [...QUOTAS.map((r) => r.type), ...QUOTA_TYPES_WITHOUT_ROWS];
    if (type !== null && !known.includes(type))
      throw bad(`Bad request: type must be one of ${known.join(', ')}`);
    const state = this.projects.current;
    const resources = QUOTAS.filter((r) => type === null || r.type === type).map((r) => ({
      name: r.name,
      type: r.type,
      max: r.quota,
      min: r.min,
      quota: r.quota,
      used: r.used(state),
    }));
    return { status: 200, body: { quotas: { resources } } };
  }

  private checkSubscriptionParts(sources: unknown, targets: unknown): void {
    if (!Array.isArray(sources) || sources.length !== 1)
      throw bad('Bad request: a subscription has exactly one source');
    const s = sources[0] as Row;
    if (typeof s.name !== 'string' || typeof s.provider_type !== 'string' || typeof s.filter !== 'object') {
      throw bad('Bad request: sources[0] needs name, provider_type and filter');
    }
    // The filter rule's documented rules and limits (eg-ug-018), as routing.ts states them.
    const problems = validateHuaweiFilterRule(s.filter);
    if (problems.length) throw bad(`Bad request: sources[0].${problems.join('; ')}`);
    if (!Array.isArray(targets) || targets.length < 1 || targets.length > 5)
      throw bad('Bad request: a subscription has 1-5 targets');
    for (const t of targets as Row[]) {
      if (
        typeof t.name !== 'string' ||
        typeof t.provider_type !== 'string' ||
        typeof t.transform !== 'object' ||
        t.transform === null
      ) {
        throw bad('Bad request: each target needs name, provider_type and transform');
      }
    }
  }

  // --- Publishing and delivery (issue 17): channel PutEvents, subscription matching, webhooks ---

  /** The delivery log and http sender: subscriptions' HTTPS targets get the events they match. */
  readonly delivery = new DeliveryEngine('huawei');

  /**
   * PutEvents: at most 20 events (EG.00533007), each with id, source, specversion and type; each
   * is matched against the channel's enabled subscriptions (their source filter rule) and sent to
   * every HTTPS target of a matching one (`detail.url`, `retry_times` retries, then the dead
   * letter queue). FunctionGraph and Kafka targets are recorded, not run.
   */
  private receiveEvents(channelId: string | undefined, req: LoopbackRequest) {
    const channel = this.get(this.channels, channelId, 'channel');
    const b = this.body(req);
    const events = b.events;
    if (!Array.isArray(events) || events.length === 0)
      throw bad('Bad request: events is a non-empty array of CloudEvents');
    if (events.length > 20)
      throw new EgError(400, 'EG.00533007', 'Bad request: at most 20 events can be put at a time');
    events.forEach((e: unknown, i) => {
      const ev = e as Row;
      for (const f of ['id', 'source', 'specversion', 'type'])
        if (typeof ev?.[f] !== 'string' || ev[f] === '')
          throw bad(`Bad request: events[${i}].${f} is required (CloudEvents 1.0)`);
    });
    const subs = [...this.subscriptions.values()].filter((s) => s.channel_id === channel.id);
    for (const e of events as Row[]) this.route(String(channel.id), e, subs);
    return {
      status: 200,
      body: { failed_count: 0, events: (events as Row[]).map((e) => ({ event_id: e.id })) },
    };
  }

  private route(channelId: string, event: Row, subs: Row[]): void {
    const rec = this.delivery.record({
      bus: channelId,
      eventId: String(event.id),
      event,
      matches: [],
      deliveries: [],
      notes: ['Huawei emulator: exact record of subscription matching and webhook deliveries.'],
    });
    for (const s of subs) {
      if (s.status === 'DISABLED') {
        rec.matches.push({
          integration: String(s.id),
          name: String(s.name),
          matched: false,
          reason: 'the subscription is disabled',
        });
        continue;
      }
      const source = (s.sources as Row[])[0]!;
      const m = matchesHuaweiFilterRule(source.filter as unknown as HuaweiFilterRule, event);
      rec.matches.push({
        integration: String(s.id),
        name: String(s.name),
        matched: m.matched,
        reason: m.reason,
      });
      if (!m.matched) continue;
      for (const t of s.targets as Row[]) {
        const d = {
          integration: String(s.id),
          target: String(t.id ?? t.name),
          attempts: 0,
          status: 'not-delivered' as const,
          attemptLog: [],
        } as import('../../../core/runtime/delivery-log.js').DeliveryRecord['deliveries'][number];
        rec.deliveries.push(d);
        const url = (t.detail as Row | undefined)?.url;
        if (t.name !== 'HTTPS' || typeof url !== 'string') {
          d.note = `the emulator does not run ${String(t.name)} targets: matched, not delivered`;
          continue;
        }
        d.destination = url;
        const transform = (t.transform as Row | undefined)?.type;
        if (transform && transform !== 'ORIGINAL')
          rec.notes.push(
            `target ${d.target}: transform ${String(transform)} is not applied by the emulator (the original event is sent)`,
          );
        const dlq = t.dead_letter_queue as Row | undefined;
        this.delivery.deliverHttp(
          rec,
          d,
          url,
          { retries: Number(t.retry_times ?? 0), delayMs: this.delivery.retryDelayMs },
          dlq ? `kafka topic ${String(dlq.topic)}` : undefined,
        );
      }
    }
  }
}
